// groupgate/files' CommonJS entry, bundled by `./dev build` into
// pkg/files/node.cjs: js/files-node.mjs, compiled synchronously at load.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";
import { __groupgate_secondary } from "./wasm/groupgate.node.js";

const wasm = (name) => readFileSync(new URL(name, import.meta.url));
__groupgate_secondary(() => wasm("./wasm/secondary.wasm"));
initSync({ module: wasm("./wasm/primary.wasm") });

export * from "./core.js";
export { init } from "./node-init.mjs";
