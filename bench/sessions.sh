#!/usr/bin/env bash
# What a signed-in request pays for its session now that sessions live in the database (SQLite, the
# default catalogue), with the image's JAVA_OPTS: ROUNDS rounds of PER_ROUND session look-ups among
# LIVE sessions, and of 20 sign-ins (start, then sign-out), medians of each round; the first rounds
# run cold code. (Before, a look-up was a ConcurrentHashMap get: no I/O.)
# Usage: bench/sessions.sh [rounds] [per_round] [live]   (after mvn -B -o -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
per=${2:-500}
live=${3:-1000}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
echo "| round ($per look-ups, 20 sign-ins; $live live sessions) | look-up wall, median | look-up CPU, median | sign-in (insert + sign-out delete) wall, median | its CPU, median |"
echo "|---|---|---|---|---|"
# shellcheck disable=SC2086
java $opts -cp "$cp" bench/SessionBench.java "$rounds" "$per" "$live" 2>/dev/null |
  while read -r round wall cpu swall scpu; do echo "| $round | $wall µs | $cpu µs | $swall µs | $scpu µs |"; done
