// groupgate/files in Node (ESM; Bun), bundled by `./dev build` into
// pkg/files/node.mjs: js/node.mjs, with the module in two parts
// (tools/wasm-split.mjs; README "Cold start"). wasm/primary.wasm, compiled at
// import, holds what builds, checks and snapshot loads run; V8 validates every
// function of a module it compiles, so leaving the rest out makes a fresh
// import + 1,000-rule build ≈ 0.75 ms (7 %) cheaper. wasm/secondary.wasm (lint,
// explain, errors, toBytes, globMatch) is read and compiled synchronously on
// the first call that needs it (≈ 1.3 ms, once). Paths are relative to pkg/files/.
import { __groupgate_secondary } from "./wasm/groupgate.node.js";
import { load, read } from "./node-load.mjs";

__groupgate_secondary(() => read("./wasm/secondary.wasm"));
await load("./wasm/primary.wasm");

export * from "./core.js";
export { init } from "./node-init.mjs";
