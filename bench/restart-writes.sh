#!/usr/bin/env bash
# What each start writes for its environment instances: starts LAYOUT (a directory as bench/start-ab.sh takes) 3 times
# on one DATA_DIR with 10 of them, and prints after each start the instance change counter and how many instance rows
# that start wrote (updated_at later than the rows' creation).
# Usage: bench/restart-writes.sh LAYOUT
set -euo pipefail
layout=$1; port=${BENCH_PORT:-18334}; work=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
inst=(); for i in $(seq 1 10); do inst+=("PIHOLE_I${i}_URL=http://127.0.0.1:9/i$i"); done
for run in 1 2 3; do
  env DATA_DIR="$work/data" BACKUP_DIR="$work/backups" PORT=$port BIND_ADDRESS=127.0.0.1 "${inst[@]}" "$layout/entrypoint.sh" >"$work/log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }; sleep 0.05; done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "start $run: $(sqlite3 "$work/data/checkpoint.db" "SELECT 'instance changes counted ' || COALESCE((SELECT changes FROM setting_change WHERE kind = 'instance'), 0) || ', rows ' || COUNT(*) || ', rows written by this start ' || SUM(updated_at > (SELECT MAX(created_at) FROM instance)) FROM instance")"
  sleep 1
done
