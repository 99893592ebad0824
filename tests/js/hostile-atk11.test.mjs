// Findings of atk11 (session 17), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cli } from "./fixtures/cli.mjs";
import { assertWithin } from "./support/speed.mjs";

// The CLI read files with JSON.parse, which keeps -0, and handed the value
// to the engine through JSON.stringify, which writes 0. Frontier reads the
// body's -0 (protojson, a Struct's float64) and its metaschema compares
// numbers as Go's json.Marshal writes them (gojsonschema v1.2.0
// validation.go:408-441 const and enum, :517-535 uniqueItems, through
// utils.go:84-104 marshalWithoutNumber; Go writes -0 as "-0"): `const: 0`
// refuses -0, so a 200 from the CLI was a wrong grant (and [0, -0] a false
// 400 under uniqueItems). The CLI now refuses a negative zero, as it
// refuses 1e400 (exit 2, at its place).
test("CLI: a negative zero is bad input, never read as 0 (Frontier's const 0 refuses -0)", () => {
  const state = JSON.stringify({ org: { id: "acme" }, groups: [], metaschema: { type: "object", properties: { x: { const: 0 } } } });
  const caller = JSON.stringify({ orgRoles: ["app_organization_owner"] });
  const req = (x) => `{"op":"create","params":{"org_id":"acme"},"body":{"name":"g",\n"metadata":{"x":${x}}}}`;
  const run = (x) => cli({ "r.json": req(x), "s.json": state, "c.json": caller }, ["validate", "frontier", "r.json", "--state", "s.json", "--caller", "c.json"], 20_000);
  assert.equal(run("0").status, 0, "control: 0 is the const");
  for (const x of ["-0", "-0.0", "-0e3", "-1e-400"]) {
    const r = run(x);
    assert.equal(r.status, 2, `${x}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /negative zero/);
    assert.match(r.stderr, /r\.json:2:/);
  }
  // Elsewhere a zero with a minus in its exponent or a positive zero is a number like any other.
  assert.equal(run("0e-5").status, 0);
  assert.equal(run("0.0").status, 0);
});

// Literal globs went to the directory trie, which no limit bounded: a
// directory of a glob cost about 0.2 µs to read and, new to the trie, 0.65
// µs and some 200 bytes to build, 20 to 80 times a byte of a long name.
// 1 KB globs 500 directories deep (`eN/a/a/…/x`, 10,000 rules: 10 MB)
// took 4 s to build, 40,000 rules 24 s and 3.9 GB of WASM memory (100,000,
// within maxRules, trapped); one such glob in 100,000 rules 5 s, globs
// sharing its directories 10 s, `./`×500 6 s (README Security: new
// FilePolicy ≤ 2 s). Each `/` now counts toward maxAutomatonStates, each
// new directory three: refused with limit.automaton within the budget.
test("new FilePolicy: globs hundreds of directories deep are bounded by maxAutomatonStates", async () => {
  const { FilePolicy, init } = await import("groupgate");
  const memory = (await init()).memory;
  const shapes = {
    own: (i) => `e${i}/${"a/".repeat(500)}x`,
    shared: (i) => `${"a/".repeat(500)}x${i}`,
    same: () => `${"a/".repeat(500)}x`,
    dots: (i) => `${"./".repeat(500)}x${i}`,
  };
  for (const [name, glob] of Object.entries(shapes)) {
    const n = name === "own" ? 10_000 : 100_000;
    const text = JSON.stringify([{ id: "g", permissions: ["documents"],
      filePermissions: Array.from({ length: n }, (_, i) => ({ effect: "deny", actions: ["visible"], patterns: glob(i) })) }]);
    const before = memory.buffer.byteLength;
    const t = process.cpuUsage();
    let error;
    try {
      new FilePolicy(text).free();
    } catch (e) {
      error = e;
    }
    const d = process.cpuUsage(t);
    const ms = (d.user + d.system) / 1000;
    assert.equal(error?.code, "limit.automaton", `${name}: built (${ms.toFixed(0)} ms)`);
    assertWithin(ms, 2000, name);
    // README Security: 16 MiB + 64 bytes a byte of input.
    assert.ok(memory.buffer.byteLength - before <= (16 << 20) + 64 * text.length, `${name}: +${(memory.buffer.byteLength - before) >> 20} MB`);
  }
  // Within the limit such globs build and match as written.
  const p = new FilePolicy([{ id: "g", permissions: ["documents"],
    filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "**" }, { effect: "deny", actions: ["visible"], patterns: shapes.own(7) }] }]);
  assert.equal(p.check(["g"], shapes.own(7), "visible"), false);
  assert.equal(p.check(["g"], shapes.own(8), "visible"), true);
  assert.equal(FilePolicy.fromBytes(p.toBytes()).check(["g"], shapes.own(7), "visible"), false);
});

// The directory trie finds a directory by an Fx hash of (parent, name) and
// compared the nodes of that hash one by one, with no bound: 16-byte names
// whose second word undoes the first's hash (fixtures/fx-colliding-dirs.txt,
// found by the thousand a second) made every new one compare every earlier
// one: 20,000 took 4.4 s to build (100,000, within maxRules: minutes; README
// Security: new FilePolicy ≤ 2 s). A node passed over now counts toward
// maxAutomatonStates: refused near 2,830 names.
test("new FilePolicy: directory names of one hash are bounded by maxAutomatonStates", async () => {
  const { readFileSync } = await import("node:fs");
  const { FilePolicy } = await import("groupgate");
  const names = readFileSync(new URL("./fixtures/fx-colliding-dirs.txt", import.meta.url), "utf8").trim().split("\n");
  const policy = (list) => [{ id: "g", permissions: ["documents"],
    filePermissions: list.map((n) => ({ effect: "allow", actions: ["visible"], patterns: [`${n}/x`] })) }];
  const t = process.cpuUsage();
  assert.throws(() => new FilePolicy(policy(names)), (e) => e.code === "limit.automaton");
  const d = process.cpuUsage(t);
  assertWithin((d.user + d.system) / 1000, 2000, "new FilePolicy");
  // Names of distinct hashes build; fewer colliding ones build and match.
  new FilePolicy(policy(names.map((_, i) => `d${String(i).padStart(15, "0")}`))).free();
  const p = new FilePolicy(policy(names.slice(0, 1000)));
  assert.equal(p.check(["g"], `${names[7]}/x`, "visible"), true);
  assert.equal(p.check(["g"], `${names[7]}/y`, "visible"), false);
});
