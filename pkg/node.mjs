// Node (ESM): the module is compiled and instantiated synchronously at
// import, so the API is usable right away with no init call.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/groupgate.js";

initSync({ module: readFileSync(new URL("./wasm/groupgate_bg.wasm", import.meta.url)) });

export * from "./core.js";
