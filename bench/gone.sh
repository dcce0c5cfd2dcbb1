#!/usr/bin/env bash
# bench/gone.sh PATH...: the untimed set-up step of bench/sync.sh, sync-ab.sh and sync-cold.sh that makes each PATH
# (a Codex home, a store, a lockfile, node_modules, ...) absent before a timed run.
# Why not simply rm -rf: on an ext4 without a journal (this machine's), allocating an inode scans past every inode
# freed in the last ~30 s of its block group (the kernel's recently_deleted), so a run right after deleting the last
# run's tree pays O(deleted) per mkdir, and the toll adds up round after round: at 1000 plugins `sync --frozen` through
# the daemon took 190, 232, 235, 305, 354, 407 ms and pnpm 177, 181, 284, 395, 387, 566 ms in 6 rounds with deletion,
# against a steady 198-209 and 178-213 ms with the old trees moved aside. That is the harness's cost, not the tools'
# (a CI machine starts on an empty disk).
#   CLEANUP=later (default): renames each PATH into a fresh directory under $BENCH_TRASH, which must be on the same
#     file system (a rename frees no inode); the caller deletes $BENCH_TRASH once, after the timed runs.
#   CLEANUP=now: rm -rf each PATH right away (the benches' behaviour before: figures with the toll in them).
# With no PATH it only checks CLEANUP, so a caller can fail on a typo before its long set-up.
set -euo pipefail
case "${CLEANUP:-later}" in
  now) exec rm -rf -- "$@" ;;
  later) ;;
  *) echo "gone.sh: CLEANUP is now or later, not '$CLEANUP'" >&2; exit 2 ;;
esac
(( $# > 0 )) || exit 0
trash="${BENCH_TRASH:?BENCH_TRASH=DIR to move the paths into, on their file system}"
into=""
i=0
for p in "$@"; do
  [[ -e "$p" || -L "$p" ]] || continue
  # across file systems mv copies and then deletes the source: the very deletion this avoids
  if [[ "$(stat -c %d -- "$(dirname -- "$p")")" != "$(stat -c %d -- "$trash")" ]]; then
    echo "gone.sh: $p is not on the file system of $trash" >&2
    exit 1
  fi
  [[ -n "$into" ]] || into="$(mktemp -d "$trash/XXXXXXXX")"
  mv -T -- "$p" "$into/$i" # numbered: two PATHs may share a name (node_modules)
  i=$((i + 1))
done
