// Bundlers (Vite, webpack 5, Rollup, Parcel) and browsers importing ES
// modules directly: the .wasm beside the glue is fetched and instantiated at
// import (top-level await), so the API is usable with no init call.
import init from "./wasm/groupgate.js";

await init({ module_or_path: new URL("./wasm/groupgate_bg.wasm", import.meta.url) });

export * from "./core.js";
export { default as init, initSync } from "./wasm/groupgate.js";
