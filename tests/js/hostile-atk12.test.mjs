// Findings of atk12 (session 18, the attacker's pass), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertWithin } from "./support/speed.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Runs `body` (an ES module using `g`, the package) in a fresh Node with
// WASM memory capped at `pages` of 64 KB, so traps (out of memory) are cheap;
// returns the JSON its last line prints.
function capped(pages, body) {
  const out = execFileSync(process.execPath, [`--wasm-max-mem-pages=${pages}`, "--input-type=module", "-e",
    `import * as g from "groupgate";\n${body}`], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return JSON.parse(out.trim().split("\n").pop());
}

// A trap (out of memory) ends a WASM call without the epilogues that move
// the shadow stack pointer back: each one lost the stack the call held
// (16 KB for a trap while a policy was built). After 66 such traps every
// call of the instance trapped ("memory access out of bounds"): the
// policies built before, a fresh one, validate, globMatch, with every hog
// freed. The README promises a FilePolicy keeps answering after a trap.
test("the instance keeps answering after a hundred traps (the shadow stack is put back)", () => {
  const r = capped(800, `
const rules = (k, n) => JSON.stringify([{ id: "h", permissions: ["documents"], filePermissions:
  Array.from({ length: n }, (_, i) => ({ effect: "allow", actions: ["visible"], patterns: "h" + k + "d" + i + "/*a" + i + "b*c{x,y}" })) }]);
const small = new g.FilePolicy([{ id: "g", permissions: ["documents"], filePermissions: [
  { effect: "allow", actions: ["visible"], patterns: "a/*" }, { effect: "deny", actions: ["visible"], patterns: "a/s*" }] }]);
const answer = (f) => { try { return f(); } catch (e) { return e.code ?? e.message; } };
const answers = (p) => answer(() => [p.check(["g"], "a/x", "visible"), p.check(["g"], "a/sx", "visible")].join());
// Fill the memory with policies; then, one at a time, free one and build a
// policy that needs more than it gave back: a trap while the rules are read.
const hogs = [];
for (let k = 0; ; k++) { try { hogs.push(new g.FilePolicy(rules(k, 300))); } catch { break; } }
const deep = rules("x", 400);
let traps = 0, during = "true,false";
while (traps < 120 && hogs.length > 0 && during === "true,false") {
  hogs.pop().free();
  try { new g.FilePolicy(deep); } catch (e) { if (e.code === "internal.trap") traps++; }
  during = answers(small);
}
for (const h of hogs) h.free();
console.log(JSON.stringify({ traps, during, after: answers(small),
  fresh: answer(() => new g.FilePolicy([{ id: "a", permissions: ["owner"] }]).check(["a"], "x", "visible")),
  validate: answer(() => g.validate("conductor", { op: "delete", params: { id: "x" } }).status),
  glob: answer(() => g.globMatch("a*", "ab")) }));`);
  assert.equal(r.traps, 120, `the setup made ${r.traps} traps: ${JSON.stringify(r)}`);
  assert.deepEqual(r, { traps: 120, during: "true,false", after: "true,false", fresh: true, validate: 200, glob: true });
});

const cli = (files, ...args) => {
  const dir = mkdtempSync(join(tmpdir(), "gg-atk12-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return spawnSync(process.execPath, [join(ROOT, "pkg/bin/groupgate.mjs"), ...args], { cwd: dir, encoding: "utf8" });
};

// The near-miss guard of --groups folded white space, case and NFC, not
// characters a terminal does not show (U+200B ZERO WIDTH SPACE, U+00AD SOFT
// HYPHEN, U+2060 WORD JOINER, U+FEFF inside the id) nor compatibility forms
// (fullwidth letters): `--groups "authors,reviewers\u200b"` named a group the
// policy lacks, reviewers' deny of secrets/** did not apply, "allowed", exit 0.
test("CLI: a --groups id equal to a policy id but for invisible characters or compatibility forms is bad input", () => {
  const files = { "p.json": JSON.stringify([
    { id: "authors", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible", "modify"], patterns: "**" }] },
    { id: "reviewers", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] },
  ]) };
  assert.equal(cli(files, "check", "p.json", "--groups", "authors,reviewers", "secrets/x").status, 1);
  for (const near of ["reviewers\u200b", "\u200breviewers", "re\u00adviewers", "reviewers\u2060", "revi\ufeffewers", "review\u200ders",
    "\uff52\uff45\uff56\uff49\uff45\uff57\uff45\uff52\uff53", "\u24e1eviewers"]) {
    for (const command of ["check", "explain"]) {
      const r = cli(files, command, "p.json", "--groups", `authors,${near}`, "secrets/x");
      assert.equal(r.status, 2, `${command} ${JSON.stringify(near)}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /group ids are exact/);
    }
  }
  // An unknown id near no policy id still answers.
  assert.equal(cli(files, "check", "p.json", "--groups", "authors,typo", "secrets/x").status, 0);
});

// lint.shadowed looked, for each allow, at every deny of the same group
// whose pattern covers the allow's first pattern, and compared every
// pattern of the allow with every pattern of each: 10,000 denies of `**`
// for another action beside 10,000 allows took 19.5 s (100,000 rules:
// minutes), and validate("gorules") lints the rules it is sent (10,000
// rules: 5.2 s); an allow and a deny of 4,000 patterns each took 0.8 s a
// pair (420 KB: 8.2 s). README Security: lint and validate("gorules") of
// 100,000 rules <= 2 s. Now the search has a work budget (64 units per
// rule and pattern of the policy).
test("lint and validate(gorules): the search for shadowing denies is bounded (quadratic shapes within 2 s)", () => {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", `import * as g from "groupgate";
const cpu = (f) => { const t = process.cpuUsage(); const r = f(); const u = process.cpuUsage(t); return [(u.user + u.system) / 1e3, r]; };
const denies = (n) => Array.from({ length: n }, () => ({ effect: "deny", actions: ["modify"], patterns: "**" }));
const allows = (n) => Array.from({ length: n }, (_, i) => ({ effect: "allow", actions: ["visible"], patterns: "f" + i }));
const group = (rules) => [{ id: "g", permissions: ["documents"], filePermissions: rules }];
const many = group([...denies(50000), ...allows(50000)]);
const p = new g.FilePolicy(many);
const [lint, issues] = cpu(() => p.lint().length);
const [staticLint] = cpu(() => g.FilePolicy.lint(many).length);
const GID = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";
const [gorules, status] = cpu(() => g.validate("gorules", { op: "update", params: { projectId: "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11", groupId: GID },
  body: { name: "a", permissions: ["documents"], filePermissions: many[0].filePermissions } },
  { caller: { permissions: ["project:manage"] }, state: { groups: [{ id: GID, name: "a", permissions: ["documents"] }] } }).status);
const wide = (m, k) => group([{ effect: "deny", actions: ["visible"], patterns: [...Array.from({ length: m }, (_, i) => "z" + i), "**"] },
  ...Array.from({ length: k }, (_, j) => ({ effect: "allow", actions: ["visible"], patterns: Array.from({ length: m }, (_, i) => "f" + j + "_" + i) }))]);
const q = new g.FilePolicy(wide(4000, 10));
const [pairs] = cpu(() => q.lint().length);
console.log(JSON.stringify({ lint, issues, staticLint, gorules, status, pairs }));`], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const r = JSON.parse(out.trim().split("\n").pop());
  assert.equal(r.issues, 0);
  assert.equal(r.status, 200);
  for (const k of ["lint", "staticLint", "gorules", "pairs"]) assertWithin(r[k], 2000, `${k} (README Security: <= 2 s)`);
});

test("lint.shadowed still names the first covering deny of ordinary policies", async () => {
  const { FilePolicy } = await import("groupgate");
  const rules = [
    { effect: "deny", actions: ["modify"], patterns: "**" },
    { effect: "deny", actions: ["visible", "modify"], patterns: "src/**, docs/a.md" },
    { effect: "allow", actions: ["visible"], patterns: "src/a/b.ts, docs/a.md" },
    { effect: "allow", actions: ["visible"], patterns: "src/x, lib/y" },
    { effect: "deny", actions: ["visible"], patterns: "**" },
    { effect: "allow", actions: ["visible", "modify"], patterns: "z" },
  ];
  const shadowed = new FilePolicy([{ id: "g", permissions: ["documents"], filePermissions: rules }]).lint()
    .filter((i) => i.code === "lint.shadowed").map((i) => [i.path, i.message.match(/rule (\d+)/)[1]]);
  // Rule 5 needs visible and modify of one deny: no rule holds both.
  assert.deepEqual(shadowed, [["/0/filePermissions/2", "1"], ["/0/filePermissions/3", "4"]]);
});
