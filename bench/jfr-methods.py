#!/usr/bin/env python3
"""Java samples of a Flight Recording per method, by thread: where a thread's time goes.
Usage: bench/jfr-methods.py FILE.jfr [TOP] [THREAD-PREFIX]   (e.g. one of BENCH_JFR=FILE bench/backup-overhead.sh)
Per thread (names with their numbers folded): its samples, then the TOP methods by samples with the
method on the stack (inclusive; a method counted once per sample), and by samples with it on top (self).
With THREAD-PREFIX, only the threads whose name starts with it."""
import collections, json, re, subprocess, sys

recording = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
only = sys.argv[3] if len(sys.argv) > 3 else ""
printed = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", recording],
                         check=True, capture_output=True, text=True).stdout
samples = json.loads(printed)["recording"]["events"]

def thread_of(event):
    name = (event["values"].get("sampledThread") or {}).get("javaName") or "?"
    return re.sub(r"-[0-9]+$", "", re.sub(r"_Worker-[0-9]+$", "_Worker", name))

def method(frame):
    m = frame["method"]
    return m["type"]["name"].rsplit(".", 1)[-1] + "." + m["name"]

total = collections.Counter()
inclusive = collections.defaultdict(collections.Counter)
own = collections.defaultdict(collections.Counter)
for event in samples:
    thread = thread_of(event)
    if not thread.startswith(only):
        continue
    frames = (event["values"].get("stackTrace") or {}).get("frames") or []
    total[thread] += 1
    for name in {method(f) for f in frames}:
        inclusive[thread][name] += 1
    if frames:
        own[thread][method(frames[0])] += 1

for thread, n in total.most_common():
    print(f"## {thread}: {n} samples")
    for name, count in inclusive[thread].most_common(top):
        print(f"{count:6d}  {own[thread][name]:5d}  {name}")
    print()
