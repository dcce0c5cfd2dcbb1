#!/usr/bin/env bash
# Pack throughput and determinism on a generated 50 MB plugin, side by side with `npm pack` of the
# same directory in the same run. Usage: bench/pack.sh [SIZE_MB] (default 50).
# Content is pseudo-random but reproducible (AES-CTR keystream with a fixed key): ~40% compressible
# text (skills, docs, JSON), ~60% incompressible binary (assets), in 1,000+ files.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-50}"
work="$(mktemp -d /tmp/cxpm-bench-pack.XXXXXX)"
trap 'rm -rf "$work"' EXIT
plugin="$work/big-plugin"

stream() { # N bytes of a reproducible keystream for seed $1 (incompressible binary)
  (openssl enc -aes-128-ctr -nosalt -K "$(printf '%032x' "$1")" -iv 0 -in /dev/zero 2>/dev/null || true) | head -c "$2"
}

mkdir -p "$plugin/.codex-plugin" "$plugin/assets"
cat > "$plugin/.codex-plugin/plugin.json" <<'JSON'
{"name": "big-plugin", "version": "1.0.0", "description": "Generated plugin for the pack benchmark."}
JSON
cat > "$plugin/package.json" <<'JSON'
{"name": "big-plugin", "version": "1.0.0", "description": "same directory, packed by npm"}
JSON
text_total=$(( size_mb * 1024 * 1024 * 4 / 10 ))
bin_total=$(( size_mb * 1024 * 1024 - text_total ))
n_skills=1000
per_skill=$(( text_total / n_skills ))
# Prose-like text from a fixed vocabulary with a fixed seed: compresses about as well as real docs.
awk -v dir="$plugin/skills" -v n="$n_skills" -v per="$per_skill" 'BEGIN {
  srand(42)
  nw = split("the a skill plugin server tool user file run when with for and to of in check build test "\
    "install version config token path command prompt context model return value error retry network "\
    "request response json yaml markdown codex review deploy cache lock update search index", w, " ")
  for (i = 1; i <= n; i++) {
    d = dir "/skill-" i; system("mkdir -p " d); f = d "/SKILL.md"
    printf "---\nname: skill-%d\ndescription: Generated skill number %d.\n---\n", i, i > f
    len = 0; line = ""
    while (len < per) {
      word = w[int(rand() * nw) + 1]; line = line word " "
      if (length(line) > 70) { print line > f; len += length(line) + 1; line = "" }
    }
    close(f)
  }
}'
n_bin=30
for i in $(seq 1 "$n_bin"); do
  stream $(( 100000 + i )) $(( bin_total / n_bin )) > "$plugin/assets/blob-$i.bin"
done
chmod +x "$plugin/assets/blob-1.bin"
bytes=$(du -sb "$plugin" | cut -f1)
files=$(find "$plugin" -type f | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
echo "plugin: $files files, $mb MiB ($bytes bytes) at $plugin"

./cxpm --version >/dev/null   # build once, outside the timings
mkdir -p "$work/out" "$work/npm"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/h.json" \
  -n "cxpm pack" "./cxpm pack $plugin -o $work/out/cxpm.tgz --json" \
  -n "npm pack" "npm pack $plugin --pack-destination $work/npm --silent" >&2

# Wall time suffers when other processes share the 2 cores; CPU time (user+sys) is the steadier figure.
read -r cx_med npm_med cx_cpu npm_cpu <<<"$(node -e '
const r=require(process.argv[1]).results; const f=n=>r.find(x=>x.command==n);
console.log(f("cxpm pack").median, f("npm pack").median, f("cxpm pack").user+f("cxpm pack").system,
  f("npm pack").user+f("npm pack").system)' "$work/h.json")"
awk -v b="$bytes" -v c="$cx_med" -v n="$npm_med" -v cc="$cx_cpu" -v nc="$npm_cpu" 'BEGIN{
  printf "cxpm pack: median wall %.2f s = %.1f MiB/s; CPU %.2f s = %.1f MiB/s per core\n", c, b/1048576/c, cc, b/1048576/cc;
  printf "npm pack:  median wall %.2f s = %.1f MiB/s; CPU %.2f s = %.1f MiB/s per core\n", n, b/1048576/n, nc, b/1048576/nc;
  printf "cxpm/npm speed: %.2fx by wall time, %.2fx by CPU time\n", n/c, nc/cc }'
echo "archive sizes: cxpm $(stat -c %s "$work/out/cxpm.tgz") bytes, npm $(stat -c %s "$work"/npm/*.tgz) bytes"

# Determinism: two packs of the same directory, and a copy with fresh mtimes and another umask.
./cxpm pack "$plugin" -o "$work/out/a.tgz" >/dev/null
./cxpm pack "$plugin" -o "$work/out/b.tgz" >/dev/null
(umask 077 && cp -r "$plugin" "$work/copy" && touch -d '2001-02-03 04:05:06' "$work/copy/skills/skill-1/SKILL.md")
./cxpm pack "$work/copy" -o "$work/out/c.tgz" >/dev/null
sha() { openssl dgst -sha512 -binary "$1" | base64 -w0; }
a=$(sha "$work/out/a.tgz"); b=$(sha "$work/out/b.tgz"); c=$(sha "$work/out/c.tgz")
echo "determinism: pack 1 sha512-$a"
echo "             pack 2 sha512-$b"
echo "             copy   sha512-$c"
# The same check for npm pack, for comparison (reported, not required).
mkdir -p "$work/npm2" "$work/npm3"
npm pack "$plugin" --pack-destination "$work/npm2" --silent >/dev/null
npm pack "$work/copy" --pack-destination "$work/npm3" --silent >/dev/null
n1=$(sha "$work"/npm/*.tgz); n2=$(sha "$work"/npm2/*.tgz); n3=$(sha "$work"/npm3/*.tgz)
echo "npm pack: same dir twice $([[ "$n1" == "$n2" ]] && echo identical || echo DIFFERENT), copy $([[ "$n1" == "$n3" ]] && echo identical || echo DIFFERENT)"
if [[ "$a" == "$b" && "$a" == "$c" ]]; then echo "determinism: OK (identical bytes)"; else echo "determinism: FAILED"; exit 1; fi
