#!/usr/bin/env bash
# Sync on a fresh JVM (CXPM_DAEMON=0, one command per CI job), A/B and JIT flags (issue 12, docs/BENCHMARKS.md
# "Sync on a fresh JVM"). For each N in SIZES (default 200 1000), bench/sync.sh's generated project, then:
#   1. BASE's launcher against this checkout's, interleaved: first sync, --frozen into an empty home, no-op
#      (BASE: another checkout with a built jar, e.g. BASE=/work/main; skipped when unset)
#   2. --frozen into an empty home under JIT set-ups (and the archive mapped without relocation), this checkout's jar
#      and start-up archive
# bench/interleave.py prints wall min/median and CPU (user + sys): on a loaded machine read the CPU.
# The --prepare step before each timed run moves the last run's home (and store, lockfile) into a trash deleted at exit,
# as bench/sync.sh does (bench/gone.sh says why); CLEANUP=now deletes them right before the run instead. The trash
# holds every round's trees: at the defaults at most ~2.5 GB and ~0.6 M inodes (hard links counted per link).
# Usage: BASE=DIR [SIZES="200 1000"] [CLEANUP=later|now] bench/sync-cold.sh [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-3}"
CXPM_DAEMON=0 ./cxpm --version >/dev/null # builds the jar and its start-up archive when missing or stale
[[ -z "${BASE:-}" ]] || CXPM_DAEMON=0 "$BASE/cxpm" --version >/dev/null
export CLEANUP="${CLEANUP:-later}"
bench/gone.sh # fails on a CLEANUP it does not know, before the long set-up
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT # the trash with it: once, after the timed runs
trap 'exit 130' INT TERM # so that the EXIT trap runs
export BENCH_TRASH="$work/trash" # under $work: the same file system as the trees it takes
mkdir -p "$BENCH_TRASH"
gone="$root/bench/gone.sh"
export HOME="$work/user-home"
mkdir -p "$HOME"
eval "$(sed -n '/^generate() {/,/^}/p' bench/sync.sh)" # the same marketplace, project and files as bench/sync.sh
. <(sed -n '/^find_jdk() {/,/^}/p; /^java_major() {/,/^}/p' cxpm)
release=0; major=0
find_jdk
java="$JAVA_HOME/bin/java"
for n in ${SIZES:-200 1000}; do
  d="$work/n$n"
  echo "generating $n plugins..." >&2
  generate "$n" "$d" >/dev/null 2>&1
  (cd "$d/project" && CXPM_DAEMON=0 CXPM_STORE="$d/store" CODEX_HOME="$d/home-a" "$root/cxpm" sync --yes >/dev/null)
  echo "== $n plugins: cold sync, ${BASE:-no BASE} against $root; CLEANUP=$CLEANUP"
  if [[ -n "${BASE:-}" ]]; then
    args=()
    for s in base:"$BASE/cxpm" branch:"$root/cxpm"; do
      name="${s%%:*}" cx="${s#*:}"
      # each side's no-op in a home of its own, synced by that side: a sync stamp another version wrote is stale for it
      # (then every no-op would run the full check and rewrite the stamp for the other)
      rm -rf "$d/home-a-$name" && cp -r "$d/home-a" "$d/home-a-$name"
      (cd "$d/project" && CXPM_DAEMON=0 CXPM_STORE="$d/store" CODEX_HOME="$d/home-a-$name" "$cx" sync >/dev/null)
      args+=("first-$name=env -C $d/project-first CXPM_DAEMON=0 CXPM_STORE=$d/store-f-$name CODEX_HOME=$d/home-f-$name $cx sync --yes"
        "--prepare=$gone $d/store-f-$name $d/home-f-$name $d/project-first/cxpm.lock"
        "frozen-$name=env -C $d/project CXPM_DAEMON=0 CXPM_STORE=$d/store CODEX_HOME=$d/home-b-$name $cx sync --frozen"
        "--prepare=$gone $d/home-b-$name"
        "noop-$name=env -C $d/project CXPM_DAEMON=0 CXPM_STORE=$d/store CODEX_HOME=$d/home-a-$name $cx sync")
    done
    python3 bench/interleave.py "$runs" "${args[@]}"
  fi
  echo "== $n plugins: sync --frozen into an empty home on a fresh JVM, by JIT set-up"
  base=(-XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -XX:SharedArchiveFile="$root/cli/target/cxpm.jsa")
  args=()
  jit() {
    args+=("$1=env -C $d/project CXPM_STORE=$d/store CODEX_HOME=$d/home-$1 $java ${base[*]} $2 -cp $root/cli/target/cxpm.jar dev.cxpm.cli.Main sync --frozen"
      "--prepare=$gone $d/home-$1")
  }
  jit c1 "-XX:TieredStopAtLevel=1"
  jit c1-1thread "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
  jit c1-scale0.05 "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.05"
  jit tiered "-XX:+TieredCompilation"
  # JDK 21+ maps the archives at a random address and then patches every pointer in them (ArchiveRelocationMode=1):
  # on this VM 90-230 ms of each fresh JVM's "Genesis" (-Xlog:startuptime), against ~20 ms mapped where they were made
  jit c1-norelocate "-XX:TieredStopAtLevel=1 -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  python3 bench/interleave.py "$runs" "${args[@]}"
done
