"""bench/daemon-hwm.py CXPM DIR [args]: one `cxpm validate [args] DIR` through a fresh daemon of that checkout (started,
waited for until it announces itself and is idle): its VmHWM and VmRSS before and after, the wall time, and the daemon's
CPU over the command (a few ms only: the command ran in a JVM of its own). HEAPINFO=1 adds
`jcmd PID GC.heap_info` after. The daemon is stopped at the end."""
import os, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemoncpu import daemon_cpu
cx, d = sys.argv[1], sys.argv[2]
env = dict(os.environ); env.pop("CXPM_DAEMON", None)
where = subprocess.run([cx], env=dict(env, CXPM_DAEMON="where"), capture_output=True, text=True).stdout.strip()
def pid():
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")
            if where.encode() in cmd: return p
        except OSError: pass
def hwm(p):
    for l in open(f"/proc/{p}/status"):
        if l.startswith(("VmHWM", "VmRSS")): yield l.split()[1]
p = pid()
if p: subprocess.run(["kill", p]); time.sleep(2)
subprocess.run([cx, "validate", "--help"], env=env, capture_output=True)
for _ in range(200):  # until it announces itself (ready: its warm-up done), then a moment
    p = pid()
    if p and os.path.exists(where): break
    time.sleep(0.3)
time.sleep(1)
c = -1
while c != daemon_cpu(where):  # and idle
    c = daemon_cpu(where); time.sleep(0.5)
before = list(hwm(p)); c0 = daemon_cpu(where); t0 = time.time()
r = subprocess.run([cx, "validate"] + sys.argv[3:] + [d], env=env, capture_output=True)
t1 = time.time(); c1 = daemon_cpu(where)
after = list(hwm(p))
print(f"pid {p} before VmHWM/RSS {before} kB, after {after} kB, wall {1000*(t1-t0):.0f} ms, daemon cpu {c1-c0:.0f} ms, rc {r.returncode}, out {len(r.stdout)} bytes")
import os as _o
if _o.environ.get("HEAPINFO"): subprocess.run(["jcmd", p, "GC.heap_info"])
subprocess.run(["kill", p])
