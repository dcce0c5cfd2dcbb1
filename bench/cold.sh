#!/usr/bin/env bash
# Cold commands as CI runs them (a fresh JVM each, no daemon) beside `codex plugin list` through its npm launcher, in
# one interleaved run (bench/interleave.py): `list`, `validate`, `install` of an installed plugin and a fresh
# `install` from a local marketplace, each through the launcher (CXPM_DAEMON=0 ./cxpm) and as the launcher's java line
# run directly. The target (issue 12): every one at most 1.0x codex ("vs first" column). Usage: bench/cold.sh [RUNS=10]
# CXPM_BEFORE=DIR adds the same commands run by another checkout (built there first), e.g. a `git archive` of an
# earlier commit, in the same interleaved run. CXPM_RELEASE=DIR adds them run by an unpacked release's bin/cxpm (e.g. the
# self-contained archive of ./mvnw -Prelease package, with its own runtime), the launcher users install with install.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-10}"
client="${CXPM_SHARED:-$root/../shared}/compat/codex/codex-client.sh"
CXPM_DAEMON=0 ./cxpm --version >/dev/null # builds the jar and its class-data archive when missing or stale (and starts no daemon)
t="$(mktemp -d)"; trap 'rm -rf "$t"' EXIT
mkdir -p "$t/mk/.agents/plugins" "$t/mk/plugins/demo/.codex-plugin" "$t/mk/plugins/demo/skills/hello" "$t/home" "$t/codex" "$t/cxpm"
echo '{"name": "fx", "plugins": [{"name": "demo", "source": {"source": "local", "path": "./plugins/demo"}}]}' > "$t/mk/.agents/plugins/marketplace.json"
echo '{"name": "demo", "version": "1.0.0", "description": "bench plugin"}' > "$t/mk/plugins/demo/.codex-plugin/plugin.json"
printf -- '---\nname: hello\ndescription: Says hello\n---\nSay hello.\n' > "$t/mk/plugins/demo/skills/hello/SKILL.md"
export HOME="$t/home" CXPM_DAEMON=0
CODEX_HOME="$t/codex" CODEX_CLIENT_LAUNCHER=1 "$client" plugin marketplace add "$t/mk" >/dev/null 2>&1
CODEX_HOME="$t/codex" CODEX_CLIENT_LAUNCHER=1 "$client" plugin add demo@fx >/dev/null 2>&1
CODEX_HOME="$t/cxpm" ./cxpm marketplace add "$t/mk" >/dev/null
cp -r "$t/cxpm" "$t/fresh.base"
# the java line the launcher ends with (bash -x shows it), run without the launcher: install's has a start-up cache of
# its own on JDK 25+ (the launcher's comment), the other commands' the one --version has
install_line="$(CODEX_HOME="$t/cxpm" bash -x ./cxpm install demo@fx 2>&1 >/dev/null | grep -E '^\+ exec .*/bin/java ' | tail -1)"
install_line="${install_line#+ exec }"; install_line="${install_line% install demo@fx}"
java_line="$(CODEX_HOME="$t/cxpm" bash -x ./cxpm --version 2>&1 >/dev/null | grep -E '^\+ exec .*/bin/java ' | tail -1)"
java_line="${java_line#+ exec }"; java_line="${java_line% --version}"
fresh="rm -rf $t/fresh && cp -r $t/fresh.base $t/fresh"
before=()
if [[ -n "${CXPM_BEFORE:-}" ]]; then
  (cd "$CXPM_BEFORE" && CXPM_DAEMON=0 ./cxpm --version >/dev/null)
  b="$CXPM_BEFORE/cxpm"
  before=("before: cxpm list=env CODEX_HOME=$t/cxpm $b list"
    "before: cxpm validate=env CODEX_HOME=$t/cxpm $b validate $t/mk/plugins/demo"
    "before: cxpm install, installed=env CODEX_HOME=$t/cxpm $b install demo@fx"
    "before: cxpm install, fresh=env CODEX_HOME=$t/fresh $b install demo@fx" "--prepare=$fresh")
fi
release=()
if [[ -n "${CXPM_RELEASE:-}" ]]; then
  r="$CXPM_RELEASE/bin/cxpm"
  CODEX_HOME="$t/cxpm" "$r" --version >/dev/null # its class-data archive, made beside its jar on first use
  release=("release: cxpm list=env CODEX_HOME=$t/cxpm $r list"
    "release: cxpm validate=env CODEX_HOME=$t/cxpm $r validate $t/mk/plugins/demo"
    "release: cxpm install, installed=env CODEX_HOME=$t/cxpm $r install demo@fx"
    "release: cxpm install, fresh=env CODEX_HOME=$t/fresh $r install demo@fx" "--prepare=$fresh")
fi
python3 bench/interleave.py "$runs" \
  "codex plugin list (npm launcher)=env CODEX_HOME=$t/codex CODEX_CLIENT_LAUNCHER=1 $client plugin list" "${before[@]}" \
  "cxpm list=env CODEX_HOME=$t/cxpm ./cxpm list" \
  "cxpm list (java line)=env CODEX_HOME=$t/cxpm $java_line list" \
  "cxpm validate=env CODEX_HOME=$t/cxpm ./cxpm validate $t/mk/plugins/demo" \
  "cxpm validate (java line)=env CODEX_HOME=$t/cxpm $java_line validate $t/mk/plugins/demo" \
  "cxpm install, installed=env CODEX_HOME=$t/cxpm ./cxpm install demo@fx" \
  "cxpm install, installed (java line)=env CODEX_HOME=$t/cxpm $install_line install demo@fx" \
  "cxpm install, fresh=env CODEX_HOME=$t/fresh ./cxpm install demo@fx" "--prepare=$fresh" \
  "cxpm install, fresh (java line)=env CODEX_HOME=$t/fresh $install_line install demo@fx" "--prepare=$fresh" \
  "${release[@]}"
echo "java line: $java_line"
echo "install's java line: $install_line"
