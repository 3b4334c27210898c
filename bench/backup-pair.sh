#!/usr/bin/env bash
# Two builds side by side under the same load: each runs as the image runs it against its own
# bench/fake_pihole.py, and their backups alternate (A, B, A, B, …) so that a loaded machine slows
# both alike. Per build: the server's CPU per backup (user + system, all threads, /proc/<pid>/stat, over the whole loop)
# and the client's time per POST …/backups?wait=true (curl; the fake's own time, ~2–4 ms, not taken off).
# Usage: bench/backup-pair.sh DIR_A DIR_B [backups]   (each DIR a checkout after mvn -DskipTests package)
# BENCH_WARM backups each first (default 10); JAVA_OPTS_A / JAVA_OPTS_B replace a side's etc/jvm.options.
# BENCH_HISTORY=N gives each side N older successful records first (copies of its first backup's row, their files
# absent) and keeps every record (MAX_BACKUPS=0, MAX_AGE_DAYS=0): the cost of a backup with a long history.
set -euo pipefail
a=$(cd "$1" && pwd); b=$(cd "$2" && pwd); n=${3:-40}
warm=${BENCH_WARM:-10}
history=${BENCH_HISTORY:-0}
keep=(); [ "$history" -gt 0 ] && keep=(PIHOLE_BENCH_MAX_BACKUPS=0 PIHOLE_BENCH_MAX_AGE_DAYS=0)
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
start() { # side dir port fake_port java_opts; sets started to the server's pid (no subshell: the trap must see every pid)
  python3 "$2/bench/fake_pihole.py" "$4" "$2/src/test/resources/fixtures/teleporter-v6.4.1-a.zip" >/dev/null 2>&1 &
  pids+=($!)
  until curl -fs -o /dev/null "http://127.0.0.1:$4/bench/served"; do sleep 0.05; done
  env DATA_DIR="$work/$1/data" BACKUP_DIR="$work/$1/backups" PORT=$3 BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="${5:-@$2/etc/jvm.options}" PIHOLE_BENCH_URL=http://127.0.0.1:$4 PIHOLE_BENCH_PASSWORD=bench "${keep[@]}" \
    "$2/entrypoint.sh" >"$work/$1.log" 2>&1 &
  pids+=($!)
  started=$!
}
for port in 18311 18312 18321 18322; do
  ! curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "port $port is taken: a server of an earlier run?" >&2; exit 1; }
done
start A "$a" 18311 18312 "${JAVA_OPTS_A:-}"; pid_a=$started
start B "$b" 18321 18322 "${JAVA_OPTS_B:-}"; pid_b=$started
for port in 18311 18321; do
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid_a" 2>/dev/null && kill -0 "$pid_b" 2>/dev/null || { cat "$work"/*.log >&2; exit 1; }
    sleep 0.1
  done
done
backup() { # port; prints curl's ms
  out=$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$1/api/v1/instances/1/backups?wait=true")
  [ "${out%% *}" = 201 ] || { echo "backup on port $1 answered ${out%% *}: $(cat "$work/answer")" >&2; exit 1; }
  awk -v t="${out#* }" 'BEGIN {printf "%.2f\n", t * 1000}'
}
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
seed() { # side: N copies of the first record, each a minute older than the one before
  sqlite3 "$work/$1/data/checkpoint.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $history)
    INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, core_version, ftl_version,
      web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
      clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, started_at, finished_at)
    SELECT instance_id, status, trigger_kind, 'seed-' || i || '.zip', size_bytes, sha256, content_hash, core_version, ftl_version,
      web_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count,
      clients_count, dns_records_count, cnames_count, changed_settings_count, change_summary, started_at - 60000 * i,
      finished_at - 60000 * i
    FROM backup, n WHERE backup.id = (SELECT MIN(id) FROM backup)"
}
if [ "$history" -gt 0 ]; then
  backup 18311 >/dev/null; backup 18321 >/dev/null
  seed A; seed B
fi
for _ in $(seq 1 "$warm"); do backup 18311 >/dev/null; backup 18321 >/dev/null; done
ta=(); tb=(); ca=$(cpu "$pid_a"); cb=$(cpu "$pid_b")
for _ in $(seq 1 "$n"); do
  ta+=("$(backup 18311)")
  tb+=("$(backup 18321)")
done
# each side's CPU over the whole loop: what a backup runs after its answer (its retention) counts too, the other side's turn between
ca=$(($(cpu "$pid_a") - ca)); cb=$(($(cpu "$pid_b") - cb))
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
hz=$(getconf CLK_TCK)
echo "| build | backups | server CPU per backup (mean) | client time per backup (median) | load (1 min) |"
echo "|---|---|---|---|---|"
load=$(cut -d' ' -f1 /proc/loadavg)
echo "| A $a | $n | $(awk -v c=$ca -v n=$n -v hz=$hz 'BEGIN {printf "%.1f", c * 1000 / hz / n}') ms | $(median "${ta[@]}") ms | $load |"
echo "| B $b | $n | $(awk -v c=$cb -v n=$n -v hz=$hz 'BEGIN {printf "%.1f", c * 1000 / hz / n}') ms | $(median "${tb[@]}") ms | $load |"
