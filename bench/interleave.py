#!/usr/bin/env python3
"""Runs commands in turn (A, B, A, B, ...) so that a machine's changing load hits each alike; prints wall
min/median and mean CPU (user + sys of the child) per command. Usage: interleave.py RUNS NAME=COMMAND...
A NAME=COMMAND may be followed by --prepare=SHELL-COMMAND, run (untimed, through sh) before each run of it."""
import os, resource, statistics, subprocess, sys, time

runs = int(sys.argv[1])
cmds, prepare = [], {}
for a in sys.argv[2:]:
    if a.startswith("--prepare="):
        prepare[cmds[-1][0]] = a[len("--prepare="):]
    else:
        cmds.append(a.split("=", 1))
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
for i in range(runs + 2):  # the first two rounds warm the page cache and are not counted
    for name, cmd in cmds:
        if name in prepare:
            subprocess.run(["sh", "-c", prepare[name]], check=True)
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
