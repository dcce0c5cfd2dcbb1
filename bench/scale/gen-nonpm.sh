generate() {
  local n="$1" dir="$2" i name deps width entries="" toml pkgdeps=""
  width="${#n}"
  mkdir -p "$dir/market/.agents/plugins" "$dir/project" "$dir/npm-project" "$dir/tarballs"
  toml=$'[marketplaces]\nfx = "../market"\n\n[plugins]\n'
  for i in $(seq 1 "$n"); do
    name="plugin-$(printf "%0${width}d" "$i")"
    deps=""
    if (( i % 5 == 0 && i < n )); then deps="\"plugin-$(printf "%0${width}d" $((i + 1)))\": \"^1\""; fi
    mkdir -p "$dir/market/plugins/$name/.codex-plugin" "$dir/market/plugins/$name/skills/$name-skill"
    printf '{"name": "%s", "version": "1.%d.0", "description": "Generated plugin %d.", "dependencies": {%s}}\n' \
      "$name" "$i" "$i" "$deps" > "$dir/market/plugins/$name/.codex-plugin/plugin.json"
    printf -- '---\nname: %s-skill\ndescription: Skill of plugin %s.\n---\n%s\n' "$name" "$i" "$(head -c 2000 /dev/zero | tr '\0' 'x')" \
      > "$dir/market/plugins/$name/skills/$name-skill/SKILL.md"
    printf '{"mcpServers": {"%s": {"command": "npx", "args": ["-y", "@example/%s"]}}}\n' "$name" "$name" > "$dir/market/plugins/$name/.mcp.json"
    entries+="${entries:+, }{\"name\": \"$name\", \"source\": \"./plugins/$name\"}"
    toml+="$name = \"^1\""$'\n'
  done
  printf '{"name": "fx", "plugins": [%s]}\n' "$entries" > "$dir/market/.agents/plugins/marketplace.json"
  printf '%s' "$toml" > "$dir/project/cxpm.toml"
  cp -r "$dir/project" "$dir/project-first"
  cp -r "$dir/project" "$dir/project-policy"
  # a project policy every plugin passes (it denies names none has): checked in full whenever it changed
  printf '[plugins]\ndeny = ["evil-*"]\n' > "$dir/project-policy/cxpm-policy.toml"
}
generate "$1" "$2"
