#!/usr/bin/env bash
# Bytes the server JVM allocates per request of a page, and its young/full collections meanwhile: JFR's
# ThreadAllocationStatistics of every thread at the start and end of N sequential requests (after 10 to warm up). The
# allocation per request is what decides how often the small heap of etc/jvm.options collects; load hardly moves it.
# Usage: bench/page-alloc.sh JVM_PID BASE_URL N PATH   e.g. bench/page-alloc.sh 1234 http://127.0.0.1:18123 200 /instances/1
set -euo pipefail
pid=$1 base=$2 n=$3 path=$4
f=$(mktemp -u --suffix=.jfr)
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -fs -o /dev/null "$base$path"; done
jcmd $pid JFR.start name=al settings=none +jdk.ThreadAllocationStatistics#enabled=true +jdk.ThreadAllocationStatistics#period=everyChunk +jdk.GarbageCollection#enabled=true filename=$f >/dev/null
sleep 0.5
for _ in $(seq 1 "$n"); do curl -fs -o /dev/null "$base$path"; done
jcmd $pid JFR.stop name=al >/dev/null
jfr print --json --events jdk.ThreadAllocationStatistics,jdk.GarbageCollection $f | python3 -c '
import json,sys,collections
ev=json.load(sys.stdin)["recording"]["events"]
first={};last={};gc=collections.Counter()
for e in ev:
  v=e["values"]
  if e["type"]=="jdk.GarbageCollection": gc[v["name"]]+=1; continue
  t=v["thread"]["javaName"] if v.get("thread") else "?"
  first.setdefault(t,v["allocated"]); last[t]=v["allocated"]
tot=sum(last[t]-first[t] for t in last)
print("%s: %.1f kB allocated per request, GCs %s over %d requests" % (sys.argv[2], tot/1024/int(sys.argv[1]), dict(gc), int(sys.argv[1])))
' "$n" "$path"
rm -f $f
