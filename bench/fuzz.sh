#!/usr/bin/env bash
# Coverage-guided fuzzing of the archive readers (ArchiveFuzzTest, Jazzer's JUnit integration): each
# target runs for the maxDuration its @FuzzTest gives (2 min), ROUNDS times in a row; the corpus grows
# in .cifuzz-corpus/ between rounds, and a finding is written beside the seeds in
# src/test/resources/io/piholecheckpoint/teleporter/ArchiveFuzzTestInputs/<target>/ (replayed by every build).
# Usage: bench/fuzz.sh [rounds] [target ...]      bench/fuzz.sh seeds   (rewrites the seeds)
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=src/test/resources/io/piholecheckpoint/teleporter/ArchiveFuzzTestInputs
if [ "${1:-}" = seeds ]; then
  mvn -B -o -q -DskipTests package
  exec java -cp "target/test-classes:target/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*" bench/FuzzSeeds.java "$inputs"
fi
rounds=${1:-1}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(inspectsAnyBytes readsAnyPiholeToml readsAnyGravityDatabase)
for round in $(seq 1 "$rounds"); do
  for target in "${targets[@]}"; do
    echo "== round $round: $target"
    # the parsers we hand hostile bytes to are instrumented too, not only our own classes
    # jazzer.hooks: the unit run leaves Jazzer's agent out (pom.xml); fuzzing needs it for coverage and bug detectors
    JAZZER_FUZZ=1 mvn -B -o -q -Dtest="ArchiveFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true \
      -Djazzer.instrument="io.piholecheckpoint.**,com.fasterxml.jackson.**,org.sqlite.**" test
  done
done
