// The CommonJS entry (`require("groupgate")`), bundled by `./dev build` into
// pkg/node.cjs: like js/node.mjs, but compiled synchronously at load
// (CommonJS has no top-level await). Paths are relative to pkg/.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";

initSync({ module: readFileSync(new URL("./wasm/groupgate_bg.wasm", import.meta.url)) });

export * from "./core.js";
export { init } from "./node-init.mjs";
