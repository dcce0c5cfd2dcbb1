#!/usr/bin/env bash
# Start-up benchmark: `cxpm --version` and `cxpm validate <small plugin>` under several JVM set-ups,
# side by side with the real `codex plugin list` through its npm launcher. Usage: bench/startup.sh [RUNS]
# Needs hyperfine (installed with apt-get when missing). Results: bench/out/startup-*.md and stdout.
#
#   default        java -jar cxpm.jar                         (no flags)
#   auto-cds       the previous launcher: SerialGC, C1 only, -XX:+AutoCreateSharedArchive (made by the first run)
#   trained-cds    SerialGC, C1 only, class-data archive from the training run (what ./cxpm uses)
#   aot            SerialGC, C1 only, JDK 25 AOT cache (-XX:AOTCacheOutput) from the same training run
#   aot-oldpicocli as aot, but with Maven Central's picocli jar (Java 5 bytecode: the JVM will not cache it)
#   ./cxpm         the launcher as users run it (bash + JDK lookup + staleness check + trained-cds); `validate` and `--version` run
#                  in its warm daemon (README)
#   ./cxpm (CXPM_DAEMON=0)  the launcher with the daemon turned off: a JVM per command
#   codex          codex plugin list, through the npm launcher (node bin/codex.js), temp CODEX_HOME
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-20}"
out="$root/bench/out"
mkdir -p "$out"
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }; }

./cxpm --version >/dev/null # builds the jar and its class-data archive when missing or stale
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$J" ]] || J="$(ls -d /usr/lib/jvm/temurin-25*/bin/java | head -1)"
jar="$root/cli/target/cxpm.jar"
fast=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:cds=off -Xlog:cds+dynamic=off -Xlog:aot=off)

# a small plugin to validate
rm -rf "$out/startup" "$out/startup-hyperfine.log" && mkdir -p "$out/startup"
./cxpm init "$out/startup/small" >/dev/null
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")" # the warm daemon init started
for _ in $(seq 100); do [[ -f "$daemon_file" ]] && break; sleep 0.1; done

# the caches each set-up uses, made fresh from this build
rm -f "$out"/startup/*.jsa "$out"/startup/*.aot
"$J" "${fast[@]}" -XX:ArchiveClassesAtExit="$out/startup/trained.jsa" -cp "$jar" dev.cxpm.cli.AotTraining >/dev/null 2>&1
"$J" "${fast[@]}" -XX:AOTCacheOutput="$out/startup/trained.aot" -cp "$jar" dev.cxpm.cli.AotTraining >/dev/null 2>&1
# picocli as Maven Central ships it, for the comparison only
pico="$(find ~/.m2/repository/info/picocli/picocli -name 'picocli-*[0-9].jar' | sort -V | tail -1)"
mkdir -p "$out/startup/oldpico" && (cd "$root/cli/target/classes" && jar_tool="$(dirname "$J")/jar" &&
  "$jar_tool" cf "$out/startup/oldpico/cxpm-nopicocli.jar" dev)
oldcp="$out/startup/oldpico/cxpm-nopicocli.jar:$pico:$(ls "$root"/cli/target/lib/*.jar | grep -v picocli | paste -sd:)"
"$J" "${fast[@]}" -XX:AOTCacheOutput="$out/startup/oldpico.aot" -cp "$oldcp" dev.cxpm.cli.AotTraining >/dev/null 2>&1

# the real Codex CLI through its npm launcher, on an empty home
shared="${CXPM_SHARED:-$root/../shared}"
codex_home="$(mktemp -d)"; codex_user="$(mktemp -d)"
CODEX_HOME="$codex_home" HOME="$codex_user" "$shared/compat/codex/codex-client.sh" plugin list >/dev/null 2>&1 || true
codex="env CODEX_CLIENT_LAUNCHER=1 CODEX_HOME=$codex_home HOME=$codex_user $shared/compat/codex/codex-client.sh plugin list"

has_validate=1
./cxpm --help | grep -qE '^ +validate ' || has_validate=0

bench() { # name, cxpm args...
  local name="$1"; shift
  local a="$*"
  hyperfine -N -w 3 -r "$runs" -i --export-markdown "$out/startup-$name.md" --export-json "$out/startup-$name.json" \
    -n default "$J -jar $jar $a" \
    -n auto-cds "$J -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$out/startup/auto-$name.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar $jar $a" \
    -n trained-cds "$J ${fast[*]} -XX:SharedArchiveFile=$out/startup/trained.jsa -cp $jar dev.cxpm.cli.Main $a" \
    -n aot "$J ${fast[*]} -XX:AOTCache=$out/startup/trained.aot -cp $jar dev.cxpm.cli.Main $a" \
    -n aot-oldpicocli "$J ${fast[*]} -XX:AOTCache=$out/startup/oldpico.aot -cp $oldcp dev.cxpm.cli.Main $a" \
    -n ./cxpm "$root/cxpm $a" \
    -n "./cxpm (CXPM_DAEMON=0)" "env CXPM_DAEMON=0 $root/cxpm $a" \
    -n "codex plugin list (npm launcher)" "$codex" >/dev/null 2>>"$out/startup-hyperfine.log"
}
summary() { # name: one line per set-up with wall min/median and CPU (user+sys) mean
  python3 - "$out/startup-$1.json" "$1" <<'PY'
import json, sys, statistics
d = json.load(open(sys.argv[1]))
print(f"\n## {sys.argv[2]}   (runs={len(d['results'][0]['times'])})")
print(f"{'set-up':34} {'min ms':>8} {'median ms':>10} {'cpu ms':>8}")
for r in d["results"]:
    t = r["times"]
    print(f"{r['command']:34} {min(t)*1000:8.0f} {statistics.median(t)*1000:10.0f} {(r['user']+r['system'])*1000:8.0f}")
PY
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)   java: $("$J" -version 2>&1 | head -1)"
bench version --version
summary version
if [[ $has_validate == 1 ]]; then
  bench validate validate "$out/startup/small"
  summary validate
else
  echo "(cxpm validate is not on this branch yet: skipped)"
fi
# hyperfine runs one set-up after the other, so a load that changes meanwhile favours some; the two
# closest set-ups again, interleaved
echo; echo "## trained-cds vs aot, interleaved"
v=(--version); [[ $has_validate == 1 ]] && v+=(validate)
for label in "${v[@]}"; do
  a="$label"; [[ $a == validate ]] && a="validate $out/startup/small"
  python3 "$root/bench/interleave.py" "$runs" \
    "trained-cds $label=$J ${fast[*]} -XX:SharedArchiveFile=$out/startup/trained.jsa -cp $jar dev.cxpm.cli.Main $a" \
    "aot $label=$J ${fast[*]} -XX:AOTCache=$out/startup/trained.aot -cp $jar dev.cxpm.cli.Main $a"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$codex_home" "$codex_user"
