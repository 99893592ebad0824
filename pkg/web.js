// Runtimes that load WebAssembly themselves (browsers without a bundler,
// workerd, Deno, Vercel's edge runtime): call `await init()` (fetches the
// .wasm next to this file) or `initSync({ module })` with a compiled module
// once, then use the API.
export * from "./core.js";
export { default as init, initSync } from "./wasm/groupgate.js";
