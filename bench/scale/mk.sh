#!/bin/bash
# usage: mk.sh SIZE(10k..) MODE LABEL -- cmd...  (Codex home /tmp/wt-scale/h-SIZE)
s=$1 mode=$2 label=$3; shift 4
export CODEX_HOME=/tmp/wt-scale/h-$s CXPM_STORE=/tmp/wt-scale/h-$s-store
[[ $mode == cold ]] && export CXPM_DAEMON=0
cd /tmp/wt-scale
source /tmp/wt-scale/dcpu.sh; [[ $mode == daemon ]] && c0=$(dcpu)
/usr/bin/time -o /tmp/wt-scale/out/t.$$ -f "%e %U %S %M %x" ${CXPM:-/work/wt-scale/cxpm} "$@" > /tmp/wt-scale/out/$label-$s-$mode.out 2> /tmp/wt-scale/out/$label-$s-$mode.err
extra=""; [[ $mode == daemon ]] && extra="daemoncpu=$(( ($(dcpu)-c0)*10 ))ms daemonHWM=$(drss)"
echo "$label $s $mode $(tail -1 /tmp/wt-scale/out/t.$$) $extra"
rm -f /tmp/wt-scale/out/t.$$
