#!/bin/bash
# project commands (1,000 plugins) beside K marketplaces of 100,000 entries in the Codex home; new2 build
S=/tmp/wt-search2; R="timeout 300 $S/search2-run.sh"; v=${V:-new2}
for k in 2 4; do
  for mode in cold daemon; do
    rm -rf $S/trash-dummy; mkdir -p $S/trash
    [[ -e $S/s1000/home$k-$mode ]] && mv $S/s1000/home$k-$mode $S/trash/home$k-$mode.$$
    [[ -e $S/s1000/p$k-$mode ]] && mv $S/s1000/p$k-$mode $S/trash/p$k-$mode.$$
    mkdir -p $S/s1000/home$k-$mode && cp $S/tmpl$k/config.toml $S/s1000/home$k-$mode/ && cp -r $S/s1000/project-first $S/s1000/p$k-$mode
    sync; sleep 6
    $R $v s1000/home$k-$mode $mode sync-first $S/s1000/p$k-$mode -- sync --yes
  done
  for c in "list" "outdated" "doctor" "sync"; do for mode in cold daemon; do
    $R $v s1000/home$k-cold $mode ${c// /_} $S/s1000/p$k-cold -- $c
  done; done
done
