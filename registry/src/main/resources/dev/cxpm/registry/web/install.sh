#!/bin/sh
# Installs cxpm @VERSION@ from the registry at @BASE@ for this user, with no root:
#   ~/.local/share/cxpm/@VERSION@/   the release (cxpm, its jars and a Java runtime of its own)
#   ~/.local/bin/cxpm                a link to its launcher
# Usage: curl -fsSL @BASE@/install.sh | sh
#        (sh -s -- --allow-root, or CXPM_ALLOW_ROOT=1, to install for root; CXPM_PREFIX=DIR instead of ~/.local)
# Needs sh, curl or wget, tar and sha512sum (or shasum, or openssl). The archive's SHA-512 is checked against
# the one the registry serves; nothing is installed unless it matches.
set -eu

base='@BASE@'
version='@VERSION@'
archive='@ARCHIVE@'
sha512='@SHA512@'

say() { printf 'cxpm-install: %s\n' "$*"; }
fail() { printf 'cxpm-install: error: %s\n' "$*" >&2; exit 1; }

allow_root="${CXPM_ALLOW_ROOT:-}"
for arg in "$@"; do
  case "$arg" in
    --allow-root) allow_root=1 ;;
    *) fail "unknown option: $arg (only --allow-root)" ;;
  esac
done
if [ "$(id -u)" = 0 ] && [ "$allow_root" != 1 ]; then
  fail "refusing to install as root: cxpm installs for one user into ~/.local (run it as that user, or pass --allow-root)"
fi
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) ;;
  *) fail "this release is for Linux x86_64, not $(uname -s) $(uname -m); cxpm-$version.tar.gz from $base/downloads/ runs on any Java 21+" ;;
esac
[ -n "${HOME:-}" ] || fail "HOME is not set"
prefix="${CXPM_PREFIX:-$HOME/.local}"
case "$prefix" in /*) ;; *) fail "CXPM_PREFIX must be an absolute path, not $prefix" ;; esac
target="$prefix/share/cxpm/$version"
link="$prefix/bin/cxpm"

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --proto '=http,https' -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  fail "needs curl or wget"
fi
if command -v sha512sum >/dev/null 2>&1; then
  digest() { sha512sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  digest() { shasum -a 512 "$1" | cut -d ' ' -f 1; }
elif command -v openssl >/dev/null 2>&1; then
  digest() { openssl dgst -sha512 -r "$1" | cut -d ' ' -f 1; }
else
  fail "needs sha512sum, shasum or openssl to check the download"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cxpm-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

say "downloading $base/downloads/$archive"
fetch "$base/downloads/$archive" "$tmp/$archive" || fail "could not download $base/downloads/$archive"
say "checking its SHA-512"
actual="$(digest "$tmp/$archive")"
if [ "$actual" != "$sha512" ]; then
  fail "the download's SHA-512 does not match the registry's: expected $sha512, got $actual; nothing was installed"
fi
say "unpacking into $target"
mkdir -p "$tmp/unpacked"
tar -xzf "$tmp/$archive" -C "$tmp/unpacked" || fail "could not unpack $archive; nothing was installed"
[ -x "$tmp/unpacked/cxpm-$version/bin/cxpm" ] || fail "$archive holds no cxpm-$version/bin/cxpm; nothing was installed"
mkdir -p "$prefix/share/cxpm" "$prefix/bin"
rm -rf "$target.old"
[ ! -e "$target" ] || mv "$target" "$target.old"
mv "$tmp/unpacked/cxpm-$version" "$target"
rm -rf "$target.old"
say "linking $link -> $target/bin/cxpm"
ln -sfn "$target/bin/cxpm" "$link"
say "running $link --version (the first run also prepares its start-up cache, a few seconds)"
CXPM_DAEMON=0 "$link" --version || fail "$link --version failed"
case ":${PATH:-}:" in
  *":$prefix/bin:"*) say "done: run 'cxpm --help' to start" ;;
  *) say "done; $prefix/bin is not on your PATH: add  export PATH=\"$prefix/bin:\$PATH\"  to your shell's profile" ;;
esac
