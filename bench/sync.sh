#!/usr/bin/env bash
# Sync benchmark: a generated local marketplace of 50 plugins (every fifth depends on the next one), a
# project whose cxpm.toml needs all 50, then two figures with hyperfine:
#   no-op      `cxpm sync` with the 50 locked plugins already installed (target <= 150 ms)
#   empty-home `cxpm sync --frozen` into an empty Codex home, every plugin already in the store (target <= 1 s)
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

export CXPM_STORE="$work/store" HOME="$work/home"
cd "$project"
CODEX_HOME="$work/home-a" "$root/cxpm" sync >/dev/null            # resolves, fills the store, writes cxpm.lock
[[ "$(grep -c '^\[\[plugin\]\]' cxpm.lock)" == 50 ]] || { echo "expected 50 locked plugins" >&2; exit 1; }

hyperfine -N -w 3 -r "$runs" --export-markdown "$out/sync.md" --export-json "$out/sync.json" \
  -n "no-op sync (50 installed)" "env CODEX_HOME=$work/home-a $root/cxpm sync" \
  -n "sync --frozen into an empty home (warm store)" --prepare "rm -rf $work/home-b" "env CODEX_HOME=$work/home-b $root/cxpm sync --frozen"
cat "$out/sync.md"
