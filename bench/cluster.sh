#!/usr/bin/env bash
# 1,000 Pi-holes on one node and on two (issue 18 "Bench"), on PostgreSQL: a cluster of its own in a temp
# directory (initdb, pg_ctl on a free loopback port; as nobody when run as root), migrated with
# `entrypoint.sh migrate`, 1,000 instances × 30 backups seeded in SQL, one bench/fake_pihole.py for all of
# them. Each instance's daily run is due at one minute, spread over SCHEDULE_SPREAD, as in bench/scale.sh.
# For 1 node, then 2 (launcher JVMs with etc/jvm.options' 96 MB heap, NODE_NAME a and b, one BACKUP_DIR,
# one FIELD_ENCRYPTION_KEY, each on a fresh copy of the seeded database):
#  - backups per minute over the window (first scheduled start to last end), per node;
#  - lateness of each scheduled run: its start minus the fire time node a's API announced (nextRuns[0],
#    SCHEDULE_SPREAD included), p50 / p99;
#  - duplicates: fire times backed up more than once (each instance fires once in the window) — must be 0;
#  - dashboard and API p99 at concurrency 8 on node a, each page of them (a later page, a search, a status filter) printed
#    below the rows (bench/PageBench.java load: BENCH_ROUNDS (1) of
#    BENCH_REQUESTS (100) after as many to warm up; it was 16 while the PostgreSQL dashboard took seconds a request);
#  - resident memory of each node (/proc) after the window and after the page load.
# The single-node SQLite figures of the same load are bench/scale.sh's (BENCH_SQLITE=1 runs it after this).
# Needs python3, curl, java, Debian's postgresql (/usr/lib/postgresql/*/bin) and a built target/
# (mvn -B -o -q -DskipTests package). Prints Markdown rows for bench/RESULTS.md.
# Usage: bench/cluster.sh [NODES…] (default: 1 2)   env: BENCH_SPREAD (2m), BENCH_PARALLEL (4), BENCH_INSTANCES
# (1000), BENCH_BACKUPS (30), BENCH_LEAD (70: least seconds from a start to the due minute), BENCH_PORT (18141).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then configs=("$@"); else configs=(1 2); fi
spread=${BENCH_SPREAD:-2m}
parallel=${BENCH_PARALLEL:-4}
n=${BENCH_INSTANCES:-1000}
per=${BENCH_BACKUPS:-30}
lead=${BENCH_LEAD:-70}
base=${BENCH_PORT:-18141}
# the dashboard's first page and its 50th, a search, a status filter; the API's list (100 a page) and a later page of it
pages="/,/?page=50,/?q=pi-hole%2099,/?status=stale,/api/v1/instances,/api/v1/instances?page=5&size=100"
fport=$((base + 9)) pgport=$((base + 10))
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "bench/cluster.sh: needs Debian's postgresql (initdb, pg_ctl in /usr/lib/postgresql/*/bin)" >&2; exit 1; }
[ -d target/pihole-checkpoint ] || { echo "bench/cluster.sh: build first: mvn -B -o -q -DskipTests package" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
pg=$work/pg
pids=() fpid=
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$fpid" ] && kill "$fpid" 2>/dev/null
  [ -f "$pg/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL of its own: no fsync (a bench cluster that dies is thrown away), room for two nodes' pools
mkdir -p "$pg"
echo bench-password >"$pg/password"
[ "$(id -u)" = 0 ] && chown -R nobody "$pg"
as_pg "$bin/initdb" -D "$pg/data" -U checkpoint --pwfile="$pg/password" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
  --no-locale --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 -o "-p $pgport -c listen_addresses=127.0.0.1 -k $pg \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null
psql() { command psql -X -q -v ON_ERROR_STOP=1 -h "$pg" -p "$pgport" -U checkpoint "$@"; }
psql -d postgres -c "CREATE DATABASE seed"
url() { echo "jdbc:postgresql://127.0.0.1:$pgport/$1"; }

python3 bench/fake_pihole.py "$fport" src/test/resources/fixtures/teleporter-v6.4.1-a.zip 2>/dev/null &
fpid=$!
DATA_DIR=$work/migrate DATABASE_URL=$(url seed) DATABASE_USER=checkpoint DATABASE_PASSWORD=bench-password \
  ./entrypoint.sh migrate >/dev/null

# environment instances (PIHOLE_B<i>_*, given to the nodes: the fake wants a password, a UI one's is sealed), daily at a
# time six hours away for now; 30 backups each, one in ten failed, the newest a minute ago (no catch-up at a start)
now=$(($(date +%s) * 1000))
far=$(date -u -d "+6 hours" +%H:%M)
psql -d seed <<EOF
INSERT INTO instance (name, slug, origin, env_prefix, url, schedule_kind, schedule_time, schedule_day, max_backups, max_age_days, created_at, updated_at)
SELECT 'Pi-hole ' || i, 'pihole-' || i, 'ENV', 'B' || i, 'http://127.0.0.1:$fport', 'DAILY', '$far', 'SUNDAY', 0, 0, $now, $now
FROM generate_series(1, $n) AS i ORDER BY i;
INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, ftl_version, groups_count, adlists_count,
  allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count, clients_count, dns_records_count, cnames_count,
  changed_settings_count, error_code, error_message, started_at, finished_at)
SELECT i.id, CASE WHEN b % 10 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, 'SCHEDULED',
  CASE WHEN b % 10 = 0 THEN NULL ELSE i.slug || '_' || to_char(to_timestamp(($now - ($per - b) * 3600000 + 3540000) / 1000.0) AT TIME ZONE 'UTC',
    'YYYYMMDD"T"HH24MISS') || 'Z_b' || lpad(b::text, 5, '0') || '.zip' END, -- named as the store names its archives
  CASE WHEN b % 10 = 0 THEN NULL ELSE 22000 + b END, CASE WHEN b % 10 = 0 THEN NULL ELSE 's' || i.id || '-' || b END,
  CASE WHEN b % 10 = 0 THEN NULL ELSE 'c' || (b / 5) END, 'v6.4.1', 2, 40, 5, 1, 1203, 3, 4, 6, 2, 12,
  CASE WHEN b % 10 = 0 THEN 'unreachable' END, CASE WHEN b % 10 = 0 THEN 'unreachable' END,
  $now - ($per - b) * 3600000 + 3540000, $now - ($per - b) * 3600000 + 3542000
FROM instance i, generate_series(0, $per - 1) AS b ORDER BY i.id, b;
EOF
# as autovacuum leaves a catalogue that has lived: statistics for the planner, the visibility map for index-only scans
# (a database copied from this template starts with them; its own autovacuum counts only its own writes)
psql -d seed -c "VACUUM ANALYZE"
# each successful backup's (empty) file, so that none is "missing"
psql -d seed -At -c "SELECT file_name FROM backup WHERE file_name IS NOT NULL" >"$work/files"

run() { # NODES
  local nodes=$1 db=run$1 backups=$work/backups-$1 names=(a b c d)
  psql -d postgres -c "CREATE DATABASE $db TEMPLATE seed"
  mkdir -p "$backups" && (cd "$backups" && xargs touch <"$work/files")
  local due; due=$(python3 -c "import time; t = (int(time.time()) // 60 + 1) * 60; t += 60 * (-(-max(0, $lead - (t - time.time())) // 60)); print(int(t))")
  local at; at=$(date -u -d "@$due" +%H:%M)
  mapfile -t instances < <(for i in $(seq 1 "$n"); do
    printf 'PIHOLE_B%d_URL=http://127.0.0.1:%d\nPIHOLE_B%d_NAME=Pi-hole %d\nPIHOLE_B%d_PASSWORD=bench\nPIHOLE_B%d_TIME=%s\n' \
      "$i" "$fport" "$i" "$i" "$i" "$i" "$at"; done)
  pids=() ports=()
  for k in $(seq 0 $((nodes - 1))); do
    local port=$((base + k))
    env "${instances[@]}" DATABASE_URL="$(url "$db")" DATABASE_USER=checkpoint DATABASE_PASSWORD=bench-password \
      FIELD_ENCRYPTION_KEY=bench-key-every-node-shares NODE_NAME="${names[$k]}" DATA_DIR="$work/data-$nodes-${names[$k]}" BACKUP_DIR="$backups" \
      PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 TIME_ZONE=UTC SCHEDULE_SPREAD="$spread" MAX_PARALLEL_BACKUPS="$parallel" \
      PIHOLE_RETRIES=0 JAVA_OPTS="${JAVA_OPTS:-@$PWD/etc/jvm.options}" ./entrypoint.sh serve >"$work/node-$nodes-${names[$k]}.log" 2>&1 &
    pids+=($!) ports+=("$port")
  done
  for k in "${!ports[@]}"; do
    for _ in $(seq 1 1200); do curl -fs -o /dev/null "http://127.0.0.1:${ports[$k]}/health" && break; sleep 0.1; done
    curl -fs -o /dev/null "http://127.0.0.1:${ports[$k]}/health" || { tail -40 "$work/node-$nodes-${names[$k]}.log" >&2; exit 1; }
  done
  if [ "$(date +%s)" -ge $((due - 5)) ]; then
    echo "bench/cluster.sh: the nodes were healthy only $((due - $(date +%s))) s before the due time; set BENCH_LEAD higher" >&2; exit 1
  fi
  # what the API announces for each instance: its next run, SCHEDULE_SPREAD included
  for p in $(seq 1 $(((n + 499) / 500))); do curl -fs "http://127.0.0.1:${ports[0]}/api/v1/instances?size=500&page=$p"; echo; done >"$work/announced-$nodes.json"
  local query="SELECT instance_id, started_at, finished_at, status, coalesce(node, '') FROM backup WHERE trigger_kind = 'SCHEDULED' AND started_at >= $((due * 1000 - 1000))"
  local deadline=$((due + 420))
  # the dashboard and the API while the backups run: from 20 s after the due minute, on node a
  (sleep $((due + 20 - $(date +%s))); java -Dconcurrency=8 -Drounds=1 -Drequests="${BENCH_BUSY_REQUESTS:-50}" bench/PageBench.java load \
    "http://127.0.0.1:${ports[0]}" "/,/?page=50,/?q=pi-hole%2099,/?status=stale,/api/v1/instances" | tail -n +3 >"$work/busy-$nodes") &
  local busy=$!
  until [ "$(psql -d "$db" -At -c "SELECT count(*) FROM ($query) AS r")" -ge "$n" ]; do
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { tail -40 "$work"/node-"$nodes"-*.log >&2; exit 1; }; done
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench/cluster.sh: not all $n scheduled backups ran within 7 minutes of the due time" >&2; break; }
    sleep 2
  done
  wait "$busy" || true
  { echo "$nodes node(s), while the backups ran:"; cat "$work/busy-$nodes"; } >>"$work/page-rows"
  local rss_after=() rss_pages=()
  for p in "${pids[@]}"; do rss_after+=("$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$p/status")"); done
  java -Dconcurrency=8 -Drounds="${BENCH_ROUNDS:-1}" -Drequests="${BENCH_REQUESTS:-100}" bench/PageBench.java load "http://127.0.0.1:${ports[0]}" "$pages" | tail -n +3 >"$work/pages-$nodes"
  { echo "$nodes node(s):"; cat "$work/pages-$nodes"; } >>"$work/page-rows"
  for p in "${pids[@]}"; do rss_pages+=("$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$p/status")"); done
  # read after the page load: a fire time run twice in the window would be in by now
  psql -d "$db" -At -F ' ' -c "$query" >"$work/rows-$nodes"
  python3 - "$work/rows-$nodes" "$work/announced-$nodes.json" "$work/pages-$nodes" "$nodes" "${rss_after[*]}" "${rss_pages[*]}" "$work/busy-$nodes" <<'EOF' | tee -a "$work/summary"
import collections, datetime, json, sys
rows = [l.split(" ") for l in open(sys.argv[1]) if l.strip()]
rows = [(int(i), int(s), int(f), st, node.strip()) for i, s, f, st, node in rows]
announced = {}
for line in open(sys.argv[2]):
    if line.strip():
        for i in json.loads(line)["instances"]:
            if i["nextRuns"]:  # a node may announce none for an instance (seen with two nodes): left out of the lateness
                announced[i["id"]] = datetime.datetime.fromisoformat(i["nextRuns"][0]).timestamp() * 1000
late = sorted((s - announced[i]) / 1000 for i, s, f, st, node in rows if i in announced)
pct = lambda p: late[min(len(late) - 1, int(len(late) * p))]
span = (max(r[2] for r in rows) - min(r[1] for r in rows)) / 60000
dup = sum(c - 1 for c in collections.Counter(r[0] for r in rows).values() if c > 1)
ok = sum(1 for r in rows if r[3] == "SUCCESS")
by_node = collections.Counter(r[4] for r in rows)
pages = {l.split("|")[1].strip(): float(l.split("|")[3]) for l in open(sys.argv[3]) if l.startswith("|")}
busy = {l.split("|")[1].strip(): float(l.split("|")[3]) for l in open(sys.argv[7]) if l.startswith("|")}
print("| %s | %d | %d | %s | %.1f min | %.0f | %.1f s | %.1f s | %d | %.1f / %.1f ms | %.1f ms | %.1f ms | %s | %s |" % (
    sys.argv[4], len(rows), ok, " / ".join("%s %d" % kv for kv in sorted(by_node.items())), span, len(rows) / span, pct(0.5), pct(0.99), dup,
    busy.get("/", float("nan")), busy.get("/api/v1/instances", float("nan")), pages.get("/", float("nan")), pages.get("/api/v1/instances", float("nan")),
    " / ".join(sys.argv[5].split()) + " MiB", " / ".join(sys.argv[6].split()) + " MiB"))
EOF
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

echo "## $n instances × $per backups on PostgreSQL (SCHEDULE_SPREAD=$spread, MAX_PARALLEL_BACKUPS=$parallel per node)"
echo
echo "| nodes | scheduled backups | succeeded | by node | span | backups per minute | lateness p50 | lateness p99 | duplicates | dashboard / API p99 while backups run, c = 8 | dashboard p99 after, c = 8 | API p99 after, c = 8 | RSS per node after the window | after the page load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for nodes in "${configs[@]}"; do run "$nodes"; done
if [ ${#configs[@]} -ge 2 ]; then
  python3 - "$work/summary" <<'EOF'
import sys
rows = [l.split("|")[1:-1] for l in open(sys.argv[1])]
one, two = rows[0], rows[-1]
f = lambda r, k: float(r[k].split()[0])
print("\nRatios %s nodes / %s node: backups per minute %.2f, lateness p50 %.2f, p99 %.2f, dashboard p99 %.2f, API p99 %.2f; duplicates %s" % (
    two[0].strip(), one[0].strip(), f(two, 5) / f(one, 5), f(two, 6) / max(f(one, 6), 0.001), f(two, 7) / max(f(one, 7), 0.001),
    f(two, 10) / f(one, 10), f(two, 11) / f(one, 11), " and ".join(r[8].strip() for r in rows)))
EOF
fi
echo
echo "p99 of each page at c = 8 (one round of ${BENCH_REQUESTS:-100} after as many to warm up; the row above shows / and /api/v1/instances):"
cat "$work/page-rows"
if [ "${BENCH_SQLITE:-0}" = 1 ]; then
  echo
  BENCH_PAGES=0 bench/scale.sh "$spread" "$parallel"
fi
