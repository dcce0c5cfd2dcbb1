#!/usr/bin/env bash
# Where a cold `cxpm list` spends its time once the JVM is up (picocli, Jackson, TOML), with the launcher's
# flags and trained class-data archive. Usage: bench/startup-breakdown.sh [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
./cxpm --version >/dev/null # builds the jar and its archive when missing or stale
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java_home="${java_home:-$JAVA_HOME}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
cp="cli/target/cxpm.jar"
"$java_home/bin/javac" -d "$out" -cp "$cp:$(ls cli/target/lib/*.jar | tr '\n' ':')" bench/startup-breakdown/StartupBreakdown.java
echo "JVM up to main (-Xlog:startuptime 'Create VM'):"
"$java_home/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=cli/target/cxpm.jsa -Xlog:cds=off \
  -Xlog:startuptime -jar "$cp" --version 2>&1 | grep -E 'Create VM' || true
for i in $(seq "${1:-3}"); do
  echo "run $i:"
  "$java_home/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=cli/target/cxpm.jsa -Xlog:cds=off \
    -cp "$cp:$out" StartupBreakdown
done
