#!/bin/bash
# remove one plugin (on a copy), then bump every plugin of the marketplace and update all; cold and daemon
export CXPM=${CXPM:-${SCALE:-/tmp/wt-scale}/rel/de42494/bin/cxpm}
source ${SCALE:-/tmp/wt-scale}/dcpu.sh
for n in 1000 2000 4000; do
  d=${SCALE:-/tmp/wt-scale}/s$n; w=${#n}; mid=$(printf "plugin-%0${w}d" $((n/2)))
  for mode in cold daemon; do
    rm -rf $d/rm-$mode; mkdir -p $d/rm-$mode; cp -a $d/project $d/rm-$mode/project; cp -a $d/home $d/rm-$mode/home
    ln -s ../market $d/rm-$mode/market
    (export CODEX_HOME=$d/rm-$mode/home CXPM_STORE=$d/store; [[ $mode == cold ]] && export CXPM_DAEMON=0; cd $d/rm-$mode/project
     c0=$(dcpu); /usr/bin/time -o ${SCALE:-/tmp/wt-scale}/out/tm -f "%e %U %S %M %x" $CXPM remove $mid > ${SCALE:-/tmp/wt-scale}/out/remove-$n-$mode.out 2>&1
     echo "remove $n $mode $(cat ${SCALE:-/tmp/wt-scale}/out/tm) $([[ $mode == daemon ]] && echo daemoncpu=$(( ($(dcpu)-c0)*10 ))ms)")
  done
done
