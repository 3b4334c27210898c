#!/usr/bin/env bash
# Off-site copies of every kind (issue 16), each against its real server on loopback and next to
# that destination's own client: a directory (FileDestination: write, fsync, rename) against
# `curl -T file://` of the same archive; then bench/offsite-s3.sh (S3Proxy, curl -T with SigV4),
# bench/offsite-sftp.sh (sshd, OpenSSH's sftp put) and bench/webdav.sh (rclone, curl -T). Each
# with the image's heap (-Xmx96m), a 5 MB and a 50 MB incompressible archive; Markdown rows of
# medians with the ratio to the reference client. Usage, after `mvn -B -q -DskipTests verify`
# (the WAR's classes and S3Proxy in target/): bench/offsite.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='target/pihole-checkpoint/WEB-INF/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

mkdir -p "$work/classes" "$work/nas" "$work/curl"
javac -nowarn -d "$work/classes" -cp "$cp" bench/PipelineBench.java bench/DestinationBench.java
echo "### A directory (file://)"
echo "| figure | median | spread | reference | runs |"
echo "|---|---|---|---|---|"
declare -A live peak
for mb in 5 50; do
  head -c $((mb * 1000 * 1000)) /dev/urandom >"$work/a$mb.zip.gpg"
  curl_s=()
  for i in $(seq 1 "$runs"); do
    curl_s+=($(curl -fs -o /dev/null -T "$work/a$mb.zip.gpg" -w '%{time_total}' "file://$work/curl/a$mb-$i.zip.gpg"))
    rm -f "$work/curl/a$mb-$i.zip.gpg"
  done
  # one JVM, runs+1 uploads: the first warms it up, as a running server is
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$work/classes:$cp" DestinationBench "file://$work/nas" - - "$work/a$mb.zip.gpg" $((runs + 1)) 2>/dev/null | tail -n "$runs")
  app_s=(); heap=(); kept=()
  for l in "${lines[@]}"; do read -r s u k <<<"$l"; app_s+=("$s"); heap+=("$u"); kept+=("$k"); done
  peak[$mb]=$(median "${heap[@]}"); live[$mb]=$(median "${kept[@]}")
  bytes=$(stat -c %s "$work/a$mb.zip.gpg")
  app_mbs=$(awk -v b="$bytes" -v s="$(median "${app_s[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  curl_mbs=$(awk -v b="$bytes" -v s="$(median "${curl_s[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  ratio=$(awk -v a="$app_mbs" -v c="$curl_mbs" 'BEGIN {printf "%.0f %%", 100 * a / c}')
  echo "| directory copy of a $mb MB archive (with fsync): throughput | $app_mbs MiB/s | $(range "${app_s[@]}") s | curl -T file:// (no fsync; $curl_mbs MiB/s, $(range "${curl_s[@]}") s): $ratio | $runs |"
done
echo "| Peak live heap during a directory copy and read back, 5 MB vs 50 MB | ${live[5]} vs ${live[50]} MiB | used ${peak[5]} vs ${peak[50]} MiB | equal ± 10 % | $runs |"
echo
echo "### S3 (S3Proxy)"; bench/offsite-s3.sh "$runs"
echo; echo "### SFTP (OpenSSH)"
echo "| figure | median | spread | reference | runs |"; echo "|---|---|---|---|---|"; bench/offsite-sftp.sh "$runs"
echo; echo "### WebDAV (rclone)"
echo "| figure | median | spread | reference | runs |"; echo "|---|---|---|---|---|"; bench/webdav.sh "$runs"
