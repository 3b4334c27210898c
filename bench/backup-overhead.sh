#!/usr/bin/env bash
# Our time per manual backup beyond the Pi-hole's own: N × `POST /api/v1/instances/1/backups?wait=true`
# against bench/fake_pihole.py serving a real 22 kB Teleporter export, with the server as the image
# runs it. Per backup: curl's time minus the fake's own service time for it (GET /bench/served);
# reference: login + export + logout by curl against the same fake. Prints Markdown rows.
# Also the server's CPU time per backup (/proc/<pid>/stat, all its threads): unlike wall time it hardly
# moves with the machine's load. BENCH_FSYNCS=1 adds fsync/fdatasync calls per backup (strace attached:
# its timings are then not comparable, its counts are). BENCH_SQL=1 adds SQL statements per backup, by
# statement name (MyBatis's debug log, on for the persistence package only; timings then not comparable).
# BENCH_THREADS=1 adds the server's CPU per backup by thread (names with their numbers folded).
# BENCH_JFR=FILE records the measured backups with Flight Recorder (Java stacks sampled every 1 ms, CPU per
# thread) into FILE; bench/jfr-methods.py FILE then counts the samples per method, by thread.
# Usage: bench/backup-overhead.sh [backups]   (after mvn -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-30}
warm=${BENCH_WARM:-10} # backups before the measured ones; C1 compiles a method after ~200 calls
port=${BENCH_PORT:-18125}
fport=${BENCH_PIHOLE_PORT:-18992}
archive=src/test/resources/fixtures/teleporter-v6.4.1-a.zip
work=$(mktemp -d)
pid=; fake=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$work"' EXIT
python3 bench/fake_pihole.py "$fport" "$archive" & fake=$!
pihole=http://127.0.0.1:$fport
until curl -fs -o /dev/null "$pihole/bench/served"; do sleep 0.05; done
served() { curl -fs "$pihole/bench/served" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ms"])'; }

java_opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
if [ "${BENCH_SQL:-0}" = 1 ]; then
  java_opts="$java_opts -Dorg.slf4j.simpleLogger.log.io.piholecheckpoint.persistence=debug -Dorg.slf4j.simpleLogger.showShortLogName=false"
fi
env DATA_DIR="$work/data" BACKUP_DIR="$work/backups" PORT=$port BIND_ADDRESS=127.0.0.1 MALLOC_ARENA_MAX=2 \
  JAVA_OPTS="$java_opts" \
  PIHOLE_BENCH_URL=$pihole PIHOLE_BENCH_PASSWORD=bench \
  ./entrypoint.sh >"$work/server.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.05
done

backup() { # prints "client_ms fake_ms"
  before=$(served)
  out=$(curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$port/api/v1/instances/1/backups?wait=true")
  after=$(served)
  [ "${out%% *}" = 201 ] || { echo "backup answered ${out%% *}: $(cat "$work/answer.json")" >&2; cat "$work/server.log" >&2; exit 1; }
  awk -v t="${out#* }" -v a="$before" -v b="$after" 'BEGIN {printf "%.2f %.2f\n", t * 1000, b - a}'
}
plain() { # login + export + logout by curl, ms
  a=$(curl -s -o /dev/null -w '%{time_total}' -X POST -d '{"password":"bench"}' "$pihole/api/auth")
  b=$(curl -s -o "$work/export.zip" -w '%{time_total}' -H 'X-FTL-SID: benchsid' "$pihole/api/teleporter")
  c=$(curl -s -o /dev/null -w '%{time_total}' -X DELETE -H 'X-FTL-SID: benchsid' "$pihole/api/auth")
  awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN {printf "%.2f\n", (a + b + c) * 1000}'
}
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # user + system ticks of every thread of the server
threads() { # "name ticks" per live thread; a thread that ends between two calls is missed
  for t in /proc/"$pid"/task/*; do
    printf '%s %s\n' "$(tr ' ' _ <"$t/comm" | sed 's/-[0-9a-f]*$//; s/-[0-9]*$//')" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)"
  done 2>/dev/null
}
for _ in $(seq 1 "$warm"); do backup >/dev/null; plain >/dev/null; done
ours=(); fakes=(); over=(); curls=(); cpu_ticks=0; tracer=
if [ "${BENCH_FSYNCS:-0}" = 1 ]; then
  strace -f -qq -y -e trace=fsync,fdatasync -o "$work/fsyncs" -p "$pid" & tracer=$!
  sleep 1 # attached to every thread before the first measured backup
fi
log_from=$(wc -l <"$work/server.log")
if [ -n "${BENCH_JFR:-}" ]; then
  sed 's/<setting name="period" control="method-sampling-java-interval">[^<]*</<setting name="period" control="method-sampling-java-interval">1 ms</' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$work/samples.jfc"
  jcmd "$pid" JFR.start name=bench settings="$work/samples.jfc" >/dev/null
fi
[ "${BENCH_THREADS:-0}" = 1 ] && threads >"$work/threads-before"
loop0=$(cpu)
for _ in $(seq 1 "$n"); do
  c0=$(cpu)
  read -r t f < <(backup)
  cpu_ticks=$((cpu_ticks + $(cpu) - c0))
  ours+=("$t"); fakes+=("$f"); over+=("$(awk -v t="$t" -v f="$f" 'BEGIN {printf "%.2f", t - f}')")
  curls+=("$(plain)")
done
loop_ticks=$(($(cpu) - loop0))
if [ -n "$tracer" ]; then kill "$tracer"; wait "$tracer" 2>/dev/null || true; fi
[ -n "${BENCH_JFR:-}" ] && jcmd "$pid" JFR.stop name=bench filename="$(readlink -f "$BENCH_JFR")" >/dev/null
[ "${BENCH_THREADS:-0}" = 1 ] && threads >"$work/threads-after"
pct() { # percentile P of the rest
  p=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v p="$p" '{a[NR]=$1} END {i=int(NR*p/100+0.999999); if (i<1) i=1; print a[i]}'
}
range() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[1] "–" a[NR]}'; }
echo "| figure | median | p90 | spread (min–max) | target / reference | backups |"
echo "|---|---|---|---|---|---|"
echo "| Manual backup, client time (POST …/backups?wait=true, 22 kB archive) | $(pct 50 "${ours[@]}") ms | $(pct 90 "${ours[@]}") ms | $(range "${ours[@]}") ms | (for reference) | $n |"
echo "| … the fake Pi-hole's own service time in it | $(pct 50 "${fakes[@]}") ms | $(pct 90 "${fakes[@]}") ms | $(range "${fakes[@]}") ms | (for reference) | $n |"
echo "| Our overhead per backup (client time − fake's time) | $(pct 50 "${over[@]}") ms | $(pct 90 "${over[@]}") ms | $(range "${over[@]}") ms | ≤ 15 ms | $n |"
echo "| login + export + logout by curl, same fake | $(pct 50 "${curls[@]}") ms | $(pct 90 "${curls[@]}") ms | $(range "${curls[@]}") ms | (reference) | $n |"
echo "| Server CPU per backup (user + system, all threads; mean) | $(awk -v c="$cpu_ticks" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", c * 1000 / hz / n}') ms | | | (for reference) | $n |"
# a backup's retention runs after its answer: the loop's CPU, the curl references' idle time between included, counts it
echo "| … the same over the whole loop (what runs after each answer too) | $(awk -v c="$loop_ticks" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", c * 1000 / hz / n}') ms | | | (for reference) | $n |"
if [ -n "$tracer" ]; then
  echo "| fsync + fdatasync calls per backup (strace) | $(awk -v n="$n" 'END {printf "%.2f", NR / n}' "$work/fsyncs") | | | (for reference) | $n |"
  # which files: the database's WAL, the archive, the backup directory (names with a timestamp folded)
  sed -n 's/.*<\(.*\)>.*/\1/p' "$work/fsyncs" | sed "s|$work/||; s|_[0-9TZ]*_[a-z0-9]*\.zip|_….zip|; s|[0-9a-f-]\{20,\}|…|" | sort | uniq -c |
    awk -v n="$n" '{printf "|   … of %s | %.2f | | | | %s |\n", $2, $1 / n, n}'
fi
if [ "${BENCH_THREADS:-0}" = 1 ]; then
  awk -v n="$n" -v hz="$(getconf CLK_TCK)" 'NR == FNR {a[$1] += $2; next} {b[$1] += $2}
    END {for (k in b) if (b[k] > a[k]) printf "|   … CPU of thread %s | %.2f ms | | | | %s |\n", k, (b[k] - a[k]) * 1000 / hz / n, n}' \
    "$work/threads-before" "$work/threads-after" | sort -t'|' -k3 -rn
fi
if [ "${BENCH_SQL:-0}" = 1 ]; then
  tail -n +"$((log_from + 1))" "$work/server.log" | sed -n 's/.* DEBUG io\.piholecheckpoint\.persistence\.\([A-Za-z.]*\) - ==>  Preparing:.*/\1/p' >"$work/sql"
  echo "| SQL statements per backup (MyBatis) | $(awk -v n="$n" 'END {printf "%.2f", NR / n}' "$work/sql") | | | (for reference) | $n |"
  sort "$work/sql" | uniq -c | sort -rn |
    awk -v n="$n" '{printf "|   … %s | %.2f | | | | %s |\n", $2, $1 / n, n}'
fi
echo "| Ratio: our backup / curl's | $(awk -v a="$(pct 50 "${ours[@]}")" -v b="$(pct 50 "${curls[@]}")" 'BEGIN {printf "%.1f ×", a / b}') | | | ≤ 1.1 × against a real Pi-hole | $n |"
