// node tools/wasm-split-train.mjs CORE_JS IN.wasm > HOT.txt
//
// The training run of tools/wasm-split.mjs: which functions of IN.wasm (wasm-bindgen's module
// after wasm-opt, before the split) a fresh process calls to instantiate it, build the mixed
// 1,000-rule corpus of benches/shapes.mjs, check paths that match and miss (every action, 1 to 3
// groups), run checkMany, load a snapshot of the policy (a worker's cold start: fromBytes; written
// by another process, so that toBytes, a deploy step, stays cold) and check again, and free. V8
// compiles a function on its first call (lazy compilation) and --trace-wasm-compilation-times
// names each by index. CORE_JS: the entry's core.js (pkg/files/core.js), whose initSync takes
// the module.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { mixedCorpus } from "../benches/shapes.mjs";

const [core, wasm, child, snapshot] = process.argv.slice(2);
const corpus = mixedCorpus(1000);
const { FilePolicy, initSync } = child ? await import(pathToFileURL(core).href) : {};
initSync?.({ module: readFileSync(wasm) });
if (child === "--snapshot") {
  writeFileSync(snapshot, new FilePolicy(corpus.groups).toBytes());
} else if (child === "--train") {
  const ids = corpus.groups.map((g) => g.id);
  const paths = corpus.rules.map((r) => r.glob.replace(/\*\*?/g, "x").replace(/[{}[\]?!,]/g, ""));
  const exercise = (p) => {
    paths.forEach((path, i) => {
      for (const a of ["visible", "modify", "write", "delete"]) p.check([ids[i % ids.length], ids[(i * 7) % ids.length], ids[(i * 3) % ids.length]], path, a);
    });
    for (let i = 0; i < 50; i++) p.check([ids[i % ids.length]], `src/a${i}/b/c${i}.json`, "write");
    p.checkMany([ids[0], ids[1]], paths.slice(0, 100), "write");
  };
  const p = new FilePolicy(corpus.groups);
  exercise(p);
  const q = FilePolicy.fromBytes(readFileSync(snapshot));
  exercise(q);
  p.free();
  q.free();
} else {
  const dir = mkdtempSync(`${tmpdir()}/groupgate-train-`);
  const self = new URL(import.meta.url).pathname;
  execFileSync(process.execPath, [self, core, wasm, "--snapshot", `${dir}/policy.bin`]);
  const trace = execFileSync(process.execPath, ["--trace-wasm-compilation-times", self, core, wasm, "--train", `${dir}/policy.bin`],
    { encoding: "utf8", maxBuffer: 64 << 20 });
  rmSync(dir, { recursive: true });
  const hot = new Set([...trace.matchAll(/Compiled function \S+#(\d+) using Liftoff/g)].map((m) => Number(m[1])));
  if (hot.size === 0) throw new Error("no function compiled lazily: is this V8 compiling WebAssembly lazily?");
  console.log([...hot].sort((a, b) => a - b).join("\n"));
}
