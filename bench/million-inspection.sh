#!/usr/bin/env bash
# Wall and CPU time of inspecting a Teleporter archive of N deny domains (LargeArchives: huge-a.zip; default
# 1,000,000), the base's classes and this checkout's alternated in one run, each run a new JVM with the image's
# JAVA_OPTS (etc/jvm.options) inspecting twice: a server's first inspection (cold code) and its next; and the JVM's
# peak resident memory (SQLite's sort memory included: temp_store is MEMORY).
# Every content hash must be the same for base and branch (the script fails otherwise). SAME_INSPECTOR=1: both inspections
# by one inspector, the second of an archive it has inspected before (an import of a backed-up archive, a restore's check).
# Usage: bench/million-inspection.sh BASE_CLASSES [pairs] [domains]   (after mvn -B -o -q -DskipTests package)
#   BASE_CLASSES: the base commit's target/classes, e.g. git archive main | tar -x -C /tmp/base, built there
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
pairs=${2:-5}
n=${3:-1000000}
. bench/large-archives.sh
out=$(mktemp)
rss=$(mktemp)
trap 'rm -f "$out" "$rss"' EXIT
one() {
  # shellcheck disable=SC2086
  /usr/bin/time -o "$rss" -f %M java $opts -cp "$classes:$libs" bench/MillionInspectionBench.java "$dir/huge-a.zip" 2 ${SAME_INSPECTOR:+same} 2>/dev/null |
    awk -v side="$side" '{print side, NR, $1, $2, $3}' | tee -a "$out"
  echo "$side rss $(tail -1 "$rss") KB" | tee -a "$out"
}
alternate one
if [ "$(awk '$2 != "rss" {print $5}' "$out" | sort -u | wc -l)" != 1 ]; then
  echo "content hashes differ" >&2
  exit 1
fi
echo "| inspection | base wall | branch wall | base CPU | branch CPU |"
echo "|---|---|---|---|---|"
for k in 1 2; do
  median() { awk -v s="$1" -v k="$k" -v f="$2" '$1 == s && $2 == k {print $f}' "$out" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
  echo "| $([ $k = 1 ] && echo first || echo second) | $(median base 3) ms | $(median branch 3) ms | $(median base 4) ms | $(median branch 4) ms |"
done
k=rss
echo "peak resident memory of the JVM, median: base $(median base 3) KB, branch $(median branch 3) KB"
