// A demanding new user's pass over the package (session 21, dx21): the
// mistakes such a user makes first, through the public API and the CLI.
// Each is a structured GroupgateError (code, JSON pointer, message) whose
// code README "Codes" lists, or a CLI exit code the README states.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as g from "groupgate";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const codes = readme.slice(readme.indexOf("\n## Codes"), readme.indexOf("\n## Errors and types"));
const listed = (code) => codes.includes(`\`${code}\``) || (code.includes(".") && codes.includes(`\`${code.split(".")[0]}.*\``));

const POLICY = [{ id: "authors", permissions: ["documents"], filePermissions: [
  { effect: "allow", actions: ["visible", "modify"], patterns: "**" },
  { effect: "deny", actions: ["visible"], patterns: "secrets/*" },
] }];
const STATE = { groups: [{ id: "root", metadata: { external_entity_id: "r" }, hierarchy: { limit_enforcement: "INDEPENDENT", parent_group_id: null } }] };

/** The GroupgateError `f` throws, checked for the shape README "Errors and types" promises. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof g.GroupgateError, `${e}`);
    assert.equal(e.code, e.issues[0].code);
    for (const i of e.issues) {
      assert.equal(typeof i.path, "string");
      assert.ok(i.path === "" || i.path.startsWith("/"), `not a JSON pointer: ${i.path}`);
      assert.ok(i.message.length > 0);
      assert.equal(i.severity, "error");
    }
    return e;
  }
  assert.fail("did not throw");
}

// Every code below was thrown by the package while README "Codes" ("this
// list is the one place codes are written down") lacked `freed`,
// `not_initialized`, `snapshot.*`, `invalid_id`, `state_required` and
// `unsupported` (and listed `duplicate` only as a warning).
test("the codes the API throws for common mistakes are structured and listed in README Codes", async () => {
  const policy = new g.FilePolicy(POLICY);
  const ws = g.Workspace.from(STATE);
  const cases = [
    ["/groupIds", "type", () => policy.check("authors", "a", "visible")],
    ["/groupIds/0", "type", () => policy.check([1], "a", "visible")],
    ["/path", "type", () => policy.check(["authors"], 5, "visible")],
    ["/action", "enum", () => policy.check(["authors"], "a", "read")],
    ["/path", "path.parent_segment", () => policy.check(["authors"], "../a", "visible")],
    ["/paths", "type", () => policy.checkMany(["authors"], "a", "visible")],
    ["/files", "type", () => policy.lint("a")],
    ["/options", "type", () => new g.FilePolicy(POLICY, "caseInsensitive")],
    // A misspelled option or limit is a member the API does not have, as a
    // context's (`/context/caler` below); before session 26 these said `type`.
    ["/options/caseInsensitve", "unknown_field", () => new g.FilePolicy(POLICY, { caseInsensitve: true })],
    ["/options/limits/maxRule", "unknown_field", () => new g.FilePolicy(POLICY, { limits: { maxRule: 1 } })],
    ["/options/limits/maxRules", "type", () => new g.FilePolicy(POLICY, { limits: { maxRules: -1 } })],
    ["/options/maxGroups", "unknown_field", () => g.Workspace.from(STATE, { maxGroups: 1 })],
    ["/context/limits/maxRule", "unknown_field", () => g.validate("conductor", { op: "delete", params: { id: "x" } }, { limits: { maxRule: 1 } })],
    ["/1/id", "duplicate", () => new g.FilePolicy([{ id: "a" }, { id: "a" }])],
    ["/pattern", "glob.unclosed_alternation", () => g.globMatch("a{b", "a")],
    ["/options/nocase", "unknown_field", () => g.globMatch("a", "a", { nocase: true })],
    ["/options/caseInsensitive", "type", () => g.globMatch("a", "a", { caseInsensitive: 1 })],
    // The argument as the package names it (the core's Rust `group_id`).
    ["/groupId", "not_found", () => ws.effectiveModels("nope")],
    ["/bytes", "type", () => g.FilePolicy.fromBytes([1, 2])],
    ["/bytes", "snapshot.foreign", () => g.FilePolicy.fromBytes(new Uint8Array(64))],
    ["/dialect", "unknown_dialect", () => g.validate("Baseten", {})],
    ["/context/caler", "unknown_field", () => g.validate("conductor", { op: "delete", params: { id: "x" } }, { caler: {} })],
    ["/options/summry", "unknown_field", () => ws.preview({ op: "delete", params: { group_id: "root" } }, null, { summry: 1 })],
    ["/options/id", "invalid_id", () => ws.apply({ op: "create", body: {} }, { id: "root" })],
    ["/groups", "state_required", () => g.permissionsOf("baseten", { groups: ["root"] })],
    ["/groups/0", "unsupported", () => g.permissionsOf("frontier", { groups: ["x"] })],
    ["/permissions/0", "unknown_permission", () => g.permissionsOf("gorules", { permissions: ["nope"] })],
    ["/pointer", "pattern", () => g.pointerToPath("a/b")],
  ];
  for (const [path, code, f] of cases) {
    const e = thrown(f);
    assert.deepEqual([e.issues[0].path, e.code], [path, code], f.toString());
    assert.ok(listed(code), `README Codes lacks ${code}`);
  }
  policy.free();
  ws.free();
  for (const f of [() => policy.check(["authors"], "a", "visible"), () => policy.explain(["authors"], "a", "visible"), () => policy.lint(),
    () => policy.toBytes(), () => ws.effectiveModels("root"), () => ws.preview({ op: "delete", params: { group_id: "root" } })]) {
    const e = thrown(f);
    assert.deepEqual([e.issues[0].path, e.code], ["", "freed"]);
  }
  assert.ok(listed("freed"));
  // groupgate/web is another copy of the module (its own GroupgateError).
  const web = await import("groupgate/web");
  assert.throws(() => web.validate("baseten", {}), (e) => e instanceof web.GroupgateError && e.code === "not_initialized" && e.issues[0].path === "");
  assert.ok(listed("not_initialized"));
});

function cli(args, dir) {
  return spawnSync(process.execPath, [join(ROOT, "pkg/bin/groupgate.mjs"), ...args], { cwd: dir, encoding: "utf8" });
}

// README "Command line": bad input is exit 2, "a positional argument past a
// command's last one" and "an option given twice" among it. An option the
// command does not read was ignored: `check --files list.txt` answered, exit
// 0, `lint --groups authors` linted, `effective --state s.json` ran.
test("CLI: an option the command does not read is bad input (exit 2), naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "gg-dx21-"));
  writeFileSync(join(dir, "rules.json"), JSON.stringify(POLICY));
  writeFileSync(join(dir, "state.json"), JSON.stringify(STATE));
  writeFileSync(join(dir, "files.txt"), "src/a.ts\nsecrets/k\n");
  writeFileSync(join(dir, "req.json"), JSON.stringify({ op: "delete", params: { group_id: "root" } }));
  for (const [args, option] of [
    [["check", "rules.json", "--groups", "authors", "src/a.ts", "--files", "files.txt"], "files"],
    [["explain", "rules.json", "--groups", "authors", "src/a.ts", "--strict"], "strict"],
    [["lint", "rules.json", "--groups", "authors"], "groups"],
    [["effective", "state.json", "root", "--state", "state.json"], "state"],
    [["validate", "baseten", "req.json", "--groups", "authors"], "groups"],
  ]) {
    const r = cli(args, dir);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`--${option} does not apply to ${args[0]}`));
  }
  // --op is the CLI's own option, like --format: an op outside create,
  // update, delete is bad input (it was sent on and came back a 400, exit 1).
  const op = cli(["validate", "baseten", "req.json", "--op", "upsert"], dir);
  assert.equal(op.status, 2, op.stdout + op.stderr);
  assert.match(op.stderr, /--op is create, update or delete, got "upsert"/);
  // What each command reads still works, --format everywhere.
  assert.equal(cli(["check", "rules.json", "--groups", "authors", "src/a.ts", "--format", "json"], dir).status, 0);
  assert.equal(cli(["lint", "rules.json", "--files", "files.txt", "--format", "github"], dir).status, 0);
  assert.equal(cli(["effective", "state.json", "root", "--format", "json"], dir).status, 0);
  // The help of check and explain names the options they read.
  for (const cmd of ["check", "explain"]) assert.match(cli([cmd, "--help"], dir).stdout, /--groups a,b .*\n.*--format/);
});

// `--strict` exits 1 for an accepted verdict whose checks were skipped; the
// text summary read "accepted" and said nothing of it.
test("CLI: --strict says in the text summary why an accepted verdict exits 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "gg-dx21-"));
  writeFileSync(join(dir, "body.json"), JSON.stringify({ description: "d", roles: ["USER"] }));
  writeFileSync(join(dir, "caller.json"), JSON.stringify({ admin: true }));
  const args = ["validate", "conductor", "body.json", "--op", "update", "--param", "id=T", "--caller", "caller.json"];
  const lax = cli(args, dir);
  assert.equal(lax.status, 0, lax.stderr);
  assert.doesNotMatch(lax.stdout, /--strict/);
  const strict = cli([...args, "--strict"], dir);
  assert.equal(strict.status, 1);
  assert.match(strict.stdout, /^body\.json: accepted, status 200, .*skipped: state.*; incomplete, so refused under --strict$/m);
});

// Node prints the source line of an uncaught error's throwing frame: with
// the Node entries minified onto one line, every uncaught GroupgateError
// printed the whole 21 KB bundle above its message. `./dev build` now
// breaks their lines at 1,000 characters (esbuild --line-limit).
test("an uncaught GroupgateError in Node prints its message, not the whole bundle", () => {
  for (const [entry, flag] of [["groupgate", "--input-type=module"], ["groupgate/files", "--input-type=module"], ["groupgate", "--input-type=commonjs"]]) {
    const code = flag.endsWith("module") ? `import { globMatch } from "${entry}"; globMatch("a{b", "x");` : `require("${entry}").globMatch("a{b", "x");`;
    const r = spawnSync(process.execPath, [flag, "-e", code], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /GroupgateError: \/pattern: invalid glob "a\{b"/);
    const longest = Math.max(...r.stderr.split("\n").map((l) => l.length));
    assert.ok(longest <= 1100, `${entry} ${flag}: a ${longest}-character line in the error output`);
  }
});

// `new FilePolicy(groups)` invites `new Workspace(state)`: it returned an
// object whose every method threw a bare TypeError ("this[#e](...).
// effectiveModels is not a function"). index.d.ts declares the constructor
// private; a JavaScript caller now gets a GroupgateError naming the way.
test("new Workspace(state) throws a GroupgateError that names Workspace.from", () => {
  for (const arg of [STATE, undefined, JSON.stringify(STATE)]) {
    const e = thrown(() => new g.Workspace(arg));
    assert.deepEqual([e.issues[0].path, e.code], ["", "type"]);
    assert.match(e.message, /Workspace\.from\(state\)/);
  }
  const ws = g.Workspace.from(STATE);
  assert.deepEqual(g.Workspace.fromBytes(ws.toBytes()).effectiveModels("root"), ws.effectiveModels("root"));
});

// A value left out crosses to the engine as null (JSON has no undefined):
// `new FilePolicy()` said "expected an array of groups, got null", of a null
// the caller never wrote. Every entry point that reads a whole value names
// what was passed; an explicit null still says null.
test("a value left out is named undefined, not null, by every entry point that reads one", () => {
  const ws = g.Workspace.from(STATE);
  const root = (issues) => issues.filter((i) => i.path === "" && i.code === "type").map((i) => i.message);
  const cases = {
    "new FilePolicy": (v) => root(thrown(() => new g.FilePolicy(v)).issues),
    "Workspace.from": (v) => root(thrown(() => g.Workspace.from(v)).issues),
    permissionsOf: (v) => root(thrown(() => g.permissionsOf("gorules", v)).issues),
    "FilePolicy.lint": (v) => root(g.FilePolicy.lint(v)),
    validate: (v) => root(g.validate("frontier", v).errors),
    "validate baseten": (v) => root(g.validate("baseten", v, { state: STATE }).errors),
    preview: (v) => root(ws.preview(v, { scope: "management", workspace_id: "ws" }).errors),
    apply: (v) => root(ws.apply(v).errors),
  };
  for (const [name, call] of Object.entries(cases)) {
    const [left] = call(undefined);
    const [given] = call(null);
    assert.match(left ?? "", /, got undefined$/, name);
    assert.match(given ?? "", /, got null$/, name);
    assert.equal(left.replace(/undefined$/, "null"), given, `${name}: the same message otherwise`);
  }
  ws.free();
});

// README "Verdicts" lists a verdict's members; it left out `complete`, the
// member every example reads ("Send only when v.ok && v.complete"), and an
// issue's `severity`.
test("README Verdicts names every member a verdict and its issues have", () => {
  const section = readme.slice(readme.indexOf("\n## Verdicts"), readme.indexOf("\n## The five dialects"));
  const lists = [...section.matchAll(/`\{ ([a-z?, ]+) \}`/g)].map((m) => m[1].split(", "));
  const [verdict, issue] = lists;
  const names = (list) => new Set(list.map((k) => k.replace("?", "")));
  const required = (list) => list.filter((k) => !k.endsWith("?"));
  const G = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";
  const verdicts = [
    g.validate("conductor", { op: "delete", params: { id: "x" } }, { caller: { admin: true } }),
    g.validate("gorules", { op: "update", params: { projectId: "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11", groupId: G }, body: { name: "a", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "a/, [z-a]" }] } },
      { caller: { permissions: ["owner"] }, state: { groups: [{ id: G, name: "a" }] } }),
    g.validate("baseten", { op: "update", params: { group_id: "root" }, body: { models: [] } }, { state: STATE }),
  ];
  for (const v of verdicts) {
    for (const k of Object.keys(v)) assert.ok(names(verdict).has(k), `README Verdicts lacks ${k}`);
    for (const k of required(verdict)) assert.ok(k in v, `a verdict without ${k}`);
    for (const i of [...v.errors, ...v.warnings]) {
      for (const k of Object.keys(i)) assert.ok(names(issue).has(k), `README Verdicts' issue lacks ${k}`);
      for (const k of required(issue)) assert.ok(k in i, `an issue without ${k}`);
    }
  }
  assert.ok(verdicts.some((v) => v.errors.some((i) => i.position !== undefined)));
});
