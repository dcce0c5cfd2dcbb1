#!/usr/bin/env python3
"""Runs commands in turn (A, B, A, B, ...) so that a machine's changing load hits each alike; prints wall
min/median and mean CPU (user + sys of the child) per command. Usage: interleave.py RUNS NAME=COMMAND...
A NAME=COMMAND may be followed by --prepare=SHELL-COMMAND, run (untimed, through sh) before each run of it.
{FRESH} in a command or its --prepare becomes a path never used before, under $FRESH_DIR (default: a new temp dir, left
in place): a run into a fresh Codex home without deleting the last one right before it (on ext4 without a journal,
making an inode scans past every one freed in the last ~30 s, which an `rm -rf` in --prepare charges to the run)."""
import os, resource, statistics, subprocess, sys, tempfile, time

runs = int(sys.argv[1])
cmds, prepare = [], {}
for a in sys.argv[2:]:
    if a.startswith("--prepare="):
        prepare[cmds[-1][0]] = a[len("--prepare="):]
    else:
        cmds.append(a.split("=", 1))
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
fresh_dir, fresh = os.environ.get("FRESH_DIR") or tempfile.mkdtemp(prefix="interleave-"), 0
for i in range(runs + 2):  # the first two rounds warm the page cache and are not counted
    for name, template in cmds:
        fresh += 1
        path = os.path.join(fresh_dir, f"{os.getpid()}-{fresh}")
        cmd = template.replace("{FRESH}", path)
        if name in prepare:
            subprocess.run(["sh", "-c", prepare[name].replace("{FRESH}", path)], check=True)
        r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(cmd.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        if i >= 2:
            wall[name].append((t1 - t0) * 1000)
            cpu[name].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
ref = statistics.median(wall[cmds[0][0]])
print(f"{'set-up':44} {'min ms':>8} {'median ms':>10} {'vs first':>9} {'cpu ms':>8}   ({runs} interleaved runs, load {os.getloadavg()[0]:.1f})")
for name, _ in cmds:
    print(f"{name:44} {min(wall[name]):8.0f} {statistics.median(wall[name]):10.0f} {statistics.median(wall[name]) / ref:9.2f} {statistics.mean(cpu[name]):8.0f}")
