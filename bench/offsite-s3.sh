#!/usr/bin/env bash
# Off-site copies to S3 (issue 16): a 5 MB and a 50 MB archive uploaded through S3Destination
# (one JVM per upload with the image's heap, -Xmx96m: PutObject for 5 MB, 16 MiB parts for 50 MB)
# against S3Proxy (filesystem store, loopback), after a 1 KiB probe has loaded the SDK's request path,
# next to `curl -T` with SigV4 and an unsigned payload (one PUT, the store's own upload path).
# Also the SDK's start cost: building the first S3 client in a fresh JVM. Prints Markdown rows of medians.
# Usage (after `mvn -B -q -DskipTests verify`, which copies S3Proxy to target/s3proxy): bench/offsite-s3.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18710}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -f target/s3proxy/s3proxy.jar ] && [ -d target/test-classes ] || { echo "bench/offsite-s3.sh: run 'mvn -B -q -DskipTests verify' first" >&2; exit 1; }
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$work/cp")"
key=bench-key secret=bench-secret-not-used-elsewhere

mkdir -p "$work/data/bench"
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

head -c 5000000 /dev/urandom >"$work/5MB.zip.gpg"
head -c 50000000 /dev/urandom >"$work/50MB.zip.gpg"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "–" max}'; }

echo "| figure | median | spread (min–max) | runs |"
echo "|---|---|---|---|"
for size in 5MB 50MB; do
  file=$work/$size.zip.gpg
  : >"$work/adapter" ; : >"$work/heap" ; : >"$work/client" ; : >"$work/curl" ; : >"$work/first"
  for i in $(seq "$runs"); do
    out=$(S3_ACCESS_KEY_ID=$key S3_SECRET_ACCESS_KEY=$secret java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx96m -cp "$cp" \
      io.piholecheckpoint.offsite.s3.S3Upload "http://127.0.0.1:$port" s3://bench/adapter "home/$size-$i.zip.gpg" "$file" 2>/dev/null | grep '^sha256=')
    [ "${out#sha256=}" != "${out}" ] && [ "$(echo "$out" | sed 's/sha256=\([0-9a-f]*\).*/\1/')" = "$(sha256sum "$file" | cut -d' ' -f1)" ] \
      || { echo "upload of $size through the adapter did not verify: $out" >&2; exit 1; }
    echo "$out" | sed 's/.*uploadMs=\([0-9]*\).*/\1/' >>"$work/adapter"
    echo "$out" | sed 's/.*peakHeapMiB=\([0-9]*\).*/\1/' >>"$work/heap"
    echo "$out" | sed 's/.*clientMs=\([0-9]*\).*/\1/' >>"$work/client"
    echo "$out" | sed 's/.*firstRequestsMs=\([0-9]*\).*/\1/' >>"$work/first"
    curl -s -f -o /dev/null -w '%{time_total}\n' --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
      -T "$file" "http://127.0.0.1:$port/bench/curl/$size-$i.zip.gpg" | awk '{printf "%d\n", $1 * 1000}' >>"$work/curl"
  done
  echo "| $size through S3Destination: upload time | $(median <"$work/adapter") ms | $(minmax <"$work/adapter") ms | $runs |"
  echo "| $size with curl -T (SigV4, one PUT) | $(median <"$work/curl") ms | $(minmax <"$work/curl") ms | $runs |"
  echo "| $size through S3Destination: peak heap used, garbage included (-Xmx96m) | $(median <"$work/heap") MiB | $(minmax <"$work/heap") MiB | $runs |"
  cat "$work/client" >>"$work/clients"
  cat "$work/first" >>"$work/firsts"
done
echo "| first put and delete of a 1 KiB probe in that JVM (the SDK's request path loaded) | $(median <"$work/firsts") ms | $(minmax <"$work/firsts") ms | $((runs * 2)) |"
echo "| first S3 client built in a fresh JVM (the SDK's start cost) | $(median <"$work/clients") ms | $(minmax <"$work/clients") ms | $((runs * 2)) |"
