#!/bin/sh
# Pi-hole Checkpoint: migrate the database, then run the web server in this process's place.
#
#   entrypoint.sh           migrate, then serve (the container's default)
#   entrypoint.sh migrate   only bring DATA_DIR/checkpoint.db up to date
#   entrypoint.sh serve     only serve (refuses to start on a missing or outdated database)
#
# Works in the image (/app) and in a source checkout after `mvn package` (target/).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/launcher.jar" ]; then
  webapp=$here/webapp; launcher=$here/launcher.jar; lib=$here/lib
else
  webapp=$here/target/pihole-checkpoint; launcher=$here/target/pihole-checkpoint-launcher.jar; lib=$here/target/lib
fi
etc=${CHECKPOINT_ETC:-$here/etc}

if [ ! -d "$webapp/WEB-INF" ] || [ ! -f "$launcher" ]; then
  echo "entrypoint.sh: no build found at $webapp; run 'mvn -q -DskipTests package' first" >&2
  exit 1
fi

# In the image we start as root only to hand the volumes to the unprivileged user (fresh bind
# mounts are root-owned), then re-run this script as that user.
if [ "$(id -u)" = 0 ] && id checkpoint >/dev/null 2>&1; then
  for dir in "${DATA_DIR:-/app/data}" "${BACKUP_DIR:-/app/backups}"; do
    mkdir -p "$dir"
    [ "$(stat -c %U "$dir")" = checkpoint ] || chown -R checkpoint:checkpoint "$dir"
  done
  exec setpriv --reuid=checkpoint --regid=checkpoint --init-groups "$0" "$@"
fi

# Archives hold Pi-hole password hashes: nothing we create is readable by others.
umask 077

migrate() {
  # shellcheck disable=SC2086
  java ${MIGRATE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto} \
    -cp "$etc:$webapp/WEB-INF/classes:$webapp/WEB-INF/lib/*" io.piholecheckpoint.app.MigrateCommand
}

serve() {
  # shellcheck disable=SC2086
  exec java ${JAVA_OPTS:-} -cp "$etc:$launcher:$lib/*" io.piholecheckpoint.launcher.Launcher "$webapp"
}

case "${1:-run}" in
  run) migrate; serve ;;
  migrate) migrate ;;
  serve) serve ;;
  *) echo "usage: entrypoint.sh [run|migrate|serve]" >&2; exit 2 ;;
esac
