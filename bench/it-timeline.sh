#!/usr/bin/env bash
# When each test JVM ran which class, from the reports a run wrote: whether the phase waited for one long class
# at its end, or its JVMs ended together. The reports carry no start time (failsafe 3.5's format has none), so a
# class ran from its report's modification time (written when the class ended) back by its time. The JVM is the
# one whose SQLite folder the report names (pom.xml gives each a folder of its own: sqlite-native/it-N).
# Usage, after `mvn -B -o verify` (the reports' files untouched since): bench/it-timeline.sh [reports-dir] [min-seconds]
#   e.g. bench/it-timeline.sh target/failsafe-reports 25  (lists the classes of 25 s or more per JVM, in the order they ran)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "${1:-target/failsafe-reports}" "${2:-25}" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
reports, shown = sys.argv[1], float(sys.argv[2])
runs = []
for f in glob.glob(reports + "/TEST-*.xml"):
    r = ET.parse(f).getroot()
    if "$" in r.get("name"):
        continue  # a nested class ran inside its outer one, whose report spans it
    jvm = next((p.get("value").rsplit("-", 1)[-1] for p in r.iter("property") if p.get("name") == "org.sqlite.tmpdir"), "?")
    end, took = os.path.getmtime(f), float(r.get("time"))
    runs.append((end - took, end, took, jvm, r.get("name").removeprefix("io.piholecheckpoint.")))
first, last = min(r[0] for r in runs), max(r[1] for r in runs)
print(f"{last - first:.0f} s from the first class's start to the last one's end ({reports})")
for jvm in sorted({r[3] for r in runs}):
    mine = sorted(r for r in runs if r[3] == jvm)
    print(f"JVM {jvm}: {len(mine)} classes, {sum(r[2] for r in mine):.0f} s busy, ends at {mine[-1][1] - first:.0f} s")
    for start, end, took, _, name in mine:
        if took >= shown:
            print(f"  {start - first:6.0f} {end - first:6.0f} {took:7.1f}  {name}")
PY
