#!/bin/bash
# The store's layout alone, without cxpm (bench/StoreLayout.java): N plugins kept in a store and placed into a home by
# hard links, each layout in turn in one warm JVM (the daemon's case), ROUNDS times after two rounds for the JIT, each
# run into a new directory under DIR, the previous one moved to /tmp/trash (a move frees no inode: no run pays for the
# deletion of the one before). Prints the medians and first quartiles of the working thread's CPU time and of the wall
# time per layout (LAYOUTS, default tree,cas,flat) and N.
# usage: bench/store-layout.sh DIR ROUNDS [N...]   (default N: 200 1000)
set -eu
dir=$1 rounds=$2; shift 2
sizes=${*:-200 1000}
jdk=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$dir/classes"
"$jdk/bin/javac" -d "$dir/classes" "$(cd "$(dirname "$0")" && pwd)/StoreLayout.java"
for n in $sizes; do
  "$jdk/bin/java" -cp "$dir/classes" StoreLayout ab "$dir" "$n" "$rounds" "${LAYOUTS:-tree,cas,flat}" > "$dir/runs-$n.txt"
  python3 - "$dir/runs-$n.txt" <<'PY'
import re, statistics, sys, collections
cpu, wall = collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r'(\w+) (\d+) wall=(\d+) cpu=(\d+)', line)
    n = m[2]; cpu[m[1]].append(int(m[4])); wall[m[1]].append(int(m[3]))
q1 = lambda v: sorted(v)[len(v) // 4]
base = statistics.median(cpu['tree']) if 'tree' in cpu else None
for k in cpu:
    ratio = f" ({statistics.median(cpu[k]) / base:.2f}x tree)" if base else ""
    print(f"N={n} {k}: CPU median {statistics.median(cpu[k]):.0f} ms{ratio}, q1 {q1(cpu[k])}; "
          f"wall median {statistics.median(wall[k]):.0f} ms, q1 {q1(wall[k])}; runs {len(cpu[k])}")
PY
done
