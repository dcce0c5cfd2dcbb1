import json, os, sys
# mem3-genm.py N DIR: a marketplace.json of N entries, one a line, and no plugin files (each entry listed from itself)
n=int(sys.argv[1]); root=sys.argv[2]; w=len(str(n))
os.makedirs(root+"/.agents/plugins", exist_ok=True)
with open(root+"/.agents/plugins/marketplace.json","w") as f:
    f.write('{"name":%s,"plugins":[\n' % json.dumps(os.path.basename(root)))
    f.write(",\n".join('{"name":"tool-%0*d","source":"./plugins/tool-%0*d","description":"T%d"}' % (w,i,w,i,i) for i in range(1,n+1)))
    f.write("\n]}\n")
