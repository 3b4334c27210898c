#!/usr/bin/env bash
# The diff page of two backups whose second adds 20,000 and 1,000,000 exact deny domains: page
# bytes, p50 and p99 of the summary page and of a paged list (second page of "domains added"),
# from the server as the image runs it (its JAVA_OPTS). The two archives are imported: the second
# import's change summary builds both list indexes and keeps the diff (BACKUP_DIR/.scratch), so the
# first view, timed on its own, should already be an indexed read.
# Prints a Markdown section. Usage: bench/diff-page.sh [requests] [sizes…] (default 40, 20000 1000000; after mvn -DskipTests package
# and mvn test-compile: the archives are built by testing/LargeArchives)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-40}
shift || true
sizes=("${@:-20000 1000000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
port=${BENCH_PORT:-18125}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/test-classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"

id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
# p50 and p99 in ms of the time_total values on stdin (nearest rank)
percentiles() { sort -g | awk '{a[NR]=$1*1000} END {i=int(NR*0.99+0.999); if (i>NR) i=NR; printf "%.0f ms | %.0f ms", a[int((NR+1)/2)], a[i]}'; }
timed() { for _ in $(seq 1 "$requests"); do curl -fs -o /dev/null -w '%{time_total}\n' "$1"; done | percentiles; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A bytes summary listed listbytes imported first
for n in "${sizes[@]}"; do
  mkdir -p "$work/$n"
  java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work/$n" "$n" added
  DATA_DIR=$work/$n/data ./entrypoint.sh migrate >/dev/null
  # shellcheck disable=SC2086
  DATA_DIR=$work/$n/data BACKUP_DIR=$work/$n/backups PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    PIHOLE_BENCH_URL="http://127.0.0.1:9" PIHOLE_BENCH_PASSWORD=bench \
    JAVA_OPTS="$opts" ./entrypoint.sh serve >"$work/$n/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/health" && break; sleep 0.1; done
  a=$(curl -fs -F "file=@$work/$n/base.zip" "$base/api/v1/instances/1/backups/import" | id)
  start=$(date +%s.%N)
  b=$(curl -fs -F "file=@$work/$n/added.zip" "$base/api/v1/instances/1/backups/import" | id)
  imported[$n]=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f s", e - s}')
  page="$base/backups/$b?diff=$a"
  first[$n]=$(curl -fs -o /dev/null -w '%{time_total}' "$page" | awk '{printf "%.0f ms", $1 * 1000}')
  bytes[$n]=$(curl -fs -o /dev/null -w '%{size_download}' "$page")
  more=$(curl -fs "$page" | sed -n 's/.*href="\([^"]*category=domains&amp;change=added[^"]*\)".*/\1/p' | head -1 | sed 's/&amp;/\&/g')
  list="$base$more"
  listbytes[$n]=$(curl -fs -o /dev/null -w '%{size_download}' "$list")
  summary[$n]=$(timed "$page")
  listed[$n]=$(timed "$list")
  grep -q OutOfMemoryError "$work/$n/server.log" && { echo "OutOfMemoryError with $n domains" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
echo "## Diff page of a backup that adds ${sizes[*]} domains (image JAVA_OPTS, $requests requests each, one at a time)"
echo
echo "Load average before and after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| domains added | import of the larger | first view | diff page bytes | diff page p50 | p99 | paged list bytes | paged list p50 | p99 | target |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  echo "| $n | ${imported[$n]} | ${first[$n]} | ${bytes[$n]} | ${summary[$n]} | ${listbytes[$n]} | ${listed[$n]} | < 300 kB, < 800 ms |"
done
