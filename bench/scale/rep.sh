#!/bin/bash
export CXPM=${SCALE:-/tmp/wt-scale}/rel/4f30514/bin/cxpm
source ${SCALE:-/tmp/wt-scale}/dcpu.sh
uptime
for c in "outdated" "doctor" "list" "why" "info"; do
  for n in 1000 2000 4000; do
    d=${SCALE:-/tmp/wt-scale}/s$n; w=${#n}; mid=$(printf "plugin-%0${w}d" $((n/2)))
    args=$c; [[ $c == why ]] && args="why $mid"; [[ $c == info ]] && args="info $mid@fx"
    c0=$(dcpu)
    for i in 1 2 3 4 5 6 7 8 9 10; do (cd $d/project; CODEX_HOME=$d/home CXPM_STORE=$d/store $CXPM $args >/dev/null 2>&1); done
    echo "$c $n daemon 10 runs: daemon CPU $(( ($(dcpu)-c0)*10 )) ms"
  done
done
uptime
