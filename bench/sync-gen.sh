#!/usr/bin/env bash
# sync-gen.sh N DIR: bench/sync.sh's project of N plugins under DIR (market/, project/, project-first/, npm-project/...),
# synced once into DIR/home-a with DIR/store (by this checkout's cxpm), for sync-ab.sh, sync-ab.py, sync-add-one.sh and commands-at-size.py. Keeps DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n=$1; d=$2
eval "$(sed -n '/^generate() {/,/^}/p' "$root/bench/sync.sh")"
export HOME="$d/user-home"; mkdir -p "$HOME"
generate "$n" "$d"
(cd "$d/project" && CXPM_STORE="$d/store" CODEX_HOME="$d/home-a" "$root/cxpm" sync --yes >/dev/null)
