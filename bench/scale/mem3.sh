#!/bin/bash
# mem3.sh S VERSIONS...: the commands that read a Codex home's marketplaces, beside 1 and 4 marketplaces of 100,000
# entries (S/h1, S/h4; mem3-genm.py made them: marketplace.json only, 8.0 MB each), cold (CXPM_DAEMON=0) and through each
# version's warm daemon, versions interleaved. S/rel/VERSION is a release-like copy (bin/cxpm, cxpm.jar, lib/); S/s50 a
# 50-plugin project (bench/scale/gen-nonpm.sh 50) synced once; mem3-run.sh and mem3-first.sh beside this script; see docs/BENCHMARKS.md
# "wt-mem3 (session 16)". Prints one line a run: wall, user, sys, peak RSS KB, exit, and the daemon's CPU and high-water RSS.
S=$1; shift; export S; here=$(dirname "$0")
for round in 1 2; do
  for mode in cold daemon; do
    for v in "$@"; do
      for k in 1 4; do
        $here/mem3-run.sh $v h$k $mode outdated $S/s50/project -- outdated
        $here/mem3-first.sh $v $k $mode
        $here/mem3-run.sh $v h$k $mode search $S -- search tool-000005
        $here/mem3-run.sh $v h$k $mode info $S -- info tool-000005
        $here/mem3-run.sh $v h$k $mode install-missing $S -- install tool-00000x
        $here/mem3-run.sh $v h$k $mode marketplace-list $S -- marketplace list
      done
    done
  done
done
