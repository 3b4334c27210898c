#!/usr/bin/env bash
# First and repeated views of the contents page and of the diff page of a large backup (issue 13: at 400,000 domains every
# repeat took as long as the first view), base and branch side by side: one server of each (image JAVA_OPTS), the same two
# imported archives in each (the fixture, and one with N exact deny domains more), then the requests alternated between the
# two servers, so both see the same load. Prints a Markdown table of medians (ms) and the load before and after.
# Usage: bench/repeat-views.sh BASE_TREE BRANCH_TREE [repeats] [sizes…]   (default 9, 25000 400000 1000000; both trees built
# with mvn -DskipTests package, the branch also with mvn test-compile: the archives are built by testing/LargeArchives, or
# taken from ARCHIVES/N/ when that holds them)
set -euo pipefail
base_tree=$(cd "$1" && pwd)
branch_tree=$(cd "$2" && pwd)
repeats=${3:-9}
shift 3 || shift $#
sizes=("${@:-25000 400000 1000000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
cp="$branch_tree/target/test-classes:$branch_tree/target/pihole-checkpoint/WEB-INF/lib/*:$branch_tree/target/lib/*"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ms() { curl -fs -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.0f\n", $1 * 1000}'; }
median() { sort -g | awk '{a[NR]=$1} END {printf "%d", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

# start TREE PORT DIR: a server of TREE on PORT with its data in DIR, once it answers
start() {
  (cd "$1" && DATA_DIR=$3/data ./entrypoint.sh migrate >/dev/null)
  (cd "$1" && DATA_DIR=$3/data BACKUP_DIR=$3/backups PORT=$2 BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    PIHOLE_BENCH_URL="http://127.0.0.1:9" PIHOLE_BENCH_PASSWORD=bench JAVA_OPTS="@$1/etc/jvm.options" \
    exec ./entrypoint.sh serve >"$3/server.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$2/health" && return; sleep 0.2; done
  echo "the server of $1 did not start" >&2; exit 1
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for n in "${sizes[@]}"; do
  mkdir -p "$work/$n"
  if [ -f "${ARCHIVES:-/nonexistent}/$n/added.zip" ]; then # ARCHIVES=dir: dir/N/{base,added}.zip built before, by the same command
    cp "$ARCHIVES/$n/base.zip" "$ARCHIVES/$n/added.zip" "$work/$n/"
  else
    java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work/$n" "$n" added
  fi
  declare -A first=() repeat=()
  for side in base branch; do
    tree=$base_tree; port=18441
    [ "$side" = branch ] && { tree=$branch_tree; port=18442; }
    mkdir -p "$work/$n/$side"
    start "$tree" "$port" "$work/$n/$side"
    a=$(curl -fs -F "file=@$work/$n/base.zip" "http://127.0.0.1:$port/api/v1/instances/1/backups/import" | id)
    b=$(curl -fs -F "file=@$work/$n/added.zip" "http://127.0.0.1:$port/api/v1/instances/1/backups/import" | id)
    eval "${side}_contents=http://127.0.0.1:$port/backups/$b"
    eval "${side}_diff='http://127.0.0.1:$port/backups/$b?diff=$a'"
  done
  # first views: each server's first request for each page after the imports
  for page in contents diff; do
    for side in base branch; do
      url_var="${side}_${page}"
      first[$side-$page]=$(ms "${!url_var}")
    done
  done
  for page in contents diff; do
    for side in base branch; do : >"$work/$n/$side-$page"; done
    for _ in $(seq 1 "$repeats"); do
      for side in base branch; do
        url_var="${side}_${page}"
        ms "${!url_var}" >>"$work/$n/$side-$page"
      done
    done
    for side in base branch; do repeat[$side-$page]=$(median <"$work/$n/$side-$page"); done
  done
  rows+=("| $n | ${first[base-contents]} / ${first[branch-contents]} | ${repeat[base-contents]} / ${repeat[branch-contents]} | ${first[base-diff]} / ${first[branch-diff]} | ${repeat[base-diff]} / ${repeat[branch-diff]} | $(cut -d' ' -f1 /proc/loadavg) |")
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
done
echo "Load average before and after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); $repeats repeats, base and branch alternated"
echo
echo "| domains added | contents first view, ms (base / branch) | contents repeat, median | diff first view | diff repeat, median | load after |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
