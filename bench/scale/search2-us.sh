#!/bin/bash
# daemon user and sys CPU (ms) of one command: us.sh VERSION HOME -- cmd...
S=/tmp/wt-search2; v=$1 h=$2; shift 3
export CODEX_HOME=$S/$h CXPM_STORE=$S/s1000/store CXPM=$S/rel/$v/bin/cxpm
source $S/dcpu.sh; p=$(dpid); read u0 s0 < <(awk '{print $14, $15}' /proc/$p/stat)
$CXPM "$@" > /dev/null 2>&1
read u1 s1 < <(awk '{print $14, $15}' /proc/$p/stat)
echo "$v $h $* user=$(( (u1-u0)*10 ))ms sys=$(( (s1-s0)*10 ))ms pid=$p/$(dpid) load=$(cut -d' ' -f1 /proc/loadavg)"
