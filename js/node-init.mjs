// `init` of the Node entries (js/node.mjs, js/node-cjs.mjs, bundled for
// groupgate and groupgate/files): they load the module at import, so `init`
// returns its exports at once, as core.js's does once loaded, without the
// glue's fetch path (-446 B gzipped). `./dev build` bundles it into each entry.
import { initSync } from "./core.js";

export async function init(input) {
  return initSync(input);
}
Object.defineProperty(init, "name", { value: "init" });
