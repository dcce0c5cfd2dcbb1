#!/usr/bin/env bash
# Validate the whole shared corpus sample in ONE cxpm process vs the reference CLI run once per entry
# (Claude Code's `claude plugin validate`, installed from npm into a cache dir on first use).
# Prints both wall and CPU times, and the ratio. Usage: bench/validate-corpus.sh [RUNS]  (default 5)
# env: CXPM_BENCH_CACHE (default ~/.cache/cxpm-bench), CXPM_SHARED (default ../shared)
set -euo pipefail
RUNS="${1:-5}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${CXPM_SHARED:-$(cd "$HERE/.." && pwd)/shared}"
SAMPLE="$SHARED/corpus-sample"
CACHE="${CXPM_BENCH_CACHE:-$HOME/.cache/cxpm-bench}"
command -v jq >/dev/null || { echo "needs jq" >&2; exit 2; }

# the targets, exactly as corpus-sample/run.sh passes them
TARGETS=()
AMBIG="$(jq -r '.path' "$SAMPLE/expected.jsonl" | sort | uniq -d)"
while IFS=$'\t' read -r path manifest; do
  t="$SAMPLE/corpus/$path"
  if grep -qxF "$path" <<<"$AMBIG"; then t="$t/$manifest"; fi
  TARGETS+=("$t")
done < <(jq -r '[.path, .manifests[0]] | @tsv' "$SAMPLE/expected.jsonl")
N=${#TARGETS[@]}

CLAUDE="$CACHE/claude/node_modules/.bin/claude"
if [ ! -x "$CLAUDE" ]; then
  mkdir -p "$CACHE/claude"
  (cd "$CACHE/claude" && npm install --silent --no-audit --no-fund @anthropic-ai/claude-code >/dev/null 2>&1) || true
fi

"$HERE/cxpm" --version >/dev/null   # build once, outside the timing
TMPH="$(mktemp -d)"; trap 'rm -rf "$TMPH"' EXIT

# seconds (wall) and cpu seconds (user+sys of children) of a command, with bash's TIMEFORMAT
measure() { local TIMEFORMAT='%R %U %S'; { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{printf "%.3f %.3f\n", $1, $2+$3}'; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cx_wall=(); cx_cpu=()
for _ in $(seq "$RUNS"); do
  read -r w c < <(measure "$HERE/cxpm" validate --json "${TARGETS[@]}" || true)
  cx_wall+=("$w"); cx_cpu+=("$c")
done
CXW=$(printf '%s\n' "${cx_wall[@]}" | median); CXC=$(printf '%s\n' "${cx_cpu[@]}" | median)
echo "cxpm validate, $N entries in one process: wall ${CXW}s, cpu ${CXC}s (median of $RUNS)"

if [ -x "$CLAUDE" ]; then
  ref_once() { for t in "${TARGETS[@]}"; do HOME="$TMPH" "$CLAUDE" plugin validate "$t" || true; done; }
  REF="claude plugin validate $("$CLAUDE" --version 2>/dev/null | head -1)"
else
  echo "could not install @anthropic-ai/claude-code; comparing with codex plugin add per plugin instead" >&2
  ref_once() { for t in "${TARGETS[@]}"; do bash "$SHARED/compat/codex/codex-client.sh" plugin marketplace add "$t" || true; done; }
  REF="codex plugin marketplace add"
fi
RR=$(( RUNS < 2 ? 1 : 2 ))   # the reference is slow: fewer runs
ref_wall=(); ref_cpu=()
for _ in $(seq "$RR"); do
  read -r w c < <(measure ref_once)
  ref_wall+=("$w"); ref_cpu+=("$c")
done
RW=$(printf '%s\n' "${ref_wall[@]}" | median); RC=$(printf '%s\n' "${ref_cpu[@]}" | median)
echo "$REF, once per entry ($N processes): wall ${RW}s, cpu ${RC}s (median of $RR)"
awk -v a="$RW" -v b="$CXW" -v c="$RC" -v d="$CXC" -v n="$N" 'BEGIN {
  printf "throughput: cxpm %.1f entries/s, reference %.1f entries/s\n", n/b, n/a;
  printf "ratio (reference time / cxpm time): wall %.1fx, cpu %.1fx\n", a/b, c/d }'
