#!/bin/bash
# wt-stream: `list` and `--version` through each checkout's warm daemon, BASE and branch in turn (ROUNDS rounds of N
# runs each): the client's CPU (bash's, user+sys of its children, from /usr/bin/time) and the daemon's CPU (utime+stime
# of its pid from /proc/PID/stat, in 10 ms ticks, over the N runs) per command.
# usage: stream-ab.sh BASE BRANCH DIR ROUNDS N   (DIR: a project directory; CODEX_HOME as exported)
base=$1 branch=$2 dir=$3 rounds=${4:-5} n=${5:-20}
dpid() { local f; f=$(CXPM_DAEMON=where "$1/cxpm"); grep -lsa -- "$f" /proc/[0-9]*/cmdline | head -1 | cut -d/ -f3; }
dticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cd "$dir"
for v in "$base" "$branch"; do "$v/cxpm" --version >/dev/null; done; sleep 10 # daemons up and warm
for v in "$base" "$branch"; do for i in 1 2 3 4 5; do "$v/cxpm" list >/dev/null; "$v/cxpm" --version >/dev/null; done; done
for r in $(seq "$rounds"); do
  for cmd in list --version; do
    for v in "$base" "$branch"; do
      p=$(dpid "$v"); t0=$(dticks "$p")
      c=$( { /usr/bin/time -f "%U %S" bash -c "for i in \$(seq $n); do '$v/cxpm' $cmd >/dev/null; done" ; } 2>&1 | tail -1)
      t1=$(dticks "$p"); p1=$(dpid "$v")
      read -r u s <<< "$c"
      printf '%s %s round=%s client_ms=%.1f daemon_ms=%.1f pid=%s/%s load=%s\n' "${v##*/}" "$cmd" "$r" \
        "$(echo "($u+$s)*1000/$n" | bc -l)" "$(echo "($t1-$t0)*10/$n" | bc -l)" "$p" "$p1" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
