#!/usr/bin/env bash
# The SFTP off-site copy (bench/SftpBench.java: put, then check by reading back) against Debian's
# OpenSSH server on loopback, with OpenSSH's own `sftp put` of the same file as the reference, and
# peak live heap for a 5 MB and a 50 MB archive under the image's JVM options (-Xmx96m).
# Prints Markdown rows. Usage: bench/offsite-sftp.sh [runs]   (after `mvn package`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_SSH_PORT:-18751}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
cp='etc:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
work=$(mktemp -d)
trap '[ -f "$work/sshd.pid" ] && kill "$(cat "$work/sshd.pid")" 2>/dev/null; rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

ssh-keygen -q -t ed25519 -N '' -f "$work/host"
ssh-keygen -q -t ed25519 -N '' -f "$work/client"
cp "$work/client.pub" "$work/authorized_keys"
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
cat > "$work/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $work/host
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -f "$work/sshd_config"
until [ -s "$work/sshd.pid" ]; do sleep 0.05; done
fingerprint=$(ssh-keygen -lf "$work/host.pub" | cut -d' ' -f2)
mkdir "$work/remote"

declare -A live
for mb in 5 50; do
  head -c $((mb * 1024 * 1024)) /dev/urandom > "$work/a$mb.zip"
  ref=()
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s.%N)
    echo "put $work/a$mb.zip $work/remote/ref.zip" | sftp -q -b - -i "$work/client" -P "$port" \
      -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "$(id -un)@127.0.0.1" >/dev/null 2>&1
    ref+=($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}'))
  done
  # one JVM, runs+1 copies: the first warms it up, as a running server is
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$cp" bench/SftpBench.java "sftp://$(id -un)@127.0.0.1:$port$work/remote" \
    "$work/client" "$fingerprint" "$work/a$mb.zip" $((runs + 1)) | tail -n "$runs")
  put=(); check=(); kept=()
  for l in "${lines[@]}"; do read -r p c k <<<"$l"; put+=("$p"); check+=("$c"); kept+=("$k"); done
  printf 'run: %s\n' "${lines[@]}" >&2
  bytes=$((mb * 1024 * 1024))
  app_mbs=$(awk -v b="$bytes" -v s="$(median "${put[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  ref_mbs=$(awk -v b="$bytes" -v s="$(median "${ref[@]}")" 'BEGIN {printf "%.0f", b / s / 1048576}')
  echo "| SFTP off-site put of a $mb MB archive | $app_mbs MiB/s | $(range "${put[@]}") s | OpenSSH sftp put (connection included): $ref_mbs MiB/s | $runs |"
  echo "| SFTP off-site check (read back and SHA-256) of a $mb MB archive | $(median "${check[@]}") s | $(range "${check[@]}") s | | $runs |"
  live[$mb]=$(median "${kept[@]}")
done
echo "| Peak live heap during an SFTP copy, 5 MB vs 50 MB archive | ${live[5]} vs ${live[50]} MiB | | equal ± 10 % | $runs |"
