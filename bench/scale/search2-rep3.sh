#!/bin/bash
# search matching every entry through the daemon, table rows made as printed (new3), 2 and 4 marketplaces interleaved
S=/tmp/wt-search2
$S/search2-run.sh new3 h2 daemon warmup $S -- --version
for r in 1 2; do for k in 2 4; do $S/search2-run.sh new3 h$k daemon search-all-r$r $S -- search tool; done; done
