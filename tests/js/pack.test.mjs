// `npm pack` of pkg/, installed into an empty project: the package works as
// a user gets it from the registry (no links into this repository).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = fileURLToPath(new URL("../../pkg/", import.meta.url));
const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("packed tarball installs into an empty project and answers in Node ESM", () => {
  const dir = mkdtempSync(join(tmpdir(), "groupgate-pack-"));
  try {
    const tarball = npm(["pack", "--silent", "--pack-destination", dir], pkgDir).trim().split("\n").pop();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    npm(["install", "--no-audit", "--no-fund", "--offline", join(dir, tarball)], dir);
    writeFileSync(
      join(dir, "main.mjs"),
      `import { FilePolicy, globMatch, version, GroupgateError } from "groupgate";
const p = new FilePolicy([{ id: "g", permissions: ["documents"], filePermissions: [
  { effect: "allow", actions: ["visible"], patterns: "**" },
  { effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }]);
let threw = false;
try { globMatch("!foo", "foo"); } catch (e) { threw = e instanceof GroupgateError && e.code === "glob.negation"; }
console.log(JSON.stringify({
  version: version(),
  secret: p.check(["g"], "secrets/.env", "visible"),
  src: p.check(["g"], "src/a.rs", "visible"),
  dirStar: globMatch("a/**", "a"),
  json: globMatch("*.json", "a/b.json"),
  threw,
}));`,
    );
    const out = JSON.parse(execFileSync("node", ["main.mjs"], { cwd: dir, encoding: "utf8" }));
    assert.deepEqual(out, { version: out.version, secret: false, src: true, dirStar: true, json: false, threw: true });
    assert.match(out.version, /^\d+\.\d+\.\d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Issue #15: the tarball carries README, both licenses and the CLI, and the
// package.json says where the project lives.
test("the packed file list: code, types, wasm, CLI, README and both licenses, nothing else", () => {
  const [packed] = JSON.parse(npm(["pack", "--dry-run", "--json", "--silent"], pkgDir));
  assert.deepEqual(packed.files.map((f) => f.path).sort(), [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md",
    "bin/args.mjs", "bin/groupgate.mjs", "bin/json-locations.mjs", "bin/report.mjs",
    "bundler.js", "core.js", "deno.js",
    "files/bundler.js", "files/core.js", "files/deno.js", "files/index.d.cts", "files/index.d.ts",
    "files/node.cjs", "files/node.mjs", "files/wasm/groupgate.js", "files/wasm/groupgate_bg.wasm",
    "files/wasm/primary.wasm", "files/wasm/secondary.wasm", "files/web.js",
    "index.d.cts", "index.d.ts", "node.cjs", "node.mjs",
    "package.json", "wasm/groupgate.js", "wasm/groupgate_bg.wasm", "wasm/primary.wasm", "wasm/secondary.wasm", "web.js",
  ]);
  const meta = JSON.parse(readFileSync(new URL("package.json", `file://${pkgDir}`), "utf8"));
  assert.equal(meta.license, "MIT OR Apache-2.0");
  assert.match(readFileSync(new URL("LICENSE-MIT", `file://${pkgDir}`), "utf8"), /^MIT License/);
  assert.match(readFileSync(new URL("LICENSE-APACHE", `file://${pkgDir}`), "utf8"), /Apache License\s+Version 2\.0/);
  assert.match(meta.repository.url, /^git\+https:\/\//);
  assert.match(meta.homepage, /^https:\/\//);
  assert.match(meta.bugs.url, /^https:\/\//);
  assert.deepEqual(meta.bin, { groupgate: "./bin/groupgate.mjs" });
  assert.match(readFileSync(new URL("bin/groupgate.mjs", `file://${pkgDir}`), "utf8"), /^#!\/usr\/bin\/env node\n/);
  // The README in the tarball is the repository's.
  assert.equal(readFileSync(new URL("README.md", `file://${pkgDir}`), "utf8"), readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
});
