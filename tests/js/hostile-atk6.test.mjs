// Session 12, atk6: the grant paths merged that day, held to independent
// models of the products' rules on seeded random cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { permissionsOf, validate } from "groupgate";

/** A seeded generator (the same cases on every run). */
function rng(seed) {
  let s = seed * 7919 + 17;
  const next = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
  return { next, pick: (a) => a[Math.floor(next() * a.length)], some: (a, p) => a.filter(() => next() < p) };
}

// Orkes: "When a user is added to a group, the user automatically inherits
// the group's roles and permissions" (orkes-io/docs@e6c47c7
// docs/access-control-and-security/rbac-overview.mdx:36), Admin "Can manage
// users and groups" (:61), create-group.mdx "Returns 403 if a non-admin
// invokes the API". The model: an admin holds admin: true, the role ADMIN,
// or a group (the first state group of that exact id) whose roles list
// ADMIN; without state, groups are unknown, so a caller that is an admin
// only through them is not known to be refused (a skipped check, not a 403).
test("conductor: the caller's admin check and permissionsOf agree with a model of the Orkes rule (4,000 seeded cases)", () => {
  const { next, pick, some } = rng(6);
  const IDS = ["a", "A", "a ", "ａ", "ops", "w", "K", "\u212a"];
  const ROLES = ["ADMIN", "USER", "admin", "ADMIN ", { name: "ADMIN" }, { name: "USER" }, "METADATA_MANAGER"];
  const ADMIN = permissionsOf("conductor", { roles: ["ADMIN"] }, {});
  const tally = { forbidden: 0, ok: 0, skipped: 0, agreed: 0 };
  for (let n = 0; n < 4000; n++) {
    const groups = [];
    const used = new Set();
    for (let i = Math.floor(next() * 4); i > 0; i--) {
      const id = pick(IDS);
      if (used.has(id)) continue; // a repeated id is a 400 of its own (state.duplicate_id)
      used.add(id);
      const g = { id, description: "x" };
      const k = next();
      if (k < 0.8) g.roles = some(ROLES, 0.4);
      else if (k < 0.9) g.roles = null;
      groups.push(g);
    }
    const caller = {};
    const k = next();
    if (k < 0.2) caller.admin = true;
    else if (k < 0.4) caller.admin = false;
    if (next() < 0.5) caller.roles = some(["ADMIN", "USER", "admin"], 0.3);
    if (next() < 0.8) caller.groups = some(IDS, 0.3);
    const op = pick(["update", "delete", "create"]);
    const id = pick(IDS);
    const request = op === "delete" ? { op, params: { id } } : { op, params: { id }, body: { description: "d", roles: ["USER"] } };
    const withState = next() < 0.8;
    const context = withState ? { caller, state: { groups } } : { caller };
    const grants = (g) => Array.isArray(g?.roles) && g.roles.some((r) => (typeof r === "string" ? r : r.name) === "ADMIN");
    const ofGroups = (caller.groups ?? []).some((gid) => grants(groups.find((g) => g.id === gid)));
    const ofRoles = (caller.roles ?? []).includes("ADMIN");
    const admin = caller.admin === true || ofRoles || (withState && ofGroups);
    const unknown = !withState && !admin && (caller.groups ?? []).length > 0;
    const v = validate("conductor", request, context);
    const why = JSON.stringify({ request, context });
    const forbidden = v.errors.some((e) => e.code === "forbidden");
    assert.equal(forbidden, !admin && !unknown, why);
    if (unknown) assert.ok(v.skipped.includes("caller") && !v.complete, why);
    if (!withState) assert.ok(!v.warnings.some((w) => w.code === "unknown_group"), why);
    tally[forbidden ? "forbidden" : unknown ? "skipped" : "ok"]++;
    if (withState && (caller.groups ?? []).every((gid) => used.has(gid))) {
      let held;
      try {
        held = permissionsOf("conductor", { roles: caller.roles ?? [], groups: caller.groups ?? [] }, { state: { groups } });
      } catch (e) {
        // permissionsOf refuses a role it does not know ("admin"), where validate warns
        assert.ok(e.issues.every((i) => i.code === "unknown_role"), why);
        continue;
      }
      assert.equal(ADMIN.every((p) => held.includes(p)), ofRoles || ofGroups, why);
      tally.agreed++;
    }
  }
  assert.ok(tally.forbidden > 500 && tally.ok > 500 && tally.skipped > 100 && tally.agreed > 500, JSON.stringify(tally));
});

test("conductor: a caller group whose state roles are not a list is a 400 at them in validate, as in permissionsOf", () => {
  const state = { groups: [{ id: "w", description: "x" }, { id: "ops", description: "admins", roles: "ADMIN" }] };
  const v = validate("conductor", { op: "update", params: { id: "w" }, body: { description: "d" } }, { caller: { groups: ["ops"] }, state });
  assert.deepEqual([v.status, v.errors.map((e) => [e.path, e.code])], [400, [["/context/state/groups/1/roles", "type"]]]);
  assert.throws(() => permissionsOf("conductor", { groups: ["ops"] }, { state }), (e) => e.issues[0].path === "/context/state/groups/1/roles" && e.code === "type");
});
