// Runtimes that load WebAssembly themselves (browsers without a bundler,
// workerd, Vercel's edge runtime): call `initSync({ module })` with the
// compiled `groupgate/groupgate.wasm`, or `await init()` (fetches the .wasm
// beside the glue), once, then use the API. Before that, every call throws
// a GroupgateError saying "call init() first".
export * from "./core.js";
