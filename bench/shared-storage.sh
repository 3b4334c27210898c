#!/usr/bin/env bash
# The primary archive store in S3 (STORAGE_URL=s3://…, issue 18): a 5 MB and a 50 MB incompressible
# archive kept (received into the cache, uploaded, the store's size and SHA-256 compared) and read back
# by a node with an empty cache (downloaded, compared, fsynced, renamed), through SharedArchiveStore and
# S3Destination against S3Proxy (filesystem store, loopback), with the image's JVM options (-Xmx96m).
# One JVM per size, runs+1 rounds (the first warms it up, as a running server is). Prints Markdown rows of
# medians. Usage (after `mvn -B -q -DskipTests verify`, which copies S3Proxy to target/s3proxy):
#   bench/shared-storage.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18720}
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -f target/s3proxy/s3proxy.jar ] && [ -d target/pihole-checkpoint ] || { echo "bench/shared-storage.sh: run 'mvn -B -q -DskipTests verify' first" >&2; exit 1; }
cp='target/pihole-checkpoint/WEB-INF/classes:target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
key=bench-key secret=bench-secret-not-used-elsewhere

mkdir -p "$work/data/bench" "$work/classes" "$work/cache"
javac -nowarn -d "$work/classes" -cp "$cp" bench/PipelineBench.java bench/SharedStoreBench.java
cat >"$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$key
s3proxy.credential=$secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/data
PROPS
java -Xmx256m -jar target/s3proxy/s3proxy.jar --properties "$work/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }

echo "| figure | median | spread (min–max) | runs |"
echo "|---|---|---|---|"
for mb in 5 50; do
  head -c $((mb * 1000 * 1000)) /dev/urandom >"$work/a$mb.zip"
  # shellcheck disable=SC2086
  mapfile -t lines < <(java $opts -cp "$work/classes:$cp" SharedStoreBench "http://127.0.0.1:$port" s3://bench/primary "$key" "$secret" \
    "$work/a$mb.zip" "$work/cache" $((runs + 1)) 2>/dev/null | tail -n $((2 * runs)))
  for what in keep fetch; do
    s=(); used=(); live=()
    for l in "${lines[@]}"; do
      read -r w a b c <<<"$l"
      [ "$w" = "$what" ] && { s+=("$a"); used+=("$b"); live+=("$c"); }
    done
    echo "| $mb MB archive, $what through S3: time | $(median "${s[@]}") s | $(range "${s[@]}") s | $runs |"
    echo "| $mb MB archive, $what through S3: peak heap used / live (-Xmx96m) | $(median "${used[@]}") / $(median "${live[@]}") MiB | $(range "${used[@]}") / $(range "${live[@]}") MiB | $runs |"
  done
done
