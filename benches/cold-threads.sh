#!/bin/bash
# Cold start by thread, precisely: a fresh Node per run imports a package (PKG/node.mjs) and builds
# the corpus's policy once, from the groups as objects (obj) and as JSON text (text). CPU time is
# counted from `perf record` samples (10 kHz) inside the windows the script marks, on the JS thread
# and on all threads (/proc schedstat advances in scheduler ticks here, too coarse for 10 ms).
# Packages alternate run by run, so load drifts hit each alike. Needs Linux `perf`.
#   benches/cold-threads.sh CORPUS.json RUNS PKG [PKG...]    (CORPUS: a benches/shapes.mjs corpus,
#   e.g. target/bench/mixed-1000.json; a PKG without the JSON-text constructor is timed from objects only)
set -euo pipefail
corpus=$1 runs=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1],"utf8")).groups))' "$corpus" "$tmp/groups.json"
cat > "$tmp/mark.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [pkg, mode, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const input = mode === "text" ? text : JSON.parse(text);
const t0 = process.hrtime.bigint();
const { FilePolicy } = await import(pathToFileURL(`${pkg}/node.mjs`).href);
const t1 = process.hrtime.bigint();
new FilePolicy(input);
const t2 = process.hrtime.bigint();
console.log(`${t0} ${t1} ${t2}`);
JS
one() { # PKG MODE -> "jsLoad jsBuild allLoad allBuild" in ms
  perf record -q -k CLOCK_MONOTONIC -F 10000 -o "$tmp/p.data" -- node "$tmp/mark.mjs" "$1" "$2" "$tmp/groups.json" > "$tmp/out" 2>/dev/null
  read -r t0 t1 t2 < "$tmp/out"
  perf script -i "$tmp/p.data" -F pid,tid,time 2>/dev/null | awk -v t0="$t0" -v t1="$t1" -v t2="$t2" '
    { split($1, a, "/"); t = $2; sub(":", "", t); t = t * 1e9
      if (t >= t0 && t < t1) { if (a[1] == a[2]) jl++; al++ } else if (t >= t1 && t < t2) { if (a[1] == a[2]) jb++; ab++ } }
    END { printf "%.1f %.1f %.1f %.1f\n", jl / 10, jb / 10, al / 10, ab / 10 }'
}
for ((r = 0; r < runs; r++)); do
  for pkg in "$@"; do
    echo "$pkg obj $(one "$pkg" obj)"
    # The JSON-text constructor is there when its lone-surrogate message is.
    if grep -q "JSON text is not well-formed" "$pkg/node.mjs"; then
      echo "$pkg text $(one "$pkg" text)"
    fi
  done
done | python3 -c '
import sys, statistics as st
rows = {}
for line in sys.stdin:
    pkg, mode, *v = line.split()
    rows.setdefault((pkg, mode), []).append(list(map(float, v)))
for (pkg, mode), v in rows.items():
    m = lambda i: st.median(x[i] for x in v)
    print(f"{pkg} {mode:4s}: JS thread load {m(0):.1f} + build {m(1):.1f} = {st.median(x[0]+x[1] for x in v):.1f} ms; "
          f"all threads load {m(2):.1f} + build {m(3):.1f} = {st.median(x[2]+x[3] for x in v):.1f} ms (median of {len(v)})")
'
