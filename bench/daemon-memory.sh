#!/usr/bin/env bash
# The warm daemon's memory under a long session: N mixed commands (default 1,000) through ./cxpm and its daemon
# (list, validate, install of an installed plugin, sync of a 5-plugin project, in turn), then the daemon's
# resident set from /proc/PID/status (VmRSS, and VmHWM: the peak) before and after, and after it has sat idle.
# Usage: bench/daemon-memory.sh [N=1000] [IDLE_SECONDS=15]. Target (issue 12): VmRSS under 128 MB after the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000}"; idle="${2:-15}"
"$root/cxpm" --version >/dev/null # builds the jar and its start-up cache when missing or stale
t="$(mktemp -d)"
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")"
daemon_pid() { pgrep -f "dev.cxpm.cli.(daemon.)?Daemon $daemon_file" | head -1; }
stop_daemon() { local p; p="$(daemon_pid)"; [[ -z "$p" ]] || kill "$p"; } # by its pid: only this checkout's daemon
trap 'stop_daemon 2>/dev/null || true; rm -rf "$t"' EXIT
stop_daemon 2>/dev/null || true
for _ in $(seq 50); do [[ -z "$(daemon_pid)" ]] && break; sleep 0.1; done

# a local marketplace of 5 plugins, a project that needs all of them, a plugin to validate
mkdir -p "$t/mk/.agents/plugins" "$t/project" "$t/home"
entries=""; toml=$'[marketplaces]\nfx = "../mk"\n\n[plugins]\n'
for i in 1 2 3 4 5; do
  mkdir -p "$t/mk/plugins/p$i/.codex-plugin" "$t/mk/plugins/p$i/skills/s$i"
  echo "{\"name\": \"p$i\", \"version\": \"1.0.$i\", \"description\": \"bench plugin $i\"}" > "$t/mk/plugins/p$i/.codex-plugin/plugin.json"
  printf -- '---\nname: s%s\ndescription: Skill %s\n---\nDo %s.\n' "$i" "$i" "$i" > "$t/mk/plugins/p$i/skills/s$i/SKILL.md"
  entries+="${entries:+, }{\"name\": \"p$i\", \"source\": \"./plugins/p$i\"}"; toml+="p$i = \"^1\""$'\n'
done
printf '{"name": "fx", "plugins": [%s]}\n' "$entries" > "$t/mk/.agents/plugins/marketplace.json"
printf '%s' "$toml" > "$t/project/cxpm.toml"
export HOME="$t/home" CODEX_HOME="$t/codex" CXPM_STORE="$t/store"
unset CI
cd "$t/project"
"$root/cxpm" marketplace add "$t/mk" >/dev/null # the first command starts the daemon
for _ in $(seq 300); do [[ -f "$daemon_file" ]] && break; sleep 0.1; done
[[ -f "$daemon_file" ]] || { echo "the cxpm daemon did not start" >&2; exit 1; }
pid="$(daemon_pid)"
rss() { awk '/^VmRSS|^VmHWM|^RssAnon|^RssFile/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$pid/status"; }
"$root/cxpm" install p1@fx >/dev/null
echo "daemon pid $pid, flags: $(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ -cp .*//; s/^[^ ]* //')"
echo "before: $(rss)  (load average $(cut -d' ' -f1 /proc/loadavg))"
start=$SECONDS; failed=0
for ((i = 0; i < n; i++)); do
  case $((i % 4)) in
    0) args=(list) ;;
    1) args=(validate "$t/mk/plugins/p$((i % 5 + 1))") ;;
    2) args=(install "p$((i % 5 + 1))@fx") ;;
    3) rm -f cxpm.lock; args=(sync) ;; # a full sync each time: resolve, lock, install
  esac
  "$root/cxpm" "${args[@]}" >/dev/null 2>&1 || failed=$((failed + 1))
  [[ "$(daemon_pid)" == "$pid" ]] || { echo "the daemon went away after command $i (${args[*]})" >&2; exit 1; }
done
echo "after $n commands ($failed failed, $((SECONDS - start)) s): $(rss)"
sleep "$idle"
echo "after $idle s idle: $(rss)"
