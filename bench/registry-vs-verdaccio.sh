#!/usr/bin/env bash
# cxpm registry vs Verdaccio (npm's lightweight registry), one run, same load tool (wrk) and settings:
# N generated packages in each, then random single-package metadata reads on 127.0.0.1 —
# cxpm `GET /api/v1/plugins/<name>` (index document) vs Verdaccio `GET /<name>` (packument).
# Verdaccio 6 is installed with npm into a cache dir; its storage is a temp dir with no uplinks, so it never
# reaches out. Its package.json files are written directly in Verdaccio's storage format (publishing N
# packages over HTTP would take minutes and measures nothing we compare).
# Usage: bench/registry-vs-verdaccio.sh [N=1000] [DURATION=10s] [CONNECTIONS=32]   (needs wrk, node, npm)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"; dur="${2:-10s}"; conns="${3:-32}"; cport=18687; vport=18688
for t in wrk node npm curl; do command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }; done
vdir="${XDG_CACHE_HOME:-$HOME/.cache}/cxpm-bench/verdaccio6"
data="$(mktemp -d)"; cp_file="$(mktemp)"
cleanup() { for p in ${cpid:-} ${vpid:-}; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$data" "$cp_file"; }
trap cleanup EXIT

# --- Verdaccio: install once (cached), node-fetch pinned as Verdaccio 6 needs on current Node
if [ ! -x "$vdir/node_modules/.bin/verdaccio" ]; then
  mkdir -p "$vdir"
  cat >"$vdir/package.json" <<'JSON'
{"name": "cxpm-bench-verdaccio", "private": true, "dependencies": {"verdaccio": "^6"},
 "overrides": {"node-fetch": "2.7.0"}}
JSON
  (cd "$vdir" && timeout 300 npm install --no-audit --no-fund --loglevel=error)
fi
echo "verdaccio $("$vdir/node_modules/.bin/verdaccio" --version)"
mkdir -p "$data/verdaccio/storage"
cat >"$data/verdaccio/config.yaml" <<YAML
storage: $data/verdaccio/storage
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$all
web:
  enable: false
log: {type: stdout, format: pretty, level: error}
YAML
# Packuments shaped like `npm publish` leaves them (one version, dist with tarball + shasum + integrity)
node - "$data/verdaccio/storage" "$n" "$vport" <<'JS'
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const [dir, n, port] = [process.argv[2], +process.argv[3], process.argv[4]];
const words = ['github','postgres','slack','design','review','deploy','docs','search','kubernetes','terraform',
  'jira','notion','figma','sentry','linear','stripe','aws','gcp','azure','redis'];
const now = new Date().toISOString();
for (let i = 0; i < n; i++) {
  const name = 'plugin-' + String(i).padStart(5, '0'), a = words[i % 20], b = words[Math.floor(i / 20) % 20];
  const sha = crypto.createHash('sha1').update(name).digest('hex');
  const v = {name, version: '1.0.0', description: `Connects Codex to ${a} and ${b}: plugin number ${i}.`,
    keywords: [a, b], main: 'index.js', license: 'MIT', _id: `${name}@1.0.0`, _nodeVersion: '20.20.2', _npmVersion: '10.8.2',
    dist: {integrity: 'sha512-' + crypto.createHash('sha512').update(name).digest('base64'), shasum: sha,
      tarball: `http://127.0.0.1:${port}/${name}/-/${name}-1.0.0.tgz`}, contributors: []};
  const doc = {name, versions: {'1.0.0': v}, time: {modified: now, created: now, '1.0.0': now}, users: {},
    'dist-tags': {latest: '1.0.0'}, _uplinks: {}, _distfiles: {},
    _attachments: {[`${name}-1.0.0.tgz`]: {shasum: sha, version: '1.0.0'}}, _rev: '1-' + sha.slice(0, 16),
    _id: name, readme: `# ${name}\n\nWorks with ${a}.\n`};
  fs.mkdirSync(path.join(dir, name), {recursive: true});
  fs.writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify(doc, null, 2));
}
fs.writeFileSync(path.join(dir, '.verdaccio-db.json'),
  JSON.stringify({list: Array.from({length: n}, (_, i) => 'plugin-' + String(i).padStart(5, '0')), secret: crypto.randomBytes(32).toString('hex')}));
JS
(cd "$data/verdaccio" && exec "$vdir/node_modules/.bin/verdaccio" -c "$data/verdaccio/config.yaml" -l "127.0.0.1:$vport") \
  >"$data/verdaccio.log" 2>&1 &
vpid=$!

# --- cxpm: the same seed/serve as bench/registry-load.sh, -Xmx256m
# One reactor run: registry's reactor dependencies (core, testkit) resolve to their target/classes, which a
# separate `-pl registry dependency:build-classpath` cannot do without them installed in ~/.m2.
./mvnw -q -B -pl registry -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="registry/target/test-classes:registry/target/classes:core/target/classes:$(cat "$cp_file")"
java_home="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)"; java="${java_home:-$JAVA_HOME}/bin/java"
timeout 600 "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.cxpm.registry.RegistryBench seed "$data/cxpm" "$n"
"$java" --enable-native-access=ALL-UNNAMED -Xmx256m -cp "$cp" dev.cxpm.registry.RegistryBench serve "$data/cxpm" "$cport" &
cpid=$!

wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }
wait_up "http://127.0.0.1:$cport/health"
wait_up "http://127.0.0.1:$vport/plugin-00001"
cbytes="$(curl -sf "http://127.0.0.1:$cport/api/v1/plugins/plugin-00001" | wc -c)"
vbytes="$(curl -sf "http://127.0.0.1:$vport/plugin-00001" | wc -c)"
echo "check: cxpm index document $cbytes bytes, verdaccio packument $vbytes bytes"
curl -sf "http://127.0.0.1:$vport/plugin-00001" | head -c 300; echo

mklua() { # $1 = path prefix
  local f; f="$(mktemp --suffix=.lua -p "$data")"
  cat >"$f" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("$1plugin-%05d", math.random(0, $n - 1)))
end
LUA
  echo "$f"
}
clua="$(mklua /api/v1/plugins/)"; vlua="$(mklua /)"
run() { # $1 label, $2 lua, $3 url
  timeout 120 wrk -t2 -c"$conns" -d3s -s "$2" "$3" >/dev/null
  timeout 120 wrk -t2 -c"$conns" -d"$dur" --latency -s "$2" "$3" >"$data/$1.out"
  rps="$(awk '/Requests\/sec/ {print $2}' "$data/$1.out")"
  p50="$(awk '$1 == "50%" {print $2}' "$data/$1.out")"; p99="$(awk '$1 == "99%" {print $2}' "$data/$1.out")"
  bad="$(awk '/Non-2xx/ {print $NF}' "$data/$1.out")"
  printf '%-10s %12s %10s %10s %8s\n' "$1" "$rps" "$p50" "$p99" "${bad:-0}"
  eval "${1}_rps=$rps"
}
echo "== random GET of $n packages, wrk -t2 -c$conns -d$dur (after 3 s warm-up each); load: $(uptime | sed 's/.*load/load/')"
printf '%-10s %12s %10s %10s %8s\n' registry req/s p50 p99 non-2xx
run cxpm "$clua" "http://127.0.0.1:$cport"
run verdaccio "$vlua" "http://127.0.0.1:$vport"
awk -v c="$cxpm_rps" -v v="$verdaccio_rps" 'BEGIN { printf "ratio cxpm/verdaccio req/s: %.1fx (target >= 5x: %s)\n", c / v, (c >= 5 * v ? "met" : "NOT met") }'
echo "load after: $(uptime | sed 's/.*load/load/')"
