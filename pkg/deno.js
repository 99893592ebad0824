// Deno: the .wasm is a module-graph import (source phase), compiled at load
// with no read permission needed; the API is usable with no init call.
import source module from "./wasm/groupgate_bg.wasm";
import { initSync } from "./wasm/groupgate.js";

initSync({ module });

export * from "./core.js";
// Already initialized: these return at once (kept so every entry has one API).
export { default as init, initSync } from "./wasm/groupgate.js";
