#!/usr/bin/env bash
# The first view of the diff of two archives, N deny domains apart (bench/DiffFirstViewBench.java: cold, indexed, reverse),
# in-process at the image's JVM options (etc/jvm.options). With two class folders (each holding the teleporter classes of
# one build, put before target/classes), runs alternate A B A B … ROUNDS times, so that the machine's load falls on both alike.
# Prints the load before and after and one line per timing: "label mode wall-ms cpu-ms changes".
# Usage: bench/diff-first-view.sh N ROUNDS [CLASSES_A CLASSES_B] (after mvn -DskipTests package and mvn test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1; rounds=$2
a=${3:-target/classes}; b=${4:-}
cp='target/classes:target/test-classes:target/pihole-checkpoint/WEB-INF/lib/*'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$cp" io.piholecheckpoint.testing.LargeArchives "$work" "$n" added
mv "$work/added.zip" "$work/big.zip"
mv "$work/base.zip" "$work/small.zip"
run() { java @etc/jvm.options -cp "$1:$cp" bench/DiffFirstViewBench.java "$work" 1 | sed "s/^/$2 /"; }
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "$rounds"); do
  run "$a" A
  if [ -n "$b" ]; then run "$b" B; fi
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
