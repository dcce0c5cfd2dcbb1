#!/usr/bin/env bash
# gen-nonpm.sh N DIR: bench/sync.sh's marketplace and cxpm project of N plugins under DIR, without its npm half.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
eval "$(sed -n '/^generate() {/,/^}/p' "$root/bench/sync.sh")"
generate "$1" "$2" no-npm
