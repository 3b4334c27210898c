#!/usr/bin/env bash
# What the migration step's own JVM adds to one forked start as the ITs make it: A = `entrypoint.sh run` (migration step, then the
# server) on a fresh DATA_DIR, B = `entrypoint.sh serve` on a copy of a DATA_DIR migrated once before the runs (as a test whose
# JVM migrated it in process); each until /health answers, then SIGTERM and the exit, every process counted (/usr/bin/time of the
# shell that waits for it). Alternated A B A B; the tests' JVM options (RunningApp.QUICK_JVM) and class-data archives.
# Usage: bench/migrate-step-cpu.sh RUNS CDS_DIR   (e.g. target/it-cds, as the ITs' SharedClassData makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-4}; cds=$(realpath "$2")
opts=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/template/data" "$work/template/backups"
CHECKPOINT_CDS_DIR=$cds DATA_DIR="$work/template/data" BACKUP_DIR="$work/template/backups" MIGRATE_JAVA_OPTS="$opts" \
  ./entrypoint.sh migrate >/dev/null 2>&1
one() { # $1 = label, $2 = entrypoint command
  rm -rf "$work/data" "$work/backups"
  if [ "$2" = serve ]; then cp -a "$work/template/data" "$work/template/backups" "$work/"; fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  /usr/bin/time -f "$1 %U %S %e" -o "$work/time" bash -c '
    CHECKPOINT_CDS_DIR=$2 DATA_DIR="$3/data" BACKUP_DIR="$3/backups" PORT=$1 BIND_ADDRESS=127.0.0.1 \
      JAVA_OPTS="$4" MIGRATE_JAVA_OPTS="$4" ./entrypoint.sh $5 >"$3/server.log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$1/health"; do kill -0 $pid 2>/dev/null || { cat "$3/server.log"; exit 1; }; sleep 0.05; done
    kill -TERM $pid; wait $pid || true' _ "$port" "$cds" "$work" "$opts" "$2"
  read -r label user sys wall < "$work/time"
  printf '%s cpu %.2f s (user %s sys %s) wall %s s load %s\n' "$label" "$(echo "$user + $sys" | bc)" "$user" "$sys" "$wall" "$(cut -d' ' -f1 /proc/loadavg)"
}
for r in $(seq 1 "$runs"); do
  one "A-run" run
  one "B-serve" serve
done
