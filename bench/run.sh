#!/usr/bin/env bash
# Benchmarks, printed as a Markdown table. Run from the project root: bench/run.sh
# Loopback only; bounded request counts; cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/pihole-checkpoint-launcher.jar ] || mvn -q -DskipTests package

work=$(mktemp -d)
port=${BENCH_PORT:-18123}
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "## Pages with 20 instances × 1,000 backups"
DATA_DIR=$work/data ./entrypoint.sh migrate >/dev/null
java -cp 'target/pihole-checkpoint/WEB-INF/lib/*' bench/PageBench.java seed "$work/data/checkpoint.db" "$work/backups"
DATA_DIR=$work/data BACKUP_DIR=$work/backups PORT=$port BIND_ADDRESS=127.0.0.1 \
  JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx96m -Xss512k -XX:ReservedCodeCacheSize=32m}" \
  ./entrypoint.sh serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
java bench/PageBench.java load "http://127.0.0.1:$port"
