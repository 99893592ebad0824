// catalog(dialect) through the npm package: every listed role, permission and
// enum value is accepted by permissionsOf / validate, an unlisted one is
// refused, and an unknown dialect throws GroupgateError (ESM and CJS entries).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { catalog, permissionsOf, validate, GroupgateError } from "groupgate";

const DIALECTS = ["baseten", "frontier", "apinizer", "conductor", "gorules"];
const NOT_LISTED = "NOT_LISTED";

test("catalog: every listed role and permission is accepted, others refused", () => {
  for (const d of DIALECTS) {
    const c = catalog(d);
    assert.equal(c.dialect, d);
    assert.ok(c.permissions.length > 0, d);
    for (const role of c.roles) {
      const got = permissionsOf(d, { roles: [role.name] });
      for (const p of role.permissions) {
        assert.ok(got.includes(p), `${d} ${role.name} grants ${p}`);
        assert.ok(c.permissions.includes(p), `${d} lists ${p}`);
      }
    }
    for (const p of c.permissions) {
      assert.ok(permissionsOf(d, { permissions: [p] }).includes(p), `${d} ${p}`);
    }
    assert.throws(() => permissionsOf(d, { roles: [NOT_LISTED] }), GroupgateError);
    assert.throws(() => permissionsOf(d, { permissions: [NOT_LISTED] }), GroupgateError);
  }
});

// Where each enum is read in a request (the Rust twin is tests/catalog.rs).
const PROJECT = "11111111-1111-4111-8111-111111111111";
const model = (rate, usage) => ({
  op: "create",
  body: { metadata: { name: "n" }, models: [{ slug: "a/b", rate_limits: rate, usage_limits: usage }] },
});
const rule = (effect, action) => ({
  op: "create",
  params: { projectId: PROJECT },
  body: { name: "g", filePermissions: [{ effect, actions: [action], patterns: "*" }] },
});
const PLACES = {
  baseten: {
    rateLimitType: (v) => [model([{ type: v, unit: "SECOND", threshold: 1 }], []), "/body/models/0/rate_limits/0/type"],
    rateLimitUnit: (v) => [model([{ type: "TOKEN", unit: v, threshold: 1 }], []), "/body/models/0/rate_limits/0/unit"],
    usageLimitUnit: (v) => [model([], [{ type: "TOKEN", unit: v, threshold: 1 }]), "/body/models/0/usage_limits/0/unit"],
    limitEnforcement: (v) => [
      { op: "create", body: { metadata: { name: "n" }, hierarchy: { limit_enforcement: v } } },
      "/body/hierarchy/limit_enforcement",
    ],
  },
  gorules: {
    fileAction: (v) => [rule("allow", v), "/body/filePermissions/0/actions/0"],
    effect: (v) => [rule(v, "visible"), "/body/filePermissions/0/effect"],
    // Read from the context: the third element.
    projectVersion: (v) => [rule("allow", "visible"), "/context/state/projectVersion", { state: { projectVersion: v } }],
  },
  conductor: {
    accessTarget: (v) => [
      { op: "update", params: { id: "g" }, body: { roles: [], defaultAccess: { [v]: ["READ"] } } },
      `/body/defaultAccess/${v}`,
    ],
    accessKind: (v) => [
      { op: "update", params: { id: "g" }, body: { roles: [], defaultAccess: { TASK_DEF: [v] } } },
      "/body/defaultAccess/TASK_DEF/0",
    ],
  },
  apinizer: {
    method: (v) => [
      { op: "update", params: { projectName: "shop" }, body: { name: "orders", clientRoute: { relativePathList: ["/a"], methodList: [v] } } },
      "/body/clientRoute/methodList/0",
    ],
  },
};

test("catalog: every listed enum value is accepted by validate, others refused", () => {
  let seen = 0;
  for (const d of DIALECTS) {
    for (const [name, values] of Object.entries(catalog(d).enums)) {
      if (d === "baseten" && name === "scope") continue; // scopes are Baseten's roles
      const place = PLACES[d]?.[name];
      assert.ok(place, `a request places ${d} ${name}`);
      const codesAt = (value) => {
        const [request, path, context] = place(value);
        return validate(d, request, context).errors.filter((i) => i.path === path).map((i) => i.code);
      };
      for (const value of values) {
        assert.deepEqual(codesAt(value), [], `${d} ${name}=${value}`);
        seen++;
      }
      assert.deepEqual(codesAt(NOT_LISTED), ["enum"], `${d} ${name}=${NOT_LISTED}`);
    }
  }
  assert.ok(seen >= 30, `${seen} values`);
});

test("catalog: an unknown dialect throws GroupgateError, in ESM and CJS", () => {
  assert.throws(() => catalog("nope"), (e) => e instanceof GroupgateError && e.code === "unknown_dialect");
  assert.throws(() => catalog(3), (e) => e instanceof GroupgateError && e.code === "type");
  const cjs = createRequire(import.meta.url)("groupgate");
  assert.deepEqual(cjs.catalog("gorules"), catalog("gorules"));
  assert.throws(() => cjs.catalog("nope"), (e) => e.name === "GroupgateError");
});
