#!/usr/bin/env bash
# Scale-out benchmark (issue 14): one PostgreSQL, one S3-compatible store (S3Proxy over a directory), two real
# `./cxpm serve` instances behind HAProxy (Debian's package), driven by wrk through the load balancer. In one run:
# the same loads with the balancer sending to ONE instance, then to BOTH. Prints req/s and latency (p50, p99).
# Usage: bench/registry-cluster.sh [N=300 plugins] [DURATION=10s]   (needs wrk, haproxy, git, PostgreSQL binaries)
# On a 2-core machine two instances share the cores with PostgreSQL, S3Proxy, HAProxy and wrk: the figure that matters
# there is that two instances are not slower than one and both answer; the throughput gain needs cores per instance.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"; dur="${2:-10s}"
pgport=15432; s3port=18600; lbport=18680; ports=(18681 18682)
for c in wrk haproxy curl; do command -v "$c" >/dev/null || { echo "needs $c (apt-get install $c)" >&2; exit 1; }; done
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java="${java_home:-$JAVA_HOME}/bin/java"
cp_file="$(mktemp)"; ./mvnw -q -B -pl registry -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="registry/target/test-classes:registry/target/classes:core/target/classes:$(cat "$cp_file")"
work="$(mktemp -d)"; chmod 755 "$work"
pids=()
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work" "$cp_file"
}
trap cleanup EXIT

echo "== PostgreSQL ($pgbin) on 127.0.0.1:$pgport"
mkdir -p "$work/pg"; [[ $(id -u) == 0 ]] && chown postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -w -l "$work/pg/log" -o "-p $pgport -h 127.0.0.1 -k $work/pg -c max_connections=200" start >/dev/null
db="jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres"

echo "== S3Proxy on 127.0.0.1:$s3port (bucket cxpm, a directory underneath)"
mkdir -p "$work/s3/cxpm"
cat > "$work/s3.properties" <<P
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
P
"$java" -cp "$cp" org.gaul.s3proxy.Main --properties "$work/s3.properties" >"$work/s3.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$s3port/" && break; sleep 0.2; done

export AWS_ACCESS_KEY_ID=bench-access AWS_SECRET_ACCESS_KEY=bench-secret CXPM_DAEMON=0
for i in 0 1; do
  CXPM_DAEMON=0 ./cxpm serve --port "${ports[$i]}" --data "$work/instance$i" --database "$db" --blobs s3://cxpm/blobs \
    --s3-endpoint "http://127.0.0.1:$s3port" --signing-key "$work/signing-key.json" --rate-limit off --token-rate-limit off --access-log off >"$work/serve$i.log" 2>&1 &
  pids+=($!)
done
for p in "${ports[@]}"; do
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$p/readyz" >/dev/null || { echo "instance on $p not ready" >&2; cat "$work"/serve*.log >&2; exit 1; }
done
echo "== two cxpm serve instances ready on ${ports[*]}"

lb() { # haproxy with the given instance ports as its backend servers
  [[ -n "${lbpid:-}" ]] && { kill "$lbpid"; wait "$lbpid" 2>/dev/null || true; }
  { printf 'global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n'
    printf 'frontend registry\n  bind 127.0.0.1:%s\n  default_backend cxpm\nbackend cxpm\n  balance roundrobin\n  option httpchk GET /readyz\n' "$lbport"
    for p in "$@"; do printf '  server i%s 127.0.0.1:%s check inter 1s\n' "$p" "$p"; done; } > "$work/haproxy.cfg"
  haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 & lbpid=$!; pids+=($lbpid)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$lbport/readyz" >/dev/null && break; sleep 0.1; done
}
url="http://127.0.0.1:$lbport"
lb "${ports[@]}"
token="$(./cxpm token create --database "$db")"
echo "== seeding $n plugins over HTTP through the balancer"
"$java" -cp "$cp" dev.cxpm.registry.RegistryBench seed-http "$url" "$token" "$n"

index_lua="$(mktemp --suffix=.lua)"; search_lua="$(mktemp --suffix=.lua)"
cat > "$index_lua" <<LUA
math.randomseed(42)
request = function() return wrk.format("GET", string.format("/api/v1/plugins/plugin-%05d", math.random(0, $n - 1))) end
LUA
cat > "$search_lua" <<'LUA'
math.randomseed(7)
local w = {"github","postgres","slack","design","review","deploy","docs","search","kubernetes","terraform"}
request = function() return wrk.format("GET", "/api/v1/search?q=" .. w[math.random(1, #w)] .. "&perPage=" .. math.random(1, 100)) end
LUA
show() { grep -E "Requests/sec|  50%|  99%|Non-2xx|Socket errors" | sed 's/^/    /'; }
for setup in one two; do
  if [[ $setup == one ]]; then lb "${ports[0]}"; else lb "${ports[@]}"; fi
  echo "== through HAProxy to $setup instance(s)"
  wrk -t2 -c32 -d3s -s "$index_lua" "$url" >/dev/null
  echo "  index document, random plugin of $n (wrk -t2 -c32 -d$dur --latency)"; wrk -t2 -c32 -d"$dur" --latency -s "$index_lua" "$url" | show
  echo "  search, random word and perPage (wrk -t2 -c16 -d$dur --latency)"; wrk -t2 -c16 -d"$dur" --latency -s "$search_lua" "$url" | show
done
echo "== a publish through instance 0, then polled through instance 1"
last="$(printf 'plugin-%05d' "$n")"
curl -s -o /dev/null "http://127.0.0.1:${ports[1]}/api/v1/plugins/$last"
"$java" -cp "$cp" dev.cxpm.registry.RegistryBench seed-http "http://127.0.0.1:${ports[0]}" "$token" "$((n + 1))" "$n"
t0=$(date +%s%N)
until curl -sf "http://127.0.0.1:${ports[1]}/api/v1/plugins/$last" | grep -q '"latest"'; do sleep 0.005; done
echo "  visible through the other instance $(( ($(date +%s%N) - t0) / 1000000 )) ms after the publish returned"
rm -f "$index_lua" "$search_lua"
