#!/usr/bin/env bash
# The migration step alone (`entrypoint.sh migrate`) of two builds, alternated A, B, A, B … so that a shared machine's load falls
# on both alike: per run the wall time and the CPU time (user + system of the step's shell and JVM), on a fresh DATA_DIR (a new
# install: every script applied) or, with BENCH_CURRENT=1, on one migrated before (nothing to migrate). Each layout is a
# directory with entrypoint.sh, etc/ and target/ (a checkout after `mvn package` and `entrypoint.sh cds`). Prints one Markdown
# row per layout (medians, min–max).
# Usage: bench/migrate-ab.sh RUNS LAYOUT_A LAYOUT_B
set -euo pipefail
runs=$1; a=$(cd "$2" && pwd); b=$(cd "$3" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%d ms | %d–%d ms", m, v[1], v[NR]}'; }
declare -A wall cpu
for side in A B; do
  dir=$a; [ $side = B ] && dir=$b
  rm -rf "$work/$side"
  [ "${BENCH_CURRENT:-}" = 1 ] && DATA_DIR="$work/$side/data" BACKUP_DIR="$work/$side/backups" "$dir/entrypoint.sh" migrate >/dev/null
done
for _ in $(seq 1 "$runs"); do
  for side in A B; do
    dir=$a; [ $side = B ] && dir=$b
    [ "${BENCH_CURRENT:-}" = 1 ] || rm -rf "$work/$side"
    /usr/bin/time -f '%e %U %S' -o "$work/time" env DATA_DIR="$work/$side/data" BACKUP_DIR="$work/$side/backups" \
      "$dir/entrypoint.sh" migrate >/dev/null
    read -r e u s < "$work/time"
    w=$(awk -v e="$e" 'BEGIN {printf "%d", e * 1000}'); c=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}')
    wall[$side]+="$w "; cpu[$side]+="$c "
    echo "$side wall $w ms, CPU $c ms" >&2
  done
done
echo "| layout | wall median | wall min–max | CPU median | CPU min–max |"
echo "|---|---|---|---|---|"
for side in A B; do
  dir=$a; [ $side = B ] && dir=$b
  # shellcheck disable=SC2086
  echo "| $side ($(basename "$dir")) | $(stats ${wall[$side]}) | $(stats ${cpu[$side]}) |"
done
