#!/usr/bin/env bash
# Registry load benchmark: 10,000 generated plugins in SQLite + blob files, then wrk on 127.0.0.1 against
# the index document and search, with the server capped at -Xmx256m. Prints the figures docs/BENCHMARKS.md records.
# Usage: bench/registry-load.sh [N=10000] [DURATION=10s]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"; dur="${2:-10s}"; port=18686
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
# One reactor run, so registry's reactor dependencies (core, testkit) resolve to their target/classes
# (a separate `-pl registry dependency:build-classpath` fails: they are not installed in ~/.m2).
cp_file="$(mktemp)"; ./mvnw -q -B -pl registry -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="registry/target/test-classes:registry/target/classes:core/target/classes:$(cat "$cp_file")"
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java="${java_home:-$JAVA_HOME}/bin/java"
data="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$data" "$cp_file"' EXIT
"$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.cxpm.registry.RegistryBench seed "$data" "$n"
"$java" --enable-native-access=ALL-UNNAMED -Xmx256m -cp "$cp" dev.cxpm.registry.RegistryBench serve "$data" "$port" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
lua="$(mktemp --suffix=.lua)"
cat >"$lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("/api/v1/plugins/plugin-%05d", math.random(0, $n - 1)))
end
LUA
words=(github postgres slack design review deploy docs search kubernetes terraform jira notion figma sentry linear stripe aws gcp azure redis)
slua="$(mktemp --suffix=.lua)"
{ echo 'math.randomseed(7)'; printf 'local w = {'; printf '"%s",' "${words[@]}"; echo '}'
  echo 'request = function() return wrk.format("GET", "/api/v1/search?q=" .. w[math.random(1, #w)] .. "&perPage=20") end'; } >"$slua"
echo "== warm-up"; wrk -t2 -c32 -d3s -s "$lua" "http://127.0.0.1:$port" >/dev/null
echo "== index document, random plugin of $n (wrk -t2 -c64 -d$dur)"; wrk -t2 -c64 -d"$dur" --latency -s "$lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|  50%|  99%|Non-2xx"
for c in 32 16; do
  echo "== index document, random plugin of $n, fewer connections (wrk -t2 -c$c -d$dur)"; wrk -t2 -c"$c" -d"$dur" --latency -s "$lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|  50%|  99%|Non-2xx"
done
echo "== index with If-None-Match (304)"
etag="$(curl -sI "http://127.0.0.1:$port/api/v1/plugins/plugin-00001" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')"
wrk -t2 -c64 -d"$dur" --latency -H "If-None-Match: $etag" "http://127.0.0.1:$port/api/v1/plugins/plugin-00001" | grep -E "Requests/sec|  99%|Non-2xx"
echo "== search, random word (wrk -t2 -c16 -d$dur)"; wrk -t2 -c16 -d"$dur" --latency -s "$slua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|  50%|  99%|Non-2xx"
echo "== server heap after the runs (-Xmx256m)"; jcmd_bin="$(dirname "$java")/jcmd"; "$jcmd_bin" "$pid" GC.heap_info | head -3
rm -f "$lua" "$slua"
