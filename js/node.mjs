// Node (ESM) and Bun: the module is compiled and instantiated at import, so
// the API is usable right away with no init call (Deno has js/deno.js).
// `./dev build` bundles this file with core.js and the glue into pkg/node.mjs
// (one module to load: a faster cold start); js/node-cjs.mjs is the same for
// CommonJS (pkg/node.cjs). Paths are relative to pkg/.
import { load } from "./node-load.mjs";

await load("./wasm/groupgate_bg.wasm");

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
export { init } from "./node-init.mjs";
