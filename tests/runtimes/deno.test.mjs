// Deno (npm package `deno`) imports the installed tarball through its
// package.json (conditions deno, node, import): the `deno` entry loads the
// .wasm as a module-graph import, so no --allow-read and no init call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, bin, probeBody, checkAnswers, filesProbeBody, checkFilesAnswers } from "./helpers.mjs";

let project;
before(() => { project = installTarball("deno"); });
after(() => project?.dispose());

test("Deno: import from the installed tarball with no permissions, no init call; `using` frees", async () => {
  writeFileSync(join(project.dir, "main.mjs"),
    `import * as g from "groupgate";\nconst probe = (g) => {${probeBody}};\n` +
    `let kept, usingFreed = null;
{ using policy = new g.FilePolicy([{ id: "o", permissions: ["owner"] }]); policy.check(["o"], "a", "visible"); kept = policy; }
try { kept.check(["o"], "a", "visible"); usingFreed = false; } catch (e) { usingFreed = e instanceof g.GroupgateError; }
console.log(JSON.stringify({ ...probe(g), usingFreed, runtime: "deno " + Deno.version.deno }));\n`);
  const r = await run(bin("deno"), ["run", "--no-prompt", "--node-modules-dir=manual", "main.mjs"], {
    cwd: project.dir,
    env: { DENO_DIR: join(project.dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  const { runtime, usingFreed, ...answers } = JSON.parse(r.stdout);
  assert.match(runtime, /^deno 2\./);
  assert.equal(usingFreed, true, "a \`using\` declaration frees the policy at the end of its block");
  checkAnswers(assert, answers);
});

test("Deno: groupgate/files with no permissions, no init call", async () => {
  writeFileSync(join(project.dir, "files.mjs"),
    `import * as g from "groupgate/files";\nconst probe = (g) => {${filesProbeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`);
  const r = await run(bin("deno"), ["run", "--no-prompt", "--node-modules-dir=manual", "files.mjs"], {
    cwd: project.dir,
    env: { DENO_DIR: join(project.dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  checkFilesAnswers(assert, JSON.parse(r.stdout));
});
