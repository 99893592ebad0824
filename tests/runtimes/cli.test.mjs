// The `groupgate` command line as a user runs it: the packed tarball
// installed into an empty project, spawned through npx (issue #15 "CLI").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run } from "./helpers.mjs";


const gg = (args, input) => run("npx", ["--no-install", "groupgate", ...args], { cwd: project.dir, timeoutMs: 60_000, input });
const write = (name, text) => writeFileSync(join(project.dir, name), text);

const PROJECT = "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11";
const GROUP = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";

const POLICY = `[
  { "id": "authors", "permissions": ["documents"], "filePermissions": [
    { "effect": "allow", "actions": ["visible", "modify"], "patterns": "**" },
    { "effect": "deny", "actions": ["visible"], "patterns": "secrets/*" },
    { "effect": "allow", "actions": ["visible"], "patterns": "docs/**" },
    { "effect": "allow", "actions": [], "patterns": "x" }
  ] }
]
`;

let project;
before(() => {
  project = installTarball("cli", {});
  // Fixtures several tests share.
  write("caller.json", JSON.stringify({ permissions: ["project:manage"] }));
  write("state.json", JSON.stringify({ projectId: PROJECT, groups: [{ id: GROUP, name: "authors", permissions: ["documents"] }] }));
  write("ok.json", JSON.stringify({ op: "update", params: { projectId: PROJECT, groupId: GROUP }, body: { name: "authors", permissions: ["documents"] } }, null, 2));
  write("policy.json", POLICY);
});
after(() => project?.dispose());

test("npx groupgate --help, per-command help, --version", async () => {
  const main = await gg(["--help"]);
  assert.equal(main.code, 0, main.stderr);
  for (const cmd of ["validate", "check", "explain", "lint", "effective"]) assert.match(main.stdout, new RegExp(`groupgate ${cmd} `));
  for (const cmd of ["validate", "check", "explain", "lint", "effective"]) {
    const r = await gg([cmd, "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^groupgate ${cmd} `));
  }
  assert.match((await gg(["--version"])).stdout, /^\d+\.\d+\.\d+\n$/);
  const unknown = await gg(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test("CI-style validate: GitHub annotations point at the right line and column; exit 1", async () => {
  // Line 6 holds the unknown permission (its value starts at column 47);
  // line 8 the bad glob: `[` is byte 10 of the patterns string.
  write("group.json", `{
  "op": "update",
  "params": { "projectId": "${PROJECT}", "groupId": "${GROUP}" },
  "body": {
    "name": "authors",
    "permissions": ["documents:view-content", "documents:everything"],
    "filePermissions": [
      { "effect": "allow", "actions": ["visible"], "patterns": "rules/**, [abc" }
    ]
  }
}
`);
  const r = await gg(["validate", "gorules", "group.json", "--state", "state.json", "--caller", "caller.json", "--format", "github"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::"));
  assert.equal(annotations.length, 2, r.stdout);
  assert.match(annotations[0], /^::error file=group\.json,line=6,col=47,title=groupgate unknown_permission::\/body\/permissions\/1: unknown permission "documents:everything"/);
  assert.match(annotations[1], /^::error file=group\.json,line=8,col=75,title=groupgate glob\.unclosed_class::/);
  assert.equal(`      { "effect": "allow", "actions": ["visible"], "patterns": "rules/**, [abc" }`[74], "[");
});

test("validate: exit 0 when accepted, text and json formats, --strict on skipped checks", async () => {
  const full = await gg(["validate", "gorules", "ok.json", "--state", "state.json", "--caller", "caller.json"]);
  assert.equal(full.code, 0, full.stdout + full.stderr);
  assert.match(full.stdout, /ok\.json: accepted, status 200/);
  const partial = await gg(["validate", "gorules", "ok.json", "--format", "json"]);
  assert.equal(partial.code, 0);
  const v = JSON.parse(partial.stdout);
  assert.deepEqual([v.ok, v.complete, v.skipped], [true, false, ["state", "caller"]]);
  const strict = await gg(["validate", "gorules", "ok.json", "--strict", "--format", "github"]);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /^::error file=ok\.json,line=1,col=1,title=groupgate incomplete::--strict: checks skipped: state, caller$/m);
});

test("validate: a bare body with --op and --param; errors located in the body file", async () => {
  write("body.json", `{\n  "description": "d",\n  "roles": ["ADMIN", 7]\n}\n`);
  const r = await gg(["validate", "conductor", "body.json", "--op", "update", "--param", "id=TechWriters"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^body\.json:3:22: error \/body\/roles\/1: /m);
  const ok = await gg(["validate", "conductor", "-", "--op", "update", "--param", "id=T"], JSON.stringify({ description: "d", roles: ["ADMIN"] }));
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  // A file an editor saved with a byte order mark reads as without it
  // (RFC 8259 §8.1), and its errors are located as before.
  write("bom.json", `\ufeff{\n  "description": "d",\n  "roles": ["ADMIN", 7]\n}\n`);
  const bom = await gg(["validate", "conductor", "bom.json", "--op", "update", "--param", "id=TechWriters"]);
  assert.equal(bom.code, 1, bom.stdout + bom.stderr);
  assert.match(bom.stdout, /^bom\.json:3:22: error \/body\/roles\/1: /m);
});

test("validate: bad input is exit 2 (missing file, not JSON with its position, unknown dialect, bad option)", async () => {
  write("broken.json", `{\n  "op": "create",\n  "body": { "name": "x", }\n}\n`);
  const broken = await gg(["validate", "gorules", "broken.json", "--format", "github"]);
  assert.equal(broken.code, 2);
  assert.match(broken.stdout, /^::error file=broken\.json,line=3,col=26,title=groupgate::/m);
  assert.match(broken.stderr, /broken\.json:3:26: not JSON/);
  assert.equal((await gg(["validate", "gorules", "missing.json"])).code, 2);
  const dialect = await gg(["validate", "okta", "ok.json"]);
  assert.equal(dialect.code, 2);
  assert.match(dialect.stderr, /unknown dialect "okta"/);
  assert.equal((await gg(["validate", "gorules", "ok.json", "--format", "xml"])).code, 2);
  assert.equal((await gg(["validate", "gorules", "ok.json", "--nope"])).code, 2);
});


test("check and explain: exit 0 allowed, 1 denied; explain names the rule and unknown groups", async () => {
  const denied = await gg(["check", "policy.json", "--groups", "authors", "secrets/.env"]);
  assert.equal(denied.code, 1);
  assert.match(denied.stdout, /^denied: visible secrets\/\.env: denied by rule 1 of group "authors"/);
  assert.equal((await gg(["check", "policy.json", "--groups", "authors", "src/a.rs", "modify"])).code, 0);
  const why = await gg(["explain", "policy.json", "--groups", "authors,typo", "src/a.rs", "modify", "--format", "json"]);
  assert.equal(why.code, 0);
  assert.deepEqual(JSON.parse(why.stdout), {
    allowed: true, reason: "allow", groupId: "authors", ruleIndex: 0, effect: "allow", pattern: "**", unknownGroups: ["typo"],
    message: `modify src/a.rs: allowed by rule 0 of group "authors" (pattern "**"); the policy has no group "typo" (it contributes nothing)`,
  });
  assert.equal((await gg(["check", "policy.json", "src/a.rs"])).code, 2, "--groups is required");
  assert.equal((await gg(["check", "policy.json", "--groups", "authors", "src/a.rs", "read"])).code, 2);
});

test("lint: git ls-files | groupgate lint rules.json --files -, with progress on a long list", async () => {
  const files = ["src/a.rs", "secrets/.env", ...Array.from({ length: 50_000 }, (_, i) => `src/m${i}.rs`)].join("\n") + "\n";
  const r = await gg(["lint", "policy.json", "--files", "-", "--format", "github"], files);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), [
    "::warning file=policy.json,line=6,col=5,title=groupgate lint.dead::/0/filePermissions/3: the rule has no actions, so it matches nothing",
    "::warning file=policy.json,line=5,col=62,title=groupgate lint.matches_nothing::/0/filePermissions/2/patterns: no pattern of the rule matches any of the given files",
  ]);
  assert.match(r.stderr, /groupgate lint: 20000 of 50002 files\n[^]*50002 of 50002 files\n$/);
  // docs/** matches a file in the last chunk only: it matches something.
  const some = await gg(["lint", "policy.json", "--files", "-"], files + "docs/x.md\n");
  assert.doesNotMatch(some.stdout, /matches_nothing/);
  write("clean.json", JSON.stringify([{ id: "g", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "**" }] }]));
  const clean = await gg(["lint", "clean.json"]);
  assert.deepEqual([clean.code, clean.stdout], [0, "no findings\n"]);
});

test("effective: a Baseten group's effective models; unknown group is exit 2", async () => {
  write("ws.json", JSON.stringify({ groups: [
    { id: "root", metadata: { external_entity_id: "r" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: null },
      models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1000 }] }] },
    { id: "team", metadata: { external_entity_id: "t" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "root" },
      models: [{ slug: "meta/llama" }] },
  ] }));
  const r = await gg(["effective", "ws.json", "team"]);
  assert.deepEqual([r.code, r.stdout], [0, "meta/llama\n  rate TOKEN/MINUTE 1000 (set by root)\n"]);
  const json = await gg(["effective", "ws.json", "team", "--format", "json"]);
  assert.equal(JSON.parse(json.stdout)[0].rate_limits[0].source_group, "root");
  const missing = await gg(["effective", "ws.json", "nope"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope/);
});
