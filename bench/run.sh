#!/usr/bin/env bash
# All benchmarks, printed as Markdown. Run from anywhere: bench/run.sh [runs]
# Needs: a JDK 17, curl, python3, ab (Debian: apache2-utils). Loopback only; cleans up after itself.
# Uses the image's JVM options (etc/jvm.options) and MALLOC_ARENA_MAX=2 unless JAVA_OPTS is set.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v ab >/dev/null || { echo "bench/run.sh needs ab: apt-get install apache2-utils" >&2; exit 1; }
mvn -B -q -DskipTests package
# the class-data archives the image makes at build time, with the same JVM options as the runs
./entrypoint.sh cds >/dev/null

echo "# Benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(java -version 2>&1 | head -1)"
echo
echo "| figure | median | spread (min–max) | target / reference | runs |"
echo "|---|---|---|---|---|"
bench/startup.sh "$runs"
bench/pipeline.sh "$runs"
echo
bench/pages.sh
