#!/usr/bin/env python3
"""local-looks.py WORK N RUNS NAME=ROOT...: what a local plugin's look (core LocalPacks: its record under
$CXPM_STORE/local/) costs and saves, for checkouts ROOT (their ./cxpm) in interleaved rounds, cold (CXPM_DAEMON=0) and
through each checkout's warm daemon (CPU: the launcher's plus the daemon's growth), in bench/sync-gen.sh's project of N
local plugins (made under WORK when missing, synced once):
  first sync    `sync --yes` with no cxpm.lock into an empty store and home (new paths each run, deleted at the end)
  first update  `update` (nothing newer) right after a first sync: the store's local/ records moved away first
  update        `update` (nothing newer) with the records the last run left
Prints, per scenario, mode and checkout, the median wall and CPU (ms) of RUNS runs (after one uncounted round), and
checks that `update` left cxpm.lock byte for byte as it was. Scenarios: SCENARIOS="first sync,first update,update"."""
import hashlib, os, shutil, statistics, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemoncpu import daemon_cpu

work, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
roots = [a.split("=", 1) for a in sys.argv[4:]]
scenarios = os.environ.get("SCENARIOS", "first sync,first update,update").split(",")
here = os.path.dirname(os.path.abspath(__file__))
d = f"{work}/n{n}"
if not os.path.isdir(f"{d}/project"):
    subprocess.run([f"{here}/sync-gen.sh", str(n), d], check=True)
trash = f"{d}/trash"
os.makedirs(trash, exist_ok=True)
base = {**os.environ, "HOME": f"{d}/user-home", "CODEX_HOME": f"{d}/home-a", "CXPM_STORE": f"{d}/store"}
base.pop("CI", None)
daemon_file = {name: subprocess.run([f"{root}/cxpm"], env={**os.environ, "CXPM_DAEMON": "where"}, capture_output=True,
                                    text=True).stdout.strip() for name, root in roots}
lock = f"{d}/project/cxpm.lock"
lock_sum = hashlib.sha256(open(lock, "rb").read()).hexdigest()
fresh = 0


def away(path):  # moved into the trash, deleted at the end: a deletion right before a run taxes it
    global fresh
    if os.path.lexists(path):
        fresh += 1
        os.rename(path, f"{trash}/{fresh}")


def timed(root, mode, name, args, cwd, env):
    if mode == "cold":
        env = {**env, "CXPM_DAEMON": "0"}
    before = daemon_cpu(daemon_file[name]) if mode == "daemon" else 0
    t0 = time.perf_counter()
    p = subprocess.Popen([f"{root}/cxpm", *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    err = p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} {args} failed: {err}")
    cpu = (ru.ru_utime + ru.ru_stime) * 1000 + (daemon_cpu(daemon_file[name]) - before if mode == "daemon" else 0)
    return wall, cpu


def one(scenario, root, mode, name):
    global fresh
    if scenario == "first sync":
        fresh += 1
        p = f"{d}/first-{fresh}"  # beside market/ (cxpm.toml names ../market)
        os.makedirs(p)
        shutil.copy(f"{d}/project/cxpm.toml", p)
        env = {**base, "CXPM_STORE": f"{p}/.store", "CODEX_HOME": f"{p}/.home"}
        r = timed(root, mode, name, ["sync", "--yes"], p, env)
        away(p)
        return r
    if scenario == "first update":
        away(f"{d}/store/local")
    r = timed(root, mode, name, ["update"], f"{d}/project", base)
    if hashlib.sha256(open(lock, "rb").read()).hexdigest() != lock_sum:
        sys.exit(f"{name}: update changed cxpm.lock")
    return r


results = {}
for scenario in scenarios:
    for mode in ("cold", "daemon"):
        for name, root in roots:
            if mode == "daemon":
                timed(root, mode, name, ["list"], f"{d}/project", base)  # starts the daemon or warms it
        for i in range(runs + 1):
            for name, root in roots:
                r = one(scenario, root, mode, name)
                if i > 0:
                    results.setdefault((scenario, mode, name), []).append(r)
        for name, _ in roots:
            rs = results[(scenario, mode, name)]
            print(f"{n}\t{scenario}\t{mode}\t{name}\twall {statistics.median(w for w, _ in rs):.0f} ms"
                  f"\tcpu {statistics.median(c for _, c in rs):.0f} ms\t(load {os.getloadavg()[0]:.1f})", flush=True)
print(f"deleting {trash}...", file=sys.stderr)
shutil.rmtree(trash)
