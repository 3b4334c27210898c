#!/usr/bin/env bash
# SHA-256 throughput (MB/s of one thread's CPU time) under the server's options (etc/jvm.options: C1 only)
# and under the same options without the compiler lines (tiered, C2 last). Medians of rounds 4 to ROUNDS.
# Usage: bench/sha256.sh [rounds] [MB per round]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
mb=${2:-16}
c1=$(grep -v '^#' etc/jvm.options | grep -v '^$' | tr '\n' ' ')
tiered=$(grep -v '^#' etc/jvm.options | grep -v '^$' | grep -v -e TieredStopAtLevel -e CICompilerCount | tr '\n' ' ')
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
echo "| JVM options | MB/s per round | median of rounds 4–$rounds |"
echo "|---|---|---|"
for kind in c1 tiered; do
  opts=$c1; [ "$kind" = tiered ] && opts=$tiered
  # shellcheck disable=SC2086
  out=$(java $opts bench/Sha256Bench.java "$rounds" "$mb" 2>/dev/null)
  echo "| $kind | $(echo "$out" | awk '{printf "%s ", $2}') | $(echo "$out" | awk 'NR >= 4 {print $2}' | median) MB/s |"
done
