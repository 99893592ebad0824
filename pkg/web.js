// workerd, edge runtimes, browsers without a bundler: call initSync({ module })
// or await init() once first; until then every call says "call init() first".
export * from "./core.js";
