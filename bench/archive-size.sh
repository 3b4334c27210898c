#!/usr/bin/env bash
# Memory and time of taking in a Teleporter archive (stream, inspect, store) against its size: 5,000,
# 100,000 and 1,000,000 exact deny domains, with the image's JAVA_OPTS. Prints Markdown rows of medians.
# Needs a build with test classes (mvn -B -o -q -DskipTests package). Usage: bench/archive-size.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/test-classes:target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

declare -A live
for n in 5000 100000 1000000; do
  java -cp "$cp" bench/ArchiveSizeBench.java archive "$work/a$n.zip" "$n" 2>/dev/null
  # one JVM, runs+1 takes: the first warms it up, as a running server is
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$cp" bench/ArchiveSizeBench.java take "$work/a$n.zip" "$work/out" $((runs + 1)) 2>/dev/null | tail -n "$runs")
  secs=(); heap=()
  for l in "${lines[@]}"; do read -r s h <<<"$l"; secs+=("$s"); heap+=("$h"); done
  live[$n]=$(median "${heap[@]}")
  mb=$(awk -v b="$(stat -c %s "$work/a$n.zip")" 'BEGIN {printf "%.1f", b / 1048576}')
  echo "| Import/backup of $n domains ($mb MiB archive): time | $(median "${secs[@]}") s | $(range "${secs[@]}") s | (for reference) | $runs |"
  echo "| … peak live heap | ${live[$n]} MiB | $(range "${heap[@]}") MiB | (for reference) | $runs |"
  rm -f "$work/a$n.zip"
done
change() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f %%", 100 * (a - b) / b}'; }
echo "| Peak live heap, 5,000 vs 1,000,000 domains | ${live[5000]} vs ${live[1000000]} MiB | $(change "${live[1000000]}" "${live[5000]}") | equal ± 15 % | $runs |"
