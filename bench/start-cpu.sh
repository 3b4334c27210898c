#!/usr/bin/env bash
# CPU seconds (user + sys of both JVMs) of one `./entrypoint.sh` start to /health 200 and SIGTERM,
# with the JVM options the integration tests start with (testing/RunningApp), without and with
# class-data archives made for those options: what each of the suite's starts costs on 2 cores.
# CPU time, not wall time, so a shared machine's load hardly moves it. Prints Markdown rows.
# Usage (after `mvn -B -q -DskipTests package`): bench/start-cpu.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18131}
opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/none"
JAVA_OPTS="$opts" CHECKPOINT_CDS_DIR="$work/cds" CDS_TRAINING_PORT=$((port + 1)) ./entrypoint.sh cds >/dev/null

cpu() { # CDS_DIR: CPU seconds of one start
  rm -rf "$work/data" "$work/backups"
  ( env DATA_DIR="$work/data" BACKUP_DIR="$work/backups" PORT=$port BIND_ADDRESS=127.0.0.1 JAVA_OPTS="$opts" \
      CHECKPOINT_CDS_DIR="$1" ./entrypoint.sh >"$work/log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do kill -0 $pid || exit 1; sleep 0.05; done
    kill $pid; wait $pid || true
    times ) | tail -n 1 | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.2f\n", u[1]*60 + u[2] + s[1]*60 + s[2] }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
none=(); cds=()
for _ in $(seq 1 "$runs"); do none+=("$(cpu "$work/none")"); cds+=("$(cpu "$work/cds")"); done
echo "| CPU of one test start (migrate + serve + stop), no class-data archives | $(median "${none[@]}") s | $runs |"
echo "| CPU of one test start, archives made once for the tests' options | $(median "${cds[@]}") s | $runs |"
