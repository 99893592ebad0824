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
    ["/options/caseInsensitve", "type", () => new g.FilePolicy(POLICY, { caseInsensitve: true })],
    ["/options/limits/maxRule", "type", () => new g.FilePolicy(POLICY, { limits: { maxRule: 1 } })],
    ["/1/id", "duplicate", () => new g.FilePolicy([{ id: "a" }, { id: "a" }])],
    ["/pattern", "glob.unclosed_alternation", () => g.globMatch("a{b", "a")],
    ["/options/nocase", "type", () => g.globMatch("a", "a", { nocase: true })],
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
