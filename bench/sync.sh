#!/usr/bin/env bash
# Sync benchmark: a generated local marketplace of 50 plugins (every fifth depends on the next one), a
# project whose cxpm.toml needs all 50, then two figures with hyperfine:
#   no-op      `cxpm sync` with the 50 locked plugins already installed (target <= 150 ms)
#   frozen     `cxpm sync --frozen` with the 50 installed: it re-reads every installed file against the lock (issue 10)
#   empty-home `cxpm sync --frozen` into an empty Codex home, every plugin already in the store (target <= 1 s)
# The peer in the same run: pnpm (npm i -E pnpm@$PNPM_VERSION, default 12.4.2, into ~/.cache/cxpm-bench/ on first use) on 50 local
# package tarballs with the same files, `pnpm install --frozen-lockfile --offline` with node_modules in place (no-op)
# and with node_modules removed (warm store). PNPM=0 skips it.
# cxpm runs through its warm daemon (the launcher's default, README) and, in the same run, with CXPM_DAEMON=0.
# Usage: bench/sync.sh [RUNS]. Results: bench/out/sync.md and stdout. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-20}"
out="$root/bench/out"
mkdir -p "$out"
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }; }
./cxpm --version >/dev/null # builds the jar and its start-up cache when missing or stale

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
market="$work/market"; project="$work/project"
mkdir -p "$market/.agents/plugins" "$project"
entries=""
toml=$'[marketplaces]\nfx = "../market"\n\n[plugins]\n'
for i in $(seq -w 1 50); do
  name="plugin-$i"
  deps=""
  if (( 10#$i % 5 == 0 && 10#$i < 50 )); then deps="\"plugin-$(printf '%02d' $((10#$i + 1)))\": \"^1\""; fi
  mkdir -p "$market/plugins/$name/.codex-plugin" "$market/plugins/$name/skills/$name-skill"
  cat > "$market/plugins/$name/.codex-plugin/plugin.json" <<JSON
{"name": "$name", "version": "1.$((10#$i)).0", "description": "Generated plugin $i.", "dependencies": {$deps}}
JSON
  printf -- '---\nname: %s-skill\ndescription: Skill of plugin %s.\n---\n%s\n' "$name" "$i" "$(head -c 2000 /dev/zero | tr '\0' 'x')" \
    > "$market/plugins/$name/skills/$name-skill/SKILL.md"
  printf '{"mcpServers": {"%s": {"command": "npx", "args": ["-y", "@example/%s"]}}}\n' "$name" "$name" > "$market/plugins/$name/.mcp.json"
  entries+="${entries:+, }{\"name\": \"$name\", \"source\": \"./plugins/$name\"}"
  toml+="$name = \"^1\""$'\n'
done
printf '{"name": "fx", "plugins": [%s]}\n' "$entries" > "$market/.agents/plugins/marketplace.json"
printf '%s' "$toml" > "$project/cxpm.toml"

HOME_REAL="$HOME"
export CXPM_STORE="$work/store" HOME="$work/home"
cd "$project"
CODEX_HOME="$work/home-a" "$root/cxpm" sync >/dev/null            # resolves, fills the store, writes cxpm.lock
[[ "$(grep -c '^\[\[plugin\]\]' cxpm.lock)" == 50 ]] || { echo "expected 50 locked plugins" >&2; exit 1; }
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")"
trap "pkill -f '$daemon_file' 2>/dev/null || true; rm -rf '$work'" EXIT
for _ in $(seq 100); do [[ -f "$daemon_file" ]] && break; sleep 0.1; done
[[ -f "$daemon_file" ]] || { echo "the cxpm daemon did not start" >&2; exit 1; }

peer=()
if [[ "${PNPM:-1}" != 0 ]] && command -v npm >/dev/null; then
  pnpm_version="${PNPM_VERSION:-12.4.2}"
  pnpm_dir="$HOME_REAL/.cache/cxpm-bench/pnpm-$pnpm_version"
  [[ -x "$pnpm_dir/node_modules/.bin/pnpm" ]] || { mkdir -p "$pnpm_dir" && (cd "$pnpm_dir" && echo '{"private": true}' > package.json \
    && npm install -E "pnpm@$pnpm_version" --no-audit --no-fund >/dev/null 2>&1); }
  pnpm="$pnpm_dir/node_modules/.bin/pnpm"
  npmp="$work/npm-project"; mkdir -p "$npmp" "$work/tarballs"
  deps=""
  for i in $(seq -w 1 50); do
    name="plugin-$i"; pkg="$work/npm-src/$name/package"; mkdir -p "$pkg"
    cp -r "$market/plugins/$name/." "$pkg/"
    printf '{"name": "%s", "version": "1.%d.0"}\n' "$name" "$((10#$i))" > "$pkg/package.json"
    tar -C "$work/npm-src/$name" -czf "$work/tarballs/$name.tgz" package
    deps+="${deps:+, }\"$name\": \"file:../tarballs/$name.tgz\""
  done
  printf '{"name": "bench", "private": true, "dependencies": {%s}}\n' "$deps" > "$npmp/package.json"
  (cd "$npmp" && "$pnpm" install --store-dir "$work/pnpm-store" --reporter=silent >/dev/null)
  [[ -f "$npmp/pnpm-lock.yaml" ]] || { echo "pnpm did not write pnpm-lock.yaml" >&2; exit 1; }
  peer=(--prepare true -n "pnpm $pnpm_version install, no-op (50 installed)" "sh -c 'cd $npmp && $pnpm install --frozen-lockfile --offline --store-dir $work/pnpm-store --reporter=silent'"
    -n "pnpm $pnpm_version install --frozen-lockfile into an empty node_modules (warm store)" --prepare "rm -rf $npmp/node_modules"
    "sh -c 'cd $npmp && $pnpm install --frozen-lockfile --offline --store-dir $work/pnpm-store --reporter=silent'")
fi

hyperfine -N -w 3 -r "$runs" --export-markdown "$out/sync.md" --export-json "$out/sync.json" \
  --prepare true -n "no-op sync (50 installed, daemon)" "env CODEX_HOME=$work/home-a $root/cxpm sync" \
  --prepare true -n "no-op sync (50 installed, CXPM_DAEMON=0)" "env CODEX_HOME=$work/home-a CXPM_DAEMON=0 $root/cxpm sync" \
  --prepare true -n "sync --frozen, 50 installed (re-reads every file, daemon)" "env CODEX_HOME=$work/home-a $root/cxpm sync --frozen" \
  --prepare true -n "sync --frozen, 50 installed (re-reads every file, CXPM_DAEMON=0)" "env CODEX_HOME=$work/home-a CXPM_DAEMON=0 $root/cxpm sync --frozen" \
  -n "sync --frozen into an empty home (warm store, daemon)" --prepare "rm -rf $work/home-b" "env CODEX_HOME=$work/home-b $root/cxpm sync --frozen" \
  -n "sync --frozen into an empty home (warm store, CXPM_DAEMON=0)" --prepare "rm -rf $work/home-b" "env CODEX_HOME=$work/home-b CXPM_DAEMON=0 $root/cxpm sync --frozen" \
  "${peer[@]}"
cat "$out/sync.md"
