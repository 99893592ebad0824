// groupgate/files in Node (ESM; Bun), bundled by `./dev build` into
// pkg/files/node.mjs: js/node.mjs, with the module in two parts
// (tools/wasm-split.mjs; README "Cold start"). wasm/primary.wasm, compiled at
// import, holds what builds, checks and snapshot loads run; V8 validates every
// function of a module it compiles, so leaving the rest out makes a fresh
// import + 1,000-rule build ≈ 0.75 ms (7 %) cheaper. wasm/secondary.wasm (lint,
// explain, errors, toBytes, globMatch) is read and compiled synchronously on
// the first call that needs it (≈ 1.3 ms, once). Paths are relative to pkg/files/.
import { initSync } from "./core.js";
import { __groupgate_secondary } from "./wasm/groupgate.node.js";

// fs and the event-loop hold: as js/node.mjs.
const { readFileSync } = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
const wasm = (name) => readFileSync(new URL(name, import.meta.url));
__groupgate_secondary(() => wasm("./wasm/secondary.wasm"));
const hold = setInterval(() => {}, 1 << 30);
try {
  initSync({ module: await WebAssembly.compile(wasm("./wasm/primary.wasm")) });
} finally {
  clearInterval(hold);
}

export * from "./core.js";
export async function init(input) {
  return initSync(input);
}
Object.defineProperty(init, "name", { value: "init" });
