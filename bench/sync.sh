#!/usr/bin/env bash
# One sync run of a primary and a replica (fake Pi-holes over real HTTP, in the bench's JVM with the
# image's 96 MB heap): an unchanged pair (login, export, diff, logout) and a change of 20,000 deny
# domains (plus the export, gravity-only import, FTL restart wait and check), and of 200,000 to show
# that the heap does not grow with the size of the change. Medians of wall time and of the heap
# pools' peak (which includes the fakes' archives). Prints Markdown rows.
# Usage: bench/sync.sh [runs]   (after mvn -B -q -DskipTests package test-compile)
#        BENCH_SIZES="20000 200000" sets the changes measured
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cp='target/test-classes:target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

read -ra sizes <<<"${BENCH_SIZES:-20000 200000}"
pairs=("unchanged:$work/${sizes[0]}/base.zip:$work/${sizes[0]}/base.zip")
for n in "${sizes[@]}"; do
  mkdir -p "$work/$n"
  java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work/$n" "$n" added
  pairs+=("$(echo "$n" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') domains added:$work/$n/added.zip:$work/$n/base.zip")
done
echo "| sync run (-Xmx96m) | outcome | wall (median, s) | peak heap (median, MiB) | peak heap of the same import alone, fakes only (median, MiB) | runs |"
echo "|---|---|---|---|---|---|"
for pair in "${pairs[@]}"; do
  IFS=: read -r name primary replica <<<"$pair"
  mapfile -t lines < <(java -Xmx96m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -cp "$cp" bench/SyncBench.java "$primary" "$replica" "$runs" "$work/run-$RANDOM" 2>/dev/null)
  [ "${#lines[@]}" -eq "$runs" ] || { echo "$name: the bench JVM ended early (out of memory?)" >&2; exit 1; }
  outcome=$(printf '%s\n' "${lines[@]}" | awk '{print $1}' | sort -u | paste -sd/)
  echo "| $name | $outcome | $(median $(printf '%s\n' "${lines[@]}" | awk '{print $2}')) | $(median $(printf '%s\n' "${lines[@]}" | awk '{print $3}')) | $(median $(printf '%s\n' "${lines[@]}" | awk '{print $4}')) | $runs |"
done
