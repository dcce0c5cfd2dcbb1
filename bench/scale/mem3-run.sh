#!/bin/bash
# mem3-run.sh VERSION HOME MODE LABEL DIR -- cmd...   (HOME: a Codex home under $S, default /tmp/wt-mem3)
# prints: VERSION HOME MODE LABEL wall user sys maxrss_kb exit [daemon cpu ms, daemon HWM, or DAEMON-CHANGED]
S=${S:-/tmp/wt-mem3}; v=$1 h=$2 mode=$3 label=$4 dir=$5; shift 6
export CODEX_HOME=$S/$h CXPM_STORE=$S/store CXPM=$S/rel/$v/bin/cxpm
[[ $mode == cold ]] && export CXPM_DAEMON=0
source "$(dirname "$0")/dcpu.sh"; p0=$(dpid); c0=$(dcpu)
mkdir -p $S/out; o=$S/out/$v-${h//\//_}-$mode-$label
cd $dir
/usr/bin/time -o $o.t -f "%e %U %S %M %x" $CXPM "$@" > $o.out 2> $o.err
extra=""; [[ $mode == daemon ]] && { p1=$(dpid); if [[ -n "$p0" && "$p0" == "$p1" ]]; then extra="dcpu=$(( ($(dcpu)-c0)*10 ))ms dHWM=$(( $(drss)/1024 ))MB"; else extra="DAEMON-CHANGED '$p0'->'$p1'"; fi; }
echo "$v $h $mode $label $(tail -1 $o.t) $extra load=$(cut -d' ' -f1 /proc/loadavg) $(date -u +%T)"
