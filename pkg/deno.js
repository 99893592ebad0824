// Deno: the .wasm is a source-phase import, compiled at load (no read
// permission); no init call needed.
import source module from "./wasm/groupgate_bg.wasm";
import { initSync } from "./core.js";

initSync({ module });

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
