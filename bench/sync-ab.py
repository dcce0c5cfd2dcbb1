#!/usr/bin/env python3
"""A/B of two checkouts' sync on bench/sync.sh's projects, by CPU time (what a loaded machine distorts least).

Usage: bench/sync-ab.py OLD_CHECKOUT NEW_CHECKOUT WORK RUNS N... (projects in WORK/nN, made by bench/sync-gen.sh N WORK/nN).
Interleaved (old, new, old, ...), a first round not counted; per N: first sync (no lock, empty home and store), --frozen
into an empty home, and the no-op on that home, each cold (CXPM_DAEMON=0) and through the checkout's daemon. CPU ms per
command: cold = the command's user+sys with its children; daemon = the daemon's utime+stime delta (/proc) + the launcher's.
"""
import os, resource, statistics, subprocess, sys, time
old, new, work, runs, sizes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), [int(x) for x in sys.argv[5:]]
cos = {"old": os.path.abspath(old), "new": os.path.abspath(new)}
tck = os.sysconf("SC_CLK_TCK")

def daemon_cpu(co):
    pids = subprocess.run(["pgrep", "-f", f"cp {co}/cli/target/cxpm.jar dev.cxpm.cli.(daemon.)?Daemon"], capture_output=True, text=True).stdout.split()
    if not pids:
        return 0
    f = open(f"/proc/{pids[0]}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / tck

def run(cmd, env, cwd, co, daemon):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    d0 = daemon_cpu(co) if daemon else 0
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    wall = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    d1 = daemon_cpu(co) if daemon else 0
    if r.returncode:
        sys.exit(f"failed {cmd} in {cwd}: {r.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000 + (d1 - d0)

res = {}
for i in range(runs + 1):
    for n in sizes:
        d = f"{work}/n{n}"
        for mode in ("daemon", "cold"):
            for name, co in cos.items():
                env = dict(os.environ, CXPM_STORE=f"{d}/store", HOME=f"{d}/user-home")
                if mode == "cold":
                    env["CXPM_DAEMON"] = "0"
                subprocess.run(["rm", "-rf", f"{d}/home-ab"])
                e = dict(env, CODEX_HOME=f"{d}/home-ab")
                for situation, args in (("frozen", ["sync", "--frozen"]), ("no-op", ["sync"])):
                    w, c = run([f"{co}/cxpm", *args], e, f"{d}/project", co, mode == "daemon")
                    if i:
                        res.setdefault((n, situation, mode, name), []).append((w, c))
                subprocess.run(["rm", "-rf", f"{d}/home-abf", f"{d}/store-abf", f"{d}/project-first/cxpm.lock"])
                e = dict(env, CODEX_HOME=f"{d}/home-abf", CXPM_STORE=f"{d}/store-abf")
                w, c = run([f"{co}/cxpm", "sync", "--yes"], e, f"{d}/project-first", co, mode == "daemon")
                if i:
                    res.setdefault((n, "first", mode, name), []).append((w, c))
print(f"{runs} interleaved runs, medians; load average at the end {os.getloadavg()[0]:.1f}")
print("| N | situation | path | old CPU ms | new CPU ms | new / old | old wall ms | new wall ms |")
print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
for n in sizes:
    for s in ("first", "frozen", "no-op"):
        for mode in ("daemon", "cold"):
            o, nw = res[(n, s, mode, "old")], res[(n, s, mode, "new")]
            oc, nc = statistics.median(x[1] for x in o), statistics.median(x[1] for x in nw)
            print(f"| {n} | {s} | {mode} | {oc:.0f} | {nc:.0f} | {nc / oc:.2f}x | {statistics.median(x[0] for x in o):.0f} | {statistics.median(x[0] for x in nw):.0f} |")
