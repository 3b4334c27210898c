#!/usr/bin/env bash
# Where a test run's time went, from the reports Maven wrote: the sum of the classes' times and
# the slowest classes. A class with @Nested ones counts once, with the time of its outer report
# (the whole class); the nested reports repeat parts of it. Wall time per class, so compare runs
# made at the same load (`uptime`), before and after, alternately if the machine is shared.
# Usage, after `mvn -B -o test` (or `verify`): bench/suite-times.sh [reports-dir] [top]
#   e.g. bench/suite-times.sh target/surefire-reports 15; bench/suite-times.sh target/failsafe-reports
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "${1:-target/surefire-reports}" "${2:-15}" <<'PY'
import glob, sys
import xml.etree.ElementTree as ET
reports, top = sys.argv[1], int(sys.argv[2])
rows = []
for f in glob.glob(reports + "/TEST-*.xml"):
    r = ET.parse(f).getroot()
    rows.append((r.get("name"), float(r.get("time")), int(r.get("tests"))))
outer_reports = {n for n, _, _ in rows if "$" not in n}
classes = {}
for name, time, tests in rows:
    outer = name.split("$")[0]
    t, c = classes.get(outer, (0.0, 0))
    counts = "$" not in name or outer not in outer_reports
    classes[outer] = (t + (time if counts else 0.0), c + tests)
total = sum(t for t, _ in classes.values())
print(f"{total:.1f} s in {len(classes)} classes, {sum(c for _, c in classes.values())} tests ({reports})")
for name, (t, c) in sorted(classes.items(), key=lambda kv: -kv[1][0])[:top]:
    print(f"{t:8.2f} s {c:4d}  {name.removeprefix('io.piholecheckpoint.')}")
PY
