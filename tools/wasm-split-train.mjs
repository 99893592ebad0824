// node tools/wasm-split-train.mjs CORE_JS IN.wasm > HOT.txt
//
// The training run of tools/wasm-split.mjs: which functions of IN.wasm (wasm-bindgen's module
// after wasm-opt, before the split) a fresh process calls to instantiate it and to build, check
// and load policies of every size and shape: the mixed corpus of benches/shapes.mjs at 1 to 10,000
// rules (objects and JSON text, with and without options; 10,000 for what only a large policy
// reaches, dlmalloc giving a large freed top back, which a 10,000-rule snapshot load ran in the
// secondary: +1.3-2 ms on its first load in a fresh Node), each pattern shape at 1 to 100 rules,
// the README's small policies (permissions or none, patterns as a string or a list); checks that
// match and miss (every action, 1 to 3 groups), checkMany, and snapshots loaded (a worker's cold
// start: fromBytes; written by another process, so that toBytes, a deploy step, stays cold). V8
// compiles a function on its first call (lazy compilation) and --trace-wasm-compilation-times
// names each by index. CORE_JS: the entry's core.js (pkg/files/core.js), whose initSync takes
// the module. What the run misses costs speed only (one load of the second part), never an answer.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { SHAPE_KEYS, mixedCorpus, shapeCorpus } from "../benches/shapes.mjs";

const [core, wasm, child, at] = process.argv.slice(2);
const small = (permissions, patterns, effect = "deny") => ({
  groups: [{ id: "a", ...(permissions && { permissions }), filePermissions: [{ effect, actions: ["visible", "write"], patterns }] },
    { id: "b", filePermissions: [{ effect: "allow", actions: ["modify", "delete"], patterns: ["src/**", "*.md"] }] }],
  paths: ["secrets/.env", "src/a.rs", "README.md", "docs/x/y.md"],
});
const corpora = [
  ...[1, 2, 5, 20, 100, 1000, 10000].map((n) => mixedCorpus(n)),
  ...SHAPE_KEYS.flatMap((k) => [1, 10, 100].map((n) => shapeCorpus(k, n))),
  small(["documents"], "secrets/*"), small(["documents:full"], ["secrets/*", "**/*.pem"], "allow"), small(null, ["secrets/**"]),
];
const snapshots = [mixedCorpus(10000), mixedCorpus(1000), mixedCorpus(5), small(["documents"], "secrets/*")];
const { FilePolicy, initSync } = child ? await import(pathToFileURL(core).href) : {};
initSync?.({ module: readFileSync(wasm) });
const exercise = (p, c) => {
  const ids = c.groups.map((g) => g.id);
  const paths = c.paths ?? c.rules.map((r) => r.glob.replace(/\*\*?/g, "x").replace(/[{}[\]?!,]/g, ""));
  paths.forEach((path, i) => {
    for (const a of ["visible", "modify", "write", "delete"]) p.check([ids[i % ids.length], ids[(i * 7) % ids.length], ids[(i * 3) % ids.length]], path, a);
  });
  for (let i = 0; i < 20; i++) p.check([ids[i % ids.length]], `src/a${i}/b/c${i}.json`, "write");
  p.checkMany(ids.slice(0, 2), paths.slice(0, 100), "write");
};
if (child === "--snapshot") {
  snapshots.forEach((c, i) => writeFileSync(`${at}/${i}.bin`, new FilePolicy(c.groups).toBytes()));
} else if (child === "--train") {
  corpora.forEach((c, i) => {
    const p = i % 3 === 1 ? new FilePolicy(JSON.stringify(c.groups)) : new FilePolicy(c.groups, i % 3 === 2 ? { caseInsensitive: true } : undefined);
    exercise(p, c);
    p.free();
  });
  snapshots.forEach((c, i) => {
    const q = FilePolicy.fromBytes(readFileSync(`${at}/${i}.bin`));
    exercise(q, c);
    q.free();
  });
} else {
  const dir = mkdtempSync(`${tmpdir()}/groupgate-train-`);
  const self = new URL(import.meta.url).pathname;
  execFileSync(process.execPath, [self, core, wasm, "--snapshot", dir]);
  // Ten runs, and the functions any of them called: the hash tables' keys are random at each
  // load, and a rare path (a collision's) is not taken in every run.
  const hot = new Set();
  for (let run = 0; run < 10; run++) {
    const trace = execFileSync(process.execPath, ["--trace-wasm-compilation-times", self, core, wasm, "--train", dir],
      { encoding: "utf8", maxBuffer: 64 << 20 });
    for (const m of trace.matchAll(/Compiled function \S+#(\d+) using Liftoff/g)) hot.add(Number(m[1]));
  }
  rmSync(dir, { recursive: true });
  if (hot.size === 0) throw new Error("no function compiled lazily: is this V8 compiling WebAssembly lazily?");
  console.log([...hot].sort((a, b) => a - b).join("\n"));
}
