#!/usr/bin/env bash
# cxpm install / list vs the real Codex CLI (npm launcher) on the same local marketplace, in one run.
# Each tool gets its own isolated CODEX_HOME; the marketplace and plugin are the same files.
#
#   bench/install.sh            # hyperfine, 15 runs after 2 warm-ups
#   RUNS=30 bench/install.sh
# cxpm is measured twice in the same run: through its warm daemon (the launcher's default after a first
# command, README) and with CXPM_DAEMON=0 (a JVM per command).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
client="$root/../shared/compat/codex/codex-client.sh"
runs="${RUNS:-15}"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
t="$(mktemp -d)"
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")"
trap 'pkill -f "$daemon_file" 2>/dev/null || true; rm -rf "$t"' EXIT
mkdir -p "$t/mk/.agents/plugins" "$t/mk/plugins/demo/.codex-plugin" "$t/mk/plugins/demo/skills/hello" "$t/home" "$t/codex" "$t/cxpm"
echo '{"name": "fx", "plugins": [{"name": "demo", "source": {"source": "local", "path": "./plugins/demo"}}]}' > "$t/mk/.agents/plugins/marketplace.json"
echo '{"name": "demo", "version": "1.0.0", "description": "bench plugin"}' > "$t/mk/plugins/demo/.codex-plugin/plugin.json"
printf -- '---\nname: hello\ndescription: Says hello\n---\nSay hello.\n' > "$t/mk/plugins/demo/skills/hello/SKILL.md"

"$root/cxpm" --version >/dev/null   # build + class-data cache before timing
export HOME="$t/home"
CODEX_HOME="$t/codex" CODEX_CLIENT_LAUNCHER=1 "$client" plugin marketplace add "$t/mk" >/dev/null 2>&1
CODEX_HOME="$t/cxpm" "$root/cxpm" marketplace add "$t/mk" >/dev/null
cp "$t/codex/config.toml" "$t/codex.base.toml"; cp "$t/cxpm/config.toml" "$t/cxpm.base.toml"
for _ in $(seq 100); do [[ -f "$daemon_file" ]] && break; sleep 0.1; done # the daemon the first command started
[[ -f "$daemon_file" ]] || { echo "the cxpm daemon did not start" >&2; exit 1; }

reset_codex="cp $t/codex.base.toml $t/codex/config.toml; rm -rf $t/codex/plugins"
reset_cxpm="cp $t/cxpm.base.toml $t/cxpm/config.toml; rm -rf $t/cxpm/plugins"
hyperfine -N --runs "$runs" --warmup 2 --export-markdown "$t/add.md" \
  --prepare "sh -c '$reset_codex'" -n "codex plugin add demo@fx (npm launcher, fresh)" \
    "env CODEX_HOME=$t/codex CODEX_CLIENT_LAUNCHER=1 $client plugin add demo@fx" \
  --prepare "sh -c '$reset_cxpm'" -n "cxpm install demo@fx (fresh, daemon)" \
    "env CODEX_HOME=$t/cxpm $root/cxpm install demo@fx" \
  --prepare "sh -c '$reset_cxpm'" -n "cxpm install demo@fx (fresh, CXPM_DAEMON=0)" \
    "env CODEX_HOME=$t/cxpm CXPM_DAEMON=0 $root/cxpm install demo@fx"
CODEX_HOME="$t/codex" CODEX_CLIENT_LAUNCHER=1 "$client" plugin add demo@fx >/dev/null 2>&1
CODEX_HOME="$t/cxpm" "$root/cxpm" install demo@fx >/dev/null
hyperfine -N --runs "$runs" --warmup 2 --export-markdown "$t/list.md" \
  -n "codex plugin add demo@fx (npm launcher, already installed)" "env CODEX_HOME=$t/codex CODEX_CLIENT_LAUNCHER=1 $client plugin add demo@fx" \
  -n "cxpm install demo@fx (already installed, daemon)" "env CODEX_HOME=$t/cxpm $root/cxpm install demo@fx" \
  -n "cxpm install demo@fx (already installed, CXPM_DAEMON=0)" "env CODEX_HOME=$t/cxpm CXPM_DAEMON=0 $root/cxpm install demo@fx" \
  -n "codex plugin list (npm launcher)" "env CODEX_HOME=$t/codex CODEX_CLIENT_LAUNCHER=1 $client plugin list" \
  -n "cxpm list (daemon)" "env CODEX_HOME=$t/cxpm $root/cxpm list" \
  -n "cxpm list (CXPM_DAEMON=0)" "env CODEX_HOME=$t/cxpm CXPM_DAEMON=0 $root/cxpm list"
cat "$t/add.md" "$t/list.md"
