// The CommonJS entries (`require("groupgate")`, `require("groupgate/files")`),
// bundled by `./dev build` into pkg/node.cjs and pkg/files/node.cjs: like
// js/node.mjs, but compiled synchronously at load (CommonJS has no top-level
// await). Paths are relative to the entry.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";
import { __groupgate_secondary } from "./wasm/groupgate.node.js";

const wasm = (name) => readFileSync(new URL(name, import.meta.url));
__groupgate_secondary(() => wasm("./wasm/secondary.wasm"));
initSync({ module: wasm("./wasm/primary.wasm") });

export * from "./core.js";
export { init } from "./node-init.mjs";
