#!/usr/bin/env bash
# Wall and CPU time of building the list index of a gravity.db of N deny domains (LargeArchives: huge-a.zip's
# gravity.db; default 1,000,000), what a manual backup's change summary builds twice and a first contents page once:
# the base's classes and this checkout's alternated (base, branch, base, ...), each build in a new JVM with the
# image's JAVA_OPTS (etc/jvm.options, C1 only, 96 MB heap). Every row, row hash and block digest must be the same for
# base and branch (the script fails otherwise).
# Usage: bench/list-index.sh BASE_CLASSES [pairs] [domains]   (after mvn -B -o -q -DskipTests package)
#   BASE_CLASSES: the base commit's target/classes, e.g. git archive main | tar -x -C /tmp/base, built there
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
pairs=${2:-5}
n=${3:-1000000}
. bench/large-archives.sh
if [ ! -f "$dir/gravity.db" ]; then
  unzip -p "$dir/huge-a.zip" etc/pihole/gravity.db > "$dir/gravity.db.part" && mv "$dir/gravity.db.part" "$dir/gravity.db"
fi
scratch=$(mktemp -d)
out=$(mktemp)
trap 'rm -rf "$scratch" "$out"' EXIT
one() {
  # shellcheck disable=SC2086
  java $opts -cp "$classes:$libs" bench/ListIndexBench.java "$dir/gravity.db" "$scratch" 1 2>/dev/null |
    awk -v side="$side" '{print side, $1, $2, $3, $4}' | tee -a "$out"
}
alternate one
if [ "$(awk '{print $4, $5}' "$out" | sort -u | wc -l)" != 1 ]; then
  echo "rows or blocks differ between base and branch" >&2
  exit 1
fi
median() { awk -v s="$1" -v f="$2" '$1 == s {print $f}' "$out" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
echo "| build of $n domains, median of $pairs | base | branch | branch/base |"
echo "|---|---|---|---|"
for f in 2 3; do
  b=$(median base $f)
  r=$(median branch $f)
  echo "| $([ $f = 2 ] && echo wall || echo CPU) | $b ms | $r ms | $(awk -v b="$b" -v r="$r" 'BEGIN {printf "%.2f", r / b}') |"
done
