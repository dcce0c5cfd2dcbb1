#!/bin/bash
# mem3-first.sh VERSION K MODE: a first `sync --yes` (no lock; the store filled already) of the 50-plugin project beside K
# home marketplaces of 100,000 entries; old trees moved to trash (no delete while timing)
S=${S:-/tmp/wt-mem3}; v=$1 k=$2 mode=$3; mkdir -p $S/trash
t=$S/trash/$(date +%s%N); mkdir -p $t
[[ -e $S/f/home-$v-$k-$mode ]] && mv $S/f/home-$v-$k-$mode $t/
[[ -e $S/s50/fp-$v-$k-$mode ]] && mv $S/s50/fp-$v-$k-$mode $t/
mkdir -p $S/f/home-$v-$k-$mode && cp $S/h$k/config.toml $S/f/home-$v-$k-$mode/ && cp -r $S/s50/project-first $S/s50/fp-$v-$k-$mode
$(dirname "$0")/mem3-run.sh $v f/home-$v-$k-$mode $mode first-$k $S/s50/fp-$v-$k-$mode -- sync --yes
