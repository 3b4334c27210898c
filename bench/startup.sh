#!/usr/bin/env bash
# Start to healthy and resident memory, as the image runs it: `entrypoint.sh` (migrate in its own
# JVM, then exec the server) on a fresh DATA_DIR with 5 instances, 3 of them unreachable.
# Prints one Markdown row per figure. Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18124}
# the image's defaults (etc/jvm.options; entrypoint.sh sets MALLOC_ARENA_MAX=2)
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

start_ms=(); rss_start=(); rss_after=(); rss_idle=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/data" "$work/backups"
  t0=$(date +%s%3N)
  env DATA_DIR="$work/data" BACKUP_DIR="$work/backups" PORT=$port BIND_ADDRESS=127.0.0.1 JAVA_OPTS="$opts" \
    PIHOLE_A_URL=http://127.0.0.1:9 PIHOLE_B_URL=http://10.255.255.1 PIHOLE_C_URL=https://pihole.invalid \
    PIHOLE_D_URL=http://127.0.0.1:10 PIHOLE_E_URL=http://127.0.0.1:11 \
    ./entrypoint.sh >"$work/server.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%3N)
  start_ms+=($((t1 - t0)))
  sleep 2 # let start-up threads settle before reading memory
  rss_start+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  ab -q -n 1000 -c 4 "http://127.0.0.1:$port/" >/dev/null 2>&1
  rss_after+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  sleep 11 # idle again: the JVM frees compiler arenas every 5 s, and trims the native heap every 5 s (TrimNativeHeapInterval)
  rss_idle+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

stats() { # "median UNIT | min–max UNIT" of the arguments after the unit
  unit=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v u="$unit" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s | %s–%s %s", m, u, a[1], a[NR], u}'
}
echo "| Start to /health 200 (fresh DB, migrations, 5 instances) | $(stats ms "${start_ms[@]}") | ≤ 1500 ms | $runs |"
echo "| RSS after start | $(stats MiB "${rss_start[@]}") | ≤ 100 MiB | $runs |"
echo "| RSS right after 1,000 dashboard requests (ab -c 4) | $(stats MiB "${rss_after[@]}") | (for reference) | $runs |"
echo "| RSS idle after 1,000 dashboard requests (11 s later) | $(stats MiB "${rss_idle[@]}") | ≤ 100 MiB | $runs |"
