#!/usr/bin/env bash
# A user of Pi-hole Checkpoint 1.x keeps their compose file (its variable names, its volumes
# /app/data and /app/backups, its notification switches, its /health/ monitor), changes the image
# and starts it: is it healthy, is the 1.x history visible, does /health/ answer 200?
# Builds a 1.x data directory as 1.x leaves it (db.sqlite3 with its two tables, archives under its
# names, one whose file is gone, one failure), then runs our image on it with podman-compose.
#
# Usage: .ci/original-compose-check.sh            (needs podman and podman-compose)
#   IMAGE=…    the image to start (default: localhost/pihole-checkpoint:check, as the container
#              check builds it; built from this checkout with `podman build` when missing)
#   PORT=N     host port (default 18090)
# Exit status 0 when every check passed; each is printed PASS/FAIL.
set -uo pipefail
cd "$(dirname "$0")/.."
project=$PWD
image=${IMAGE:-localhost/pihole-checkpoint:check}
port=${PORT:-18090}
work=/var/tmp/original-compose-check
fails=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; fails=$((fails + 1)); }

command -v podman-compose >/dev/null || { echo "podman-compose is needed (apt-get install podman podman-compose)" >&2; exit 1; }
if ! podman image exists "$image"; then
  podman build --format docker --network host -t "$image" "$project" >/dev/null || { echo "could not build $image" >&2; exit 1; }
fi

(cd "$work" 2>/dev/null && podman-compose -p originalcheck down >/dev/null 2>&1)
rm -rf "$work"; mkdir -p "$work/data" "$work/backups"

# 1.x's database and archives: Django's tables, naive UTC times with microseconds, booleans 0/1
python3 - "$work" "$project/src/test/resources/fixtures" <<'EOF'
import hashlib, shutil, sqlite3, sys
work, fixtures = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"{work}/data/db.sqlite3")
db.executescript('''
CREATE TABLE "backup_piholeconfig" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL,
  "backup_frequency" varchar(10) NOT NULL, "backup_time" time NOT NULL, "backup_day" smallint NOT NULL,
  "max_backups" integer unsigned NOT NULL CHECK ("max_backups" >= 0), "max_age_days" integer unsigned NOT NULL CHECK ("max_age_days" >= 0),
  "is_active" bool NOT NULL, "last_successful_backup" datetime NULL, "last_backup_error" text NOT NULL, "created_at" datetime NOT NULL,
  "updated_at" datetime NOT NULL, "connection_status" varchar(20) NOT NULL, "env_prefix" varchar(50) NULL UNIQUE);
CREATE TABLE "backup_backuprecord" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "filename" varchar(255) NOT NULL,
  "file_path" varchar(500) NOT NULL, "file_size" bigint NOT NULL, "checksum" varchar(64) NOT NULL, "status" varchar(10) NOT NULL,
  "error_message" text NOT NULL, "is_manual" bool NOT NULL, "created_at" datetime NOT NULL,
  "config_id" bigint NOT NULL REFERENCES "backup_piholeconfig" ("id") DEFERRABLE INITIALLY DEFERRED);
''')
db.execute("INSERT INTO backup_piholeconfig (name, backup_frequency, backup_time, backup_day, max_backups, max_age_days, is_active,"
           " last_backup_error, created_at, updated_at, connection_status, env_prefix) VALUES"
           " ('Home', 'weekly', '03:30:00', 0, 20, 60, 1, '', '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000', 'ok', 'HOME')")
def record(name, size, checksum, status, error, manual, at):
    db.execute("INSERT INTO backup_backuprecord (filename, file_path, file_size, checksum, status, error_message, is_manual, created_at, config_id)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", (name, f"/app/backups/{name}" if name else "", size, checksum, status, error, manual, at))
for i, (fixture, at) in enumerate([("a", "2026-11-01 03:30:00.118000"), ("b", "2026-11-08 03:30:00.204000"), ("a", "2026-11-15 03:30:00.311000")], 1):
    name = f"pihole_checkpoint_home_{at[:10].replace('-', '')}_033000_{i:08x}.zip"
    data = open(f"{fixtures}/teleporter-v6.4.1-{fixture}.zip", "rb").read()
    open(f"{work}/backups/{name}", "wb").write(data)
    record(name, len(data), hashlib.sha256(data).hexdigest(), "success", "", 0, at)
record("pihole_checkpoint_home_20261122_033000_00000004.zip", 22000, "0" * 64, "success", "", 1, "2026-11-22 03:30:00.090000")  # its file is gone
record("", 0, "", "failed", "Connection refused", 0, "2026-11-29 03:30:00.050000")
db.commit()
EOF
before=$(sha256sum "$work/data/db.sqlite3" | cut -d' ' -f1)

# Their compose file as 1.x's README had it, with the image changed
cat > "$work/docker-compose.yml" <<EOF
services:
  pihole-checkpoint:
    image: $image
    ports:
      - "$port:8000"
    environment:
      - PIHOLE_HOME_URL=http://192.0.2.10
      - PIHOLE_HOME_PASSWORD=their-pihole-password
      - PIHOLE_HOME_SCHEDULE=weekly
      - PIHOLE_HOME_TIME=03:30
      - PIHOLE_HOME_DAY=0
      - PIHOLE_HOME_MAX_BACKUPS=20
      - PIHOLE_HOME_MAX_AGE_DAYS=60
      - PIHOLE_HOME_VERIFY_SSL=false
      - NOTIFY_ON_FAILURE=true
      - NOTIFY_ON_SUCCESS=false
      - NOTIFY_ON_CONNECTION_LOST=true
      - NOTIFY_WEBHOOK_URL=http://192.0.2.20/hook
      - NOTIFY_WEBHOOK_ENABLED=false
    volumes:
      - ./data:/app/data
      - ./backups:/app/backups
    restart: unless-stopped
EOF
# 1.x ran as root: its volumes are root's, as a user's host leaves them
chown -R 0:0 "$work/data" "$work/backups" 2>/dev/null

(cd "$work" && podman-compose -p originalcheck up -d >"$work/compose.log" 2>&1)
t=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/")" = 200 ] || [ $t -ge 90 ]; do sleep 1; t=$((t + 1)); done
if [ $t -lt 90 ]; then pass "healthy: GET /health/ (1.x's monitor path) answers 200 after ${t} s"; else fail "no 200 from /health/ in 90 s; $(cd "$work" && podman-compose -p originalcheck logs 2>&1 | tail -n 15 | tr '\n' ' ')"; fi
curl -s "http://127.0.0.1:$port/health/" | head -c 400; echo

history=$(curl -s "http://127.0.0.1:$port/api/v1/instances/1/backups?limit=50")
counts=$(printf '%s' "$history" | python3 -c '
import json, sys
body = json.load(sys.stdin)
rows = body.get("backups", body) if isinstance(body, dict) else body
print(len(rows), sum(1 for r in rows if r.get("status") == "success"), sum(1 for r in rows if r.get("status") == "failed"),
      sum(1 for r in rows if r.get("fileMissing") is True))' 2>/dev/null)
read -r total ok failed missing <<<"${counts:-0 0 0 0}"
if [ "$total" = 5 ] && [ "$failed" -ge 1 ] && [ "$missing" -ge 1 ]; then pass "history visible: $total records ($ok successful, $failed failed, $missing marked missing)"; else fail "history: expected 5 records with one failed and one missing, got '${counts:-nothing}': $(printf '%s' "$history" | head -c 300)"; fi
if curl -s "http://127.0.0.1:$port/settings" | grep -qi "imported 5 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x"; then pass "Settings says what was imported"; else fail "Settings does not say what was imported"; fi
if curl -s "http://127.0.0.1:$port/instances/1" | grep -q "2026-11-15 03:30:00"; then pass "the instance page lists 1.x's backups at their times"; else fail "the instance page does not list 1.x's archives"; fi
oldest=$(printf '%s' "$history" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(min(b["backups"], key=lambda r: r["createdAt"])["downloadUrl"])' 2>/dev/null)
code=$(curl -s -o "$work/download.zip" -w '%{http_code}' "http://127.0.0.1:$port$oldest")
if [ "$code" = 200 ] && cmp -s "$work/download.zip" "$work/backups/$(ls "$work/backups" | grep 20261101 | head -n 1)"; then pass "a 1.x archive downloads byte for byte"; else fail "download of the oldest 1.x backup ($oldest) answered $code or differs"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/instances/1/")
if [ "$code" = 301 ]; then pass "1.x's page path /instances/1/ redirects (301)"; else fail "/instances/1/ answered $code"; fi

(cd "$work" && podman-compose -p originalcheck restart >/dev/null 2>&1)
t=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/")" = 200 ] || [ $t -ge 90 ]; do sleep 1; t=$((t + 1)); done
again=$(curl -s "http://127.0.0.1:$port/api/v1/instances/1/backups?limit=50" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(len(b.get("backups", b) if isinstance(b, dict) else b))' 2>/dev/null)
if [ "$again" = 5 ]; then pass "restarted: still 5 records, nothing imported twice"; else fail "after a restart: ${again:-no answer} records"; fi
after=$(sha256sum "$work/data/db.sqlite3" | cut -d' ' -f1)
if [ "$before" = "$after" ]; then pass "1.x's db.sqlite3 unchanged byte for byte"; else fail "1.x's db.sqlite3 changed"; fi
(cd "$work" && podman-compose -p originalcheck logs 2>&1 | grep -E "imported|HOME_DAY|NOTIFY_" | head -n 8 | sed 's/^/      /')
(cd "$work" && podman-compose -p originalcheck down >/dev/null 2>&1)

echo "$fails checks failed"
[ "$fails" = 0 ]
