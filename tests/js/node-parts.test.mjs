// README "Cold start": the Node entries of `groupgate` and `groupgate/files`
// load their module in two parts (tools/wasm-split.mjs). In a fresh process
// the import, builds, checks and snapshot loads (up to 10,000 rules) read
// wasm/primary.wasm alone; the first call that needs the rest (lint, explain,
// an error, toBytes, globMatch, and in the full entry the validators, catalogs
// and Workspace) reads wasm/secondary.wasm, once; and every answer is the one
// the same entry's web build gives from the whole module (`groupgate/web`,
// `groupgate/files/web`). Which functions are in which part decides only
// speed (tools/wasm-split-train.mjs), never an answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const ENTRIES = ["groupgate", "groupgate/files"];
const shapes = JSON.stringify(new URL("../../benches/shapes.mjs", import.meta.url).href);
const big = JSON.stringify(new URL("./fixtures/baseten-big.mjs", import.meta.url).href);

/** Runs SCRIPT in a fresh Node with `entry` (the split entry, ESM or CommonJS) and `ref` (its
 * web build over the whole module) defined, every .wasm it reads logged in `reads` (its path
 * from the package root), and `fail` ("missing", "cut" or null) applied to reads of secondary.wasm. */
function fresh(name, kind, script) {
  const load = kind === "ESM" ? `await import(${JSON.stringify(name)})` : `require(${JSON.stringify(name)})`;
  const prelude = `
const require = (await import("node:module")).createRequire(${JSON.stringify(import.meta.url)});
const fs = process.getBuiltinModule("node:fs");
const read = fs.readFileSync, reads = [];
let fail = null;
fs.readFileSync = function (file, ...rest) {
  const path = String(file instanceof URL ? file.pathname : file);
  if (path.endsWith(".wasm")) {
    reads.push(path.replace(/^.*?\\/((files\\/)?wasm\\/[^/]+)$/, "$1"));
    if (path.endsWith("/secondary.wasm") && fail === "missing")
      throw Object.assign(new Error("ENOENT: no such file or directory, open 'secondary.wasm'"), { code: "ENOENT" });
    if (path.endsWith("/secondary.wasm") && fail === "cut") return read.call(this, file, ...rest).subarray(0, 1000);
  }
  return read.call(this, file, ...rest);
};
const entry = ${load};
const imported = reads.splice(0);
const ref = await import(${JSON.stringify(`${name}/web`)});
ref.initSync({ module: read(require.resolve(${JSON.stringify(`${name}/groupgate.wasm`)})) });
reads.length = 0;
const { mixedCorpus } = await import(${shapes});
`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", prelude + script],
    { cwd: new URL("../..", import.meta.url), encoding: "utf8" });
  return JSON.parse(out);
}

const parts = (name) => {
  const dir = name === "groupgate" ? "" : "files/";
  return { primary: `${dir}wasm/primary.wasm`, secondary: `${dir}wasm/secondary.wasm` };
};

// The calls of the cold part, made on `m` (the entry or its reference); the full entry's dialects too.
const coldCalls = `
const outcome = (f) => { try { const v = f(); return v instanceof Uint8Array ? [...v] : v; } catch (e) { return [e.constructor.name, e.code, e.message, e.issues]; } };
const cold = (m) => {
  const q = new m.FilePolicy(c.groups);
  const out = [q.explain([ids[0]], paths[0], "write"), q.lint(paths), [...q.toBytes()].length, m.globMatch("src/**/*.{js,ts}", "src/a/b.ts"),
    outcome(() => new m.FilePolicy([{ id: "x", filePermissions: [{ effect: "allow", actions: ["write"], patterns: "a/***" }] }])),
    outcome(() => m.FilePolicy.fromBytes(new Uint8Array([1, 2, 3]))), q.check([ids[2]], paths[2], "delete")];
  if (m.validate) {
    for (const d of ["baseten", "frontier", "apinizer", "conductor", "gorules"]) {
      out.push(outcome(() => m.validate(d, { op: "create", body: { name: "Team One", title: "Team One", orgId: "o1" } })), outcome(() => m.catalog(d)));
    }
    const ws = m.Workspace.from(state);
    const g = state.groups[7].id;
    out.push(ws.effectiveModels(g), ws.preview({ op: "update", params: { group_id: g }, body: { models: [] } }),
      outcome(() => m.Workspace.from({ groups: [null] })));
  }
  return JSON.stringify(out);
};
const state = (await import(${big})).bigState(50);
`;

for (const name of ENTRIES) {
  for (const kind of ["ESM", "CommonJS"]) {
    test(`${name} in Node, ${kind}: the module in two parts, the second read on the first call that needs it`, () => {
      const out = fresh(name, kind, `
const c = mixedCorpus(300), ids = c.groups.map((x) => x.id);
const snapshot = new ref.FilePolicy(c.groups).toBytes();
// 10,000 rules: what only a large policy reaches (dlmalloc giving a large freed top back) is in the first part too.
const large = mixedCorpus(10000), largeSnapshot = new ref.FilePolicy(large.groups).toBytes();
const paths = c.rules.map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const p = new entry.FilePolicy(c.groups), answer = (m, q) => JSON.stringify([q.checkMany(ids.slice(0, 3), paths, "modify"),
  m.FilePolicy.fromBytes(snapshot).checkMany([ids[1]], paths, "visible"),
  new m.FilePolicy([{ id: "a", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }])
    .check(["a"], "secrets/.env", "visible")]);
const built = answer(entry, p);
const largeIds = large.groups.map((x) => x.id), largePaths = large.rules.slice(0, 500).map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const largeAnswers = [new entry.FilePolicy(large.groups).checkMany(largeIds.slice(0, 3), largePaths, "modify"),
  entry.FilePolicy.fromBytes(largeSnapshot).checkMany(largeIds.slice(0, 3), largePaths, "modify")];
const afterBuild = reads.splice(0);
${coldCalls}
const coldAnswers = cold(entry);
const afterCold = reads.splice(0);
console.log(JSON.stringify({ imported, afterBuild, afterCold,
  built: built === answer(ref, new ref.FilePolicy(c.groups)) && JSON.parse(built)[0].some((x) => x) && JSON.parse(built)[0].some((x) => !x),
  large: JSON.stringify(largeAnswers[0]) === JSON.stringify(largeAnswers[1]) && largeAnswers[0].some((x) => x) && largeAnswers[0].some((x) => !x),
  cold: coldAnswers === cold(ref) }));
`);
      const { primary, secondary } = parts(name);
      assert.deepEqual([out.imported, out.afterBuild, out.afterCold], [[primary], [], [secondary]], JSON.stringify(out));
      assert.deepEqual([out.built, out.large, out.cold], [true, true, true], JSON.stringify(out));
    });

    // A second part that cannot be read or compiled (a deployment that left it
    // out or cut it): the call that needs it throws internal.load, naming the
    // file and why, as a trap would be thrown (tools/wasm-split-glue.mjs): the
    // stack pointer goes back, the policy keeps answering, and a later call
    // loads the part once it can. 300 failures in a row, twice: a plain fs
    // error or CompileError used to leave the stack pointer where the call had
    // moved it (15 KB for a bad glob's build), and such a run ran the 1 MB
    // stack out twice (internal.trap).
    test(`${name} in Node, ${kind}: a second part that cannot be loaded is internal.load, again and again, and the object keeps working`, () => {
      const out = fresh(name, kind, `
const c = mixedCorpus(300), ids = c.groups.map((x) => x.id);
const paths = c.rules.map((r) => r.glob.replace(/[*?{}!,[\\]]/g, "x"));
const p = new entry.FilePolicy(c.groups), q = new ref.FilePolicy(c.groups);
const codes = {}, messages = new Set(), checks = [];
// A bad glob's error report is in the second part too, after a build whose frames hold 15 KB of stack.
const bad = [{ id: "x", filePermissions: [{ effect: "allow", actions: ["write"], patterns: "a/***" }] }];
const attempt = (i) => {
  try { i % 2 ? new entry.FilePolicy(bad) : p.lint(paths); return "ok"; }
  catch (e) { if (e instanceof entry.GroupgateError) messages.add(e.message); return e instanceof entry.GroupgateError ? e.code : String(e); }
};
for (const m of ["missing", "cut"]) {
  fail = m;
  for (let i = 0; i < 300; i++) {
    const code = attempt(i);
    codes[m + " " + code] = (codes[m + " " + code] ?? 0) + 1;
    if (i % 50 === 0) checks.push(JSON.stringify(p.checkMany(ids.slice(0, 3), paths, "modify")) === JSON.stringify(q.checkMany(ids.slice(0, 3), paths, "modify")));
  }
}
fail = null;
${coldCalls}
console.log(JSON.stringify({ codes, messages: [...messages], checks: checks.every(Boolean) && checks.length, cold: cold(entry) === cold(ref),
  lint: JSON.stringify(p.lint(paths)) === JSON.stringify(q.lint(paths)) }));
`);
      assert.deepEqual(out.codes, { "missing internal.load": 300, "cut internal.load": 300 }, JSON.stringify(out));
      const [missing, cut, ...more] = out.messages;
      assert.equal(missing, `${name} could not load the second part of its module, wasm/secondary.wasm (ENOENT: no such file or directory, ` +
        "open 'secondary.wasm'); the call did nothing and the object keeps working, and the next call that needs it loads it again (internal.load)");
      assert.ok(cut.startsWith(`${name} could not load the second part of its module, wasm/secondary.wasm (WebAssembly.Module(): `), cut);
      assert.match(cut, /\); the call did nothing/, cut);
      assert.deepEqual(more, [], JSON.stringify(out));
      assert.equal(out.checks, 12);
      assert.deepEqual([out.cold, out.lint], [true, true], JSON.stringify(out));
    });
  }
}
