#!/bin/bash
# first-ab.sh DIR ROUNDS: first sync (empty store, empty home) through the warm daemon, BASE (default /work/main) and BRANCH
# (default this checkout) alternated, and pnpm's first install, each round; the old store/home/lock moved to /tmp/trash (deferred
# deletion). Prints wall ms and the daemon's CPU ms (utime+stime of its /proc stat, 10 ms ticks) per command.
d=$1 r=$2 A=${BASE:-/work/main} B=${BRANCH:-$(cd "$(dirname "$0")/../.." && pwd)}
P=~/.cache/cxpm-bench/pnpm-12.4.2/node_modules/.bin/pnpm
mkdir -p /tmp/trash
$A/cxpm --version >/dev/null; $B/cxpm --version >/dev/null # builds when stale, starts each daemon
[[ -d $d/project-firstA ]] || cp -r $d/project-first $d/project-firstA
dpid() { pgrep -f "dev.cxpm.cli.(daemon.)?Daemon .*$1/cli/target/cxpm.jar" | head -1; }
cpu() { awk '{print ($14+$15)*10}' /proc/$1/stat; }
gone() { for x in "$@"; do [[ -e $x ]] && mv $x /tmp/trash/f-$RANDOM$RANDOM; done; }
run() { # checkout project store home
  local root=$1 proj=$2 s=$3 h=$4
  gone $s $h $proj/cxpm.lock
  local pid=$(dpid $root) c0 c1
  c0=$(cpu $pid); local t0=$EPOCHREALTIME
  (cd $proj && CXPM_STORE=$s CODEX_HOME=$h $root/cxpm sync --yes >/dev/null 2>&1)
  local t1=$EPOCHREALTIME; c1=$(cpu $pid)
  echo "$(( (${t1/./}-${t0/./})/1000 )) $((c1-c0))"
}
# warm both daemons
for w in 1 2; do run $A $d/project-firstA $d/fsA $d/fhA >/dev/null; run $B $d/project-first $d/fsB $d/fhB >/dev/null; done
for i in $(seq 1 $r); do
  a=$(run $A $d/project-firstA $d/fsA $d/fhA)
  b=$(run $B $d/project-first $d/fsB $d/fhB)
  gone $d/npm-first/node_modules $d/pnpm-store-first $d/npm-first/pnpm-lock.yaml
  s=$EPOCHREALTIME; (cd $d/npm-first && $P install --reporter=silent --store-dir $d/pnpm-store-first >/dev/null 2>&1); e=$EPOCHREALTIME
  echo "$i base=${a% *} base_cpu=${a#* } branch=${b% *} branch_cpu=${b#* } pnpm=$(( (${e/./}-${s/./})/1000 ))"
done
