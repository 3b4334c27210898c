#!/bin/sh
# Pi-hole Checkpoint: migrate the database, then run the web server in this process's place.
#
#   entrypoint.sh           migrate, then serve (the container's default)
#   entrypoint.sh migrate   only bring DATA_DIR/checkpoint.db up to date (and carry over the history of
#                           Pi-hole Checkpoint 1.x when DATA_DIR holds its db.sqlite3)
#   entrypoint.sh import-original DATA BACKUPS
#                           migrate, then carry over the history of Pi-hole Checkpoint 1.x from
#                           DATA/db.sqlite3 (another layout); its archives stay in BACKUPS, our BACKUP_DIR
#   entrypoint.sh copy-db   copy the SQLite catalogue of DATA_DIR into the empty PostgreSQL database of
#                           DATABASE_URL (both migrated first; all or nothing; the file is left as it was)
#   entrypoint.sh serve     only serve (refuses to start on a missing or outdated database)
#   entrypoint.sh cds       write the class-data archives that make both steps start faster
#                           (the image does this once, at build time)
#
# Works in the image (/app) and in a source checkout after `mvn package` (target/).
set -eu

# (no dirname: each process the shell starts before the JVM is time on every start)
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
if [ -f "$here/launcher.jar" ]; then
  webapp=$here/webapp; launcher=$here/launcher.jar; lib=$here/lib; cds_dir=$here/cds
else
  webapp=$here/target/pihole-checkpoint; launcher=$here/target/pihole-checkpoint-launcher.jar; lib=$here/target/lib
  cds_dir=$here/target/cds
fi
etc=${CHECKPOINT_ETC:-$here/etc}
cds_dir=${CHECKPOINT_CDS_DIR:-$cds_dir}
# The server's default JVM options, the same in the image and in a checkout; JAVA_OPTS replaces them.
jvm_options=$here/etc/jvm.options
# Fewer glibc malloc arenas keep the resident memory of a many-threaded JVM down.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
# The JVM reads environment variables (instance names, passwords) in the locale's character set. With no
# locale at all (a plain systemd service, `env -i`) that is ASCII, and every other byte of a name becomes
# U+FFFD, which the name rules then refuse. A locale the user chose (LC_ALL, LC_CTYPE or LANG) is kept.
if [ -z "${LC_ALL:-}" ] && [ -z "${LC_CTYPE:-}" ] && [ -z "${LANG:-}" ]; then
  LANG=C.UTF-8
  export LANG
fi

if [ ! -d "$webapp/WEB-INF" ] || [ ! -f "$launcher" ]; then
  echo "entrypoint.sh: no build found at $webapp; run 'mvn -q -DskipTests package' first" >&2
  exit 1
fi

# In the image we start as root only to hand the volumes to the unprivileged user (fresh bind
# mounts are root-owned), then re-run this script as that user: uid/gid PUID/PGID, 1000 by default.
if [ "${1:-run}" != cds ] && [ "$(id -u)" = 0 ] && id checkpoint >/dev/null 2>&1; then
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

# The class paths of both steps, jar by jar in the shell's (sorted) order. Not `dir/*`: the JVM
# expands that in the directory's own order, which a copy of the same jars can change, and an
# archive is only used with the class path, in the order and with the jar sizes and times, that
# it was made with.
# A jar named before its directory comes first, and only once.
jars() {
  out=
  for entry in "$@"; do
    if [ -d "$entry" ]; then
      for jar in "$entry"/*.jar; do
        case ":$out:" in *":$jar:"*) ;; *) [ -f "$jar" ] && out="$out${out:+:}$jar" ;; esac
      done
    else
      out="$out${out:+:}$entry"
    fi
  done
  printf '%s' "$out"
}
# The class loader looks for a resource jar by jar, opening each one (its central directory read)
# until it finds it. The class-data archive leaves most jars of the migration step unopened, but
# sqlite-jdbc reads its version from its own jar and the step its scripts from ours: first on the
# class path, they are found in the first two jars, not after the 60 or 40 before them (bench/RESULTS.md).
migrate_cp() {
  set --
  for jar in "$webapp"/WEB-INF/lib/sqlite-jdbc-*.jar "$webapp"/WEB-INF/lib/pihole-checkpoint-classes.jar; do
    if [ -f "$jar" ]; then set -- "$@" "$jar"; fi
  done
  jars "$@" "$webapp/WEB-INF/lib"
}
server_cp() { jars "$launcher" "$lib" "$webapp/WEB-INF/lib"; }

# What class-data archive $1 was made with, as the JVM checks it: the JVM (its binary, libjvm.so,
# which a JDK update replaces, and its own class-data archive) and every jar of the step's class path with its size and
# time. (Options such as the heap or the GC do not matter to it.) Read without starting a JVM.
# Needs java_bin (see java_binary).
made_with() {
  printf 'java %s\n' "$java_bin"
  if [ "$1" = server ]; then cp=$(server_cp); else cp=$(migrate_cp); fi
  libjvm=${java_bin%/bin/java}/lib/server/libjvm.so
  # The JDK's own archive, which ours extends: one written anew (`java -Xshare:dump`, a package's
  # reinstall) makes the JVM drop ours without a word ("static archive header checksum verification failed").
  base=${libjvm%/libjvm.so}/classes.jsa
  # One stat for the JVM's library, the archive and every jar (split at the colons, no globbing):
  # a start pays for one process, not three or a hundred. The archive itself too: one cut short or
  # swapped for another while keeping its time would otherwise be mapped, and a truncated one
  # crashes the JVM (SIGBUS) before it can say anything.
  (set -f; IFS=:; stat -c '%s %Y %n' -- "$libjvm" "$base" "$cds_dir/$1.jsa" $cp 2>/dev/null || true) | while read -r size time name; do
    case $name in
      "$libjvm") printf 'libjvm %s %s\n' "$size" "$time" ;;
      "$base") printf 'base %s %s\n' "$size" "$time" ;;
      "$cds_dir/$1.jsa") printf 'archive %s\n' "$size" ;;
      *) printf 'jar %s %s %s\n' "$name" "$size" "$time" ;;
    esac
  done
}

# Sets java_bin, the java binary that starts, symbolic links resolved (once: both steps use it).
java_binary() {
  [ -n "${java_bin:-}" ] || java_bin=$(readlink -f "$(command -v java)")
}

# Whether anything of this build is newer than file $1: one process (find stops at the first).
build_newer_than() {
  [ -n "$(find "$launcher" "$lib" "$webapp/WEB-INF" -newer "$1" -print -quit 2>/dev/null)" ]
}

# The options that use class-data archive $1 (see cds below), if it exists, is not older than the
# build it was made from and was made for this JVM and these jars. The JVM would refuse any other
# with a warning on every start ("Unable to use shared archive. The top archive failed to load"):
# a jar replaced by one of another size or time but not newer than the archive (a copy that keeps
# the original's time), or a JDK update. This says why and what to run instead. Sets archive_opt
# (run in this shell, not in $(...), so that what it finds out once is kept for the next step).
archive() {
  archive_opt=
  file=$cds_dir/$1.jsa
  [ -f "$file" ] || return 0
  if build_newer_than "$file"; then
    echo "entrypoint.sh: not using $file, it is older than this build; run 'entrypoint.sh cds' to start faster again" >&2
    return 0
  fi
  java_binary
  # read by the shell itself (not cat): one process fewer
  if [ ! -f "$cds_dir/$1.made-with" ] \
      || [ "$(made_with "$1")" != "$(while IFS= read -r line; do printf '%s\n' "$line"; done < "$cds_dir/$1.made-with")" ]; then
    echo "entrypoint.sh: not using $file, it was made for another JVM or other jars than this start's (the JVM would refuse it with 'Unable to use shared archive'); run 'entrypoint.sh cds' to start faster again" >&2
    return 0
  fi
  archive_opt=-XX:SharedArchiveFile=$file
}

# The options that load sqlite-jdbc's native library from the copy `cds` made, if it is there and
# not older than this build (else sqlite-jdbc extracts and compares it again on every start).
# Sets sqlite_opts, looked at once for both steps.
sqlite_library() {
  [ -z "${sqlite_checked:-}" ] || return 0
  sqlite_checked=1 sqlite_opts=
  for file in "$cds_dir"/native/*; do
    [ -f "$file" ] || return 0
    ! build_newer_than "$file" || return 0
    sqlite_opts="-Dorg.sqlite.lib.path=$cds_dir/native -Dorg.sqlite.lib.name=${file##*/}"
    return 0
  done
}

# The migration step's JVM options (MIGRATE_JAVA_OPTS replaces them): it runs for half a second,
# so C1 alone and the simplest collector; SLF4J told its backend rather than searching the jars.
# C1 compiles a method after some hundred calls, which in a JVM this short is mostly work thrown
# away (its compiler thread was over a quarter of the step's CPU): 4x those thresholds halves that
# thread's work, ~8 % of the step's CPU, without lengthening the main thread; no JIT at all (-Xint)
# costs more (bench/RESULTS.md). Locale data from CLDR alone, as the server's (etc/jvm.options).
migrate_opts=${MIGRATE_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=4 -XX:+UseSerialGC -Djava.locale.providers=CLDR -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN}

# The classes are all in jars, and etc/ goes last on the class paths: a class-data archive is only
# valid for the class path it was made with, and JDK 17 allows entries after that class path but
# no directory of files within it.
migrate() {
  archive migrate
  sqlite_library
  # shellcheck disable=SC2086
  java $archive_opt $sqlite_opts $migrate_opts \
    -cp "$(migrate_cp):$etc" io.piholecheckpoint.app.MigrateCommand "$@"
}

# Prints the server's JVM options: JAVA_OPTS when set and not empty, else etc/jvm.options as a java
# @argfile (the launcher expands it, so the JVM sees exactly the options of the file).
server_opts() {
  if [ -n "${JAVA_OPTS:-}" ]; then printf '%s' "$JAVA_OPTS"; else printf '@%s' "$jvm_options"; fi
}

serve() {
  archive server
  sqlite_library
  # shellcheck disable=SC2046,SC2086
  exec java $archive_opt $sqlite_opts $(server_opts) -cp "$(server_cp):$etc" io.piholecheckpoint.launcher.Launcher "$webapp"
}

# Class-data archives (AppCDS) hold the classes a start loads, already parsed and verified: the JVM
# maps them instead of reading jars (0.5 s of a 1.75 s start here). They are made by running both
# steps once on a scratch DATA_DIR with no instance or secret of the operator's, and are only
# valid for this build and this JDK.
cds() {
  command -v curl >/dev/null || { echo "entrypoint.sh cds: needs curl" >&2; exit 1; }
  umask 022
  mkdir -p "$cds_dir"
  rm -f "$cds_dir/migrate.jsa" "$cds_dir/server.jsa" "$cds_dir/migrate.made-with" "$cds_dir/server.made-with"
  rm -rf "$cds_dir/native"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  port=${CDS_TRAINING_PORT:-18099}
  set -- env -i PATH="$PATH" HOME="$scratch" DATA_DIR="$scratch/data" BACKUP_DIR="$scratch/backups" \
    PORT="$port" BIND_ADDRESS=127.0.0.1 PIHOLE_TRAINING_URL=http://127.0.0.1:9 PIHOLE_TRAINING_PASSWORD=training
  # the native SQLite library first: both training runs then load it as later starts will
  if ! java -cp "$webapp/WEB-INF/lib/*" io.piholecheckpoint.app.SqliteLibraryCommand "$cds_dir/native" >/dev/null; then
    rm -rf "$cds_dir/native"
    echo "entrypoint.sh cds: could not copy the native SQLite library; starts stay slower by about 0.1 s" >&2
  fi
  sqlite_library
  native=$sqlite_opts
  # shellcheck disable=SC2086
  if ! "$@" java $native $migrate_opts -XX:ArchiveClassesAtExit="$cds_dir/migrate.jsa" \
      -cp "$(migrate_cp)" io.piholecheckpoint.app.MigrateCommand >"$scratch/migrate.log" 2>&1; then
    cat "$scratch/migrate.log" >&2; echo "entrypoint.sh cds: the migration step failed" >&2; exit 1
  fi
  # The same options as serve: an archive is only mapped by a JVM whose relevant flags match those it was made with.
  # shellcheck disable=SC2046
  "$@" java $native $(server_opts) -XX:ArchiveClassesAtExit="$cds_dir/server.jsa" \
    -cp "$(server_cp)" io.piholecheckpoint.launcher.Launcher "$webapp" >"$scratch/server.log" 2>&1 &
  pid=$!
  tries=0
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    tries=$((tries + 1))
    if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -gt 600 ]; then
      kill "$pid" 2>/dev/null || true
      cat "$scratch/server.log" >&2; echo "entrypoint.sh cds: the server did not become healthy on port $port (CDS_TRAINING_PORT)" >&2; exit 1
    fi
    sleep 0.1
  done
  for page in / /instances/1 /api/v1/instances /metrics; do
    curl -s -o /dev/null "http://127.0.0.1:$port$page"
  done
  kill -TERM "$pid"
  wait "$pid" || true # the JVM writes the archive as it exits
  if [ ! -s "$cds_dir/migrate.jsa" ] || [ ! -s "$cds_dir/server.jsa" ]; then
    cat "$scratch/server.log" >&2; echo "entrypoint.sh cds: the JVM wrote no archive into $cds_dir" >&2; exit 1
  fi
  java_binary
  made_with migrate > "$cds_dir/migrate.made-with"
  made_with server > "$cds_dir/server.made-with"
  echo "entrypoint.sh cds: wrote $cds_dir/migrate.jsa and $cds_dir/server.jsa"
}

case "${1:-run}" in
  run) migrate; serve ;;
  migrate) migrate ;;
  import-original)
    if [ $# -ne 3 ]; then
      echo "usage: entrypoint.sh import-original DATA BACKUPS (the data and backup directories of Pi-hole Checkpoint 1.x)" >&2; exit 2
    fi
    migrate import-original "$2" "$3" ;;
  copy-db) migrate copy-db ;;
  serve) serve ;;
  cds) cds ;;
  *) echo "usage: entrypoint.sh [run|migrate|serve|cds|copy-db|import-original DATA BACKUPS]" >&2; exit 2 ;;
esac
