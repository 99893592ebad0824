// `groupgate/files`: file permissions only, over its own smaller .wasm (built
// with `--no-default-features`). It must answer every question exactly as the
// full entry does — decisions, explanations, lint, snapshots (byte for byte,
// and loadable by the other entry), glob matches and errors — and export
// nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as full from "groupgate";
import * as files from "groupgate/files";
import { mixedCorpus, shapeCorpus, SHAPE_KEYS } from "../../benches/shapes.mjs";

const require = createRequire(import.meta.url);
const API = ["FilePolicy", "GroupgateError", "globMatch", "init", "initSync", "pointerToPath", "version"];

/** The thrown error as plain data (class name, code and issues), or the value returned. */
function outcome(f) {
  try {
    const value = f();
    return { value: value instanceof Uint8Array ? [...value] : value };
  } catch (e) {
    return { name: e.constructor.name, code: e.code, issues: e.issues, message: e.message };
  }
}

test("exports the file API and nothing else, in ESM and CommonJS", () => {
  assert.deepEqual(Object.keys(files).sort(), API);
  assert.deepEqual(Object.keys(require("groupgate/files")).sort(), API);
  assert.equal(files.version(), full.version());
  for (const name of ["validate", "permissionsOf", "catalog", "Workspace"]) assert.ok(!(name in files), name);
});

test("its .wasm is less than half the full one", () => {
  const size = (p) => statSync(new URL(`../../pkg/${p}`, import.meta.url)).size;
  assert.ok(size("files/wasm/groupgate_bg.wasm") * 2 < size("wasm/groupgate_bg.wasm"));
});

test("the mixed corpus and every shape: the same decisions, explanations, lint and snapshot bytes", () => {
  const corpora = [mixedCorpus(1000), ...SHAPE_KEYS.map((k) => shapeCorpus(k, 100))];
  let asked = 0;
  for (const c of corpora) {
    const a = new full.FilePolicy(c.groups);
    const b = new files.FilePolicy(JSON.stringify(c.groups));
    const members = c.members ?? [[c.groups[0].id]];
    const paths = c.paths ?? [];
    for (const gs of members) {
      for (const action of ["visible", "modify", "write", "delete"]) {
        assert.deepEqual(b.checkMany(gs, paths, action), a.checkMany(gs, paths, action), `${c.id} ${gs} ${action}`);
        for (const p of paths.slice(0, 40)) {
          assert.deepEqual(b.explain(gs, p, action), a.explain(gs, p, action), `${c.id} ${p} ${action}`);
          asked++;
        }
        asked += paths.length;
      }
    }
    assert.deepEqual(b.lint(paths), a.lint(paths), c.id);
    const bytes = a.toBytes();
    assert.deepEqual(b.toBytes(), bytes, `${c.id}: snapshot bytes`);
    // A snapshot from one entry loads in the other.
    const back = files.FilePolicy.fromBytes(bytes);
    for (const gs of members) assert.deepEqual(back.checkMany(gs, paths, "visible"), a.checkMany(gs, paths, "visible"));
    for (const p of [a, b, back]) p.free();
  }
  assert.ok(asked > 10_000, `${asked} questions`);
});

test("the generated globs of tests/glob_differential.rs: the same globMatch answers", () => {
  const file = new URL("../out/glob-differential.json", import.meta.url);
  if (!existsSync(file)) throw new Error("tests/out/glob-differential.json is missing: run `cargo test --test glob_differential` first (./dev test does)");
  const batches = JSON.parse(readFileSync(file, "utf8"));
  let asked = 0;
  for (const { globs, paths, caseInsensitive } of batches) {
    for (const g of globs) {
      for (const p of paths) {
        assert.deepEqual(outcome(() => files.globMatch(g, p, { caseInsensitive })), outcome(() => full.globMatch(g, p, { caseInsensitive })), `${g} ${p}`);
        asked++;
      }
    }
  }
  assert.ok(asked > 10_000, `${asked} questions`);
});

test("bad input: the same GroupgateError, code, pointer and message", () => {
  const cases = [
    () => [],
    () => "[",
    () => [{ id: "g", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["a/***"] }] }],
    () => [{ id: "g", filePermissions: [{ effect: "perhaps", actions: ["visible"], patterns: ["a"] }] }],
    () => [{ id: "g", filePermissions: [{ effect: "allow", actions: ["fly"], patterns: ["{a"] }] }],
    () => [{ id: "g", filePermisions: [] }],
    () => [{ id: "g" }, { id: "g" }],
    () => [{ id: 7 }],
    () => ({ groups: [] }),
    () => [{ id: "g", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "x".repeat(5000) }] }],
  ];
  for (const make of cases) {
    const at = JSON.stringify(make()).slice(0, 80);
    const want = outcome(() => new full.FilePolicy(make()).lint());
    assert.deepEqual(outcome(() => new files.FilePolicy(make()).lint()), want, at);
    assert.deepEqual(outcome(() => files.FilePolicy.lint(make())), outcome(() => full.FilePolicy.lint(make())), `lint ${at}`);
  }
  for (const [g, p, o] of [["!a", "a"], ["a/***", "a"], ["", "a"], ["a", "/a"], ["a", "a", { caseInsensitive: 1 }], ["a", "a", { x: true }], ["a\uD800", "a"], [1, "a"]]) {
    assert.deepEqual(outcome(() => files.globMatch(g, p, o)), outcome(() => full.globMatch(g, p, o)), `${g} ${p}`);
  }
  const bad = new Uint8Array([1, 2, 3]);
  assert.deepEqual(outcome(() => files.FilePolicy.fromBytes(bad)), outcome(() => full.FilePolicy.fromBytes(bad)));
  // Still answering afterwards.
  assert.equal(files.globMatch("src/**", "src/a/b.rs"), true);
});

// README "Every runtime": every runtime works the same with `groupgate/files`
// in place of `groupgate`, and esbuild users are told to "use `groupgate/web`
// with `initSync`". `groupgate/files/web` was not exported
// (ERR_PACKAGE_PATH_NOT_EXPORTED), so the files-only build had no such entry.
test("groupgate/files/web: the web entry of the files build, loaded with initSync as groupgate/web is", async () => {
  const web = await import("groupgate/files/web");
  assert.deepEqual(Object.keys(web).sort(), API);
  assert.throws(() => web.globMatch("*", "a"), (e) => e.code === "not_initialized" && e.issues[0].path === "");
  const bytes = readFileSync(require.resolve("groupgate/files/groupgate.wasm"));
  assert.ok(web.initSync({ module: bytes }).memory instanceof WebAssembly.Memory);
  assert.equal(web.globMatch("secrets/*", "secrets/.env"), true);
  const policy = new web.FilePolicy([{ id: "a", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }]);
  assert.equal(policy.check(["a"], "secrets/.env", "visible"), false);
  assert.deepEqual([...policy.toBytes()], [...new files.FilePolicy([{ id: "a", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }]).toBytes()]);
});
