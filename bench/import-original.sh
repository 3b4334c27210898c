#!/usr/bin/env bash
# Time and memory of carrying over the history of Pi-hole Checkpoint 1.x in the migration step:
# an original-style data directory of RECORDS backup records (default 100,000), ARCHIVES of them
# successes whose archives are distinct copies of the real fixture archives under the original's
# names (default 10,000; their SHA-256 recorded as the original does), the rest failures. The step
# runs as entrypoint.sh runs it, with -Xmx96m (the image's heap). Prints Markdown rows: wall time,
# peak RSS, peak heap (before a collection: live and garbage) and most live heap (after one), then
# the cost of the next start, which has nothing left to import.
# Needs a build (mvn -B -o -q -DskipTests package), python3 and GNU time.
# Usage: bench/import-original.sh [records] [archives] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-100000}
archives=${2:-10000}
runs=${3:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

build() {
  python3 - "$1" "$records" "$archives" src/test/resources/fixtures/teleporter-v6.4.1-a.zip src/test/resources/fixtures/teleporter-v6.4.1-b.zip <<'PY'
import hashlib, os, shutil, sqlite3, sys, datetime
root, records, archives, fixtures = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:6]
data, backups = os.path.join(root, "data"), os.path.join(root, "backups")
os.makedirs(data); os.makedirs(backups)
db = sqlite3.connect(os.path.join(data, "db.sqlite3"))
db.executescript('''
CREATE TABLE "backup_piholeconfig" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(100) NOT NULL,
  "backup_frequency" varchar(10) NOT NULL, "backup_time" time NOT NULL, "backup_day" smallint NOT NULL, "max_backups" integer unsigned NOT NULL,
  "max_age_days" integer unsigned NOT NULL, "is_active" bool NOT NULL, "last_successful_backup" datetime NULL, "last_backup_error" text NOT NULL,
  "created_at" datetime NOT NULL, "updated_at" datetime NOT NULL, "connection_status" varchar(20) NOT NULL, "env_prefix" varchar(50) NULL UNIQUE);
CREATE TABLE "backup_backuprecord" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "filename" varchar(255) NOT NULL,
  "file_path" varchar(500) NOT NULL, "file_size" bigint NOT NULL, "checksum" varchar(64) NOT NULL, "status" varchar(10) NOT NULL,
  "error_message" text NOT NULL, "is_manual" bool NOT NULL, "created_at" datetime NOT NULL, "config_id" bigint NOT NULL);
INSERT INTO backup_piholeconfig VALUES (1, 'Home', 'hourly', '00:05:00', 0, 0, 0, 1, NULL, '', '2020-01-01 00:00:00', '2020-01-01 00:00:00', 'ok', 'HOME');
''')
sums = [hashlib.sha256(open(f, "rb").read()).hexdigest() for f in fixtures]
start = datetime.datetime(2021, 1, 1)
every = max(1, records // max(1, archives))
rows = []
for i in range(records):
    at = start + datetime.timedelta(hours=i)
    if i % every == 0 and i // every < archives:
        k = (i // every) % 2
        name = "pihole_checkpoint_home_%s_%08x.zip" % (at.strftime("%Y%m%d_%H%M%S"), i)
        shutil.copyfile(fixtures[k], os.path.join(backups, name))
        rows.append((name, "/app/backups/" + name, os.path.getsize(fixtures[k]), sums[k], "success", "", i % 7 == 0, at.strftime("%Y-%m-%d %H:%M:%S.%f"), 1))
    else:
        rows.append(("", "", 0, "", "failed", "Connection refused (%d)" % i, 0, at.strftime("%Y-%m-%d %H:%M:%S.%f"), 1))
db.executemany("INSERT INTO backup_backuprecord (filename, file_path, file_size, checksum, status, error_message, is_manual, created_at, config_id)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
PY
}

# the migration step with the image's heap; prints "seconds peak-RSS-MiB peak-heap-MiB most-live-heap-MiB"
step() {
  local dir=$1 log=$1/gc.log
  rm -f "$log"
  env DATA_DIR="$dir/data" BACKUP_DIR="$dir/backups" PIHOLE_HOME_URL=http://127.0.0.1:9 \
    MIGRATE_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m -Xlog:gc:file=$log -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN" \
    /usr/bin/time -f '%e %M' -o "$dir/time" ./entrypoint.sh migrate >"$dir/out" 2>&1 || { cat "$dir/out" >&2; exit 1; }
  read -r secs rss <"$dir/time"
  heap=$(grep -o '[0-9]*M->[0-9]*M' "$log" | awk -F'M->|M' 'BEGIN {b = 0; a = 0} {if ($1 > b) b = $1; if ($2 > a) a = $2} END {print b, a}')
  echo "$secs $(awk -v k="$rss" 'BEGIN {printf "%.0f", k / 1024}') $heap"
}

secs=(); rss=(); peak=(); live=(); again=(); plain=()
for ((r = 0; r < runs; r++)); do
  rm -rf "$work/run"; mkdir -p "$work/run"
  build "$work/run"
  read -r s m p l < <(step "$work/run")
  secs+=("$s"); rss+=("$m"); peak+=("$p"); live+=("$l")
  cp "$work/run/out" "$work/first.out"
  read -r s2 _ < <(step "$work/run")
  again+=("$s2")
  rm -rf "$work/plain"; mkdir -p "$work/plain/data"
  read -r s3 _ < <(step "$work/plain")
  plain+=("$s3")
done
grep "imported" "$work/first.out" >&2 || true
echo "| Import of $records records, $archives archives (-Xmx96m): migration step | $(median "${secs[@]}") s | $(range "${secs[@]}") s | bounded | $runs |"
echo "| … peak RSS | $(median "${rss[@]}") MiB | $(range "${rss[@]}") MiB | | $runs |"
echo "| … peak heap before a collection (live + garbage) / most live after one | $(median "${peak[@]}") / $(median "${live[@]}") MiB | $(range "${peak[@]}") / $(range "${live[@]}") MiB | under 96 MiB | $runs |"
echo "| Next start's migration step (nothing left to import) vs one without an original | $(median "${again[@]}") vs $(median "${plain[@]}") s | $(range "${again[@]}") vs $(range "${plain[@]}") s | no further cost | $runs |"
