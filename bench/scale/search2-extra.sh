#!/bin/bash
# after search2-home.sh: info on the build that has its fix (new2), a warm-daemon search at 2, and main's info / install / marketplace list
S=/tmp/wt-search2; R="timeout 300 $S/search2-run.sh"
$R new2 h2 daemon warmup $S -- --version
for k in 2 4; do for mode in cold daemon; do $R new2 h$k $mode search-one $S -- search tool-000005; done; done
for k in 2 4; do for v in new2 main; do for mode in cold daemon; do $R $v h$k $mode info $S -- info tool-000005; done; done; done
for k in 2 4; do for v in main; do for mode in cold daemon; do
  $R $v h$k $mode mk-list $S -- marketplace list
  $R $v h$k $mode install-notfound $S -- install tool-00000x
done; done; done
