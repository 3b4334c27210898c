#!/usr/bin/env bash
# The WebDAV destination's upload against rclone's WebDAV server on loopback, with `curl -T`
# uploading the same archive to the same server as the reference, and peak heap (upload and read
# back) for a 5 MB and a 50 MB archive. Prints Markdown rows. Needs rclone (Debian package).
# Usage: bench/webdav.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_WEBDAV_PORT:-18802}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/pihole-checkpoint/WEB-INF/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

mkdir -p "$work/served/dav" "$work/classes"
touch "$work/rclone.conf"
rclone serve webdav "$work/served" --addr "127.0.0.1:$port" --user bench --pass bench-pass --config "$work/rclone.conf" 2>"$work/rclone.log" & server=$!
until curl -fs -o /dev/null -u bench:bench-pass -X PROPFIND -H 'Depth: 0' "http://127.0.0.1:$port/dav/"; do sleep 0.05; done
javac -nowarn -d "$work/classes" -cp "$cp" bench/PipelineBench.java bench/DestinationBench.java

declare -A peak live
for mb in 5 50; do
  java -cp "$cp" bench/PipelineBench.java archive "$work/a$mb.zip" "$mb"
  curl_s=()
  for _ in $(seq 1 "$runs"); do
    curl_s+=($(curl -fs -o /dev/null -u bench:bench-pass -T "$work/a$mb.zip" -w '%{time_total}' "http://127.0.0.1:$port/dav/curl-a$mb.zip"))
  done
  # one JVM, runs+1 uploads: the first warms it up, as a running server is
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$work/classes:$cp" DestinationBench "webdav+http://127.0.0.1:$port/dav" bench bench-pass "$work/a$mb.zip" $((runs + 1)) 2>/dev/null | tail -n "$runs")
  app_s=(); heap=(); kept=()
  for l in "${lines[@]}"; do read -r s u k <<<"$l"; app_s+=("$s"); heap+=("$u"); kept+=("$k"); done
  peak[$mb]=$(median "${heap[@]}"); live[$mb]=$(median "${kept[@]}")
  bytes=$(stat -c %s "$work/a$mb.zip")
  app_mbs=$(awk -v b="$bytes" -v s="$(median "${app_s[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  curl_mbs=$(awk -v b="$bytes" -v s="$(median "${curl_s[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  ratio=$(awk -v a="$app_mbs" -v c="$curl_mbs" 'BEGIN {printf "%.0f %%", 100 * a / c}')
  echo "| WebDAV upload of a $mb MB archive to rclone: throughput | $app_mbs MiB/s | $(range "${app_s[@]}") s | curl -T ($curl_mbs MiB/s, $(range "${curl_s[@]}") s): $ratio | $runs |"
done
change() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f %%", 100 * (a - b) / b}'; }
echo "| Peak live heap (after any collection) during a WebDAV upload and read back, 5 MB vs 50 MB archive | ${live[5]} vs ${live[50]} MiB | $(change "${live[50]}" "${live[5]}") | equal ± 10 % | $runs |"
echo "| Peak heap used, garbage included, same runs | ${peak[5]} vs ${peak[50]} MiB | $(change "${peak[50]}" "${peak[5]}") | (for reference) | $runs |"
