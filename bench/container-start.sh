#!/usr/bin/env bash
# One start of the WAR in a stock container, as the ITs' StandaloneTomcat / StandaloneJetty make it: wall and the container
# JVM's CPU (user + sys, /proc/PID/stat) until /health answers 200, then a stop. Extra arguments are JVM options, so
# alternated runs compare them: the JVM's defaults against RunningApp.QUICK_JVM (bench/RESULTS.md, r50-it).
# Needs `mvn -B -o -q verify` once before (target/pihole-checkpoint.war and target/standalone/ unpacked). Usage:
#   bench/container-start.sh tomcat|jetty [jvm options...]
#   e.g. for i in 1 2; do bench/container-start.sh tomcat; bench/container-start.sh tomcat -XX:TieredStopAtLevel=1 -XX:+UseSerialGC; done
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1; shift
war=$PWD/target/pihole-checkpoint.war
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/base" "$d/data" "$d/backups"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$kind" = tomcat ]; then
  home=$(ls -d "$PWD"/target/standalone/apache-tomcat-*)
  mkdir -p "$d/base/conf" "$d/base/logs" "$d/base/temp" "$d/base/work" "$d/base/webapps"
  for f in catalina.properties context.xml logging.properties tomcat-users.xml web.xml; do cp "$home/conf/$f" "$d/base/conf/"; done
  sed -e 's/port="8005"/port="-1"/' -e "s/port=\"8080\"/port=\"$port\" address=\"127.0.0.1\"/" "$home/conf/server.xml" > "$d/base/conf/server.xml"
  cp "$war" "$d/base/webapps/ROOT.war"
  t0=$(date +%s.%N)
  java -Xmx128m "$@" -DAPP_PASSWORD=bench-password -DDATA_DIR="$d/data" -DBACKUP_DIR="$d/backups" -DCHECKPOINT_MIGRATE_ON_START=true \
    -Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager -Djava.util.logging.config.file="$d/base/conf/logging.properties" \
    -Dcatalina.home="$home" -Dcatalina.base="$d/base" -Djava.io.tmpdir="$d/base/temp" -cp "$home/bin/bootstrap.jar:$home/bin/tomcat-juli.jar" \
    org.apache.catalina.startup.Bootstrap start > "$d/out" 2>&1 &
else
  home=$(ls -d "$PWD"/target/standalone/jetty-home-*)
  (cd "$d/base" && java -jar "$home/start.jar" --add-modules=http,ee10-deploy > /dev/null 2>&1)
  cp "$war" "$d/base/webapps/ROOT.war"
  t0=$(date +%s.%N)
  (cd "$d/base" && APP_PASSWORD=bench-password DATA_DIR="$d/data" BACKUP_DIR="$d/backups" CHECKPOINT_MIGRATE_ON_START=true \
    exec java -Xmx128m "$@" -jar "$home/start.jar" jetty.http.host=127.0.0.1 jetty.http.port="$port" > "$d/out" 2>&1) &
fi
pid=$!
until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" 2>/dev/null | grep -q 200; do
  kill -0 "$pid" 2> /dev/null || { tail -20 "$d/out"; exit 1; }
  sleep 0.1
done
t1=$(date +%s.%N)
cpu=$(awk '{ print ($14 + $15) / 100 }' "/proc/$pid/stat")
kill "$pid"; wait "$pid" || true
echo "$kind ${*:-(defaults)}: /health after $(echo "$t1 - $t0" | bc) s, container CPU to it $cpu s, load $(cut -d' ' -f1 /proc/loadavg)"
