#!/usr/bin/env bash
# Unit tests in one JVM against two (the pom's unit.forks), paired: runs alternate 1, 2, 2, 1, …
# so that a shared machine's load falls on both alike. Per run: Maven's wall time and the CPU time
# (user + sys) of Maven and its test JVMs, and the load before it. Compile once first, so that the
# runs time the tests. Extra arguments go to Maven, e.g. -Dtest='SyncServiceTest,PiholeClientTest'.
# Usage: bench/unit-forks.sh ROUNDS [maven args…]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1; shift
times=$(mktemp)
trap 'rm -f "$times"' EXIT
mvn -B -o -q test-compile
one() { # FORKS [maven args…]: prints "forks wall_s cpu_s load"
  local forks=$1 load wall user sys
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -o "$times" -f "%e %U %S" mvn -B -o -q test -Dunit.forks="$forks" "$@" >/dev/null 2>&1
  read -r wall user sys < "$times"
  echo "$forks $wall $(python3 -c "print(round($user + $sys, 1))") $load"
}
echo "forks wall_s cpu_s load"
for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then one 1 "$@"; one 2 "$@"; else one 2 "$@"; one 1 "$@"; fi
done
