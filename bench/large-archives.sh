# Sourced by bench scripts over LargeArchives' huge-a.zip (after cd to the checkout and setting n, the domains):
# sets opts (the image's JAVA_OPTS), libs and dir, and builds $dir/huge-a.zip (and huge-b.zip) once per n.
# shellcheck shell=bash
opts=${JAVA_OPTS:-@$PWD/etc/jvm.options}
libs='target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*'
dir=target/million-inspection/$n
if [ ! -f "$dir/huge-a.zip" ]; then
  mkdir -p "$dir"
  java -cp "target/test-classes:target/classes:$libs" io.piholecheckpoint.testing.LargeArchives "$dir" "$n" >/dev/null
fi

# Runs the command "$@" $pairs times for base and branch in turn, with side and classes (base's: $base) set for it.
alternate() {
  echo "load before: $(uptime)"
  for _ in $(seq "$pairs"); do
    for side in base branch; do
      classes=target/classes
      [ "$side" = base ] && classes=$base
      "$@"
    done
  done
  echo "load after: $(uptime)"
}
