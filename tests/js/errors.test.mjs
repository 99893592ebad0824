// Errors people can trust (issue #15 "Types and errors", #11.7): bad calls
// throw GroupgateError with codes and paths, messages list the first issues,
// issues say their severity (and glob errors their position), verdicts say
// whether every check ran, limits take any non-negative safe integer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FilePolicy, GroupgateError, Workspace, globMatch, permissionsOf, pointerToPath, validate } from "groupgate";

const root = fileURLToPath(new URL("../../", import.meta.url));
const isError = (code, path) => (e) => e instanceof GroupgateError && e.code === code && (path === undefined || e.issues[0].path === path);

test("an unknown or non-string dialect throws GroupgateError at /dialect", () => {
  assert.throws(() => validate("okta", { op: "create" }), isError("unknown_dialect", "/dialect"));
  assert.throws(() => validate(42, { op: "create" }), isError("type", "/dialect"));
  // Bad request data is still a verdict.
  assert.equal(validate("conductor", "nope").status, 400);
});

// README "Verdicts": a thrown error lists 100 issues of a code, then one
// summary counting the rest (permissionsOf listed all 1,000 before).
test("a thrown GroupgateError lists 100 issues of a code, then a summary", () => {
  const roles = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`r${i}`, 5]));
  for (const d of ["frontier", "apinizer", "conductor"]) {
    let e;
    try { permissionsOf(d, { roles: ["r1"] }, { catalog: { roles } }); } catch (x) { e = x; }
    assert.ok(e instanceof GroupgateError, d);
    assert.equal(e.issues.length, 101, d);
    assert.ok(e.issues.every((i) => i.code === "type"), d);
    assert.equal(e.issues[100].omitted, 900, d);
    assert.ok(e.issues.slice(0, 100).every((i) => i.omitted === undefined), d);
    assert.match(e.message, /; and 997 more$/, d);
  }
});

test("the web entry before init() says to call init() first", () => {
  const code = `import { validate, FilePolicy, GroupgateError, initSync } from "groupgate/web";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const out = [];
for (const call of [() => validate("conductor", { op: "delete", params: { id: "x" } }), () => new FilePolicy([])]) {
  try { call(); out.push("no error"); } catch (e) { out.push((e instanceof GroupgateError) + " " + e.code + " " + e.message); }
}
initSync({ module: readFileSync(createRequire(import.meta.url).resolve("groupgate/groupgate.wasm")) });
out.push(validate("conductor", { op: "delete", params: { id: "x" } }).status);
console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8" }));
  assert.equal(out.length, 3);
  for (const line of out.slice(0, 2)) assert.match(line, /^true not_initialized .*call init\(\) first/);
  assert.equal(typeof out[2], "number");
});

test("explain names group ids the policy does not know", () => {
  const policy = new FilePolicy([{ id: "dev", permissions: ["documents"] }]);
  const e = policy.explain(["dev", "devs"], "a.txt", "visible");
  assert.deepEqual(e.unknownGroups, ["devs"]);
  assert.match(e.message, /the policy has no group "devs" \(it contributes nothing\)$/);
  assert.equal(policy.explain(["dev"], "a.txt", "visible").unknownGroups, undefined);
  assert.match(policy.explain(["x", "y", "x"], "a.txt", "visible").message, /no groups "x", "y" \(they/);
  // The message names the first 16, then counts the rest; unknownGroups
  // lists every one (a message naming 100,000 ids cost 54 ms a call).
  const ids = (n) => Array.from({ length: n }, (_, i) => `u${i}`);
  const quoted = ids(16).map((id) => `"${id}"`).join(", ");
  assert.match(policy.explain(ids(16), "a.txt", "visible").message, new RegExp(`no groups ${quoted} \\(they contribute nothing\\)$`));
  for (const n of [17, 100_000]) {
    const many = policy.explain(["dev", ...ids(n)], "a.txt", "visible");
    assert.deepEqual(many.unknownGroups, ids(n));
    assert.ok(many.message.endsWith(`; the policy has no groups ${quoted}, and ${n - 16} more (they contribute nothing)`), many.message);
  }
});

test("issues carry severity: error, warning, lint", () => {
  const v = validate("conductor", { op: "create", params: { id: "T" }, body: { description: "d", roles: ["WORKFLOW_MANAGER"] } },
    { caller: { admin: true } });
  assert.ok(v.warnings.length > 0);
  for (const w of v.warnings) assert.equal(w.severity, "warning");
  const bad = validate("conductor", { op: "create", params: { id: "T" }, body: {} }, { caller: { admin: true } });
  assert.ok(bad.errors.length > 0);
  for (const e of bad.errors) assert.equal(e.severity, "error");
  const lint = FilePolicy.lint([{ id: "g", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: [], patterns: "a" }] }]);
  assert.deepEqual(lint.map((i) => [i.code, i.severity]), [["lint.dead", "lint"]]);
  assert.throws(() => globMatch("!x", "x"), (e) => e.issues[0].severity === "error");
});

test("glob errors carry the byte position as a field", () => {
  assert.throws(() => globMatch("ab[cd", "x"), (e) => e.code === "glob.unclosed_class" && e.issues[0].position === 2);
  // In a rule, counted in the whole patterns string.
  assert.throws(() => new FilePolicy([{ id: "g", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "src/**, ab[cd" }] }]),
    (e) => e.issues[0].path === "/0/filePermissions/0/patterns" && e.issues[0].position === 10);
});

test("err.message lists the first three issues and counts the rest", () => {
  const rules = ["!a", "@(b)", "{1..3}", "[[:alpha:]]", "c}"].map((p) => ({ effect: "allow", actions: ["visible"], patterns: p }));
  try {
    new FilePolicy([{ id: "g", filePermissions: rules }]);
    assert.fail("no error");
  } catch (e) {
    assert.equal(e.issues.length, 5);
    const parts = e.message.split("; ");
    assert.equal(parts.length, 4, e.message);
    assert.match(parts[0], /^\/0\/filePermissions\/0\/patterns: .*\(glob\.negation\)$/);
    assert.equal(parts[3], "and 2 more");
  }
});

test("pointerToPath: zod-style path arrays, numbers for array indices", () => {
  assert.deepEqual(pointerToPath("/body/models/0/rate_limits/12/threshold"), ["body", "models", 0, "rate_limits", 12, "threshold"]);
  assert.deepEqual(pointerToPath(""), []);
  assert.deepEqual(pointerToPath("/a~1b/~0c/012/"), ["a/b", "~c", "012", ""]);
  // With the document, an all-digit key of an object stays a string.
  const doc = { body: { defaultAccess: { 0: ["READ"] }, roles: ["x"] } };
  assert.deepEqual(pointerToPath("/body/defaultAccess/0/0", doc), ["body", "defaultAccess", "0", 0]);
  assert.deepEqual(pointerToPath("/body/roles/0", doc), ["body", "roles", 0]);
  assert.throws(() => pointerToPath("body"), isError("pattern", "/pointer"));
});

test("complete: false when a check was skipped, true when every check ran", () => {
  const req = { op: "delete", params: { id: "x" } };
  const partial = validate("conductor", req);
  assert.deepEqual([partial.ok, partial.complete, partial.skipped], [true, false, ["caller", "state"]]);
  const full = validate("conductor", req, { caller: { admin: true }, state: { groups: [{ id: "x", roles: [] }] } });
  assert.deepEqual([full.ok, full.complete, full.skipped], [true, true, undefined]);
});

test("limits: any non-negative safe integer, messages in JSON words", () => {
  const groups = [{ id: "g", permissions: ["documents"] }];
  for (const big of [2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
    const p = new FilePolicy(groups, { limits: { maxPathBytes: big, maxRules: big } });
    assert.equal(p.check(["g"], "a/b", "visible"), true);
    assert.ok(Workspace.from({ groups: [] }, { limits: { maxDepth: big } }));
    assert.equal(validate("conductor", { op: "delete", params: { id: "x" } }, { limits: { maxStringBytes: big } }).ok, true);
  }
  for (const bad of [-1, 1.5, 2 ** 53, "10", null]) {
    assert.throws(() => new FilePolicy(groups, { limits: { maxPathBytes: bad } }), (e) =>
      e instanceof GroupgateError && /maxPathBytes must be a non-negative integer/.test(e.message) && !/usize|u64|u32/.test(e.message));
  }
});

test("a lone surrogate in the object form is refused at its string's pointer, not at a line and column of the JSON text", () => {
  // JSON.stringify writes it as a \udXXX escape the engine refused as "unexpected end of hex
  // escape at line 1 column 101" at "" (noticed by atk3, session 11).
  const v = validate("frontier", { op: "create", params: { org_id: "o" }, body: { name: "n", title: "a\uD800" } });
  assert.equal(v.status, 400);
  assert.deepEqual(v.errors.map((e) => [e.path, e.code]), [["/body/title", "type"]]);
  assert.throws(() => new FilePolicy([{ id: "g", permissions: [] }, { id: "h\uDC00" }]), isError("type", "/1/id"));
  assert.throws(() => Workspace.from({ groups: [{ id: "a", metadata: { "a/~\uD800": 1 } }] }), isError("type", "/groups/0/metadata/a~1~0\uD800"));
  assert.throws(() => validate("frontier", { op: "create" }, { state: { groups: [{ id: "x\uDBFF", name: "n" }] } }), isError("type", "/context/state/groups/0/id"));
  assert.throws(() => permissionsOf("frontier", { roles: ["ok", "x\uD800"] }), isError("type", "/subject/roles/1"));
  // A backslash and "ud800" written out is a well-formed string like any other.
  assert.equal(validate("frontier", { op: "create", params: { org_id: "o" }, body: { name: "n", title: "\\ud800" } }).status, 200);
});

// Session 12 (item 3): `null` options were refused by globMatch and
// Workspace.apply but read as none by FilePolicy, Workspace.from and
// preview, and preview took a string or an array as no options. One rule
// now (README "Errors and types"): undefined and null are no options;
// anything else that is not an object throws `type` at /options.
test("options: null is no options and a non-object is refused, at every entry point alike", () => {
  const groups = [{ id: "g", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "**" }] }];
  const state = { groups: [{ id: "r", metadata: { external_entity_id: "e" }, models: [{ slug: "a/b" }], hierarchy: { limit_enforcement: "INDEPENDENT", parent_group_id: null } }] };
  const req = { op: "update", params: { group_id: "r" }, body: { models: [] } };
  const calls = {
    globMatch: (o) => globMatch("a/*", "a/b", o),
    "new FilePolicy": (o) => new FilePolicy(groups, o).check(["g"], "a", "visible"),
    "FilePolicy.lint": (o) => FilePolicy.lint(groups, o).length,
    "Workspace.from": (o) => Workspace.from(state, o).effectiveModels("r").length,
    preview: (o) => Workspace.from(state).preview(req, { scope: "management" }, o).status,
    apply: (o) => Workspace.from(state).apply(req, o).status,
  };
  for (const [name, call] of Object.entries(calls)) {
    const none = call(undefined);
    assert.deepEqual(call(null), none, `${name}(null) answers as without options`);
    assert.deepEqual(call({}), none, `${name}({}) answers as without options`);
    // A Map or Set would reach the engine as {} (JSON drops their entries): refused, never no options.
    for (const bad of ["x", [], 1, true, new Map([["caseInsensitive", true]]), new Set(["summary"]), new Date(0)]) {
      assert.throws(() => call(bad), isError("type", "/options"), `${name}(${String(bad?.constructor?.name ?? bad)})`);
    }
  }
  // An option's own bad value throws in preview as in apply (it was a 400 verdict in preview).
  const ws = Workspace.from(state);
  assert.throws(() => ws.preview(req, undefined, { summary: -1 }), isError("type", "/options/summary"));
  assert.throws(() => ws.apply(req, { summary: -1 }), isError("type", "/options/summary"));
});
