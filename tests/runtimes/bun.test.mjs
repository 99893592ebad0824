// Bun (npm package `bun`) imports the installed tarball through its
// package.json (conditions bun, node, import/require): the Node entries, which
// read their module in two parts (README "Cold start"): the probe's calls
// that need the second part (explain, toBytes, an error, a validation, a
// workspace) load it under JavaScriptCore too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, bin, probeBody, checkAnswers, filesProbeBody, checkFilesAnswers } from "./helpers.mjs";

let project;
before(() => { project = installTarball("bun"); });
after(() => project?.dispose());

const bun = (file) => run(bin("bun"), [file], {
  cwd: project.dir,
  env: { BUN_INSTALL_CACHE_DIR: join(project.dir, ".bun"), NO_COLOR: "1" },
  timeoutMs: 60_000,
});

for (const [kind, file, load] of [["ESM", "main.mjs", `import * as g from "groupgate";`], ["CommonJS", "main.cjs", `const g = require("groupgate");`]]) {
  test(`Bun, ${kind}: the Node entry, no init call, the same answers`, async () => {
    writeFileSync(join(project.dir, file),
      `${load}\nconst probe = (g) => {${probeBody}};\nconsole.log(JSON.stringify({ ...probe(g), runtime: "bun " + Bun.version }));\n`);
    const r = await bun(file);
    assert.equal(r.code, 0, r.stderr);
    const { runtime, ...answers } = JSON.parse(r.stdout);
    assert.match(runtime, /^bun 1\./);
    checkAnswers(assert, answers);
  });
}

test("Bun: groupgate/files, no init call", async () => {
  writeFileSync(join(project.dir, "files.mjs"),
    `import * as g from "groupgate/files";\nconst probe = (g) => {${filesProbeBody}};\nconsole.log(JSON.stringify(probe(g)));\n`);
  const r = await bun("files.mjs");
  assert.equal(r.code, 0, r.stderr);
  checkFilesAnswers(assert, JSON.parse(r.stdout));
});
