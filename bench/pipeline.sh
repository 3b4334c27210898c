#!/usr/bin/env bash
# The backup pipeline (real Pi-hole client → real archive store) against bench/fake_pihole.py, with
# `curl -o` fetching the same URL as the reference, and peak heap for a 5 MB and a 50 MB archive.
# Prints Markdown rows. Usage: bench/pipeline.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PIHOLE_PORT:-18991}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

declare -A seconds peak live
for mb in 5 50; do
  java -cp "$cp" bench/PipelineBench.java archive "$work/a$mb.zip" "$mb"
  python3 bench/fake_pihole.py "$port" "$work/a$mb.zip" & fake=$!
  until curl -fs -o /dev/null -X DELETE "http://127.0.0.1:$port/api/auth"; do sleep 0.05; done
  curl_s=()
  for _ in $(seq 1 "$runs"); do
    curl_s+=($(curl -s -o "$work/curl.zip" -w '%{time_total}' "http://127.0.0.1:$port/api/teleporter"))
  done
  # one JVM, runs+1 backups: the first warms it up, as a running server is
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$cp" bench/PipelineBench.java backup "http://127.0.0.1:$port" "$work/out" $((runs + 1)) | tail -n "$runs")
  app_s=(); heap=(); kept=()
  for l in "${lines[@]}"; do read -r s u k <<<"$l"; app_s+=("$s"); heap+=("$u"); kept+=("$k"); done
  seconds[$mb]=$(median "${app_s[@]}"); peak[$mb]=$(median "${heap[@]}"); live[$mb]=$(median "${kept[@]}")
  bytes=$(stat -c %s "$work/a$mb.zip")
  app_mbs=$(awk -v b="$bytes" -v s="${seconds[$mb]}" 'BEGIN {printf "%.0f", b / s / 1048576}')
  curl_mbs=$(awk -v b="$bytes" -v s="$(median "${curl_s[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  ratio=$(awk -v a="$app_mbs" -v c="$curl_mbs" 'BEGIN {printf "%.0f %%", 100 * a / c}')
  echo "| Backup of a $mb MB archive: throughput | $app_mbs MiB/s | $(range "${app_s[@]}") s | ≥ 90 % of curl -o ($curl_mbs MiB/s): $ratio | $runs |"
  kill "$fake"; wait "$fake" 2>/dev/null || true; fake=
  rm -rf "$work/out"
done
change() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.0f %%", 100 * (a - b) / b}'; }
echo "| Peak live heap (after any collection) during a backup, 5 MB vs 50 MB archive | ${live[5]} vs ${live[50]} MiB | $(change "${live[50]}" "${live[5]}") | equal ± 10 % | $runs |"
echo "| Peak heap used, garbage included, 5 MB vs 50 MB archive | ${peak[5]} vs ${peak[50]} MiB | $(change "${peak[50]}" "${peak[5]}") | (for reference) | $runs |"
