// The shared case tables of tests/cases/<dialect>.json through the npm
// package: the same files tests/cases.rs runs through the Rust API, so both
// languages must give the same answers. The format and what is compared are
// documented at the top of tests/cases.rs:
//   status (and ok === status < 300); errors: the exact [path, code] list,
//   order-insensitive; warnings (when given): the same; messages (when given):
//   each [path, code, message] among the errors or warnings, verbatim;
//   next, changes, response (when given): deep equality, null = absent;
//   skipped: exact. Every case names its `source` (non-empty string).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { validate } from "groupgate";

// A file named <dialect>-<topic>.json is run as <dialect>.
const DIALECTS = ["baseten", "frontier", "apinizer", "conductor", "gorules", "frontier-server"];
const load = (dialect) =>
  JSON.parse(readFileSync(new URL(`../cases/${dialect}.json`, import.meta.url), "utf8"));

const byPathCode = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
const pairs = (issues) => issues.map((i) => [i.path, i.code]).sort(byPathCode);
const sorted = (list) => [...list].sort(byPathCode);

for (const dialect of DIALECTS) {
  test(`cases: ${dialect}`, async (t) => {
    for (const c of load(dialect)) {
      await t.test(`${c.name} [${c.rule}]`, () => {
        const e = c.expect;
        const d = dialect.split("-")[0];
        const v = c.context === undefined ? validate(d, c.request) : validate(d, c.request, c.context);
        const dump = () => JSON.stringify(v);
        assert.equal(v.status, e.status, `status; verdict ${dump()}`);
        assert.equal(v.ok, v.status < 300, "ok");
        assert.deepEqual(pairs(v.errors), sorted(e.errors ?? []), `errors; verdict ${dump()}`);
        if (e.warnings !== undefined) {
          assert.deepEqual(pairs(v.warnings), sorted(e.warnings), `warnings; verdict ${dump()}`);
        }
        for (const [path, code, message] of e.messages ?? []) {
          const found = [...v.errors, ...v.warnings].some((i) => i.path === path && i.code === code && i.message === message);
          assert.ok(found, `message ${JSON.stringify(message)} at ${path} (${code}); verdict ${dump()}`);
        }
        for (const key of ["next", "changes", "response"]) {
          if (e[key] !== undefined) assert.deepEqual(v[key] ?? null, e[key], key);
        }
        if (e.skipped !== undefined) assert.deepEqual(v.skipped ?? [], e.skipped, "skipped");
      });
    }
  });
}

test("cases: every rule has a passing and a failing case, every case a source", () => {
  const problems = [];
  for (const dialect of DIALECTS) {
    const names = new Set();
    const sides = new Map(); // rule → [pass, fail]
    for (const c of load(dialect)) {
      if (!c.name || !c.rule) problems.push(`${dialect}: a case lacks a name or a rule`);
      if (typeof c.source !== "string" || c.source.trim() === "") problems.push(`${dialect} / ${c.name}: no source`);
      if (names.has(c.name)) problems.push(`${dialect}: duplicate case name ${c.name}`);
      names.add(c.name);
      const side = sides.get(c.rule) ?? [false, false];
      sides.set(c.rule, side);
      if (c.rule.startsWith("warning:")) {
        if (Array.isArray(c.expect.warnings)) side[c.expect.warnings.length === 0 ? 0 : 1] = true;
      } else if (c.expect.status < 300) side[0] = true;
      else if (c.expect.status >= 400) side[1] = true;
    }
    for (const [rule, [pass, fail]] of sides) {
      if (!pass) problems.push(`${dialect}: rule ${rule} has no passing case`);
      if (!fail) problems.push(`${dialect}: rule ${rule} has no failing case`);
    }
  }
  assert.deepEqual(problems, []);
});
