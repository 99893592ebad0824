// validate / permissionsOf read `context` with one reader: it is the engine's
// own input, so a typo, an ill-typed member or an unknown dialect throws
// GroupgateError (README §Codes), while bad request data stays a 400 verdict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { validate, permissionsOf, GroupgateError } from "groupgate";

const REQ = { op: "update", params: { id: "g" }, body: { description: "d", roles: [] } };
const issues = (f) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof GroupgateError, String(e));
    return e.issues.map((i) => [i.path, i.code]);
  }
  assert.fail("expected a GroupgateError");
};

test("a typo in context throws at its pointer, for validate and permissionsOf", () => {
  const ctx = { caler: { admin: true } };
  assert.deepEqual(issues(() => validate("conductor", REQ, ctx)), [["/context/caler", "unknown_field"]]);
  assert.deepEqual(issues(() => permissionsOf("conductor", { roles: ["USER"] }, ctx)), [["/context/caler", "unknown_field"]]);
});

test("ill-typed members and an unknown dialect throw; request data stays a verdict", () => {
  assert.deepEqual(issues(() => validate("conductor", REQ, { state: [] })), [["/context/state", "type"]]);
  assert.deepEqual(issues(() => validate("okta", REQ)), [["/dialect", "unknown_dialect"]]);
  assert.deepEqual(issues(() => validate(5, REQ)), [["/dialect", "type"]]);
  // An unencodable request is a 400, but a bad context still throws first.
  assert.equal(validate("conductor", { op: "update", n: 1n }).status, 400);
  assert.deepEqual(issues(() => validate("conductor", { op: "update", n: 1n }, { nope: 1 })), [["/context/nope", "unknown_field"]]);
  const v = validate("conductor", { op: "update", params: { id: "g" }, body: 5 }, { caller: { admin: true } });
  assert.equal(v.status, 400);
});
