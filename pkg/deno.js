// Deno: the .wasm is a module-graph import (source phase), compiled at load
// with no read permission needed; the API is usable with no init call.
import source module from "./wasm/groupgate_bg.wasm";
import { initSync } from "./core.js";

initSync({ module });

// `init`/`initSync` are exported too: already initialized, they return at once.
export * from "./core.js";
