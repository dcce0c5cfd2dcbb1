#!/usr/bin/env bash
# Same commit, same bytes: builds the release archives (./mvnw -Prelease package) in two fresh clones of HEAD, in
# directories of different names and under different umasks, one after the other, and compares their SHA-512.
# dist/'s ReproducibleReleaseTest packs one build's output twice in CI; this checks whole builds (a few minutes).
# Usage: bench/release-reproducible.sh   (offline: uses the local Maven repository, -o)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d /tmp/cxpm-release-repro.XXXXXX)"
trap 'rm -rf "$work"' EXIT
commit="$(git rev-parse HEAD)"
for n in 1 2; do
  git clone -q --no-local . "$work/clone-$n-$RANDOM"
done
n=0
for clone in "$work"/clone-*; do
  n=$((n + 1))
  (cd "$clone" && git checkout -q "$commit" && umask "$([[ $n == 1 ]] && echo 022 || echo 002)" \
    && ./mvnw -q -B -o -Prelease -DskipTests package) >"$work/build-$n.log" 2>&1 || { cat "$work/build-$n.log"; exit 1; }
  (cd "$clone/dist/target" && cat ./*.sha512) > "$work/sums-$n"
  echo "build $n:"; sed 's/^/  /' "$work/sums-$n"
done
if cmp -s "$work/sums-1" "$work/sums-2"; then
  echo "reproducible: both builds of $commit gave the same bytes"
else
  echo "NOT reproducible: the builds of $commit differ"; diff "$work/sums-1" "$work/sums-2" || true; exit 1
fi
