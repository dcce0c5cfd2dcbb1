import json, os, sys
n=int(sys.argv[1]); root=sys.argv[2]; fan=len(sys.argv)>3
w=len(str(n))
os.makedirs(root+"/market/.agents/plugins", exist_ok=True); os.makedirs(root+"/project", exist_ok=True)
entries=[]
for i in range(1,n+1):
    name=f"c-{i:0{w}d}"
    d=f"{root}/market/plugins/{name}/.codex-plugin"; os.makedirs(d, exist_ok=True)
    deps={}
    if i<n: deps[f"c-{i+1:0{w}d}"]="^1"
    if fan and i<n-1: deps[f"c-{n:0{w}d}"]="^1"
    json.dump({"name":name,"version":"1.0.0","description":"chain","dependencies":deps}, open(d+"/plugin.json","w"))
    entries.append({"name":name,"source":f"./plugins/{name}"})
json.dump({"name":"fx","plugins":entries}, open(root+"/market/.agents/plugins/marketplace.json","w"))
open(root+"/project/cxpm.toml","w").write('[marketplaces]\nfx = "../market"\n\n[plugins]\n' + f'c-{1:0{w}d} = "^1"\n')
