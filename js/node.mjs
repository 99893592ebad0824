// Node (ESM), Deno and Bun: the module is compiled and instantiated
// synchronously at import, so the API is usable right away with no init call.
// `./dev build` bundles this file with core.js and the glue into pkg/node.mjs
// (one module to load: a faster cold start) and, as CommonJS, pkg/node.cjs.
// Paths are relative to pkg/.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";

initSync({ module: readFileSync(new URL("./wasm/groupgate_bg.wasm", import.meta.url)) });

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
