// Bundlers and browsers (ES modules): the .wasm beside the glue is fetched at
// import (top-level await: target ES2022 or later); no init call needed.
import { init } from "./core.js";

await init({ module_or_path: new URL("./wasm/groupgate_bg.wasm", import.meta.url) });

export * from "./core.js";
