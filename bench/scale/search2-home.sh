#!/bin/bash
# the home commands over 2 and 4 marketplaces of 100,000 entries, cold then through the daemon
S=/tmp/wt-search2; R="timeout 300 $S/search2-run.sh"
while IFS='|' read -r vs label args; do
  for k in 2 4; do for v in $vs; do for mode in cold daemon; do
    eval "$R $v h$k $mode $label $S -- $args"
  done; done; done
done <<'LIST'
main new|search-one|search tool-000005
main new|search-all|search tool
new|search-one-json|search tool-000005 --json
new|search-all-json|search tool --json
new|search-all-limit20|search tool --limit 20
new|info|info tool-000005
new|install-several|install tool-000005
new|install-notfound|install tool-00000x
new|mk-list|marketplace list
LIST
