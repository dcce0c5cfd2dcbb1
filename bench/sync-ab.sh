#!/usr/bin/env bash
# A/B of sync (issue 12, docs/BENCHMARKS.md "Placing by hard links from the store's trees"): BASE's launcher (another
# checkout with a built jar, e.g. BASE=/work/main) against this checkout's, interleaved (A, B, A, B, ...), on
# bench/sync.sh's generated project, for each N in SIZES (default 200 1000):
#   frozen  `sync --frozen` into an empty Codex home, every plugin already in the store (each side its own store)
#   first   no lockfile, empty home, empty store
# each through the checkout's warm daemon and cold (CXPM_DAEMON=0). Prints wall medians and CPU medians: user + sys
# of the cold JVM, or of the daemon (its /proc/PID/stat before and after) plus the launcher's. On a shared machine
# read the CPU and the ratios, not the wall times alone.
# The first WARMUP rounds (default 3) are not counted: a daemon started by this checkout's rebuild runs its first
# syncs of a size with code the JIT has not compiled yet (a fresh daemon's first syncs of 200 plugins took 283, 159, 127
# and then ~110 ms: docs/BENCHMARKS.md "wt-fixed (session 9)"), while BASE's daemon has usually been warm for long: with
# one round uncounted, B's figures came out 1.1-1.3x A's for identical sync code.
# The set-up before each timed run moves the last run's home (and store, lockfile) into a trash deleted at exit, as
# bench/sync.sh does (bench/gone.sh says why); CLEANUP=now deletes them right before the run instead. The trash holds
# every round's trees: at the defaults at most ~4 GB and ~1 M inodes (hard links counted per link).
# Usage: BASE=DIR [SIZES="200 1000"] [WARMUP=3] [CLEANUP=later|now] bench/sync-ab.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-5}"
base="${BASE:?BASE=DIR of another checkout with a built jar}"
./cxpm --version >/dev/null # builds the jar and its start-up cache when missing or stale
"$base/cxpm" --version >/dev/null
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
scenarios="$work/scenarios.tsv" # N, situation, side, daemon file or -, set-up, timed command
: > "$scenarios"
for n in ${SIZES:-200 1000}; do
  d="$work/n$n"
  echo "generating $n plugins..." >&2
  bench/sync-gen.sh "$n" "$d" >/dev/null 2>&1 # bench/sync.sh's marketplace and project, synced once into DIR/store
  mv "$d/store" "$d/store-B"
  cp -r "$d/store-B" "$d/store-A"
  for side in A B; do
    launcher="$root/cxpm"; [[ "$side" == A ]] && launcher="$base/cxpm"
    for mode in daemon cold; do
      envs=""; daemon_file="$(CXPM_DAEMON=where "$launcher")"
      [[ "$mode" == cold ]] && { envs="CXPM_DAEMON=0"; daemon_file="-"; }
      printf '%s\tfrozen\t%s %s\t%s\t%s\t%s\n' "$n" "$side" "$mode" "$daemon_file" "$gone $d/home-$side" \
        "cd $d/project && env $envs CXPM_STORE=$d/store-$side CODEX_HOME=$d/home-$side $launcher sync --frozen" >> "$scenarios"
      printf '%s\tfirst\t%s %s\t%s\t%s\t%s\n' "$n" "$side" "$mode" "$daemon_file" \
        "$gone $d/home-f-$side $d/store-f-$side $d/project-first/cxpm.lock" \
        "cd $d/project-first && env $envs CXPM_STORE=$d/store-f-$side CODEX_HOME=$d/home-f-$side $launcher sync --yes" >> "$scenarios"
    done
  done
done

python3 - "$runs" "$scenarios" "${WARMUP:-3}" <<'PY'
import os, resource, statistics, subprocess, sys, time
sys.path.insert(0, "bench")
from daemoncpu import daemon_cpu
runs, table, warmup = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rows = [line.rstrip("\n").split("\t") for line in open(table)]

wall, cpu = {}, {}
for i in range(warmup + runs):  # the first rounds warm the page cache and the daemons' JIT: not counted
    for n, situation, side, daemon_file, setup, cmd in rows:
        subprocess.run(setup, shell=True, check=True)
        d0 = daemon_cpu(daemon_file) if daemon_file != "-" else 0.0
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        d1 = daemon_cpu(daemon_file) if daemon_file != "-" else 0.0
        if r.returncode != 0:
            sys.exit(f"failed ({r.returncode}): {cmd}\n{r.stderr.decode()}")
        if i >= warmup:
            k = (int(n), situation, side)
            wall.setdefault(k, []).append((t1 - t0) * 1000)
            cpu.setdefault(k, []).append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000 + max(0.0, d1 - d0))
cleanup = {"later": "trees moved to a trash before each run, deleted after all", "now": "trees deleted right before each run"}[os.environ["CLEANUP"]]
print(f"{runs} interleaved runs after {warmup} uncounted, medians in ms; A = BASE, B = this checkout; {cleanup} (CLEANUP={os.environ['CLEANUP']}); "
      f"load average at the end {os.getloadavg()[0]:.1f}\n")
print("| N | situation | A wall | B wall | B / A wall | A cpu | B cpu | B / A cpu |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for n in sorted({k[0] for k in wall}):
    for s in ("frozen", "first"):
        for mode in ("daemon", "cold"):
            a, b = (n, s, "A " + mode), (n, s, "B " + mode)
            wa, wb = statistics.median(wall[a]), statistics.median(wall[b])
            ca, cb = statistics.median(cpu[a]), statistics.median(cpu[b])
            print(f"| {n} | {s}, {mode} | {wa:.0f} | {wb:.0f} | {wb / wa:.2f}x | {ca:.0f} | {cb:.0f} | {cb / ca:.2f}x |")
PY
