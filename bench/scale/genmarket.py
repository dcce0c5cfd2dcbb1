import json, os, sys
n=int(sys.argv[1]); root=sys.argv[2]
w=len(str(n))
os.makedirs(root+"/.agents/plugins", exist_ok=True)
entries=[]
for i in range(1,n+1):
    name=f"tool-{i:0{w}d}"
    d=f"{root}/plugins/{name}/.codex-plugin"
    os.makedirs(d, exist_ok=True)
    with open(d+"/plugin.json","w") as f:
        json.dump({"name":name,"version":f"1.{i}.0","description":f"Generated tool {i} for searching.","keywords":[f"kw{i%100}"]},f)
    entries.append({"name":name,"source":f"./plugins/{name}"})
with open(root+"/.agents/plugins/marketplace.json","w") as f:
    json.dump({"name":os.path.basename(root),"plugins":entries},f)
