// maxAutomatonStates (README "Limits", "Security"; issue #11, the
// construction bound): globs that share nothing grow the policy's pattern
// automaton by about a state a byte; past the limit `new FilePolicy` throws
// limit.automaton at the glob that crossed it (the package keeps working),
// and a raised limit builds the same rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FilePolicy, GroupgateError } from "groupgate";

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
// `*` + 50 letters + `*` + 50 letters, each rule its own letters.
const body = (i) => {
  const letters = range(100, (k) => String.fromCharCode(97 + ((i * 7 + k * 13 + k * k) % 26))).join("");
  return `${letters.slice(0, 50)}*${letters.slice(50)}`;
};
const groups = (patterns) => [{ id: "g", permissions: ["documents"],
  filePermissions: patterns.map((p) => ({ effect: "allow", actions: ["visible"], patterns: p })) }];
const rules = range(20, (i) => `*${body(i)}`);

test("past maxAutomatonStates, new FilePolicy throws limit.automaton at the glob that crossed it", () => {
  assert.throws(() => new FilePolicy(groups(rules), { limits: { maxAutomatonStates: 1000 } }), (e) => {
    assert.ok(e instanceof GroupgateError);
    assert.equal(e.code, "limit.automaton");
    assert.equal(e.issues.length, 1);
    assert.equal(e.issues[0].path, "/0/filePermissions/9/patterns");
    assert.match(e.issues[0].message, /maxAutomatonStates \(1000 units\)/);
    assert.match(e.issues[0].message, /raise limits\.maxAutomatonStates/);
    return true;
  });
  // In an array of patterns, the pointer names the glob.
  assert.throws(() => new FilePolicy(groups([["a/**", rules[0]]]), { limits: { maxAutomatonStates: 50 } }),
    (e) => e.code === "limit.automaton" && e.issues[0].path === "/0/filePermissions/0/patterns/1");
  // The engine keeps working: the defaults build the same rules, and they match.
  const p = new FilePolicy(groups(rules));
  assert.equal(p.check(["g"], `x${body(10).replace("*", "y")}`, "visible"), true);
  assert.equal(p.check(["g"], "x", "visible"), false);
  p.free();
  assert.throws(() => new FilePolicy(groups(rules), { limits: { maxAutomatonStates: -1 } }),
    (e) => e instanceof GroupgateError && /maxAutomatonStates/.test(e.message));
});
