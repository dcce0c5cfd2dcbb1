#!/bin/bash
# usage: mk.sh SIZE(10k..) MODE LABEL -- cmd...  (Codex home ${SCALE:-/tmp/wt-scale}/h-SIZE)
s=$1 mode=$2 label=$3; shift 4
export CODEX_HOME=${SCALE:-/tmp/wt-scale}/h-$s CXPM_STORE=${SCALE:-/tmp/wt-scale}/h-$s-store
[[ $mode == cold ]] && export CXPM_DAEMON=0
cd ${SCALE:-/tmp/wt-scale}
source ${SCALE:-/tmp/wt-scale}/dcpu.sh; [[ $mode == daemon ]] && c0=$(dcpu)
/usr/bin/time -o ${SCALE:-/tmp/wt-scale}/out/t.$$ -f "%e %U %S %M %x" ${CXPM:-$(dirname "$0")/../../cxpm} "$@" > ${SCALE:-/tmp/wt-scale}/out/$label-$s-$mode.out 2> ${SCALE:-/tmp/wt-scale}/out/$label-$s-$mode.err
extra=""; [[ $mode == daemon ]] && extra="daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss)"
echo "$label $s $mode $(tail -1 ${SCALE:-/tmp/wt-scale}/out/t.$$) $extra"
rm -f ${SCALE:-/tmp/wt-scale}/out/t.$$
