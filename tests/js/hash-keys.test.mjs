// The engine's maps of names from the input hash with secret keys
// (src/keyed.rs): WebAssembly gives Rust no randomness, so every entry seeds
// them at load: in Node from /dev/urandom (crypto's first use costs 5.7 ms of
// a cold start), else from crypto.getRandomValues, else from Math.random
// (workerd refuses random values at a module's top level). Each case loads
// an entry in a worker thread of its own (a fresh module graph and WASM
// instance), as an application would, then builds a policy and asks it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";

const ENTRIES = ["groupgate", "groupgate/files"];

/** Runs `scenario` ("urandom", "crypto" or "refused") for `entry` loaded `how` ("node": its
 * Node entry; "web": its web entry and initSync, as a worker bundles it). */
function run(entry, how, scenario) {
  const code = `
    const { parentPort, workerData: { entry, how, scenario } } = require("node:worker_threads");
    const fs = require("node:fs");
    const { readFileSync } = fs;
    const opened = [], calls = [];
    let used = 0;
    const realRandom = Math.random, realOpen = fs.openSync;
    Math.random = () => (used++, realRandom());
    fs.openSync = (path, ...rest) => {
      opened.push(String(path));
      if (scenario !== "urandom" && path === "/dev/urandom") throw new Error("ENOENT");
      return realOpen(path, ...rest);
    };
    crypto.getRandomValues = scenario !== "refused"
      ? (a) => { calls.push(a.constructor.name + ":" + a.length); for (let i = 0; i < a.length; i++) a[i] = 0x9e3779b9 ^ i; return a; }
      : () => { throw new Error("Disallowed operation called within global scope"); };
    (async () => {
      const url = require.resolve(entry);
      let g;
      if (how === "node") g = await import(require("node:url").pathToFileURL(url.replace(/node\\.cjs$/, "node.mjs")).href);
      else {
        const dir = url.replace(/node\\.cjs$/, "");
        g = await import(require("node:url").pathToFileURL(dir + "web.js").href);
        g.initSync({ module: readFileSync(dir + "wasm/groupgate_bg.wasm") });
      }
      const p = new g.FilePolicy([{ id: "a", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "docs/**" }] }]);
      const answers = [p.check(["a"], "docs/x.md", "visible"), p.check(["a"], "src/x.md", "visible")];
      parentPort.postMessage({ opened: opened.filter((f) => f === "/dev/urandom"), calls, used, answers });
    })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { entry, how, scenario } });
    w.once("message", (m) => { w.terminate(); resolve(m); });
    w.once("error", reject);
  });
}

const URANDOM = ["/dev/urandom"];
for (const entry of ENTRIES) {
  for (const how of ["node", "web"]) {
    test(`${entry} (${how}): seeds its hash keys with 128 bits of /dev/urandom at load in Node`, async () => {
      const got = await run(entry, how, "urandom");
      assert.deepEqual(got, { opened: URANDOM, calls: [], used: 0, answers: [true, false] });
    });

    test(`${entry} (${how}): without /dev/urandom, with crypto.getRandomValues`, async () => {
      const got = await run(entry, how, "crypto");
      assert.deepEqual(got, { opened: URANDOM, calls: ["Uint32Array:4"], used: 0, answers: [true, false] });
    });

    test(`${entry} (${how}): loads and answers where random values are refused (Math.random stands in)`, async () => {
      const got = await run(entry, how, "refused");
      assert.deepEqual(got, { opened: URANDOM, calls: [], used: 4, answers: [true, false] });
    });
  }
}
