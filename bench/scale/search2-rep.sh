#!/bin/bash
# daemon CPU of search at 2 and 4 marketplaces, interleaved, three rounds (new2 build, daemon warm)
S=/tmp/wt-search2
for r in 1 2 3; do for k in 2 4; do $S/search2-run.sh new2 h$k daemon search-one-r$r $S -- search tool-000005; done; done
for r in 1 2; do for k in 2 4; do $S/search2-run.sh new2 h$k daemon search-all-r$r $S -- search tool; done; done
