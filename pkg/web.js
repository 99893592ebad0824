// Runtimes that load WebAssembly themselves (browsers without a bundler,
// workerd, Vercel's edge runtime): call `initSync({ module })` with the
// compiled `groupgate/groupgate.wasm`, or `await init()` (fetches the .wasm
// beside the glue), once, then use the API.
export * from "./core.js";
export { default as init, initSync } from "./wasm/groupgate.js";
