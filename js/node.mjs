// Node (ESM) and Bun: the module is compiled and instantiated at import, so
// the API is usable right away with no init call (Deno has js/deno.js).
// `./dev build` bundles this file with core.js and the glue into pkg/node.mjs
// and pkg/files/node.mjs (one module to load: a faster cold start);
// js/node-cjs.mjs is the same for CommonJS. Paths are relative to the entry.
//
// The module comes in two parts (tools/wasm-split.mjs; README "Cold start").
// wasm/primary.wasm, compiled at import, holds what builds, checks and
// snapshot loads run; V8 validates every function of a module it compiles, so
// leaving the rest out makes a fresh import + 1,000-rule build cheaper.
// wasm/secondary.wasm (the validators, Workspace, lint, explain, errors,
// toBytes, globMatch) is read and compiled synchronously on the first call
// that needs it, once.
import { __groupgate_secondary } from "./wasm/groupgate.node.js";
import { load, read } from "./node-load.mjs";

__groupgate_secondary(() => read("./wasm/secondary.wasm"));
await load("./wasm/primary.wasm");

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
export { init } from "./node-init.mjs";
