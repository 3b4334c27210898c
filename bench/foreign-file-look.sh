#!/usr/bin/env bash
# What the read-only look at an existing checkpoint.db costs before the catalogue's first connection (round 50 F1): ROUNDS rounds
# of PER_ROUND looks, alternated with as many WAL connections (the start's first, for scale), on a freshly migrated catalogue,
# with the image's JAVA_OPTS.
# Usage: bench/foreign-file-look.sh [rounds] [per_round]   (after mvn -B -o -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
per=${2:-200}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
cp='target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
# shellcheck disable=SC2086
DATA_DIR=$data java $opts -cp "$cp" io.piholecheckpoint.app.MigrateCommand >/dev/null 2>&1
echo "| round ($per each) | kind | wall per one | thread CPU per one |"
echo "|---|---|---|---|"
# shellcheck disable=SC2086
java $opts -cp "$cp" bench/ForeignFileLookBench.java "$data/checkpoint.db" "$rounds" "$per" 2>/dev/null |
  while read -r round kind wall cpu; do echo "| $round | $kind | $wall µs | $cpu µs |"; done
