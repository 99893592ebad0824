// Findings of atk10 (session 16), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cli } from "./fixtures/cli.mjs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { assertWithin } from "./support/speed.mjs";

// The CLI's JSON locator kept every value's whole JSON pointer as a map
// key, so each value cost its pointer's length: one 1 MB member name over
// 2,000 array items (a 1 MB request file) took 62 s and 2.1 GB before the
// engine saw the request, and 20,000 items ran out of memory. Now a tree
// of offsets, looked up token by token: 0.1 s.
test("CLI: a file whose values sit under a long member name is located in time linear in the file", () => {
  const key = "k".repeat(1 << 20);
  const items = Array.from({ length: 1000 }, (_, i) => (i === 999 ? "\"nope\"" : "\"project:manage\""));
  const body = `{"name":"n",\n"permissions":[${items.join(",")}],\n"${key}":[${Array(1000).fill(0).join(",")}]}`;
  const r = cli({ "b.json": body }, ["validate", "gorules", "b.json", "--op", "create", "--param", "projectId=6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11"], 20_000);
  assert.equal(r.error, undefined, `the CLI did not finish: ${r.error?.message}`);
  // The unknown permission, located at its item; the long member, at its own line.
  const at = 15 + 17 * 999 + 1;
  assert.ok(r.stdout.includes(`b.json:2:${at}: error /body/permissions/999: `), r.stdout);
  assert.ok(r.stdout.includes(`b.json:3:${key.length + 4}: warning /body/${key}: `), r.stdout.slice(0, 300));
  assert.equal(r.status, 1);
});

const cpuMs = (f) => {
  const t = process.cpuUsage();
  const out = f();
  const d = process.cpuUsage(t);
  return [out, (d.user + d.system) / 1000];
};
const FRONTIER = { caller: { superuser: true, orgRoles: ["app_organization_owner"] },
  state: { org: { id: "11111111-1111-1111-1111-111111111111", name: "acme" }, groups: [] } };
const create = (metadata) => ({ op: "create", params: { org_id: "acme" }, body: { name: "g", metadata } });

// Frontier's U+0000 check walked the metadata with a whole pointer per
// value on its stack: a 60 KB member name over 100,000 items (6 MB of
// request) held 6 GB, and every request of that shape trapped after 8-10 s,
// whatever the metaschema. Now one pointer, cut back per value: 0.1 s.
test("frontier: metadata under a long member name is checked for U+0000 without a pointer per value", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const key = "k".repeat(60_000);
  const [v, ms] = cpuMs(() => validate("frontier", create({ [key]: new Array(100_000).fill("s") }), {}));
  assert.equal(v.status, 200);
  assertWithin(ms, 2000, "the call");
  // Found ones still carry their pointers, the 101st on as a count.
  const nul = validate("frontier", create({ [key]: new Array(150).fill("\0") }), {});
  assert.deepEqual(nul.errors.slice(0, 2).map((e) => [e.path.length, e.code]), [[15 + 60_000 + 2, "pattern"], [15 + 60_000 + 2, "pattern"]]);
  assert.equal(nul.errors[0].path, `/body/metadata/${key}/0`);
  assert.deepEqual([nul.errors[100].path, nul.errors[100].omitted], [`/body/metadata/${key}/100`, 50]);
});

// The metaschema's walk built a pointer for each value it visited, each as
// long as the member names above it, and kept one per error: 100,000 items
// under a 60 KB name took 9 s and trapped (30,000 failing ones: 3.5 s). A
// pointer now costs the walk its length / 64 steps, as a copied name does:
// such a value runs out of the 1,000,000 steps (a 400 `limit`) in 0.1-0.3 s.
test("frontier metaschema: a value's pointer costs the walk its length", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const key = "k".repeat(60_000);
  const metaschema = { type: "object", additionalProperties: { type: "array", items: { type: "string" } } };
  for (const item of ["s", 0]) {
    const [v, ms] = cpuMs(() => validate("frontier", create({ [key]: new Array(100_000).fill(item) }), { ...FRONTIER, state: { ...FRONTIER.state, metaschema } }));
    assert.equal(v.status, 400);
    assert.ok(v.errors.some((e) => e.code === "limit"), JSON.stringify(v.errors.map((e) => e.code)));
    assertWithin(ms, 2000, "the call");
  }
  // Short pointers cost nothing more: 100,000 items under a short name pass.
  const ok = validate("frontier", create({ k: new Array(100_000).fill("s") }), { ...FRONTIER, state: { ...FRONTIER.state, metaschema } });
  assert.equal(ok.status, 200);
});

// Indexing a metaschema's ids copied the base id into every object it
// walked: a 1 MB `$id` over 300,000 `{}` (a 1.9 MB schema) took 6.9 s.
test("frontier metaschema: ids are indexed without a copy of the base per object", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const metaschema = { $id: "http://x/" + "a".repeat(1 << 20), examples: new Array(300_000).fill({}),
    definitions: { r: { $ref: "#/definitions/q" }, q: {} } };
  const [v, ms] = cpuMs(() => validate("frontier", create({}), { ...FRONTIER, state: { ...FRONTIER.state, metaschema } }));
  assert.equal(v.status, 200);
  assertWithin(ms, 2000, "the call");
});

// Compiling a metaschema kept each `$ref` holder's pointer until its target
// was compiled, and its id index each resolved address: 100,000 `$ref`s
// under a 60 KB member name, or under a 60 KB `$id`, trapped after 9-12 s
// (10,000: 0.6-2.2 s and 0.6-1.3 GB). Pointers and addresses now share a
// budget of 16 MiB, past which the schema is refused (`limit`).
test("frontier metaschema: its pointers and addresses have a budget, past which it is refused", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const refs = new Array(100_000).fill({ $ref: "#/definitions/q" });
  for (const metaschema of [
    { definitions: { q: {} }, properties: { ["p".repeat(60_000)]: { allOf: refs } } },
    { $id: "http://x/" + "a".repeat(60_000), allOf: refs, definitions: { q: {} } },
  ]) {
    const [v, ms] = cpuMs(() => validate("frontier", create({}), { ...FRONTIER, state: { ...FRONTIER.state, metaschema } }));
    assert.equal(v.status, 400);
    assert.deepEqual(v.errors.map((e) => [e.path.slice(0, 40), e.code]), [[v.errors[0].path.slice(0, 40), "limit"]]);
    assert.ok(v.errors[0].path.startsWith("/context/state/metaschema"), v.errors[0].path.slice(0, 80));
    assertWithin(ms, 2000, "the call");
  }
  // The same shapes with short names compile and pass.
  const short = { definitions: { q: {} }, properties: { p: { allOf: refs } } };
  assert.equal(validate("frontier", create({ p: 1 }), { ...FRONTIER, state: { ...FRONTIER.state, metaschema: short } }).status, 200);
});

// A subschema's pointer was written whole before the budget was checked:
// a 1 MB member name over 100,000 `{}` subschemas (1.3 MB of metaschema)
// wrote 100 GB of transient pointers, 2.5 s of CPU, to be refused. Each
// pointer is now charged before it is written: refused in 0.1 s.
test("frontier metaschema: a subschema's pointer is charged before it is written", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const metaschema = { properties: { ["p".repeat(1 << 20)]: { allOf: new Array(100_000).fill({}) } } };
  const [v, ms] = cpuMs(() => validate("frontier", create({}), { ...FRONTIER, state: { ...FRONTIER.state, metaschema } }));
  assert.equal(v.status, 400);
  assert.deepEqual(v.errors.map((e) => e.code), ["limit"]);
  assert.ok(v.errors[0].path.startsWith("/context/state/metaschema/properties/ppp"), v.errors[0].path.slice(0, 80));
  assertWithin(ms, 1000, "the call");
});

// Every string of a list was read with its pointer written out whole:
// a caller's `groupRoles` of 100,000 roles under a 60 KB group id kept
// 6 GB of pointers, a trap after 8-18 s. A pointer is now written only
// when an issue names it (`json::read::strings`): 0.1 s, and 0.3 s when
// every role is unknown (101 warnings listed, the rest counted).
test("frontier caller: a role list under a long group id keeps no pointer per role", async () => {
  const { validate } = await import("../../pkg/node.mjs");
  const key = "g".repeat(60_000);
  for (const role of [() => "app_group_owner", (i) => `r${i}`]) {
    const caller = { ...FRONTIER.caller, groupRoles: { [key]: Array.from({ length: 100_000 }, (_, i) => role(i)) } };
    const [v, ms] = cpuMs(() => validate("frontier", create({}), { ...FRONTIER, caller }));
    assert.equal(v.status, 200);
    assertWithin(ms, 2000, "the call");
    if (role(0) !== "app_group_owner") {
      // 100 listed, then one that counts the rest.
      assert.equal(v.warnings.filter((w) => w.code === "unknown_role").length, 101);
      assert.ok(v.warnings.every((w) => w.path.length < 61_000), "a pointer of its own length");
    }
  }
});

// A batch crosses into the engine as one text (`paths.join("\0")`), and a
// JavaScript string holds at most about 2^29 units: 140,000 paths of 4 KB,
// each within maxPathBytes, threw a bare RangeError (not a GroupgateError).
// Past 2^28 units the batch is refused with `limit.batch`; the policy keeps
// answering.
test("checkMany: a batch too long for one string is a GroupgateError", async () => {
  const { FilePolicy, GroupgateError } = await import("../../pkg/node.mjs");
  const p = new FilePolicy([{ id: "g", permissions: ["documents:full"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["d/**"] }] }]);
  const path = "d/" + "a".repeat(4000);
  for (const n of [140_000, 67_100]) {
    const paths = new Array(n).fill(path);
    assert.throws(() => p.checkMany(["g"], paths, "visible"), (e) => e instanceof GroupgateError && e.code === "limit.batch" && e.issues[0].path === "/paths");
  }
  // Under it: answered (2^28 units hold 67,058 such paths, a NUL each).
  assert.equal(p.checkMany(["g"], new Array(1000).fill(path), "visible").length, 1000);
  assert.equal(p.check(["g"], "d/x", "visible"), true);
});

// Stdin can be read once: with the rules and `--files` both `-`, the file
// list read nothing and `lint` reported no unmatched rule, exit 0.
test("CLI: a second - (stdin) is a usage error, not an empty input", () => {
  const bin = fileURLToPath(new URL("../../pkg/bin/groupgate.mjs", import.meta.url));
  const rules = JSON.stringify([{ id: "g", permissions: ["documents:full"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["nowhere/**"] }] }]);
  const r = spawnSync(process.execPath, [bin, "lint", "-", "--files", "-"], { input: rules, encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /only one input can be - \(stdin\)/);
});
