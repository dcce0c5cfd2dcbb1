#!/usr/bin/env bash
# The commands right after the daemon is gone (issue 12): the first runs in a JVM of its own and starts the daemon;
# the second, once the daemon has announced itself, is its first command. Steady state: the median of the next 20.
# Each of these commands comes after the same pause (PAUSE seconds, default 0.3), as a person's commands do: a command
# after an idle moment takes longer than one right after another on the same warm daemon (the processes are woken from
# idle: 7.5-8 ms against 5.3 ms here, measured on a daemon warm for minutes), so a second command that follows the wait
# for the daemon's file is compared with steady commands that follow the same wait. The back-to-back median is printed
# beside it. Repeated ROUNDS times (default 5); prints each round and the medians, and the ratio second / steady.
# Usage: bench/daemon-spawn.sh [ROUNDS] [CXPM_ROOT=this checkout]. Runs `cxpm list` on a temp Codex home.
set -euo pipefail
root="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
rounds="${1:-5}"
"$root/cxpm" --version >/dev/null # builds the jar and its start-up cache when missing or stale
t="$(mktemp -d)"
daemon_file="$(CXPM_DAEMON=where "$root/cxpm")"
daemon_pid() { pgrep -f "dev.cxpm.cli.(daemon.)?Daemon $daemon_file" | head -1; }
stop_daemon() { local p; p="$(daemon_pid)"; [[ -z "$p" ]] || kill "$p"; for _ in $(seq 50); do [[ -z "$(daemon_pid)" ]] && break; sleep 0.1; done; }
trap 'stop_daemon 2>/dev/null || true; rm -rf "$t"' EXIT
export HOME="$t/home" CODEX_HOME="$t/codex"; unset CI; mkdir -p "$HOME"
# milliseconds to a tenth (a steady command takes 6-10 ms: whole milliseconds made the ratio jump by a sixth), timed by
# bash's own clock ($EPOCHREALTIME, no fork of date around the command)
ms() { local s e; s=${EPOCHREALTIME/./}; "$root/cxpm" "$@" >/dev/null; e=${EPOCHREALTIME/./}; printf '%d.%d\n' $(( (e - s) / 1000 )) $(( (e - s) / 100 % 10 )); }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
pause="${PAUSE:-0.3}"
firsts=(); seconds=(); steadies=(); busies=()
for ((r = 1; r <= rounds; r++)); do
  stop_daemon
  first=$(ms list)
  for _ in $(seq 600); do [[ -f "$daemon_file" ]] && break; sleep 0.05; done
  sleep "$pause"; second=$(ms list)
  steady=$(for _ in $(seq 20); do sleep "$pause"; ms list; done | median)
  busy=$(for _ in $(seq 20); do ms list; done | median)
  echo "round $r: first (own JVM) ${first} ms, second (the new daemon's first) ${second} ms, steady ${steady} ms (back to back ${busy} ms)"
  firsts+=("$first"); seconds+=("$second"); steadies+=("$steady"); busies+=("$busy")
done
f=$(printf '%s\n' "${firsts[@]}" | median); s=$(printf '%s\n' "${seconds[@]}" | median); st=$(printf '%s\n' "${steadies[@]}" | median)
b=$(printf '%s\n' "${busies[@]}" | median)
echo "medians: first ${f} ms, second ${s} ms, steady ${st} ms (back to back ${b} ms); second / steady = $(awk -v a="$s" -v b="$st" 'BEGIN {printf "%.2f", a / b}'), second / back to back = $(awk -v a="$s" -v b="$b" 'BEGIN {printf "%.2f", a / b}')  (pause ${pause} s, load average $(cut -d' ' -f1 /proc/loadavg))"
