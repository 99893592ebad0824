// Node consumers of the packed tarball in a fresh project: ESM `import` and
// CommonJS `require` (Node 20 cannot require() ESM: node.cjs is a real CJS build),
// both with no init call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, probeBody, checkAnswers, filesProbeBody, checkFilesAnswers } from "./helpers.mjs";

let project;
before(() => { project = installTarball("node", {}); });
after(() => project?.dispose());

test("Node ESM: import from the installed tarball, no init call", async () => {
  writeFileSync(join(project.dir, "esm.mjs"),
    `import * as g from "groupgate";\nconst probe = (g) => {${probeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`);
  const r = await run(process.execPath, ["esm.mjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  checkAnswers(assert, JSON.parse(r.stdout));
});

test("Node CommonJS: require from the installed tarball, no init call", async () => {
  writeFileSync(join(project.dir, "cjs.cjs"),
    `const g = require("groupgate");\nconst probe = (g) => {${probeBody}};\n` +
    `console.log(JSON.stringify({ ...probe(g), resolved: require.resolve("groupgate") }));\n`);
  const r = await run(process.execPath, ["cjs.cjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const { resolved, ...answers } = JSON.parse(r.stdout);
  assert.match(resolved, /node_modules[\\/]groupgate[\\/]node\.cjs$/);
  checkAnswers(assert, answers);
});

test("groupgate/files in Node ESM and CommonJS: the file API only, no init call", async () => {
  writeFileSync(join(project.dir, "files.mjs"),
    `import * as g from "groupgate/files";\nconst probe = (g) => {${filesProbeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`);
  writeFileSync(join(project.dir, "files.cjs"),
    `const g = require("groupgate/files");\nconst probe = (g) => {${filesProbeBody}};\n` +
    `console.log(JSON.stringify({ ...probe(g), resolved: require.resolve("groupgate/files") }));\n`);
  const esm = await run(process.execPath, ["files.mjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(esm.code, 0, esm.stderr);
  checkFilesAnswers(assert, JSON.parse(esm.stdout));
  const cjs = await run(process.execPath, ["files.cjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(cjs.code, 0, cjs.stderr);
  const { resolved, ...answers } = JSON.parse(cjs.stdout);
  assert.match(resolved, /node_modules[\\/]groupgate[\\/]files[\\/]node\.cjs$/);
  checkFilesAnswers(assert, answers);
});

test("each .wasm is exported by path and one copy of each ships", async () => {
  writeFileSync(join(project.dir, "wasm.mjs"),
    `import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
const require = createRequire(import.meta.url);
const full = readFileSync(require.resolve("groupgate/groupgate.wasm"));
const files = readFileSync(require.resolve("groupgate/files/groupgate.wasm"));
const dir = dirname(require.resolve("groupgate/package.json"));
const walk = (d, at = "") => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(d, e.name), at + e.name + "/") : [at + e.name]);
console.log(JSON.stringify({ valid: WebAssembly.validate(full) && WebAssembly.validate(files), smaller: files.length * 2 < full.length,
  wasms: walk(dir).filter((n) => n.endsWith(".wasm")).sort() }));
`);
  const r = await run(process.execPath, ["wasm.mjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { valid: true, smaller: true, wasms: ["files/wasm/groupgate_bg.wasm", "wasm/groupgate_bg.wasm"] });
});
