// Findings of atk3 (session 11), each failing before its fix.
import { test } from "node:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { FilePolicy, globMatch } from "groupgate";

const cli = (files, ...args) => {
  const dir = mkdtempSync(join(tmpdir(), "gg-atk3-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const bin = new URL("../../pkg/bin/groupgate.mjs", import.meta.url).pathname;
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8" });
};

// `--groups a,b` was split into the groups a and b even when the policy
// names a group "a,b": a member of "a,b" (denied `secret`) was answered as
// a member of a (owner): allowed, exit 0.
test("CLI check: a group id holding a comma makes a --groups list that could name it bad input", () => {
  const policy = JSON.stringify([
    { id: "a", permissions: ["owner"] },
    { id: "a,b", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secret" }] },
  ]);
  for (const list of ["a,b", "x,a,b", "a,b,y"]) {
    const r = cli({ "p.json": policy }, "check", "p.json", "--groups", list, "secret");
    assert.equal(r.status, 2, `${list}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /ambiguous/);
  }
  const plain = cli({ "p.json": policy }, "check", "p.json", "--groups", "a", "secret");
  assert.equal(plain.status, 0, plain.stdout + plain.stderr);
});

// The simple-shape index read `{,}**/a` as the globstar `**/a` while the
// automaton (and globset) read it as `*/a`.
test("a ** beside an alternation in its segment is one star, in globMatch and a policy", () => {
  const policy = new FilePolicy([{ id: "g", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "{,}**/a" }] }]);
  for (const [path, want] of [["a", false], ["x/a", true], ["x/y/a", false]]) {
    assert.equal(globMatch("{,}**/a", path), want, path);
    assert.equal(policy.check(["g"], path, "visible"), want, path);
  }
});

// A group id crossed into WASM as UTF-8, a lone surrogate as U+FFFD:
// effectiveModels("a\uD800") answered for the group "a\uFFFD".
test("Workspace.effectiveModels refuses a group id that is not well-formed UTF-16", async () => {
  const { Workspace } = await import("groupgate");
  const group = (id) => ({ id, metadata: { external_entity_id: `e-${id}` }, models: [{ slug: "a/b" }], hierarchy: { limit_enforcement: "INDEPENDENT", parent_group_id: null } });
  const ws = Workspace.from({ groups: [group("a\uFFFD")] });
  assert.equal(ws.effectiveModels("a\uFFFD")[0].slug, "a/b");
  assert.throws(() => ws.effectiveModels("a\uD800"), (e) => e.name === "GroupgateError" && e.issues[0].path === "/groupId" && e.issues[0].code === "pattern");
});
