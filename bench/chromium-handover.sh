#!/usr/bin/env bash
# CPU seconds of N test classes' browsers: a new Chromium per class (quit) against the JVM's one handed over (shared),
# alternated, each run sampled by bench/cpu-by-process.py (the JVM, chromedriver and every Chromium process).
# Usage (after `mvn -B -o -q -DskipTests package` and test-compile): bench/chromium-handover.sh [classes] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
classes=${1:-8}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$work/cp")"

run() { # MODE ROUND: prints one Markdown row
  mkdir -p "$work/$1-$2"
  (java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" bench/ChromiumHandOverBench.java "$1" "$classes" >"$work/$1-$2/log" 2>&1
   touch "$work/$1-$2/done") &
  local pid=$!
  python3 bench/cpu-by-process.py "$work/$1-$2" "$work/$1-$2/cpu" "$pid"
  wait "$pid"
  local total chromium
  total=$(python3 -c "import json; print(round(sum(e['cpu'] for e in json.load(open('$work/$1-$2/cpu.json'))), 1))")
  chromium=$(python3 -c "import json; e=[x for x in json.load(open('$work/$1-$2/cpu.json')) if x['kind'] in ('chromium', 'chromedriver')]; print(len(e), round(sum(x['cpu'] for x in e), 1))")
  echo "| $2 | $1 | $total | ${chromium% *} | ${chromium#* } | $(cut -d' ' -f1 /proc/loadavg) |"
}
echo "| round | mode | CPU s, all | Chromium + chromedriver processes | their CPU s | load |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then run quit "$r"; run shared "$r"; else run shared "$r"; run quit "$r"; fi
done
