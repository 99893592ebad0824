// Every export of every entry keeps its source name (`FilePolicy.name`,
// `err.constructor.name`, `validate.name`): `./dev build` minifies without
// esbuild's `--keep-names`, so js/core.js sets the public names itself.
// A name lost to the minifier fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const entries = {
  "groupgate (ESM)": await import("../../pkg/node.mjs"),
  "groupgate (CommonJS)": require("../../pkg/node.cjs"),
  "groupgate/files (ESM)": await import("../../pkg/files/node.mjs"),
  "groupgate/files (CommonJS)": require("../../pkg/files/node.cjs"),
  "groupgate (web)": await import("../../pkg/core.js"),
  "groupgate/files (web)": await import("../../pkg/files/core.js"),
};
// The web entries' modules load no .wasm by themselves.
const wasm = (dir) => readFileSync(new URL(`../../pkg/${dir}wasm/groupgate_bg.wasm`, import.meta.url));
entries["groupgate (web)"].initSync({ module: wasm("") });
entries["groupgate/files (web)"].initSync({ module: wasm("files/") });
const FULL = ["FilePolicy", "GroupgateError", "Workspace", "catalog", "globMatch", "init", "initSync",
  "permissionsOf", "pointerToPath", "validate", "version"];
const FILES = ["FilePolicy", "GroupgateError", "globMatch", "init", "initSync", "pointerToPath", "version"];

for (const [entry, m] of Object.entries(entries)) {
  test(`${entry}: every export has its own name`, () => {
    const want = entry.startsWith("groupgate/files") ? FILES : FULL;
    const exported = Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort();
    assert.deepEqual(exported, want);
    for (const k of exported) assert.equal(m[k].name, k, `${entry}: ${k}.name`);
  });
  test(`${entry}: a GroupgateError's name and constructor name`, () => {
    const e = new m.GroupgateError("x", [{ path: "", code: "c", message: "x" }]);
    assert.equal(e.name, "GroupgateError");
    assert.equal(e.constructor.name, "GroupgateError");
    assert.ok(e instanceof Error);
    let thrown;
    try {
      m.globMatch("[", "a");
    } catch (err) {
      thrown = err;
    }
    assert.equal(thrown?.constructor.name, "GroupgateError");
    assert.match(String(thrown), /^GroupgateError: /);
  });
}

// The Node entries load the .wasm at import and export an `init` of their
// own (without the glue's fetch path): it answers as core.js's does once
// loaded, the module's exports at once, whatever it is given.
for (const entry of Object.keys(entries).filter((e) => !e.endsWith("(web)"))) {
  test(`${entry}: init() and initSync() return the loaded exports`, async () => {
    const m = entries[entry];
    const exports = m.initSync();
    assert.equal(typeof exports.memory, "object");
    assert.equal(await m.init(), exports);
    assert.equal(await m.init({ module_or_path: "nowhere.wasm" }), exports);
    assert.equal(m.initSync({ module: new Uint8Array(0) }), exports);
    assert.equal(m.init.length, 1);
    assert.ok(m.globMatch("*.md", "a.md"));
  });
}
