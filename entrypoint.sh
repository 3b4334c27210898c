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
# mounts are root-owned), then re-run this script as that user: uid/gid PUID/PGID, 1000 by default.
if [ "$(id -u)" = 0 ] && id checkpoint >/dev/null 2>&1; then
  uid=${PUID:-1000}; gid=${PGID:-1000}
  case "$uid:$gid" in
    *[!0-9:]*|:*|*:) echo "entrypoint.sh: PUID='$uid' and PGID='$gid' must be numeric ids, e.g. those of 'id' on the host" >&2; exit 1 ;;
  esac
  if [ "$uid" = 0 ]; then
    echo "entrypoint.sh: PUID=0 would run the server as root; use the id of an ordinary user" >&2; exit 1
  fi
  for dir in "${DATA_DIR:-/app/data}" "${BACKUP_DIR:-/app/backups}"; do
    mkdir -p "$dir"
    if [ "$(stat -c %u:%g "$dir")" != "$uid:$gid" ] && ! chown -R "$uid:$gid" "$dir"; then
      echo "entrypoint.sh: cannot hand $dir to uid $uid; on the host run: sudo chown -R $uid:$gid <the directory mounted at $dir>" >&2
      exit 1
    fi
    chmod 700 "$dir"
  done
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$0" "$@"
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
