#!/usr/bin/env bash
# sync-add-one.sh OLD_CHECKOUT NEW_CHECKOUT DIR N RUNS: a sync that adds one plugin to a Codex home of N-1 plugins, then
# one that removes it again (cold, CXPM_DAEMON=0), alternating the two checkouts; prints "checkout add|remove wall user sys"
# per run. DIR is bench/sync-gen.sh's project of N plugins (its home-a is copied, not changed). A sync whose work grows
# with the home (config.toml's N tables read per plugin) shows as user time growing faster than N between N and 2N.
set -euo pipefail
old=$1; new=$2; d=$3; n=$4; runs=$5
w="$d/add-one"; rm -rf "$w"; mkdir -p "$w/full" "$w/minus" "$w/project"
last="plugin-$(printf "%0${#n}d" "$n")"
sed "s#\"../market\"#\"$d/market\"#" "$d/project/cxpm.toml" > "$w/full/cxpm.toml"; cp "$d/project/cxpm.lock" "$w/full/"
grep -v "^$last " "$w/full/cxpm.toml" > "$w/minus/cxpm.toml"
cp -a "$d/home-a" "$w/home"
export CXPM_DAEMON=0 CXPM_STORE="$d/store" CODEX_HOME="$w/home" HOME="$d/user-home"
cd "$w/project"
cp ../full/* .; "$new/cxpm" sync --yes >/dev/null   # this project now owns all N
cp ../minus/cxpm.toml .; "$new/cxpm" sync --yes >/dev/null; cp cxpm.lock ../minus/
for _ in $(seq "$runs"); do
  for co in "$old" "$new"; do
    cp ../full/* .;  /usr/bin/time -f "$co add %e %U %S" "$co/cxpm" sync --yes >/dev/null
    cp ../minus/* .; /usr/bin/time -f "$co remove %e %U %S" "$co/cxpm" sync --yes >/dev/null
  done
done
