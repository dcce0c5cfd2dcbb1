#!/usr/bin/env bash
# Sync at N (issue 12): for each N in SIZES (default 50 200 1000 2000), a generated local marketplace of N
# plugins (every fifth depends on the next one; each a SKILL.md of 2 kB and a .mcp.json), a project whose
# cxpm.toml needs all N, and three situations, each timed for cxpm through its warm daemon (the launcher's
# default), cold (CXPM_DAEMON=0: a fresh JVM per command, as in CI) and pnpm on N local package tarballs
# with the same files:
#   first   no lockfile, empty home, empty store: resolve, fetch, write the lockfile, install
#           (pnpm: `pnpm install` with no lockfile, no node_modules and an empty store)
#   frozen  `sync --frozen` into an empty Codex home, every plugin already in the store
#           (pnpm: `install --frozen-lockfile --offline`, node_modules removed, warm store)
#   no-op   `sync` with everything installed (pnpm: the same install with node_modules in place)
#   frozen, policy / no-op, policy: the same in a copy of the project with a cxpm-policy.toml every plugin passes
#           (set beside pnpm's frozen and no-op: pnpm has no policy)
# Runs are interleaved (cxpm daemon, cxpm cold, pnpm, then again) so a loaded machine hits each alike; set-up
# steps (making the home, the store, the lockfile, node_modules absent) are not timed. Prints medians, the ratios to
# pnpm, the cost per plugin (median / N), which stays flat when the work grows as N, and the cost per added plugin
# between one size and the next ((t(N2) - t(N1)) / (N2 - N1)), which is flat when that cost is; then the CPU medians
# (user + sys, the daemon's included, and the sys part), which a loaded machine sways less than the wall times.
# Clean-up (bench/gone.sh says why): by default (CLEANUP=later) a set-up step renames the trees the timed run needs
# gone into a trash directory under the work directory, which is deleted once, at exit: deleting them right before a
# run made that run (either tool) pay, per inode it allocates, for every inode freed in the last ~30 s. The trash
# grows by each round's trees: a bound (hard links counted as many times as they are linked) is printed and checked
# against the free space and inodes before the timed runs, the real size after them. CLEANUP=now deletes with rm -rf
# right before each run, as this script did before session 11: run both to see the toll.
# pnpm: npm i -E pnpm@$PNPM_VERSION (default 12.4.2) into ~/.cache/cxpm-bench/ on first use.
# Usage: [CLEANUP=later|now] [SIZES="50 200 1000 2000"] bench/sync.sh [RUNS] (default 5), e.g. SIZES="50 200" bench/sync.sh 3.
# Results: bench/out/sync.md and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-5}"
sizes="${SIZES:-50 200 1000 2000}"
out="$root/bench/out"
mkdir -p "$out"
./cxpm --version >/dev/null # builds the jar and its start-up cache when missing or stale

pnpm_version="${PNPM_VERSION:-12.4.2}"
pnpm_dir="$HOME/.cache/cxpm-bench/pnpm-$pnpm_version"
[[ -x "$pnpm_dir/node_modules/.bin/pnpm" ]] || { mkdir -p "$pnpm_dir" && (cd "$pnpm_dir" && echo '{"private": true}' > package.json \
  && npm install -E "pnpm@$pnpm_version" --no-audit --no-fund >/dev/null 2>&1); }
pnpm="$pnpm_dir/node_modules/.bin/pnpm"

export CLEANUP="${CLEANUP:-later}"
bench/gone.sh # fails on a CLEANUP it does not know, before the long set-up
work="$(mktemp -d)"
# the trash goes with the work directory: once, after the timed runs, or on an interrupt
trap 'echo "deleting $work..." >&2; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM # so that the EXIT trap runs
export BENCH_TRASH="$work/trash" # under $work: the same file system as the trees it takes
mkdir -p "$BENCH_TRASH"
gone="$root/bench/gone.sh"
HOME_REAL="$HOME"
export HOME="$work/user-home"
mkdir -p "$HOME"

# generate N DIR [no-npm]: the marketplace, the cxpm project and the pnpm project of N plugins under DIR (with no-npm,
# the first two alone: bench/scale/gen-nonpm.sh)
generate() {
  local n="$1" dir="$2" npm="${3:-npm}" i name deps width entries="" toml pkgdeps=""
  width="${#n}"
  mkdir -p "$dir/market/.agents/plugins" "$dir/project" "$dir/npm-project" "$dir/tarballs"
  toml=$'[marketplaces]\nfx = "../market"\n\n[plugins]\n'
  for i in $(seq 1 "$n"); do
    name="plugin-$(printf "%0${width}d" "$i")"
    deps=""
    if (( i % 5 == 0 && i < n )); then deps="\"plugin-$(printf "%0${width}d" $((i + 1)))\": \"^1\""; fi
    mkdir -p "$dir/market/plugins/$name/.codex-plugin" "$dir/market/plugins/$name/skills/$name-skill"
    printf '{"name": "%s", "version": "1.%d.0", "description": "Generated plugin %d.", "dependencies": {%s}}\n' \
      "$name" "$i" "$i" "$deps" > "$dir/market/plugins/$name/.codex-plugin/plugin.json"
    printf -- '---\nname: %s-skill\ndescription: Skill of plugin %s.\n---\n%s\n' "$name" "$i" "$(head -c 2000 /dev/zero | tr '\0' 'x')" \
      > "$dir/market/plugins/$name/skills/$name-skill/SKILL.md"
    printf '{"mcpServers": {"%s": {"command": "npx", "args": ["-y", "@example/%s"]}}}\n' "$name" "$name" > "$dir/market/plugins/$name/.mcp.json"
    entries+="${entries:+, }{\"name\": \"$name\", \"source\": \"./plugins/$name\"}"
    toml+="$name = \"^1\""$'\n'
    [[ "$npm" == npm ]] || continue
    # the same files as an npm package
    local pkg="$dir/npm-src/$name/package"
    mkdir -p "$pkg"
    cp -r "$dir/market/plugins/$name/." "$pkg/"
    printf '{"name": "%s", "version": "1.%d.0"}\n' "$name" "$i" > "$pkg/package.json"
    tar -C "$dir/npm-src/$name" -czf "$dir/tarballs/$name.tgz" package
    pkgdeps+="${pkgdeps:+, }\"$name\": \"file:../tarballs/$name.tgz\""
  done
  printf '{"name": "fx", "plugins": [%s]}\n' "$entries" > "$dir/market/.agents/plugins/marketplace.json"
  printf '%s' "$toml" > "$dir/project/cxpm.toml"
  cp -r "$dir/project" "$dir/project-first"
  cp -r "$dir/project" "$dir/project-policy"
  # a project policy every plugin passes (it denies names none has): checked in full whenever it changed
  printf '[plugins]\ndeny = ["evil-*"]\n' > "$dir/project-policy/cxpm-policy.toml"
  [[ "$npm" == npm ]] || return 0
  printf '{"name": "bench", "private": true, "dependencies": {%s}}\n' "$pkgdeps" > "$dir/npm-project/package.json"
  cp -r "$dir/npm-project" "$dir/npm-first"
}

scenarios="$work/scenarios.tsv" # N, situation, runner, set-up command, timed command
: > "$scenarios"
round_kb=0 round_inodes=0 # what one round moves into the trash, at most (CLEANUP=later)
for n in $sizes; do
  d="$work/n$n"
  echo "generating $n plugins..." >&2
  generate "$n" "$d"
  (cd "$d/project" && CXPM_STORE="$d/store" CODEX_HOME="$d/home-a" "$root/cxpm" sync --yes >/dev/null) # lock (approving what the plugins run), store, home-a
  [[ "$(grep -c '^\[\[plugin\]\]' "$d/project/cxpm.lock")" == "$n" ]] || { echo "expected $n locked plugins" >&2; exit 1; }
  cp "$d/project/cxpm.lock" "$d/project-policy/cxpm.lock"
  (cd "$d/project-policy" && CXPM_STORE="$d/store" CODEX_HOME="$d/home-pa" "$root/cxpm" sync --frozen >/dev/null) # home-pa: synced under the policy
  (cd "$d/npm-project" && "$pnpm" install --store-dir "$d/pnpm-store" --reporter=silent >/dev/null)
  [[ -f "$d/npm-project/pnpm-lock.yaml" ]] || { echo "pnpm did not write pnpm-lock.yaml" >&2; exit 1; }
  # one round's trees at this N, measured on their twins the set-up just made: per cxpm mode a store and a home (first),
  # a home (frozen) and a policy home; for pnpm two node_modules, a store and a lockfile. du -l counts a hard-linked
  # file once per link, where the disk holds it once: an upper bound.
  for weight_path in "2 $d/store" "4 $d/home-a" "2 $d/home-pa" "2 $d/project/cxpm.lock" \
      "2 $d/npm-project/node_modules" "1 $d/pnpm-store" "1 $d/npm-project/pnpm-lock.yaml"; do
    read -r weight path <<< "$weight_path"
    round_kb=$(( round_kb + weight * $(du -slk "$path" | cut -f1) ))
    round_inodes=$(( round_inodes + weight * $(du -sl --inodes "$path" | cut -f1) ))
  done
  for mode in daemon cold; do
    envs="CXPM_STORE=$d/store"; [[ "$mode" == cold ]] && envs+=" CXPM_DAEMON=0"
    printf '%s\tfirst\tcxpm %s\t%s\t%s\n' "$n" "$mode" "$gone $d/home-f-$mode $d/store-f-$mode $d/project-first/cxpm.lock" \
      "cd $d/project-first && env CXPM_STORE=$d/store-f-$mode CODEX_HOME=$d/home-f-$mode ${envs#CXPM_STORE=$d/store} $root/cxpm sync --yes" >> "$scenarios"
    printf '%s\tfrozen\tcxpm %s\t%s\t%s\n' "$n" "$mode" "$gone $d/home-b" \
      "cd $d/project && env $envs CODEX_HOME=$d/home-b $root/cxpm sync --frozen" >> "$scenarios"
    printf '%s\tno-op\tcxpm %s\t%s\t%s\n' "$n" "$mode" "true" \
      "cd $d/project && env $envs CODEX_HOME=$d/home-a $root/cxpm sync" >> "$scenarios"
    printf '%s\tfrozen, policy\tcxpm %s\t%s\t%s\n' "$n" "$mode" "$gone $d/home-pb" \
      "cd $d/project-policy && env $envs CODEX_HOME=$d/home-pb $root/cxpm sync --frozen" >> "$scenarios"
    printf '%s\tno-op, policy\tcxpm %s\t%s\t%s\n' "$n" "$mode" "true" \
      "cd $d/project-policy && env $envs CODEX_HOME=$d/home-pa $root/cxpm sync" >> "$scenarios"
  done
  p="$pnpm install --reporter=silent"
  printf '%s\tfirst\tpnpm\t%s\t%s\n' "$n" "$gone $d/npm-first/node_modules $d/npm-first/pnpm-lock.yaml $d/pnpm-store-first" \
    "cd $d/npm-first && $p --store-dir $d/pnpm-store-first" >> "$scenarios"
  printf '%s\tfrozen\tpnpm\t%s\t%s\n' "$n" "$gone $d/npm-project/node_modules" \
    "cd $d/npm-project && $p --frozen-lockfile --offline --store-dir $d/pnpm-store" >> "$scenarios"
  printf '%s\tno-op\tpnpm\t%s\t%s\n' "$n" "true" \
    "cd $d/npm-project && $p --frozen-lockfile --offline --store-dir $d/pnpm-store" >> "$scenarios"
done
if [[ "$CLEANUP" == later ]]; then
  # the trash holds every round's trees (the uncounted first round too) until the end; others share this disk, so
  # leave them a fifth of what is free
  read -r free_kb free_inodes <<< "$(df -k --output=avail,iavail "$work" | tail -1)"
  trash_kb=$(( round_kb * (runs + 1) )) trash_inodes=$(( round_inodes * (runs + 1) ))
  echo "trash over $((runs + 1)) rounds: at most $((trash_kb / 1024)) MB and $trash_inodes inodes; free: $((free_kb / 1024)) MB and $free_inodes inodes" >&2
  if (( trash_kb > free_kb * 4 / 5 || trash_inodes > free_inodes * 4 / 5 )); then
    echo "not enough room for the trash: fewer RUNS or SIZES, or CLEANUP=now (its figures carry the deletion's toll)" >&2
    exit 1
  fi
fi
# Deletions made before this bench (an earlier run's trash, anyone's rm -rf) still tax the timed runs: the kernel skips
# an inode freed in the last 5 s, or in the last 300 s while its inode table block is still dirty (ext4's
# recently_deleted), and a second run started as the first deleted its 745k-inode trash took 2-3x the system time at
# 1,000 and 2,000 plugins. So the dirty blocks are written out first (sync(1)), and the 5 s let pass.
sync
sleep 6
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")"
for _ in $(seq 100); do [[ -f "$daemon_file" ]] && break; sleep 0.1; done
[[ -f "$daemon_file" ]] || { echo "the cxpm daemon did not start" >&2; exit 1; }

python3 - "$runs" "$scenarios" "$out/sync.md" "$daemon_file" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, table, report, daemon_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rows = [line.rstrip("\n").split("\t") for line in open(table)]
tick = os.sysconf("SC_CLK_TCK")

def daemon_cpu():
    """(user, sys) ms of the cxpm daemon announcing itself in daemon_file (as bench/sync-ab.sh reads it)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            if {b"dev.cxpm.cli.Daemon", b"dev.cxpm.cli.daemon.Daemon"} & set(cmd) and daemon_file.encode() in cmd:
                f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                return int(f[11]) * 1000 / tick, int(f[12]) * 1000 / tick
        except OSError:
            pass
    return 0.0, 0.0

# wall, and CPU (user + sys of the command, plus the daemon's for a run through it): on a loaded machine the wall
# times carry the waits for a core, the CPU far less. The sys part apart: the kernel's walk past recently freed inodes
# (bench/gone.sh) is spent there
times, cpus, syss = {}, {}, {}
load0 = os.getloadavg()[0]
for i in range(runs + 1):  # round 0 warms the page cache and the daemon: not counted
    for n, situation, runner, setup, cmd in rows:
        subprocess.run(setup, shell=True, check=True)
        d0 = daemon_cpu() if runner == "cxpm daemon" else (0.0, 0.0)
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        d1 = daemon_cpu() if runner == "cxpm daemon" else (0.0, 0.0)
        if r.returncode != 0:
            sys.exit(f"failed ({r.returncode}): {cmd}\n{r.stderr.decode()}")
        if i > 0:
            k = (int(n), situation, runner)
            times.setdefault(k, []).append((t1 - t0) * 1000)
            sys_ms = (r1.ru_stime - r0.ru_stime) * 1000 + max(0.0, d1[1] - d0[1])
            cpus.setdefault(k, []).append((r1.ru_utime - r0.ru_utime) * 1000 + max(0.0, d1[0] - d0[0]) + sys_ms)
            syss.setdefault(k, []).append(sys_ms)
med = {k: statistics.median(v) for k, v in times.items()}
cleanup = {"later": "trees moved to a trash before each run, deleted after all (CLEANUP=later)",
           "now": "trees deleted right before each run (CLEANUP=now)"}[os.environ["CLEANUP"]]
lines = [f"{runs} interleaved runs per figure, medians in ms; {cleanup}; load average {load0:.1f} at the start, "
         f"{os.getloadavg()[0]:.1f} at the end", "",
         "per plugin = median / N; per added plugin = (median at N - median at the size before) / (N - that size), in ms", "",
         "| N | situation | cxpm daemon | cxpm cold | pnpm | daemon / pnpm | cold / pnpm | per plugin: daemon, cold, pnpm "
         "| per added plugin: daemon, cold, pnpm |",
         "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
sizes = sorted({k[0] for k in med})
for n, before in zip(sizes, [None] + sizes):
    for s in ("first", "frozen", "no-op", "frozen, policy", "no-op, policy"):
        if (n, s, "cxpm daemon") not in med:
            continue
        # pnpm has no policy: a project with one is set beside pnpm's same situation
        keys = [(s, "cxpm daemon"), (s, "cxpm cold"), (s.split(",")[0], "pnpm")]
        d, c, p = (med[(n,) + k] for k in keys)
        added = "" if before is None else ", ".join(f"{(med[(n,) + k] - med[(before,) + k]) / (n - before):.2f}" for k in keys)
        lines.append(f"| {n} | {s} | {d:.0f} | {c:.0f} | {p:.0f} | {d / p:.2f}x | {c / p:.2f}x | {d / n:.2f}, {c / n:.2f}, {p / n:.2f} "
                     f"| {added} |")
cpu, sys_ = ({k: statistics.median(v) for k, v in m.items()} for m in (cpus, syss))
lines += ["", f"CPU (user + sys; through the daemon: the launcher's and the daemon's, read in {1000 / tick:.0f} ms ticks), medians in ms", "",
          "| N | situation | cxpm daemon | cxpm cold | pnpm | daemon / pnpm | cold / pnpm | of which sys: daemon, cold, pnpm |",
          "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
for n in sizes:
    for s in ("first", "frozen", "no-op", "frozen, policy", "no-op, policy"):
        if (n, s, "cxpm daemon") in cpu:
            keys = [(n, s, "cxpm daemon"), (n, s, "cxpm cold"), (n, s.split(",")[0], "pnpm")]
            d, c, p = (cpu[k] for k in keys)
            lines.append(f"| {n} | {s} | {d:.0f} | {c:.0f} | {p:.0f} | {d / p:.2f}x | {c / p:.2f}x | {', '.join(f'{sys_[k]:.0f}' for k in keys)} |")
open(report, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
# what the trash came to (du without -l: a file once, however many links it has in there)
[[ "$CLEANUP" == now ]] || echo "trash: $(( $(du -sk "$BENCH_TRASH" | cut -f1) / 1024 )) MB and $(du -s --inodes "$BENCH_TRASH" | cut -f1) inodes" >&2
