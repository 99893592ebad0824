// Where a fresh process's first build (or first snapshot load) spends its instructions in V8's
// WASM code, per function: a cold start runs in the baseline tier (Liftoff), where a function
// costs what its calls, locals and loops cost there, not what they cost natively (a first
// 10,000-rule snapshot load was ≈ 10× its native count; a first build ≈ 3×). callgrind counts the
// JIT code by address under `--predictable` (as benches/cold-instructions.sh counts a cold start);
// V8's `--prof` log names each compiled function with its address range, the `*` ones being its
// optimizing tier's. Needs valgrind and the optimized module with its names, which `./dev build`
// keeps (target/files/optimized.wasm: groupgate/files' module as its Node entries get it, before the
// split and the layout).
//   node benches/liftoff-profile.mjs build CORPUS.json [TOP]     the groups of a benches/shapes.mjs corpus
//   node benches/liftoff-profile.mjs snapshot SNAPSHOT.bin [TOP]  FilePolicy.fromBytes of the bytes
// NODE=PATH picks the node binary (default: this one). Prints millions of instructions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";

const [mode, input, top = "40"] = process.argv.slice(2);
if (!["build", "snapshot"].includes(mode) || !input) {
  console.error("usage: node benches/liftoff-profile.mjs build|snapshot CORPUS.json|SNAPSHOT.bin [TOP]");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = mkdtempSync(`${tmpdir()}/groupgate-liftoff-`);
try {
  writeFileSync(`${tmp}/one.mjs`, `
import { readFileSync } from "node:fs";
const { FilePolicy, initSync } = await import(${JSON.stringify(`${root}pkg/files/core.js`)});
initSync({ module: readFileSync(${JSON.stringify(`${root}target/files/optimized.wasm`)}) });
const input = readFileSync(${JSON.stringify(input)}${mode === "build" ? `, "utf8"` : ""});
${mode === "build" ? "new FilePolicy(JSON.parse(input).groups);" : "FilePolicy.fromBytes(new Uint8Array(input));"}
`);
  execFileSync("valgrind", ["--tool=callgrind", "--smc-check=all-non-file", `--callgrind-out-file=${tmp}/cg.out`,
    process.env.NODE ?? process.execPath, "--predictable", "--random-seed=1", "--hash-seed=1", "--prof", `--logfile=${tmp}/v8.log`,
    "--no-logfile-per-isolate", `${tmp}/one.mjs`], { stdio: "ignore" });
  // Code ranges: `code-creation,TYPE,KIND,TIME,ADDRESS,SIZE,NAME,…,TIER` (`*`: the optimizing tier).
  const ranges = [];
  for (const line of readFileSync(`${tmp}/v8.log`, "utf8").split("\n")) {
    if (!line.startsWith("code-creation,")) continue;
    const f = line.split(",");
    const start = Number.parseInt(f[4], 16), size = Number(f[5]);
    if (Number.isFinite(start) && size > 0) ranges.push([start, size, `${f[6].replaceAll("\\x2C", ",").replace(/::h[0-9a-f]{16}$/, "")}${f.at(-1) === "*" ? " *" : ""}`]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const owner = (address) => {
    let lo = 0, hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][0] <= address) lo = mid + 1; else hi = mid - 1;
    }
    const r = ranges[hi];
    return r && address < r[0] + r[1] ? r[2] : null;
  };
  // callgrind names JIT code by the address it was entered at (`???:0x…`).
  const annotated = execFileSync("callgrind_annotate", [`${tmp}/cg.out`], { encoding: "utf8", maxBuffer: 256 << 20 });
  const cost = new Map();
  let jit = 0, unnamed = 0;
  for (const m of annotated.matchAll(/^\s*([\d,]+) \([^)]*\)\s+\?\?\?:0x([0-9a-f]+)/gm)) {
    const n = Number(m[1].replaceAll(",", "")), name = owner(Number.parseInt(m[2], 16));
    jit += n;
    if (name === null) unnamed += n; else cost.set(name, (cost.get(name) ?? 0) + n);
  }
  const M = (n) => (n / 1e6).toFixed(2).padStart(7);
  console.log(`${mode} of ${input}: ${M(jit)} M instructions in JIT code (${M(unnamed).trim()} M in code the log does not name)`);
  for (const [name, n] of [...cost].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${M(n)} M  ${name}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
