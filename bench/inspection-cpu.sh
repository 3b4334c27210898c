#!/usr/bin/env bash
# CPU time of inspecting an archive the inspector has seen before (what an unchanged Pi-hole's backup
# pays for the verification), with the image's JAVA_OPTS: ROUNDS rounds of PER_ROUND inspections of the
# real 22 kB fixture in one JVM, the median of each round; the first rounds run cold code, as a server
# does for its first backups (C1 compiles a method after ~200 calls).
# Usage: bench/inspection-cpu.sh [rounds] [per_round]   (after mvn -B -o -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
per=${2:-25}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
echo "| round (inspections $per each) | CPU per inspection, median |"
echo "|---|---|"
# shellcheck disable=SC2086
java $opts -cp "$cp" bench/InspectionCpuBench.java src/test/resources/fixtures/teleporter-v6.4.1-a.zip "$rounds" "$per" 2>/dev/null |
  while read -r round ms; do echo "| $round | $ms ms |"; done
