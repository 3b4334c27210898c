#!/usr/bin/env bash
# Memory and scratch disk under parallel archive work, from the server as the image runs it (its
# JAVA_OPTS): 8 parallel imports of a 1,000,000-domain archive plus 4 parallel diffs against live
# (bench/fake_pihole.py), with ARCHIVE_PARALLEL = 8 (as good as no bound for 12 requests), 2 (the
# default) and 1. Reports the process's peak resident memory (VmHWM) and the peak size of
# BACKUP_DIR/.scratch (sampled every 0.2 s), and the wall time of the whole burst.
# Usage: bench/concurrency.sh [domains]   (after mvn -DskipTests package and mvn test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
port=${BENCH_PORT:-18134}
pihole_port=${BENCH_PIHOLE_PORT:-18993}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/test-classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
pid=
fake=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work" "$n"
cp "$work/huge-a.zip" "$work/live.zip"
python3 bench/fake_pihole.py "$pihole_port" "$work/live.zip" & fake=$!
until curl -fs -o /dev/null -X DELETE "http://127.0.0.1:$pihole_port/api/auth"; do sleep 0.05; done
echo "| ARCHIVE_PARALLEL | peak RSS (VmHWM) | peak scratch | burst wall time | answers |"
echo "|---|---|---|---|---|"
for permits in 8 2 1; do
  d=$work/p$permits
  mkdir -p "$d"
  DATA_DIR=$d/data ./entrypoint.sh migrate >/dev/null
  # shellcheck disable=SC2086
  DATA_DIR=$d/data BACKUP_DIR=$d/backups PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    ARCHIVE_PARALLEL=$permits ARCHIVE_BUSY_WAIT_SECONDS=600 \
    PIHOLE_BENCH_URL="http://127.0.0.1:$pihole_port" PIHOLE_BENCH_PASSWORD=bench \
    JAVA_OPTS="$opts" ./entrypoint.sh serve >"$d/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/health" && break; sleep 0.1; done
  a=$(curl -fs -X POST "$base/api/v1/instances/1/backups?wait=true" | id)
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  peak=0
  ( while :; do du -sb "$d/backups/.scratch" 2>/dev/null | cut -f1; sleep 0.2; done ) >"$d/scratch" & sampler=$!
  start=$(date +%s.%N)
  for _ in $(seq 1 8); do curl -s -o /dev/null -w '%{http_code}\n' -F "file=@$work/huge-a.zip" "$base/api/v1/instances/1/backups/import" >>"$d/codes" & done
  for _ in $(seq 1 4); do curl -s -o /dev/null -w '%{http_code}\n' "$base/api/v1/backups/$a/diff?against=live" >>"$d/codes" & done
  wait $(jobs -p | grep -v -e "^$pid\$" -e "^$fake\$" -e "^$sampler\$") 2>/dev/null || true
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e - s}')
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$java_pid/status")
  peak=$(sort -n "$d/scratch" | tail -1 | awk '{printf "%.0f", $1 / 1048576}')
  codes=$(sort "$d/codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  grep -q OutOfMemoryError "$d/server.log" && echo "OutOfMemoryError with ARCHIVE_PARALLEL=$permits" >&2
  echo "| $permits | $hwm MiB | $peak MiB | $wall s | $codes|"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
