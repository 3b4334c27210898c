#!/usr/bin/env bash
# The mapper parse of a server's start (bench/MapperParseBench.java: a fresh JVM with the server's options, no class-data archive)
# in two builds, alternated A, B, A, B … so that a shared machine's load falls on both alike: the parsing thread's CPU and
# allocation and the young collections, medians (min–max). Each layout is a directory with etc/ and target/ (a checkout after
# `mvn package`). Usage: bench/mapper-parse-ab.sh RUNS LAYOUT_A LAYOUT_B
set -euo pipefail
runs=$1; a=$(cd "$2" && pwd); b=$(cd "$3" && pwd)
bench=$(cd "$(dirname "$0")" && pwd)/MapperParseBench.java
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for _ in $(seq 1 "$runs"); do
  for side in A B; do
    dir=$a; [ $side = B ] && dir=$b
    java @"$dir/etc/jvm.options" -cp "$dir/target/pihole-checkpoint/WEB-INF/lib/*:$dir/target/lib/*" "$bench" 2>/dev/null >>"$out/$side"
  done
done
stats() { sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s | %s–%s", m, v[1], v[NR]}'; }
echo "| layout | thread CPU median (ms) | min–max | allocated median (MB) | min–max | young collections median | min–max |"
echo "|---|---|---|---|---|---|---|"
for side in A B; do
  dir=$a; [ $side = B ] && dir=$b
  echo "| $side ($(basename "$dir")) | $(awk '{print $1}' "$out/$side" | stats) | $(awk '{print $2}' "$out/$side" | stats) | $(awk '{print $3}' "$out/$side" | stats) |"
done
