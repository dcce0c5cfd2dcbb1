#!/bin/bash
# A/B of search/info over marketplaces of 10k..100k entries, interleaved
cd ${SCALE:-/tmp/wt-scale}
for rep in 1 2; do
for s in 10k 20k 40k 100k; do
  w=5; [[ $s == 100k ]] && w=6; nm=$(printf "tool-%0${w}d" 5)
  for v in base 4cd5afe; do
    for mode in cold daemon; do
      CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./mk.sh $s $mode search-$v -- search tool-00050
      CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./mk.sh $s $mode searchall-$v -- search tool
      CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./mk.sh $s $mode info-$v -- info $nm@m$s
    done
  done
done
done
