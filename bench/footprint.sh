#!/usr/bin/env bash
# Resident memory after start: `./entrypoint.sh` from this checkout (as the README runs it, no
# JAVA_OPTS or MALLOC_ARENA_MAX set) against the image's layout (/app: launcher.jar, lib/, the
# unpacked WAR, etc/, entrypoint.sh, class-data archives made at build time), built here in a
# scratch directory from target/ the way the Dockerfile builds it, and run on this machine's JDK.
# Also the checkout after `./entrypoint.sh cds`, and JVM defaults (what a checkout ran before
# etc/jvm.options) for reference. Same scenario as bench/startup.sh: fresh DATA_DIR, 5
# unreachable instances, RSS 2 s after /health answers. Prints Markdown rows of medians.
# Usage (after `mvn -B -q -DskipTests package`): bench/footprint.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${BENCH_PORT:-18126}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -f target/pihole-checkpoint.war ] || { echo "bench/footprint.sh: run 'mvn -B -q -DskipTests package' first" >&2; exit 1; }

# The image's /app, as the Dockerfile's last stage lays it out, with its class-data archives.
app=$work/app
mkdir -p "$app/webapp"
(cd "$app/webapp" && jar xf "$OLDPWD/target/pihole-checkpoint.war")
cp target/pihole-checkpoint-launcher.jar "$app/launcher.jar"
cp -r target/lib "$app/lib"
cp -r etc "$app/etc"
cp entrypoint.sh "$app/entrypoint.sh"
(cd "$app" && env -u JAVA_OPTS CDS_TRAINING_PORT=$((port + 1)) ./entrypoint.sh cds >/dev/null)
# The checkout's own archives, as `./entrypoint.sh cds` writes them (kept apart from target/cds).
env -u JAVA_OPTS CHECKPOINT_CDS_DIR="$work/cds" CDS_TRAINING_PORT=$((port + 1)) ./entrypoint.sh cds >/dev/null
mkdir -p "$work/no-cds"

rss() { # ENTRYPOINT ENV... : start on a fresh DATA_DIR, print VmRSS in MiB 2 s after /health answers
  local entrypoint=$1; shift
  rm -rf "$work/data" "$work/backups"
  env -u JAVA_OPTS -u MALLOC_ARENA_MAX DATA_DIR="$work/data" BACKUP_DIR="$work/backups" PORT=$port BIND_ADDRESS=127.0.0.1 \
    PIHOLE_A_URL=http://127.0.0.1:9 PIHOLE_B_URL=http://10.255.255.1 PIHOLE_C_URL=https://pihole.invalid \
    PIHOLE_D_URL=http://127.0.0.1:10 PIHOLE_E_URL=http://127.0.0.1:11 "$@" \
    "$entrypoint" >"$work/server.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.02
  done
  sleep 2 # let start-up threads settle before reading memory
  awk '/VmRSS/ {printf "%.1f\n", $2/1024}' "/proc/$pid/status"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

image=(); plain=(); cds=(); defaults=()
for _ in $(seq 1 "$runs"); do
  image+=("$(rss "$app/entrypoint.sh")")
  plain+=("$(rss ./entrypoint.sh CHECKPOINT_CDS_DIR="$work/no-cds")")
  cds+=("$(rss ./entrypoint.sh CHECKPOINT_CDS_DIR="$work/cds")")
  defaults+=("$(rss ./entrypoint.sh CHECKPOINT_CDS_DIR="$work/no-cds" JAVA_OPTS=-Xshare:auto MALLOC_ARENA_MAX=16)")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
spread() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%s–%s MiB", a[1], a[NR]}'; }
base=$(median "${image[@]}")
row() { # LABEL VALUES...
  local label=$1; shift
  local m; m=$(median "$@")
  echo "| $label | $m MiB | $(spread "$@") | $(awk -v m="$m" -v b="$base" 'BEGIN {printf "%+.1f %%", (m-b)*100/b}') | $runs |"
}
echo "| RSS after start | median | spread | vs image layout | runs |"
echo "|---|---|---|---|---|"
row "image layout (/app, its class-data archives)" "${image[@]}"
row "checkout: ./entrypoint.sh, no JAVA_OPTS, no class-data archives" "${plain[@]}"
row "checkout: ./entrypoint.sh after ./entrypoint.sh cds" "${cds[@]}"
row "checkout with JVM defaults (JAVA_OPTS=-Xshare:auto, MALLOC_ARENA_MAX=16): before etc/jvm.options" "${defaults[@]}"
