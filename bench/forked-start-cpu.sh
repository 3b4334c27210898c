#!/usr/bin/env bash
# CPU of one forked start as the ITs' RunningApp makes it: `entrypoint.sh run` (migration step, then
# the server) on a fresh DATA_DIR until /health answers, then SIGTERM and the exit; every process of
# it counted (/usr/bin/time of the shell that waits for it). Alternates A (no class-data archive) and
# B (CHECKPOINT_CDS_DIR=$2), both with JAVA_OPTS=${JAVA_OPTS:-@etc/jvm.options} (the image's options).
# Usage: bench/forked-start-cpu.sh RUNS CDS_DIR   (a CDS_DIR as `entrypoint.sh cds` makes, e.g. target/it-cds)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-4}; cds=$(realpath "$2")
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one() { # $1 = label, $2 = CHECKPOINT_CDS_DIR or empty
  rm -rf "$work/data" "$work/backups"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  /usr/bin/time -f "$1 %U %S %e" -o "$work/time" bash -c '
    env -u MIGRATE_JAVA_OPTS ${2:+CHECKPOINT_CDS_DIR=$2} DATA_DIR="$3/data" BACKUP_DIR="$3/backups" PORT=$1 BIND_ADDRESS=127.0.0.1 \
      JAVA_OPTS="$4" ./entrypoint.sh run >"$3/server.log" 2>&1 &
    pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$1/health"; do kill -0 $pid 2>/dev/null || { cat "$3/server.log"; exit 1; }; sleep 0.05; done
    kill -TERM $pid; wait $pid || true' _ "$port" "$2" "$work" "$opts"
  if grep -q "Unable to use shared archive\|not using" "$work/server.log"; then echo "$1: archive refused:"; grep "shared archive\|not using" "$work/server.log"; fi
  read -r label user sys wall < "$work/time"
  printf '%s cpu %.2f s (user %s sys %s) wall %s s load %s\n' "$label" "$(echo "$user + $sys" | bc)" "$user" "$sys" "$wall" "$(cut -d' ' -f1 /proc/loadavg)"
}
for r in $(seq 1 "$runs"); do
  one "A-none" ""
  one "B-cds" "$cds"
done
