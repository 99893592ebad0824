// Bundlers (Vite, webpack 5, Rollup, Parcel) and browsers importing ES
// modules directly: the .wasm beside the glue is fetched and instantiated at
// import (top-level await, so the build target must be ES2022 or later), and
// the API is usable with no init call.
import { init } from "./core.js";

await init({ module_or_path: new URL("./wasm/groupgate_bg.wasm", import.meta.url) });

export * from "./core.js";
