#!/usr/bin/env bash
# Where a cold `cxpm list` spends its time once the JVM is up (picocli, Jackson, TOML), with the launcher's
# flags and trained class-data archive. Usage: bench/startup-breakdown.sh [RUNS=3]
# First each step in order in one JVM (wall ms, RUNS times); then each step alone in a fresh JVM, interleaved with a
# bare JVM and with `codex plugin list` through its npm launcher (bench/interleave.py: CPU ms is the steadier figure
# on a loaded machine): what a step costs over the bare JVM is what removing it from a command would save.
# toml-tree and json-text are what the cold path does instead of toml-read and object-mapper; list is `cxpm list` as
# it runs now (QuickCommands, no picocli), list-picocli the same command parsed by picocli (`list --debug`).
# The launcher's own share: bench/cold.sh (`cxpm list` beside its java line).
set -euo pipefail
cd "$(dirname "$0")/.."
CXPM_DAEMON=0 ./cxpm --version >/dev/null # builds the jar and its archive when missing or stale (and starts no daemon)
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java_home="${java_home:-$JAVA_HOME}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
cp="cli/target/cxpm.jar"
"$java_home/bin/javac" -d "$out" -cp "$cp:$(ls cli/target/lib/*.jar | tr '\n' ':')" bench/startup-breakdown/StartupBreakdown.java
flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=cli/target/cxpm.jsa -Xlog:cds=off)
echo "JVM up to main (-Xlog:startuptime 'Create VM'):"
"$java_home/bin/java" "${flags[@]}" -Xlog:startuptime -jar "$cp" --version 2>&1 | grep -E 'Create VM' || true
for i in $(seq "${1:-3}"); do
  echo "run $i:"
  "$java_home/bin/java" "${flags[@]}" -cp "$cp:$out" StartupBreakdown
done
echo; echo "each step alone in a fresh JVM (list on an empty temp Codex home):"
home="$(mktemp -d)"; trap 'rm -rf "$out" "$home"' EXIT
codex=(); client="${CXPM_SHARED:-$PWD/../shared}/compat/codex/codex-client.sh"
[[ -x "$client" ]] && codex=("codex plugin list (npm launcher)=env HOME=$home CODEX_HOME=$home/codex CODEX_CLIENT_LAUNCHER=1 $client plugin list")
steps=()
for s in hello annotation picocli-annotated picocli-programmatic date-format object-mapper toml-read toml-tree json-text list-picocli list; do
  steps+=("$s=env HOME=$home CODEX_HOME=$home/cxpm $java_home/bin/java ${flags[*]} -cp $cp:$out StartupBreakdown $s")
done
python3 bench/interleave.py "${1:-3}" "${codex[@]}" "${steps[@]}"
