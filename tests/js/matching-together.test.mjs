// Distinct globs that all match a path (README § Security, `check`): each
// was read by every check. Half a million `{**,N}` (5.9 MB of JSON, within
// maxRules and maxStringBytes: 2,000 globs a rule) took 25 ms a check in the
// package (README: ≤ 10 ms), `**/{*.js,N}` (a run of equal suffixes) and
// `{*/**,N}` (one automaton state) as long. A decision now reads one glob per
// group, effect and actions of those a trie list, a suffix run or an
// automaton state gives at once; lint still sees every rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FilePolicy } from "groupgate";
import { assertWithin } from "./support/speed.mjs";

/** CPU ms of one call of `f` (process time: V8's threads too). */
const cpuMs = (f) => {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
};

const policyOf = (shape, n) => {
  const rules = [];
  for (let i = 0; i < n; i += 2000) {
    const patterns = Array.from({ length: Math.min(2000, n - i) }, (_, k) => shape.replace("N", String(i + k))).join(",");
    // Allows and denies in turn: the second rule's first glob decides.
    rules.push({ effect: (i / 2000) % 2 ? "deny" : "allow", actions: ["visible", "modify"], patterns });
  }
  return [{ id: "g", permissions: ["documents:full"], filePermissions: rules }];
};

for (const [shape, n] of [["{**,N}", 500_000], ["**/{*.js,N}", 200_000], ["{*/**,N}", 200_000]]) {
  test(`${n.toLocaleString("en")} distinct globs ${shape} that all match: a check reads a few`, () => {
    const groups = policyOf(shape, n);
    const built = new FilePolicy(groups);
    for (const p of [built, FilePolicy.fromBytes(built.toBytes())]) {
      // The first check builds what the path needs (an automaton state).
      const first = cpuMs(() => assert.equal(p.check(["g"], "src/a/b.js", "modify"), false));
      assertWithin(first, 10, "the first check");
      const t = process.cpuUsage();
      for (let i = 0; i < 100; i++) p.check(["g"], `src/a${i}/b.js`, "modify");
      const u = process.cpuUsage(t);
      const per = (u.user + u.system) / 1000 / 100;
      assertWithin(per, 0.5, "a check");
      // The deciding rule is the earliest deny: rule 1's first glob.
      const why = p.explain(["g"], "src/a/b.js", "modify");
      assert.deepEqual([why.reason, why.ruleIndex, why.pattern], ["not visible", 1, shape.replace("N", "2000")]);
    }
    // Lint reads every glob: no rule matches nothing.
    const issues = FilePolicy.lint(groups, undefined, ["src/a/b.js"]);
    assert.deepEqual(issues.filter((i) => i.code === "lint.matches_nothing"), []);
  });
}

// What a path's last automaton state reads costs a unit of matching work an
// id; globs no narrowing joins (each in a rule of its own group and kind)
// past a short path's 32 bytes' worth are refused, every time, at once.
test("20,010 distinct globs {*/**,N} of distinct groups and kinds accepted together: refused at once, every time", () => {
  const kinds = [];
  for (let m = 1; m < 16; m++) kinds.push(["visible", "modify", "write", "delete"].filter((_, b) => m & (1 << b)));
  const groups = (n) => Array.from({ length: n }, (_, g) => ({ id: `g${g}`, permissions: ["documents:full"],
    filePermissions: Array.from({ length: 30 }, (_, r) => ({ effect: r % 2 ? "deny" : "allow", actions: kinds[r >> 1], patterns: `{*/**,${g * 30 + r}}` })) }));
  const p = new FilePolicy(groups(667));
  for (let k = 0; k < 3; k++) {
    let err;
    const ms = cpuMs(() => { try { p.check(["g1"], "src/a/b.js", "modify"); } catch (e) { err = e; } });
    assert.equal(err?.code, "path.too_complex");
    assertWithin(ms, 10, "the check");
  }
  // Raising maxMatchWork lets it through (a unit an id); `visible` is denied by g1's second rule.
  assert.equal(new FilePolicy(groups(667), { limits: { maxMatchWork: 1000 } }).check(["g1"], "src/a/b.js", "modify"), false);
});
