// Node (ESM), Deno and Bun: the module is compiled and instantiated at
// import, so the API is usable right away with no init call.
// `./dev build` bundles this file with core.js and the glue into pkg/node.mjs
// (one module to load: a faster cold start); js/node-cjs.mjs is the same for
// CommonJS (pkg/node.cjs). Paths are relative to pkg/.
import { initSync } from "./core.js";

// fs from process.getBuiltinModule (Node >= 20.16, Deno, Bun), not from an
// `import ... from "node:fs"`: ESM's first import of node:fs builds its
// namespace, which runs every lazy getter of fs (fs.promises, the streams):
// 3.5 ms CPU of a fresh Node 24 import of this entry, when nothing else had
// imported node:fs (0.05 ms this way).
const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));

// Compiled with `WebAssembly.compile` and a top-level await, not
// `new WebAssembly.Module`: V8 then decodes and validates the 2,500
// functions on its background threads, and the JS thread of a fresh import
// spends 8.7 -> 6.0 ms CPU (the process as a whole the same ≈ 12 ms;
// BENCHMARKS.md "Cold start"). CommonJS has no top-level await.
// Read with readFileSync, not fs/promises: the promise API's file handle,
// its thread-pool reads and their callbacks cost the process ≈ 1 ms CPU
// more for one file (issue 12 is judged on the whole process's CPU).
// A timer holds the event loop while the compile is pending: Node 24 ends a
// process whose only pending work is a compile on V8's worker threads with
// "unsettled top-level await" (exit 13; nodejs/node#36616), which an eager
// compile (`node --no-wasm-lazy-compilation`) is.
const hold = setInterval(() => {}, 1 << 30);
try {
  initSync({ module: await WebAssembly.compile(readFileSync(new URL("./wasm/groupgate_bg.wasm", import.meta.url))) });
} finally {
  clearInterval(hold);
}

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
// Already loaded: `init` returns the module's exports at once, as core.js's
// does once loaded, without the glue's fetch path (-446 B gzipped).
export async function init(input) {
  return initSync(input);
}
Object.defineProperty(init, "name", { value: "init" });
