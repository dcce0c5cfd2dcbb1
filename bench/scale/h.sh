#!/bin/bash
# usage: h.sh DIR MODE LABEL -- cmd...   hostile input runs, own Codex home and store, 300 s cap
dir=$1 mode=$2 label=$3; shift 4
export CODEX_HOME=${SCALE:-/tmp/wt-scale}/hh-home CXPM_STORE=${SCALE:-/tmp/wt-scale}/hh-store
[[ $mode == cold ]] && export CXPM_DAEMON=0
cd $dir
source ${SCALE:-/tmp/wt-scale}/dcpu.sh; [[ $mode == daemon ]] && c0=$(dcpu) p0=$(dpid)
/usr/bin/time -o ${SCALE:-/tmp/wt-scale}/out/t.$$ -f "%e %U %S %M %x" timeout 300 ${CXPM:-$(dirname "$0")/../../cxpm} "$@" > ${SCALE:-/tmp/wt-scale}/out/h-$label-$mode.out 2> ${SCALE:-/tmp/wt-scale}/out/h-$label-$mode.err
extra=""; [[ $mode == daemon ]] && extra="daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss) daemon:$p0->$(dpid)"
echo "$label $mode $(tail -1 ${SCALE:-/tmp/wt-scale}/out/t.$$) $extra | $(head -c 300 ${SCALE:-/tmp/wt-scale}/out/h-$label-$mode.err | head -2 | tr '\n' ' ')"
rm -f ${SCALE:-/tmp/wt-scale}/out/t.$$
