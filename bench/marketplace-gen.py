"""bench/marketplace-gen.py N DIR: a marketplace of N entries: 3 of 4 local (./plugins/tool-i; one in 100 has a plugin dir with a
plugin.json, one in 1,000 of those named otherwise), 1 of 4 remote (url, git-subdir, npm in turn); one in 5,000 an
invalid name (skipped), one in 5,000 a duplicate of the one before, one in 10,000 an unknown source type."""
import json, os, sys
n, d = int(sys.argv[1]), sys.argv[2]
os.makedirs(f"{d}/.agents/plugins", exist_ok=True)
out = ['{"name":"gen","interface":{"displayName":"Generated"},"plugins":[']
for i in range(1, n + 1):
    name = f"tool-{i:06d}"
    if i % 4 == 0:
        k = (i // 4) % 3
        src = ({"source": "url", "url": f"https://x.io/{name}.git"} if k == 0 else
               {"source": "git-subdir", "url": "https://x.io/mono.git", "path": f"p/{name}"} if k == 1 else
               {"source": "npm", "package": f"@x/{name}"})
    else:
        src = f"./plugins/{name}"
        if i % 100 == 1:
            p = f"{d}/plugins/{name}/.codex-plugin"
            os.makedirs(p, exist_ok=True)
            with open(f"{p}/plugin.json", "w") as f:
                json.dump({"name": name if i % 1000 != 1 else name + "-x", "version": "1.0.0"}, f)
    if i % 5000 == 7:
        name = "bad name " + str(i)
    if i % 5000 == 9:
        name = f"tool-{i-1:06d}"
    if i % 10000 == 11:
        src = {"source": "svn", "url": "x"}
    e = {"name": name, "source": src, }
    if i % 4 == 1: e["description"] = f"T{i}"
    if i % 10 == 0:
        e["policy"] = {"installation": "AVAILABLE"}
    out.append((",\n" if i > 1 else "\n") + json.dumps(e, separators=(",", ":")))
out.append("\n]}\n")
open(f"{d}/.agents/plugins/marketplace.json", "w").write("".join(out))
