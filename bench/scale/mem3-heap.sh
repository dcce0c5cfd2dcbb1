#!/bin/bash
# mem3-heap.sh VERSION: the smallest -Xmx (of 32 48 64 96 128 192 256 MB) at which each command answers, cold, beside h1 and h4
S=${S:-/tmp/wt-mem3}; v=$1
for k in 1 4; do for c in "outdated" "search tool-000005" "info tool-000005" "install tool-00000x" "marketplace list"; do
  ok=none
  for x in 32 48 64 96 128 192 256; do
    dir=$S; [[ $c == outdated ]] && dir=$S/s50/project
    code=$(cd $dir && CODEX_HOME=$S/h$k CXPM_STORE=$S/store CXPM_DAEMON=0 JAVA_TOOL_OPTIONS="-Xmx${x}m" $S/rel/$v/bin/cxpm $c >/dev/null 2>$S/out/heap.err; echo $?)
    if ! grep -q OutOfMemory $S/out/heap.err && [[ $code != 70 ]]; then ok=$x; break; fi
  done
  echo "$v h$k '$c': answers from -Xmx${ok}m (exit $code)"
done; done
