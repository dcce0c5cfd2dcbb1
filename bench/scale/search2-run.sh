#!/bin/bash
# usage: run.sh VERSION(main|new) HOME(h2|h4|h10k|s1000/home2..) MODE(cold|daemon) LABEL DIR -- cmd...
# prints: VERSION HOME MODE LABEL wall user sys maxrss_kb exit [daemoncpu daemonHWM daemon-pid-before/after]
S=/tmp/wt-search2; v=$1 h=$2 mode=$3 label=$4 dir=$5; shift 6
export CODEX_HOME=$S/$h CXPM_STORE=$S/s1000/store CXPM=$S/rel/$v/bin/cxpm
[[ $mode == cold ]] && export CXPM_DAEMON=0
source $S/dcpu.sh; p0=$(dpid); c0=$(dcpu)
cd $dir
o=$S/out/$v-${h//\//_}-$mode-$label
/usr/bin/time -o $o.t -f "%e %U %S %M %x" $CXPM "$@" > $o.out 2> $o.err
extra=""; [[ $mode == daemon ]] && { p1=$(dpid); if [[ "$p0" == "$p1" ]]; then extra="dcpu=$(( ($(dcpu)-c0)*10 ))ms dHWM=$(( $(drss)/1024 ))MB"; else extra="DAEMON-CHANGED $p0->$p1"; fi; }
echo "$v $h $mode $label $(tail -1 $o.t) $extra load=$(cut -d' ' -f1 /proc/loadavg) $(date -u +%T)"
