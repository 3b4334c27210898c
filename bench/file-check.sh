#!/usr/bin/env bash
# What the check before each write (is the SQLite file at DATA_DIR/checkpoint.db still the one the app opened?) costs: a stat
# and a comparison of file keys, ROUNDS rounds of PER_ROUND, the mean of each round, with the image's JAVA_OPTS, on a freshly
# migrated catalogue.
# Usage: bench/file-check.sh [rounds] [per_round]   (after mvn -B -o -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
per=${2:-20000}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
cp='target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
# shellcheck disable=SC2086
DATA_DIR=$data java $opts -cp "$cp" io.piholecheckpoint.app.MigrateCommand >/dev/null 2>&1 || touch "$data/checkpoint.db"
echo "| round ($per checks) | wall per check | thread CPU per check |"
echo "|---|---|---|"
# shellcheck disable=SC2086
java $opts -cp "$cp" bench/FileCheckBench.java "$data/checkpoint.db" "$rounds" "$per" 2>/dev/null |
  while read -r round wall cpu; do echo "| $round | $wall ns | $cpu ns |"; done
