// Node (ESM), Deno and Bun: the module is compiled and instantiated at
// import, so the API is usable right away with no init call.
// `./dev build` bundles this file with core.js and the glue into pkg/node.mjs
// (one module to load: a faster cold start); js/node-cjs.mjs is the same for
// CommonJS (pkg/node.cjs). Paths are relative to pkg/.
import { readFile } from "node:fs/promises";
import { initSync } from "./core.js";

// Compiled with `WebAssembly.compile` and a top-level await, not
// `new WebAssembly.Module`: V8 then decodes and validates the 2,500
// functions on its background threads, and the JS thread of a fresh import
// spends 8.7 -> 6.0 ms CPU (the process as a whole the same ≈ 12 ms;
// BENCHMARKS.md "Cold start"). CommonJS has no top-level await.
// Read with fs/promises for the same reason: the kernel copies the 600 KB
// (and takes the page faults of the fresh buffer) on libuv's thread pool,
// not on the JS thread (1.0 -> 0.3 ms there).
initSync({ module: await WebAssembly.compile(await readFile(new URL("./wasm/groupgate_bg.wasm", import.meta.url))) });

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
