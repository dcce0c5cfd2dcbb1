#!/bin/bash
export CXPM=${CXPM:-${SCALE:-/tmp/wt-scale}/rel/de42494/bin/cxpm}
source ${SCALE:-/tmp/wt-scale}/dcpu.sh
for n in 1000 2000 4000; do
  d=${SCALE:-/tmp/wt-scale}/s$n
  for mode in cold daemon; do
    bump=$([[ $mode == cold ]] && echo 1 || echo 2)
    find $d/market/plugins -path '*/.codex-plugin/plugin.json' -print0 | xargs -0 sed -i -E "s/\"version\": \"1\.([0-9]+)\.[0-9]+\"/\"version\": \"1.\1.$bump\"/"
    (export CODEX_HOME=$d/home CXPM_STORE=$d/store; [[ $mode == cold ]] && export CXPM_DAEMON=0; cd $d/project
     c0=$(dcpu); /usr/bin/time -o ${SCALE:-/tmp/wt-scale}/out/tu -f "%e %U %S %M %x" $CXPM update --yes > ${SCALE:-/tmp/wt-scale}/out/update-$n-$mode.out 2>&1
     echo "update $n $mode $(cat ${SCALE:-/tmp/wt-scale}/out/tu) $([[ $mode == daemon ]] && echo daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss)) lines=$(wc -l < ${SCALE:-/tmp/wt-scale}/out/update-$n-$mode.out)")
  done
done
