#!/bin/sh
# sqlite-jdbc's "Failed to delete old native lib": 6 JVMs load the driver at once after 20 stale copies of the native
# library (no .lck) were left in their folder, as JVMs killed mid-test leave them in /tmp. With one folder for all
# ("shared", as before org.sqlite.tmpdir was set per JVM) two of them may both delete one copy, and the second logs the
# stack trace; with a folder each ("own") none can. Prints how many of the 6 logged it.
#   bench/sqlite-native-race.sh shared|own [work-dir]
set -eu
jar=$(ls "$HOME"/.m2/repository/org/xerial/sqlite-jdbc/*/sqlite-jdbc-*.jar | sort -V | tail -1)
version=$(basename "$jar" .jar); version=${version#sqlite-jdbc-}
base=${2:-${TMPDIR:-/tmp}/sqlite-native-race}/$1
rm -rf "$base"; mkdir -p "$base/shared" "$base/classes"
cat > "$base/classes/Load.java" <<'JAVA'
public class Load {
  public static void main(String[] a) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:")) { }
  }
}
JAVA
javac -d "$base/classes" -cp "$jar" "$base/classes/Load.java"
for i in $(seq 1 20); do echo x > "$base/shared/sqlite-$version-stale$i-libsqlitejdbc.so"; done
for j in 1 2 3 4 5 6; do
  if [ "$1" = own ]; then d=$base/own$j; mkdir -p "$d"; else d=$base/shared; fi
  java -cp "$jar:$base/classes" -Dorg.sqlite.tmpdir="$d" Load > "$base/out$j" 2>&1 &
done
wait
grep -l "Failed to delete old native lib" "$base"/out* | wc -l
