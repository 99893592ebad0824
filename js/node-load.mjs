// What the Node ESM entries share (js/node.mjs, bundled for groupgate and
// groupgate/files): reading a file beside the entry, compiling and
// instantiating the module at import. `./dev build` bundles it
// into each entry. Paths are relative to the entry (pkg/ or pkg/files/).
import { initSync } from "./core.js";

// fs from process.getBuiltinModule (Node >= 20.16, Deno, Bun), not from an
// `import ... from "node:fs"`: ESM's first import of node:fs builds its
// namespace, which runs every lazy getter of fs (fs.promises, the streams):
// 3.5 ms CPU of a fresh Node 24 import of this entry, when nothing else had
// imported node:fs (0.05 ms this way).
const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));

/** The bytes of NAME, a path relative to the entry. */
export const read = (name) => readFileSync(new URL(name, import.meta.url));

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
export async function load(name) {
  const hold = setInterval(() => {}, 1 << 30);
  try {
    initSync({ module: await WebAssembly.compile(read(name)) });
  } finally {
    clearInterval(hold);
  }
}
