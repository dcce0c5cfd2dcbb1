#!/usr/bin/env python3
"""commands-at-size.py ROOT WORK N...: the CPU time (user+sys, ms) and peak RSS of every read-only and planning
command a team runs, in a project of N plugins made by bench/sync-gen.sh (synced once), on a cold JVM
(CXPM_DAEMON=0) and through the daemon; ROOT is the checkout whose ./cxpm is timed, WORK keeps the projects (made
when missing). Prints one line per command, size and mode: the median of ROUNDS (default 3) runs.
Issue 12 asks that nothing grow as N^2: compare N=2000 with N=1000 after subtracting N=10 (the fixed start cost)."""
import os, statistics, subprocess, sys
from daemoncpu import daemon_cpu  # this script's directory is on sys.path

root, work, sizes = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]]
rounds = int(os.environ.get("ROUNDS", "3"))
only = os.environ.get("ONLY")  # a comma-separated subset of the command labels
here = os.path.dirname(os.path.abspath(__file__))


def commands(n):
    last = f"plugin-{n:0{len(str(n))}d}"
    return [
        ("list", ["list"]), ("list --json", ["list", "--json"]),
        ("outdated", ["outdated"]), ("outdated --json", ["outdated", "--json"]),
        ("why", ["why", last]), ("why --json", ["why", "--json", last]),
        ("doctor", ["doctor"]), ("doctor --json", ["doctor", "--json"]),
        ("audit", ["audit"]), ("audit --json", ["audit", "--json"]),
        ("sync (no-op)", ["sync"]), ("sync --frozen (no-op)", ["sync", "--frozen"]),
        ("update (nothing newer)", ["update"]),
        ("info", ["info", last]), ("info --json", ["info", "--json", last]),
        ("search", ["search", "plugin"]), ("search --json", ["search", "--json", "plugin"]),
        ("approve --json", ["approve", "--json"]),
        ("policy show", ["policy", "show"]), ("policy explain", ["policy", "explain", last + "@fx"]),
        ("marketplace list", ["marketplace", "list"]),
        ("validate market", ["validate", "../market"]),
        # outside the project: the Codex home alone (its N plugins placed by the sync)
        ("home: list", ["list"], ".."), ("home: list --json", ["list", "--json"], ".."),
        ("home: audit", ["audit"], ".."), ("home: audit --json", ["audit", "--json"], ".."),
        ("home: info", ["info", last + "@fx"], ".."), ("home: search", ["search", "plugin"], ".."),
    ]


def run(args, cwd, env):
    p = subprocess.Popen([f"{root}/cxpm", *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


daemon_file = subprocess.run([f"{root}/cxpm"], env={**os.environ, "CXPM_DAEMON": "where"}, capture_output=True, text=True).stdout.strip()
for n in sizes:
    d = f"{work}/n{n}"
    if not os.path.isdir(f"{d}/project"):
        subprocess.run([f"{here}/sync-gen.sh", str(n), d], check=True)
    env = {**os.environ, "HOME": f"{d}/user-home", "CODEX_HOME": f"{d}/home-a", "CXPM_STORE": f"{d}/store"}
    env.pop("CI", None)
    for label, args, *where in commands(n):
        cwd = os.path.normpath(f"{d}/project/{where[0] if where else '.'}")
        if only and label not in only.split(","):
            continue
        for mode in ("cold", "daemon"):
            e = {**env, "CXPM_DAEMON": "0"} if mode == "cold" else env
            if mode == "daemon":
                run(args, cwd, e)  # starts the daemon or warms it for this command
            cpu, rss, codes = [], [], set()
            for _ in range(rounds):
                before = daemon_cpu(daemon_file) if mode == "daemon" else 0
                c, r, code = run(args, cwd, e)
                cpu.append(c + (daemon_cpu(daemon_file) - before if mode == "daemon" else 0))
                rss.append(r)
                codes.add(code)
            print(f"{n}\t{label}\t{mode}\t{statistics.median(cpu):.0f} ms\t{max(rss)} MB\texit {sorted(codes)}", flush=True)
