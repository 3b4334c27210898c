#!/usr/bin/env bash
# Server CPU per request of some pages of a running node: utime + stime (/proc/PID/stat) of the node's JVM and, when given,
# of a PostgreSQL cluster's postmaster and its children, around N sequential requests of each path after one to warm up.
# On a loaded machine the wall time says little; the CPU a request costs says what it costs.
# Usage: bench/page-cpu.sh BASE_URL JVM_PID POSTMASTER_PID|- N PATH…   e.g. bench/page-cpu.sh http://127.0.0.1:18141 1234 - 20 / '/?page=30'
set -euo pipefail
base=$1 jvm=$2 pm=$3 n=$4
shift 4
tick=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg() { local t=0; if [ "$pm" != - ]; then for p in "$pm" $(pgrep -P "$pm"); do t=$((t + $(ticks "$p"))); done; fi; echo "$t"; }
for path in "$@"; do
  curl -fs -o /dev/null "$base$path"
  j0=$(ticks "$jvm") p0=$(pg) s=$(date +%s%N)
  for _ in $(seq 1 "$n"); do curl -fs -o /dev/null "$base$path"; done
  e=$(date +%s%N) j1=$(ticks "$jvm") p1=$(pg)
  printf '| %s | %d | %.1f ms | %.1f ms | %.0f ms |\n' "$path" "$n" "$(echo "($j1 - $j0) * 1000 / $tick / $n" | bc -l)" \
    "$(echo "($p1 - $p0) * 1000 / $tick / $n" | bc -l)" "$(echo "($e - $s) / 1000000 / $n" | bc -l)"
done
