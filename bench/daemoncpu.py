"""daemon_cpu(daemon_file): the CPU time (user + sys, ms) a checkout's warm daemon has used so far, found by the file
it announces itself in (`CXPM_DAEMON=where ./cxpm` prints it); 0 when no such daemon runs yet. A command run through
the daemon costs the launcher's CPU plus this figure's growth over the command. Shared by bench/sync-ab.sh and
bench/commands-at-size.py."""
import os

_TICK = os.sysconf("SC_CLK_TCK")


def daemon_cpu(daemon_file):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            if {b"dev.cxpm.cli.Daemon", b"dev.cxpm.cli.daemon.Daemon"} & set(cmd) and daemon_file.encode() in cmd:
                f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                return (int(f[11]) + int(f[12])) * 1000 / _TICK
        except OSError:
            pass
    return 0.0
