// Node consumers of the packed tarball in a fresh project: ESM `import` and
// CommonJS `require` (Node 20 cannot require() ESM: node.cjs is a real CJS build),
// both with no init call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, probeBody, checkAnswers } from "./helpers.mjs";

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

test("the .wasm is exported by path and one copy ships", async () => {
  writeFileSync(join(project.dir, "wasm.mjs"),
    `import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
const require = createRequire(import.meta.url);
const path = require.resolve("groupgate/groupgate.wasm");
const dir = dirname(require.resolve("groupgate/package.json"));
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(d, e.name)) : [e.name]);
console.log(JSON.stringify({ valid: WebAssembly.validate(readFileSync(path)), wasms: walk(dir).filter((n) => n.endsWith(".wasm")) }));
`);
  const r = await run(process.execPath, ["wasm.mjs"], { cwd: project.dir, timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { valid: true, wasms: ["groupgate_bg.wasm"] });
});
