#!/usr/bin/env python3
"""One Codex view commit at N plugins, as CodexMarketplace writes it (issue 12).

Builds a bare repository with N plugins (two small files each) and a marketplace.json of N one-line entries in one
fast-import, then times K commits that each change one plugin the way the registry does: the git processes the
builder runs (rev-parse, fast-import with the plugin's paths and the whole marketplace.json, update-server-info)
and the bytes each commit adds under objects/. Usage: bench/codex-view-commit.py N [K] [git -c options...]
e.g. bench/codex-view-commit.py 100000 20 pack.compression=1 fastimport.unpackLimit=0
"""
import hashlib, os, shutil, subprocess, sys, tempfile, time

shard = "--shard" in sys.argv  # plugins/XX/NAME (XX: two hex digits of the name's hash) instead of plugins/NAME
same = "--same-manifest" in sys.argv  # leave marketplace.json out of the changing commits: what the tree alone costs
args = [a for a in sys.argv[1:] if not a.startswith("--")]
n = int(args[0]); k = int(args[1]) if len(args) > 1 else 20
conf = [a for c in args[2:] for a in ("-c", c)]
env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
d = tempfile.mkdtemp(prefix="cxpm-view-bench-")
git = ["git", "--git-dir=" + d] + conf


def entry(i, v):
    return ('{"name":"plugin-%06d","source":"./plugins/plugin-%06d","category":"productivity",'
            '"description":"A plugin that does thing number %d for the bench of the Codex view","version":"%s"}'
            % (i, i, i, v)).encode()


def manifest(entries):
    return (b'{\n  "name" : "cxpm",\n  "interface" : {\n    "displayName" : "cxpm registry"\n  },\n  "plugins" : [\n    '
            + b",\n    ".join(entries) + b"\n  ]\n}\n")


def data(path, body):
    return b'M 100644 inline "%s"\ndata %d\n%s\n' % (path.encode(), len(body), body)


def where(i):
    name = "plugin-%06d" % i
    return "plugins/%s/%s" % (hashlib.sha256(name.encode()).hexdigest()[:2], name) if shard else "plugins/" + name


def plugin(i, v):
    p = where(i)
    return (data(p + "/.codex-plugin/plugin.json", b'{"name":"plugin-%06d","version":"%s"}' % (i, v.encode()))
            + data(p + "/README.md", b"# plugin %d\n\nversion %s\n" % (i, v.encode())))


def commit(body, first):
    msg = b"registry snapshot"
    head = b"commit refs/heads/main\ncommitter cxpm registry <registry@cxpm.invalid> %d +0000\ndata %d\n%s\n" % (
        int(time.time()), len(msg), msg)
    return head + (b"" if first else b"from refs/heads/main^0\n") + body + b"done\n"


def size():
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(d, "objects")) for f in fs)


subprocess.run(git + ["init", "-q", "--bare", "-b", "main", d], check=True, env=env)
entries = [entry(i, "1.0.0") for i in range(n)]
t = time.time()
subprocess.run(git + ["fast-import", "--quiet", "--done"], check=True, env=env, stdout=subprocess.DEVNULL,
               input=commit(b"".join(plugin(i, "1.0.0") for i in range(n)) + data(".agents/plugins/marketplace.json", manifest(entries)), True))
subprocess.run(git + ["update-server-info"], check=True, env=env)
print("N=%d seed %.1f s, marketplace.json %d bytes, objects %d bytes" % (n, time.time() - t, len(manifest(entries)), size()))
times, added = [], []
for c in range(k):
    i = (c * 7919) % n
    v = "1.0.%d" % (c + 1)
    before = size()
    t = time.time()
    m = manifest(entries[:i] + [entry(i, v)] + entries[i + 1:])
    entries[i] = entry(i, v)
    subprocess.run(git + ["rev-parse", "-q", "--verify", "refs/heads/main"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(git + ["fast-import", "--quiet", "--done"], check=True, env=env, stdout=subprocess.DEVNULL,
                   input=commit(b'D "%s"\n' % where(i).encode() + plugin(i, v) + (b"" if same else data(".agents/plugins/marketplace.json", m)), False))
    subprocess.run(git + ["update-server-info"], check=True, env=env)
    times.append((time.time() - t) * 1000)
    added.append(size() - before)
times.sort(); added.sort()
print("N=%d config=%s: one commit median %.0f ms (min %.0f, max %.0f), adds median %d bytes (max %d), objects %d bytes after %d commits"
      % (n, " ".join(sys.argv[2:]), times[len(times) // 2], times[0], times[-1], added[len(added) // 2], added[-1], size(), k))
shutil.rmtree(d)
