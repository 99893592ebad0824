// The `groupgate/files` entry: file permissions only — FilePolicy and
// globMatch, with the errors, loading and pointer helpers they use — over a
// .wasm built without the five dialect validators and Baseten's Workspace
// (`cargo build --no-default-features`). Less than half the bytes to ship,
// load and validate: an edge worker or a form that checks paths starts
// faster (issue 12: cold start). Answers are the full entry's, byte for byte
// (tests/js/files-entry.test.mjs holds them to it).
//
// `./dev build` bundles this file into pkg/files/core.js; esbuild leaves out
// what it does not export. Its Node, Deno, bundler and web entries are the
// full package's, built beside it in pkg/files/.
export { FilePolicy, GroupgateError, globMatch, init, initSync, pointerToPath, version } from "./core.js";
