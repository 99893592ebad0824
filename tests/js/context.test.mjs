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

// README "The five dialects": a state listing one group twice is ambiguous;
// the first entry used to win silently, so reversing the list changed an
// answer. Every dialect that reads state groups refuses it, at the second.
test("a state listing a group twice is refused in every dialect (state.duplicate_id)", () => {
  const P = "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11", G = "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44";
  const cases = [
    ["frontier", { op: "update", params: { id: "g1", org_id: "o" }, body: { name: "n1" } },
      { groups: [{ id: "g1", name: "n1", org_id: "o" }, { id: "g1", name: "n2", org_id: "o" }] }],
    ["apinizer", { op: "update", params: { projectName: "p" }, body: { name: "a", clientRoute: { relativePathList: ["/c"] } } },
      { groups: [{ name: "a", clientRoute: { relativePathList: ["/a"] } }, { name: "a", clientRoute: { relativePathList: ["/b"] } }] }],
    ["conductor", REQ, { groups: [{ id: "g", roles: ["USER"] }, { id: "g", roles: ["ADMIN"] }] }],
    ["gorules", { op: "update", params: { projectId: P, groupId: G }, body: { name: "authors" } },
      { groups: [{ id: G, name: "authors" }, { id: G, name: "authors", permissions: ["owner"] }] }],
  ];
  for (const [d, req, state] of cases) {
    for (const groups of [state.groups, [...state.groups].reverse()]) {
      const v = validate(d, req, { state: { ...state, groups } });
      assert.equal(v.status, 400, d);
      assert.deepEqual(v.errors.filter((e) => e.code === "state.duplicate_id").map((e) => e.path),
        [d === "apinizer" ? "/context/state/groups/1/name" : "/context/state/groups/1/id"], d);
    }
  }
  for (const [d, subject, state] of [["conductor", { groups: ["g"] }, cases[2][2]], ["gorules", { groups: [G] }, cases[3][2]]]) {
    assert.deepEqual(issues(() => permissionsOf(d, subject, { state })),
      [["/context/state/groups/1/id", "state.duplicate_id"]], d);
  }
});
