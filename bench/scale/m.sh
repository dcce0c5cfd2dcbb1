#!/bin/bash
# usage: m.sh N LABEL MODE(cold|daemon) -- cmd args...   (runs in /tmp/wt-scale/sN/project)
# prints: LABEL N MODE wall user sys maxrss_kb exit
n=$1 label=$2 mode=$3; shift 4
d=/tmp/wt-scale/s$n
export CODEX_HOME=$d/home CXPM_STORE=$d/store
[[ $mode == cold ]] && export CXPM_DAEMON=0
cd ${RUNDIR:-$d/project}
source /tmp/wt-scale/dcpu.sh; [[ $mode == daemon ]] && c0=$(dcpu)
/usr/bin/time -o /tmp/wt-scale/out/t.$$ -f "%e %U %S %M %x" ${CXPM:-/work/wt-scale/cxpm} "$@" > /tmp/wt-scale/out/$label-$n-$mode.out 2> /tmp/wt-scale/out/$label-$n-$mode.err
extra=""; [[ $mode == daemon ]] && extra="daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss)"
echo "$label $n $mode $(tail -1 /tmp/wt-scale/out/t.$$) $extra"
rm -f /tmp/wt-scale/out/t.$$
