#!/bin/bash
# Cold start in instructions, deterministically: a fresh Node under callgrind imports a package
# (PKG/node.mjs) and builds the corpus's policy once from the groups as objects. V8 runs with
# --predictable (one thread: its background validation and compiles are counted too) and fixed
# seeds, so two runs of one package differ by ≈ 0.02 % (CPU medians of 15 fresh processes drift by
# ± 5 % with the machine's phase). Prints millions of instructions: the import and the first build
# (each net of a run that stops before it), and inside them V8 validating the module's functions,
# Liftoff compiling functions on their first call, and the whole WASM call of the build (compiles
# included). Session 22: a million instructions is ≈ 0.15 ms of a fast-phase cold start.
# Needs valgrind; ≈ 20 s a run, 3 runs a package. NODE=PATH picks the node binary.
#   benches/cold-instructions.sh CORPUS.json PKG [PKG...]   (e.g. target/bench/mixed-1000.json pkg/files)
set -euo pipefail
corpus=$1; shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/one.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [pkg, stop, file] = process.argv.slice(2);
const groups = JSON.parse(readFileSync(file, "utf8")).groups;
if (stop !== "before-import") {
  const { FilePolicy } = await import(pathToFileURL(`${pkg}/node.mjs`).href);
  if (stop !== "before-build") new FilePolicy(groups);
}
JS
run() { # PKG STOP -> callgrind output file
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$tmp/cg.$2" \
    "${NODE:-node}" --predictable --random-seed=1 --hash-seed=1 "$tmp/one.mjs" "$1" "$2" "$corpus" > /dev/null 2>&1
}
total() { callgrind_annotate "$tmp/cg.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'; }
inclusive() { # STOP PATTERN -> the inclusive count of the first function matching PATTERN
  callgrind_annotate --inclusive=yes "$tmp/cg.$1" 2>/dev/null | grep -m1 -E "$2" | awk '{ gsub(",", "", $1); print $1 }'
}
m() { awk -v n="${1:-0}" 'BEGIN { printf "%.2f", n / 1e6 }'; }
for pkg in "$@"; do
  run "$pkg" before-import; run "$pkg" before-build; run "$pkg" all
  a=$(total before-import) b=$(total before-build) c=$(total all)
  echo "$pkg: import $(m $((b - a))) M (validation $(m "$(inclusive before-build 'ValidateFunctionsTask::Run')")) +" \
    "first build $(m $((c - b))) M (the WASM call $(m "$(inclusive all 'Builtins_JSToWasmWrapper \[')"), of which Liftoff" \
    "compiles $(m "$(inclusive all 'Runtime_WasmCompileLazy')")) = $(m $((c - a))) M instructions"
done
