#!/usr/bin/env bash
# One node with 1,000 Pi-holes × 30 backups each (SQLite), against bench/fake_pihole.py on loopback:
#  1. dashboard and API p99 (bench/PageBench.java load: concurrency 1 and 8, median of 3 rounds of 400),
#     SQL statements per dashboard page (MyBatis's debug log), resident memory;
#  2. all 1,000 daily schedules due two minutes after a restart, with SCHEDULE_SPREAD and
#     MAX_PARALLEL_BACKUPS: backups per minute, lateness of each run (its start minus the time the API
#     announced in nextRuns) p50 / p99, resident memory at the end.
# Prints Markdown rows for bench/RESULTS.md. Needs python3, curl, java and a built target/.
# Usage: bench/scale.sh [SPREAD] [PARALLEL]   (defaults: 2m 4)
set -euo pipefail
cd "$(dirname "$0")/.."
spread=${1:-2m}
parallel=${2:-4}
n=${BENCH_INSTANCES:-1000}
per=${BENCH_BACKUPS:-30}
work=$(mktemp -d)
port=${BENCH_PORT:-18131}
fport=${BENCH_FAKE_PORT:-18132}
pid= fpid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$fpid" ] && kill "$fpid" 2>/dev/null; rm -rf "$work"' EXIT
db=$work/data/checkpoint.db

python3 bench/fake_pihole.py "$fport" src/test/resources/fixtures/teleporter-v6.4.1-a.zip 2>/dev/null &
fpid=$!
DATA_DIR=$work/data ./entrypoint.sh migrate >/dev/null

# instances point at the fake, daily at a time far away (no catch-up: each one's last attempt is a minute old)
python3 - "$db" "$work/backups" "$n" "$per" "http://127.0.0.1:$fport" <<'EOF'
import os, sqlite3, sys, time
db, backups, n, per, url = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
os.makedirs(backups, exist_ok=True)
now = int(time.time() * 1000)
far = time.strftime("%H:%M", time.gmtime(time.time() + 6 * 3600))
c = sqlite3.connect(db)
for i in range(1, n + 1):
    slug = "pihole-%d" % i
    # environment instances (PIHOLE_B<i>_*, given to the server below): the fake wants a password, and a UI one's is sealed
    cur = c.execute("INSERT INTO instance (name, slug, origin, env_prefix, url, schedule_kind, schedule_time, schedule_day, max_backups,"
                    " max_age_days, created_at, updated_at) VALUES (?, ?, 'ENV', ?, ?, 'DAILY', ?, 'SUNDAY', 0, 0, ?, ?)",
                    ("Pi-hole %d" % i, slug, "B%d" % i, url, far, now, now))
    iid = cur.lastrowid
    rows = []
    for b in range(per):
        at = now - (per - b) * 3600000 + 3540000  # the newest a minute ago
        ok = b % 10 != 0
        f = "%s_%sZ_b%05d.zip" % (slug, time.strftime("%Y%m%dT%H%M%S", time.gmtime(at / 1000)), b) if ok else None
        rows.append((iid, "SUCCESS" if ok else "FAILED", f, 22000 + b if ok else None, "s%d-%d" % (i, b) if ok else None,
                     "c%d" % (b // 5) if ok else None, None if ok else "unreachable", None if ok else "unreachable", at, at + 2000))
        if ok:
            open(os.path.join(backups, f), "w").close()
    c.executemany("INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, ftl_version,"
                  " groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count, clients_count,"
                  " dns_records_count, cnames_count, changed_settings_count, error_code, error_message, started_at, finished_at)"
                  " VALUES (?, ?, 'SCHEDULED', ?, ?, ?, ?, 'v6.4.1', 2, 40, 5, 1, 1203, 3, 4, 6, 2, 12, ?, ?, ?, ?)", rows)
c.commit()
with open(os.path.join(os.path.dirname(db), "..", "env"), "w") as env:
    for i in range(1, n + 1):
        env.write("PIHOLE_B%d_URL=%s\nPIHOLE_B%d_NAME=Pi-hole %d\nPIHOLE_B%d_PASSWORD=bench\nPIHOLE_B%d_TIME=%s\n" % (i, url, i, i, i, i, far))
EOF

serve() { # extra JAVA_OPTS
  mapfile -t instances <"$work/env"
  env "${instances[@]}" DATA_DIR=$work/data BACKUP_DIR=$work/backups PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 TIME_ZONE=UTC \
    SCHEDULE_SPREAD=$spread MAX_PARALLEL_BACKUPS=$parallel PIHOLE_RETRIES=0 \
    JAVA_OPTS="${JAVA_OPTS:-@$PWD/etc/jvm.options} $1" ./entrypoint.sh serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && return; sleep 0.1; done
  cat "$work/server.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$pid/status"; }

echo "## One node, $n instances × $per backups (SCHEDULE_SPREAD=$spread, MAX_PARALLEL_BACKUPS=$parallel)"
echo
serve "-Dorg.slf4j.simpleLogger.log.io.piholecheckpoint.persistence=debug"
echo "Resident memory after start: $(rss)"
for page in "/" "/?page=50" "/?q=pi-hole%2099&status=all" "/api/v1/instances"; do
  from=$(wc -l <"$work/server.log")
  curl -fs -o /dev/null "http://127.0.0.1:$port$page"
  # the first request reads every instance's row and totals (kept until a commit) and its page's backups; the others only their page's
  echo "SQL statements for $page: $(tail -n +"$((from + 1))" "$work/server.log" | grep -c '==>  Preparing:' || true)"
done
stop
if [ "${BENCH_PAGES:-1}" = 1 ]; then
serve ""
echo
java bench/PageBench.java load "http://127.0.0.1:$port" "/,/?page=50,/?q=pi-hole%2099,/api/v1/instances,/api/v1/instances?page=5&size=100"
echo
echo "Resident memory after the page load: $(rss)"
stop
fi

# every instance due at the next whole minute that is at least 90 s away
due=$(python3 -c 'import time; t = (int(time.time()) // 60 + 2) * 60; t += 60 if t - time.time() < 90 else 0; print(t)')
sed -i "s/_TIME=.*/_TIME=$(date -u -d "@$due" +%H:%M)/" "$work/env"
serve ""
# what the API announces for each instance: its next run, SCHEDULE_SPREAD included
for p in $(seq 1 $(( (n + 499) / 500 ))); do curl -fs "http://127.0.0.1:$port/api/v1/instances?size=500&page=$p"; echo; done >"$work/announced.json"
until python3 - "$db" "$due" "$n" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
done = c.execute("SELECT COUNT(*) FROM backup WHERE trigger_kind = 'SCHEDULED' AND started_at >= ?", (int(sys.argv[2]) * 1000 - 1000,)).fetchone()[0]
sys.exit(0 if done >= int(sys.argv[3]) else 1)
EOF
do
  kill -0 "$pid" 2>/dev/null || { tail -50 "$work/server.log" >&2; exit 1; }
  sleep 2
done
echo "Resident memory after $n scheduled backups: $(rss)"
python3 - "$db" "$due" "$work/announced.json" <<'EOF'
import datetime, json, sqlite3, sys
due = int(sys.argv[2]) * 1000
announced = {}
for line in open(sys.argv[3]):
    if line.strip():
        for i in json.loads(line)["instances"]:
            announced[i["id"]] = datetime.datetime.fromisoformat(i["nextRuns"][0]).timestamp() * 1000
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT instance_id, status, started_at, finished_at, error_code FROM backup WHERE trigger_kind = 'SCHEDULED' AND started_at >= ?", (due - 1000,)).fetchall()
late = sorted((r[2] - announced[r[0]]) / 1000 for r in rows)
ok = sum(1 for r in rows if r[1] == "SUCCESS")
span = (max(r[3] for r in rows) - min(r[2] for r in rows)) / 60000
pct = lambda p: late[min(len(late) - 1, int(len(late) * p))]
print("| backups | succeeded | span | backups per minute | lateness p50 | lateness p99 | max |")
print("|---|---|---|---|---|---|---|")
failures = {}
for r in rows:
    if r[1] != "SUCCESS":
        failures[r[4]] = failures.get(r[4], 0) + 1
print("| %d | %d | %.1f min | %.0f | %.1f s | %.1f s | %.1f s |" % (len(rows), ok, span, len(rows) / span, pct(0.5), pct(0.99), late[-1]))
if failures:
    print("\nFailures by code: " + ", ".join("%s %d" % kv for kv in sorted(failures.items())))
EOF
stop
