// Node (ESM), Deno and Bun: the module is compiled and instantiated
// synchronously at import, so the API is usable right away with no init call.
// `node.cjs` is this file bundled to CommonJS by `./dev build`.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/groupgate.js";

initSync({ module: readFileSync(new URL("./wasm/groupgate_bg.wasm", import.meta.url)) });

export * from "./core.js";
// Already initialized: these return at once (kept so every entry has one API).
export { default as init, initSync } from "./wasm/groupgate.js";
