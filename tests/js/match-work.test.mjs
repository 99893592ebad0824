// maxMatchWork (README "Limits", "Security"; issue #11, the check bound): a
// path whose match keeps too many patterns' states active at once is refused
// with path.too_complex by check, explain, checkMany and lint alike, never
// answered from part of the rules; the policy keeps answering; a raised limit
// answers it; a path the default answers gets the unlimited policy's answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FilePolicy, GroupgateError } from "groupgate";

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const rule = (effect, patterns) => ({ effect, actions: ["visible", "modify"], patterns });
// Everything allowed, then k denies `*NNN*` + 1,000 `a`s + `?`.
const groups = (k) => [{ id: "g", permissions: ["documents"],
  filePermissions: [rule("allow", "**"), ...range(k, (i) => rule("deny", `*${String(i).padStart(3, "0")}*${"a".repeat(1000)}?`))] }];
const namesThenA = (k, len) => { const names = range(k, (i) => String(i).padStart(3, "0")).join(""); return names + "a".repeat(len - names.length); };
const isError = (code, path) => (e) => e instanceof GroupgateError && e.code === code && e.issues[0].path === path;

test("a path over maxMatchWork is path.too_complex in check, explain, checkMany and lint", () => {
  const p = new FilePolicy(groups(64));
  const path = namesThenA(64, 4096);
  assert.throws(() => p.check(["g"], path, "modify"), (e) => isError("path.too_complex", "/path")(e)
    && e.issues[0].message.includes("maxMatchWork (384)") && e.issues[0].message.includes("raise limits.maxMatchWork"));
  assert.throws(() => p.explain(["g"], path, "modify"), isError("path.too_complex", "/path"));
  assert.throws(() => p.checkMany(["g"], ["x", path], "modify"), isError("path.too_complex", "/paths/1"));
  const lint = p.lint(["x", path]);
  assert.ok(lint.some((i) => i.code === "path.too_complex" && i.path === "/files/1"), JSON.stringify(lint));
  assert.ok(!lint.some((i) => i.code === "lint.matches_nothing"));
  // The policy keeps answering, and refuses the same path again.
  assert.equal(p.check(["g"], "x", "modify"), true);
  assert.equal(p.check(["g"], namesThenA(1, 1100), "modify"), false);
  assert.throws(() => p.check(["g"], path, "modify"), isError("path.too_complex", "/path"));
  // Read back from a snapshot, the policy keeps its limit.
  assert.throws(() => FilePolicy.fromBytes(p.toBytes()).check(["g"], path, "modify"), isError("path.too_complex", "/path"));
  p.free();
});

test("maxMatchWork is configurable, and whatever the default answers, it answers as an unlimited policy", () => {
  const wide = new FilePolicy(groups(64), { limits: { maxMatchWork: 2 ** 20 } });
  const p = new FilePolicy(groups(64));
  assert.equal(wide.check(["g"], namesThenA(64, 4096), "modify"), false);
  assert.equal(FilePolicy.fromBytes(wide.toBytes()).check(["g"], namesThenA(64, 4096), "modify"), false);
  let answered = 0;
  for (const names of [0, 1, 2, 4, 8, 64]) {
    for (const len of [200, 1001, 1300, 4000]) {
      for (const tail of ["", "b", "/x"]) {
        const path = namesThenA(names, Math.max(len, 3 * names)) + tail;
        const want = wide.check(["g"], path, "modify");
        try {
          assert.equal(p.check(["g"], path, "modify"), want, `${names} names, ${len} bytes, ${tail}`);
          answered++;
        } catch (e) {
          assert.ok(isError("path.too_complex", "/path")(e), String(e));
        }
      }
    }
  }
  assert.ok(answered >= 30, `${answered}`);
  // 0 refuses whatever the automaton must read; bad values are named.
  assert.throws(() => new FilePolicy(groups(1), { limits: { maxMatchWork: 0 } }).check(["g"], "a", "modify"), isError("path.too_complex", "/path"));
  assert.throws(() => new FilePolicy(groups(1), { limits: { maxMatchWork: -1 } }), (e) => e instanceof GroupgateError && /maxMatchWork/.test(e.message));
  wide.free();
  p.free();
});
