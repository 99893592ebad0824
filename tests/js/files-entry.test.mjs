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

// README "Cold start": groupgate/files' Node entries load the module in two
// parts (tools/wasm-split.mjs). In a fresh process, the import, builds,
// checks and snapshot loads (up to 10,000 rules) read wasm/primary.wasm alone;
// the first call that needs the rest (lint, explain, an error, toBytes, globMatch) reads
// wasm/secondary.wasm, once; and every answer is the full entry's. (Which
// functions are in which part decides only speed: tools/wasm-split-train.mjs.)
const probe = (load) => `
const fs = process.getBuiltinModule("node:fs");
const read = fs.readFileSync, reads = [];
fs.readFileSync = function (file, ...rest) {
  const name = String(file instanceof URL ? file.pathname : file);
  if (name.endsWith(".wasm")) reads.push(name.slice(name.lastIndexOf("/") + 1));
  return read.call(this, file, ...rest);
};
const [g, full] = ${load};
const { mixedCorpus } = await import(${JSON.stringify(new URL("../../benches/shapes.mjs", import.meta.url).href)});
const c = mixedCorpus(300), ids = c.groups.map((x) => x.id), at = {};
const snapshot = new full.FilePolicy(c.groups).toBytes();
// 10,000 rules: what only a large policy reaches (dlmalloc giving a large freed top back) is in the first part too.
const large = mixedCorpus(10000), largeSnapshot = new full.FilePolicy(large.groups).toBytes();
at.imported = reads.splice(0).sort();
const p = new g.FilePolicy(c.groups);
const paths = c.rules.map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const answers = [p.checkMany(ids.slice(0, 3), paths, "write"), g.FilePolicy.fromBytes(snapshot).checkMany([ids[1]], paths, "visible"),
  new g.FilePolicy([{ id: "a", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }])
    .check(["a"], "secrets/.env", "visible")];
const largeIds = large.groups.map((x) => x.id), largePaths = large.rules.slice(0, 500).map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const largeAnswers = [new g.FilePolicy(large.groups).checkMany(largeIds.slice(0, 3), largePaths, "modify"),
  g.FilePolicy.fromBytes(largeSnapshot).checkMany(largeIds.slice(0, 3), largePaths, "modify")];
at.built = [...reads];
const outcome = (f) => { try { return f(); } catch (e) { return [e.constructor.name, e.code, e.message]; } };
for (const m of [g, full]) {
  const q = new m.FilePolicy(c.groups);
  answers.push(q.explain([ids[0]], paths[0], "write"), q.lint(paths), [...q.toBytes()].length, m.globMatch("src/**/*.{js,ts}", "src/a/b.ts"),
    outcome(() => new m.FilePolicy([{ id: "x", filePermissions: [{ effect: "allow", actions: ["write"], patterns: "a/***" }] }])),
    outcome(() => m.FilePolicy.fromBytes(new Uint8Array([1, 2, 3]))), q.check([ids[2]], paths[2], "delete"));
  if (m === g) at.cold = [...reads];
}
const half = answers.length - 7;
console.log(JSON.stringify({ at, same: JSON.stringify(answers.slice(3, half)) === JSON.stringify(answers.slice(half)) && answers[2] === false,
  agree: JSON.stringify(answers[0]) === JSON.stringify(new full.FilePolicy(c.groups).checkMany(ids.slice(0, 3), paths, "write"))
    && JSON.stringify(largeAnswers[0]) === JSON.stringify(largeAnswers[1]) && largeAnswers[0].some((x) => x) && largeAnswers[0].some((x) => !x) }));
`;

for (const [kind, load] of [
  ["ESM", `await Promise.all([import("groupgate/files"), import("groupgate")])`],
  ["CommonJS", `[require("groupgate/files"), require("groupgate")]`],
]) {
  test(`Node, ${kind}: the module in two parts, the second read on the first call that needs it`, async () => {
    const { execFileSync } = await import("node:child_process");
    const prelude = kind === "ESM" ? "" : `const require = (await import("node:module")).createRequire(${JSON.stringify(import.meta.url)});`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", prelude + probe(load)],
      { cwd: new URL("../..", import.meta.url), encoding: "utf8" });
    const { at, same, agree } = JSON.parse(out);
    assert.deepEqual(at, { imported: ["groupgate_bg.wasm", "primary.wasm"], built: [], cold: ["secondary.wasm"] }, out);
    assert.ok(same && agree, out);
  });
}

// A second part that cannot be read or compiled (a deployment that left it out
// or cut it): the call that needs it throws internal.load, naming the file and
// why, as a trap would be thrown (tools/wasm-split-glue.mjs): the stack pointer
// goes back, the policy keeps answering, and a later call loads the part once it
// can. 300 failures in a row, twice: a plain fs error or CompileError used to
// leave the stack pointer where the call had moved it (15 KB for a bad glob's
// build), and such a run ran the 1 MB stack out twice (internal.trap).
const failing = (load) => `
const fs = process.getBuiltinModule("node:fs");
const read = fs.readFileSync;
let mode = "missing";
fs.readFileSync = function (file, ...rest) {
  if (String(file instanceof URL ? file.pathname : file).endsWith("/secondary.wasm")) {
    if (mode === "missing") throw Object.assign(new Error("ENOENT: no such file or directory, open 'secondary.wasm'"), { code: "ENOENT" });
    if (mode === "cut") return read.call(this, file, ...rest).subarray(0, 1000);
  }
  return read.call(this, file, ...rest);
};
const [g, full] = ${load};
const { mixedCorpus } = await import(${JSON.stringify(new URL("../../benches/shapes.mjs", import.meta.url).href)});
const c = mixedCorpus(300), ids = c.groups.map((x) => x.id);
const paths = c.rules.map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const p = new g.FilePolicy(c.groups), q = new full.FilePolicy(c.groups);
const codes = {}, messages = new Set(), checks = [];
// A bad glob's error report is in the second part too, after a build whose frames hold 15 KB of stack.
const bad = [{ id: "x", filePermissions: [{ effect: "allow", actions: ["write"], patterns: "a/***" }] }];
const outcome = (f) => { try { f(); return "ok"; } catch (e) { if (e instanceof g.GroupgateError) messages.add(e.message); return e instanceof g.GroupgateError ? e.code : String(e); } };
const attempt = (i) => outcome(i % 2 ? () => new g.FilePolicy(bad) : () => p.lint(paths));
for (const m of ["missing", "cut"]) {
  mode = m;
  for (let i = 0; i < 300; i++) {
    const code = attempt(i);
    codes[m + " " + code] = (codes[m + " " + code] ?? 0) + 1;
    if (i % 50 === 0) checks.push(JSON.stringify(p.checkMany(ids.slice(0, 3), paths, "modify")) === JSON.stringify(q.checkMany(ids.slice(0, 3), paths, "modify")));
  }
}
mode = "real";
const errors = [g, full].map((m) => { try { new m.FilePolicy(bad); } catch (e) { return [e.code, e.message]; } });
console.log(JSON.stringify({ codes, messages: [...messages], checks: checks.every(Boolean) && checks.length,
  errors: JSON.stringify(errors[0]) === JSON.stringify(errors[1]) && errors[0][0],
  lint: JSON.stringify(p.lint(paths)) === JSON.stringify(q.lint(paths)), explain: JSON.stringify(p.explain([ids[0]], paths[0], "modify")) === JSON.stringify(q.explain([ids[0]], paths[0], "modify")) }));
`;

for (const [kind, load] of [
  ["ESM", `await Promise.all([import("groupgate/files"), import("groupgate")])`],
  ["CommonJS", `[require("groupgate/files"), require("groupgate")]`],
]) {
  test(`Node, ${kind}: a second part that cannot be loaded is internal.load, again and again, and the policy keeps working`, async () => {
    const { execFileSync } = await import("node:child_process");
    const prelude = kind === "ESM" ? "" : `const require = (await import("node:module")).createRequire(${JSON.stringify(import.meta.url)});`;
    const text = execFileSync(process.execPath, ["--input-type=module", "-e", prelude + failing(load)],
      { cwd: new URL("../..", import.meta.url), encoding: "utf8" });
    const out = JSON.parse(text);
    assert.deepEqual(out.codes, { "missing internal.load": 300, "cut internal.load": 300 }, JSON.stringify(out));
    const [missing, cut, ...more] = out.messages;
    assert.equal(missing, "groupgate/files could not load the second part of its module, wasm/secondary.wasm (ENOENT: no such file or directory, " +
      "open 'secondary.wasm'); the call did nothing and the object keeps working, and the next call that needs it loads it again (internal.load)");
    assert.match(cut, /^groupgate\/files could not load the second part of its module, wasm\/secondary\.wasm \(WebAssembly\.Module\(\): .+\); the call did nothing/, text);
    assert.deepEqual(more, [], text);
    assert.equal(out.checks, 12);
    assert.ok(out.lint && out.explain, JSON.stringify(out));
    assert.equal(out.errors, "glob.star_run");
  });
}
