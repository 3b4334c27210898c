#!/usr/bin/env bash
# Start to healthy of two builds, paired: starts alternate A, B, A, B … so that a shared machine's
# load falls on both alike. Each layout is a directory with entrypoint.sh, etc/ and target/ (as a
# source checkout after `mvn package` and `entrypoint.sh cds`). Per start, at the first /health 200:
# the wall time from the launch of entrypoint.sh, and the CPU time of the start (the migration JVM
# and the shell's helper processes are the waited-for children of the process that then became the
# server JVM; the shell's own time is the server's), which load hardly moves; and of that, the CPU of the server's
# main thread (the launcher's: Jetty's start, the web app's listener), on which the start waits. Prints one Markdown
# row per layout (medians, min–max).
# Usage: bench/start-ab.sh PAIRS LAYOUT_A LAYOUT_B
# BENCH_INSTANCES=N: N environment instances (PIHOLE_I1_URL …, none reachable) instead of the 3 below. BENCH_RESTART=1:
# each layout keeps its DATA_DIR, started once uncounted first, so that every counted start is a restart that finds its
# instances stored (otherwise each start is on a fresh DATA_DIR).
set -euo pipefail
pairs=$1; a=$(cd "$2" && pwd); b=$(cd "$3" && pwd)
port=${BENCH_PORT:-18127}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
tck=$(getconf CLK_TCK)
instances=(PIHOLE_A_URL=http://127.0.0.1:9 PIHOLE_B_URL=http://10.255.255.1 PIHOLE_C_URL=https://pihole.invalid)
if [ -n "${BENCH_INSTANCES:-}" ]; then
  instances=()
  for i in $(seq 1 "$BENCH_INSTANCES"); do instances+=("PIHOLE_I${i}_URL=http://127.0.0.1:9/i$i"); done
fi

one() { # LAYOUT: prints "wall_ms migrate_cpu_ms server_cpu_ms rss_kib main_thread_cpu_ms"
  data="$work/$(basename "$1")"
  [ "${BENCH_RESTART:-}" = 1 ] || rm -rf "$data"
  t0=$(date +%s%3N)
  env DATA_DIR="$data/data" BACKUP_DIR="$data/backups" PORT=$port BIND_ADDRESS=127.0.0.1 "${instances[@]}" \
    "$1/entrypoint.sh" >"$work/server.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%3N)
  # utime stime cutime cstime: fields 14–17 (the name in field 2 has no spaces here: "java")
  read -r ut st cut cst < <(awk '{print $14, $15, $16, $17}' "/proc/$pid/stat")
  # the JVM's main thread is the process's second task (the first, the primordial thread, only waits)
  main_task=$(ls "/proc/$pid/task" | sort -n | sed -n 2p)
  main_ticks=$(awk '{print $14 + $15}' "/proc/$pid/task/$main_task/stat")
  sleep 2 # the settled footprint, as bench/footprint.sh measures it
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$((t1 - t0)) $(((cut + cst) * 1000 / tck)) $(((ut + st) * 1000 / tck)) $rss $((main_ticks * 1000 / tck))"
}
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%d ms | %d–%d ms", m, v[1], v[NR]}'; }

declare -A wall cpu_m cpu_s total rss cpu_main
if [ "${BENCH_RESTART:-}" = 1 ]; then
  one "$a" >/dev/null; one "$b" >/dev/null # the first start of each stores the instances: not counted
fi
for _ in $(seq 1 "$pairs"); do
  for side in A B; do
    dir=$a; [ $side = B ] && dir=$b
    read -r w m s r mt < <(one "$dir")
    wall[$side]+="$w "; cpu_m[$side]+="$m "; cpu_s[$side]+="$s "; total[$side]+="$((m + s)) "; rss[$side]+="$((r / 1024)) "
    cpu_main[$side]+="$mt "
    echo "$side wall ${w} ms, CPU migrate ${m} ms + server ${s} ms (main thread ${mt} ms), RSS $((r / 1024)) MiB" >&2
  done
done
echo "| layout | wall median | wall min–max | start CPU median | start CPU min–max | CPU before the server JVM (shell + migration JVM) | server JVM CPU | … of it its main thread | RSS 2 s after, median (MiB) | RSS min–max (MiB) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for side in A B; do
  dir=$a; [ $side = B ] && dir=$b
  # shellcheck disable=SC2086
  echo "| $side ($(basename "$dir")) | $(stats ${wall[$side]}) | $(stats ${total[$side]}) | $(stats ${cpu_m[$side]} | cut -d'|' -f1)| $(stats ${cpu_s[$side]} | cut -d'|' -f1)| $(stats ${cpu_main[$side]} | cut -d"|" -f1)| $(stats ${rss[$side]} | sed 's/ ms//g') |"
done
