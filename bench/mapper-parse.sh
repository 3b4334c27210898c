#!/usr/bin/env bash
# The mapper parse of a server's start (the pool's first use) in a fresh JVM with the server's options (etc/jvm.options), MyBatis
# reading the XML through the JDK's XPath ("jdk", as before r49-start) and through ours (persistence/MapperXPathFactory),
# alternated: the parsing thread's CPU and allocation and the young collections. Medians.
# Usage (after `mvn -B -o -q -DskipTests package`): bench/mapper-parse.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-8}
cp="target/pihole-checkpoint/WEB-INF/lib/*:target/lib/*"
jdk="-Djavax.xml.xpath.XPathFactory:http://java.sun.com/jaxp/xpath/dom=com.sun.org.apache.xpath.internal.jaxp.XPathFactoryImpl"
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2)}'; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
for _ in $(seq 1 "$runs"); do
  java @etc/jvm.options $jdk -cp "$cp" bench/MapperParseBench.java 2>/dev/null >>"$out/jdk"
  java @etc/jvm.options -cp "$cp" bench/MapperParseBench.java 2>/dev/null >>"$out/ours"
done
echo "| XPath of the parse | thread CPU median (ms) | allocated median (MB) | young collections median | runs |"
echo "|---|---|---|---|---|"
for kind in jdk ours; do
  echo "| $kind | $(awk '{print $1}' "$out/$kind" | median) | $(awk '{print $2}' "$out/$kind" | median) | $(awk '{print $3}' "$out/$kind" | median) | $runs |"
done
