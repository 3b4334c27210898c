#!/usr/bin/env bash
# Contents, diffs and restore previews of huge archives, from the server as the image runs it
# (its JAVA_OPTS: 96 MB heap, exits on OutOfMemoryError): answer times (medians) and the peak live
# heap (largest heap after a collection, from -Xlog:gc) for a Pi-hole with 5,000 and with 1,000,000
# exact deny domains. Each size: scheduled-path backup of a (bench/fake_pihole.py), backup of b (a
# few thousand rows changed: stores a change summary), import of a, then the timed requests.
# Prints a Markdown section. Usage: bench/contents.sh [runs]   (after mvn -DskipTests package
# and mvn test-compile: the archives are built by testing/LargeArchives)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18124}
pihole_port=${BENCH_PIHOLE_PORT:-18992}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/test-classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
pid=
fake=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f–%.2f", a[1], a[NR]}'; }
timed() { curl -fs -o /dev/null -w '%{time_total}\n' "$@"; }
id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

declare -A contents page diff preview live backup
for n in 5000 1000000; do
  mkdir -p "$work/$n"
  java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work/$n" "$n"
  cp "$work/$n/huge-a.zip" "$work/live.zip"
  python3 bench/fake_pihole.py "$pihole_port" "$work/live.zip" & fake=$!
  until curl -fs -o /dev/null -X DELETE "http://127.0.0.1:$pihole_port/api/auth"; do sleep 0.05; done
  DATA_DIR=$work/$n/data ./entrypoint.sh migrate >/dev/null
  # shellcheck disable=SC2086
  DATA_DIR=$work/$n/data BACKUP_DIR=$work/$n/backups PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
    PIHOLE_BENCH_URL="http://127.0.0.1:$pihole_port" PIHOLE_BENCH_PASSWORD=bench \
    JAVA_OPTS="$opts -Xlog:gc:file=$work/$n/gc.log" ./entrypoint.sh serve >"$work/$n/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/health" && break; sleep 0.1; done
  start=$(date +%s.%N)
  a=$(curl -fs -X POST "$base/api/v1/instances/1/backups?wait=true" | id)
  backup[$n]=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  cp "$work/$n/huge-b.zip" "$work/live.zip"
  b=$(curl -fs -X POST "$base/api/v1/instances/1/backups?wait=true" | id)
  curl -fs -o /dev/null -F "file=@$work/$n/huge-a.zip" "$base/api/v1/instances/1/backups/import"
  next=$(curl -fs "$base/api/v1/backups/$a/contents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"]["domains"])')
  c=(); p=(); d=(); v=()
  for _ in $(seq 1 "$runs"); do
    c+=($(timed "$base/api/v1/backups/$a/contents"))
    p+=($(timed "$base/api/v1/backups/$a/contents?category=domains&after=$next"))
    d+=($(timed "$base/api/v1/backups/$b/diff?against=$a"))
    v+=($(timed -X POST -H 'Content-Type: application/json' -d '{"dryRun":true}' "$base/api/v1/backups/$a/restore"))
  done
  contents[$n]=$(median "${c[@]}")" s ($(range "${c[@]}"))"; page[$n]=$(median "${p[@]}")" s ($(range "${p[@]}"))"
  diff[$n]=$(median "${d[@]}")" s ($(range "${d[@]}"))"; preview[$n]=$(median "${v[@]}")" s ($(range "${v[@]}"))"
  grep -q OutOfMemoryError "$work/$n/server.log" && { echo "OutOfMemoryError with $n domains" >&2; exit 1; }
  live[$n]=$(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$work/$n/gc.log" | sort -n | tail -1)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  kill "$fake"; wait "$fake" 2>/dev/null || true; fake=
done
change() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f %%", 100 * (a - b) / b}'; }
echo "## Contents and diffs of huge archives (5,000 vs 1,000,000 deny domains, image JAVA_OPTS)"
echo
echo "| figure | 5,000 domains | 1,000,000 domains | target | runs |"
echo "|---|---|---|---|---|"
echo "| Backup (download, inspect, change summary) | ${backup[5000]} s | ${backup[1000000]} s | succeeds | 1 |"
echo "| Contents, first pages (\`/contents\`) | ${contents[5000]} | ${contents[1000000]} | < 1 s | $runs |"
echo "| Contents, second page of domains (cursor) | ${page[5000]} | ${page[1000000]} | < 1 s | $runs |"
echo "| Diff of two backups (counts + first 100 per change) | ${diff[5000]} | ${diff[1000000]} | < 1 s | $runs |"
echo "| Restore preview (live export + diff) | ${preview[5000]} | ${preview[1000000]} | succeeds | $runs |"
echo "| Peak live heap (after any collection), whole run | ${live[5000]} MiB | ${live[1000000]} MiB ($(change "${live[1000000]}" "${live[5000]}")) | equal ± 15 % | 1 |"
