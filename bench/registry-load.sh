#!/usr/bin/env bash
# Registry load benchmark (issue 12): N generated plugins, served by the real `./cxpm serve` with the flags users get
# (the launcher's defaults, or CXPM_SERVE_JAVA_OPTS), driven by wrk on 127.0.0.1: index documents, index reads beside
# concurrent searches, searches with random words AND random page sizes (so the search cache cannot answer), the web
# pages, blobs, the Codex git view (first request after start, a clone, a publish seen by a fetch), and admin and
# non-admin concurrent publishers. Prints every figure and the server's RSS (VmRSS) after the runs.
# Usage: bench/registry-load.sh [N=10000] [DURATION=10s] [SEEDED_DIR]   (needs wrk and git)
# CXPM_BENCH_PHASES=index,search,mixed runs only those phases (of index, search, mixed, web, blobs, codex, publish; default
# all), e.g. the mixed phase at 100,000 plugins in about a minute once seeded. CXPM_RELEASE=DIR serves with an unpacked
# release's (or a copied launcher's) DIR/bin/cxpm instead of ./cxpm, for an A/B against another build on the same data;
# CXPM_SERVE_ARGS adds options to `cxpm serve` (e.g. "--costly-requests 1/64").
# Seeding is fast at any N: RegistryBench seed-export publishes 400 plugins through the real Registry, exports them with
# the real RegistryExport and writes an export of all N (each plugin a copy of one of the 400 under its own name), which
# the real `cxpm registry import` restores (it builds every search entry, word and name variant): in a tmpfs when there
# is one, then copied to disk, where the server runs. A SEEDED_DIR from an earlier run (copied, never changed) skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"; dur="${2:-10s}"; seeded="${3:-}"; port=18686; users=4
phases=",${CXPM_BENCH_PHASES:-index,search,mixed,web,blobs,codex,publish},"
run() { [[ "$phases" == *",$1,"* ]]; }
launcher="./cxpm"; [[ -n "${CXPM_RELEASE:-}" ]] && launcher="$CXPM_RELEASE/bin/cxpm"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java="${java_home:-$JAVA_HOME}/bin/java"
cp_file="$(mktemp)"; ./mvnw -q -B -pl registry -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="registry/target/test-classes:registry/target/classes:core/target/classes:$(cat "$cp_file")"
data="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$data" "$cp_file"' EXIT
if [[ -z "$seeded" ]]; then
  shm="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
  echo "== seeding $n plugins (RegistryBench seed-export, then ./cxpm registry import)"
  start=$SECONDS
  "$java" -Djava.io.tmpdir="$shm" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.cxpm.registry.RegistryBench seed-export "$shm/seed" "$n" "$users"
  CXPM_DAEMON=0 ./cxpm registry import --data "$shm/data" "$shm/seed/export"
  cp -a "$shm/seed/bench" "$shm/data/bench"; rm -rf "$shm/seed"
  echo "  seeded in $((SECONDS - start)) s (data kept in $shm/data: pass it as SEEDED_DIR to skip this next time)"
  seeded="$shm/data"
fi
cp -a "$seeded/." "$data/"
# the load comes from one address and measures the server, not its limits: --rate-limit off, and no access log line per request
serve() {
  CXPM_DAEMON=0 "$launcher" serve --data "$data" --port "$port" --rate-limit off --token-rate-limit off --access-log off ${CXPM_SERVE_ARGS:-} >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
}
rss() { awk '/VmRSS/ {printf "%.0f MB\n", $2 / 1024}' "/proc/$pid/status"; }
url="http://127.0.0.1:$port"
serve
echo "== server: $launcher serve ${CXPM_SERVE_ARGS:-}(flags: ${CXPM_SERVE_JAVA_OPTS-launcher default}); RSS after start: $(rss)"
if run codex && [[ ! -d "$data/codex-marketplace.git" ]]; then
  echo "== Codex view: first request ever (no view on disk: waits for the first, whole build)"
  /usr/bin/time -f "  %e s" curl -s -o /dev/null -w "  HTTP %{http_code}\n" "$url/codex/marketplace.git/info/refs"
  kill "$pid"; wait "$pid" 2>/dev/null || true; serve
fi
if run codex; then
  echo "== Codex view: first request after a restart (the view on disk is served; the check against the database runs behind)"
  /usr/bin/time -f "  %e s" curl -s -o /dev/null -w "  HTTP %{http_code}\n" "$url/codex/marketplace.git/info/refs"
fi
lua() { local f; f="$(mktemp --suffix=.lua)"; cat >"$f"; echo "$f"; }
index_lua="$(lua <<LUA
math.randomseed(42)
request = function() return wrk.format("GET", string.format("/api/v1/plugins/plugin-%05d", math.random(0, $n - 1))) end
LUA
)"
words=(github postgres slack design review deploy docs search kubernetes terraform jira notion figma sentry linear stripe aws gcp azure redis)
search_lua="$(lua <<LUA
math.randomseed(7)
local w = {$(printf '"%s",' "${words[@]}")}
request = function()
  local q = w[math.random(1, #w)]
  if math.random() < 0.5 then q = q .. "+" .. w[math.random(1, #w)] end
  return wrk.format("GET", "/api/v1/search?q=" .. q .. "&perPage=" .. math.random(1, 100) .. "&page=" .. math.random(1, 3))
end
LUA
)"
page_lua="$(lua <<LUA
math.randomseed(11)
request = function() return wrk.format("GET", string.format("/plugins/plugin-%05d", math.random(0, $n - 1))) end
LUA
)"
blob_lua="$(lua <<LUA
local paths = {}
for line in io.lines("$data/bench/blobs.txt") do paths[#paths + 1] = line end
math.randomseed(5)
request = function() return wrk.format("GET", paths[math.random(1, #paths)]) end
LUA
)"
show() { grep -E "Requests/sec|Latency|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/  /'; }
# every plugin's document read once first: its first read builds and signs it (Ed25519, once per content), which on a
# loaded machine took most of a 3 s warm-up's requests, so the phases below measured first reads rather than the
# cached path a long-running server answers from
echo "== first read of each of the $n index documents (built and signed once each, or stored), then a ${CXPM_BENCH_WARMUP:-3s} warm-up"
/usr/bin/time -f "  %e s" curl -s --no-progress-meter -Z --parallel-max 16 "$url/api/v1/plugins/plugin-[00000-$(printf %05d $((n - 1)))]" >/dev/null
# CXPM_BENCH_WARMUP (default 3s): longer when comparing builds whose first reads differ in cost (a build that stores
# signed documents reads them all in seconds, so its JIT is colder than one that built and signed each on first read)
wrk -t2 -c32 -d"${CXPM_BENCH_WARMUP:-3s}" -s "$index_lua" "$url" >/dev/null
# and the searches warmed the same way before they are timed: a server's first seconds of searches run while the JIT
# compiles the scoring (at 100,000 plugins the first 8 s of searches had a p99 of 78-88 ms, the next 8 s 6.5 ms), and the
# targets are about a server that has been answering, not about its first seconds
if run search || run mixed; then
  echo "== then a ${CXPM_BENCH_WARMUP:-3s} warm-up of searches (not timed)"
  wrk -t2 -c16 -d"${CXPM_BENCH_WARMUP:-3s}" -s "$search_lua" "$url" >/dev/null
fi
if run index; then
  for c in 64 16; do
    echo "== index document, random plugin of $n (wrk -t2 -c$c -d$dur --latency)"; wrk -t2 -c"$c" -d"$dur" --latency -s "$index_lua" "$url" | show
  done
fi
if run search; then
  echo "== search, random words, random perPage 1-100 and page 1-3: no cache hits (wrk -t2 -c16 -d$dur --latency)"
  wrk -t2 -c16 -d"$dur" --latency -s "$search_lua" "$url" | show
fi
if run mixed; then
  echo "== index document (wrk -t1 -c16) while searches run beside it (wrk -t1 -c16), both $dur"
  wrk -t1 -c16 -d"$dur" --latency -s "$search_lua" "$url" > "$data/beside.txt" &
  wpid=$!
  wrk -t1 -c16 -d"$dur" --latency -s "$index_lua" "$url" | show
  wait "$wpid"; echo "  (the searches beside it:)"; show < "$data/beside.txt"
fi
if run web; then
  echo "== web: home page (wrk -t2 -c16 -d$dur)"; wrk -t2 -c16 -d"$dur" --latency "$url/" | show
  echo "== web: plugin page, random plugin (wrk -t2 -c16 -d$dur)"; wrk -t2 -c16 -d"$dur" --latency -s "$page_lua" "$url" | show
fi
if run blobs; then
  echo "== blobs, 500 random archives (wrk -t2 -c16 -d$dur)"; wrk -t2 -c16 -d"$dur" --latency -s "$blob_lua" "$url" | show
fi
if run codex; then
  echo "== Codex view: info/refs (wrk -t2 -c16 -d$dur)"; wrk -t2 -c16 -d"$dur" --latency "$url/codex/marketplace.git/info/refs" | show
  echo "== Codex view: git clone (dumb HTTP) of the whole view"
  /usr/bin/time -f "  %e s" git clone -q "$url/codex/marketplace.git" "$data/clone"
fi
if run publish; then
  echo "== publishers over HTTP (RegistryBench publish): admin, then non-admin (look-alike check), $users at once"
  "$java" -cp "$cp" dev.cxpm.registry.RegistryBench publish "$url" "$data" "$users" 25 admin | sed 's/^/  /'
  "$java" -cp "$cp" dev.cxpm.registry.RegistryBench publish "$url" "$data" "$users" 25 owner | sed 's/^/  /'
  if run codex; then
    echo "== Codex view after the publishes: git fetch, then check out the new snapshot (main has no parent: no fast-forward)"
    /usr/bin/time -f "  %e s" sh -c 'git -C "$1" fetch -q origin && git -C "$1" reset -q --hard origin/main' _ "$data/clone"
    echo "  plugins in the view: $(grep -c '"source"' "$data/clone/.agents/plugins/marketplace.json")"
  fi
fi
echo "== server RSS after the runs (VmRSS): $(rss)"
rm -f "$index_lua" "$search_lua" "$page_lua" "$blob_lua"
