#!/usr/bin/env bash
# One sync run of a primary and a replica (fake Pi-holes over real HTTP, in the bench's JVM with the
# image's 96 MB heap): an unchanged pair (login, export, diff, logout) and a change of 20,000 deny
# domains (plus the export, gravity-only import, FTL restart wait and check). Medians of wall time
# and of the heap pools' peak (which includes the fakes' archives). Prints Markdown rows.
# Usage: bench/sync.sh [runs]   (after mvn -B -q -DskipTests package test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cp='target/test-classes:target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work" 20000 added
echo "| sync run | outcome | wall (median, s) | peak heap (median, MiB) |"
echo "|---|---|---|---|"
for pair in "unchanged:$work/base.zip:$work/base.zip" "20,000 domains added:$work/added.zip:$work/base.zip"; do
  IFS=: read -r name primary replica <<<"$pair"
  mapfile -t lines < <(java -Xmx96m -XX:+UseSerialGC -cp "$cp" bench/SyncBench.java "$primary" "$replica" "$runs" "$work/run-$RANDOM" 2>/dev/null)
  outcome=$(printf '%s\n' "${lines[@]}" | awk '{print $1}' | sort -u | paste -sd/)
  echo "| $name | $outcome | $(median $(printf '%s\n' "${lines[@]}" | awk '{print $2}')) | $(median $(printf '%s\n' "${lines[@]}" | awk '{print $3}')) |"
done
