#!/bin/bash
# read-only commands, sizes interleaved, cold and daemon
for rep in 1 2; do
for n in 1000 2000 4000; do
  w=${#n}; mid=$(printf "plugin-%0${w}d" $((n/2)))
  for c in "outdated" "outdated --json" "doctor" "why $mid" "list" "list --json" "info $mid@fx" "sync"; do
    for mode in cold daemon; do
      ${SCALE:-/tmp/wt-scale}/m.sh $n "$(echo $c | cut -d' ' -f1-2 | tr ' ' '_' | sed 's/plugin-[0-9]*/P/')" $mode -- $c
    done
  done
done
done
