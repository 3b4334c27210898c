#!/usr/bin/env bash
# Dashboard and instance page with 20 instances × 1,000 backups, and with one instance × 2,000
# backups: p99 at concurrency 1 and 8, from the server as the image runs it. Prints a Markdown
# section per shape. Usage: bench/pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${BENCH_PORT:-18123}
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for shape in "20 1000" "1 2000"; do
  set -- $shape
  printf '## Pages with %s instance(s) × %s backups\n\n' "$1" "$2"
  rm -rf "$work/data" "$work/backups"
  DATA_DIR=$work/data ./entrypoint.sh migrate >/dev/null
  java -cp 'target/pihole-checkpoint/WEB-INF/lib/*' bench/PageBench.java seed "$work/data/checkpoint.db" "$work/backups" "$1" "$2"
  DATA_DIR=$work/data BACKUP_DIR=$work/backups PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="${JAVA_OPTS:-@$PWD/etc/jvm.options}" \
    ./entrypoint.sh serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  java bench/PageBench.java load "http://127.0.0.1:$port"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo
done
