#!/bin/bash
# usage: m.sh N LABEL MODE(cold|daemon) -- cmd args...   (runs in ${SCALE:-/tmp/wt-scale}/sN/project)
# prints: LABEL N MODE wall user sys maxrss_kb exit
n=$1 label=$2 mode=$3; shift 4
d=${SCALE:-/tmp/wt-scale}/s$n
export CODEX_HOME=$d/home CXPM_STORE=$d/store
[[ $mode == cold ]] && export CXPM_DAEMON=0
cd ${RUNDIR:-$d/project}
source ${SCALE:-/tmp/wt-scale}/dcpu.sh; [[ $mode == daemon ]] && c0=$(dcpu)
/usr/bin/time -o ${SCALE:-/tmp/wt-scale}/out/t.$$ -f "%e %U %S %M %x" ${CXPM:-$(dirname "$0")/../../cxpm} "$@" > ${SCALE:-/tmp/wt-scale}/out/$label-$n-$mode.out 2> ${SCALE:-/tmp/wt-scale}/out/$label-$n-$mode.err
extra=""; [[ $mode == daemon ]] && extra="daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss)"
echo "$label $n $mode $(tail -1 ${SCALE:-/tmp/wt-scale}/out/t.$$) $extra"
rm -f ${SCALE:-/tmp/wt-scale}/out/t.$$
