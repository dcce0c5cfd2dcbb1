#!/bin/bash
# wt-stream: `search tool --json` (every entry of two marketplaces of 100,000 entries: 85 MB of JSON) through the warm
# daemon (-Xmx256m) of CHECKOUT: exit code, bytes, md5, wall, the client's CPU, the daemon's CPU and high-water RSS,
# and whether the daemon's pid changed under the command (it died: out of memory). usage: stream-100k.sh CHECKOUT LABEL
# with CODEX_HOME exported (bench: /tmp/wt-stream/h2, marketplaces made by python as in docs/BENCHMARKS.md "wt-stream").
v=$1 label=$2 out=/tmp/wt-stream/out-$label.json
dpid() { local f; f=$(CXPM_DAEMON=where "$v/cxpm"); grep -lsa -- "$f" /proc/[0-9]*/cmdline | head -1 | cut -d/ -f3; }
p0=$(dpid); t0=$(awk '{print $14 + $15}' /proc/$p0/stat)
/usr/bin/time -o /tmp/wt-stream/t-$label -f "%e %U %S %x" "$v/cxpm" search tool --json > "$out" 2> /tmp/wt-stream/err-$label
p1=$(dpid); extra="daemon died ($p0 -> ${p1:-none})"
[[ "$p0" == "$p1" ]] && extra="daemon_cpu_ms=$(( ($(awk '{print $14 + $15}' /proc/$p1/stat) - t0) * 10 )) daemon_hwm=$(awk '/VmHWM/{print $2/1024 " MB"}' /proc/$p1/status)"
read -r wall u s x < /tmp/wt-stream/t-$label
echo "$label exit=$x bytes=$(stat -c %s "$out") md5=$(md5sum < "$out" | cut -c1-8) wall=${wall}s client_cpu=$(echo "($u+$s)*1000" | bc)ms $extra load=$(cut -d' ' -f1 /proc/loadavg) $(date -u +%T)"
