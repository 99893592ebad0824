// Session 12, atk6: the grant paths merged that day, held to independent
// models of the products' rules on seeded random cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { permissionsOf, validate, Workspace } from "groupgate";

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

// GoRules: "Project Manage: Members, groups, tokens, approvers,
// configuration" (docs.gorules.io/brms/administration/users-roles); the
// Admin flag holds "All permissions regardless of group membership"
// (members-groups); a member holds its groups' permissions, groups belong to
// a project; a UUID names one group in any case (RFC 9562 §4), nothing else
// folds (not the Kelvin sign, fullwidth digits, braces or a urn: prefix).
// Without state the groups are unknown: skipped, not a 403.
test("gorules: the caller's forbidden check agrees with a model of the BRMS rule (4,000 seeded cases, ids in any case)", () => {
  const { next, pick, some } = rng(7);
  const P = "11111111-1111-4111-8111-111111111111";
  const Q = "22222222-2222-4222-8222-222222222222";
  const UUIDS = ["aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "cccccccc-cccc-4ccc-8ccc-cccccccccccc"];
  const spell = (id) => pick([id, id.toUpperCase(), `{${id}}`, `urn:uuid:${id}`, id.replace(/c/g, "C"), id.replace(/a/g, "ａ"), id.slice(1)]);
  const PERMS = ["owner", "project:manage", "documents", "releases", "branches:create"];
  const tally = { forbidden: 0, ok: 0, skipped: 0 };
  for (let n = 0; n < 4000; n++) {
    const groups = some(UUIDS, 0.7).map((id) => ({ id: next() < 0.3 ? id.toUpperCase() : id, name: `n${id[0]}`, ...(next() < 0.8 ? { projectId: next() < 0.8 ? P : Q } : {}), permissions: some(PERMS, 0.3) }));
    const caller = {};
    if (next() < 0.15) caller.admin = true;
    if (next() < 0.4) caller.permissions = some(PERMS, 0.2);
    if (next() < 0.8) caller.groups = some(UUIDS, 0.5).map(spell);
    const withState = next() < 0.8;
    const context = withState ? { caller, state: { projectId: P, groups } } : { caller };
    const request = { op: "create", params: { projectId: P }, body: { name: "new", permissions: [] } };
    const manage = (ps) => ps.includes("owner") || ps.includes("project:manage");
    const key = (id) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : id);
    const own = caller.admin === true || manage(caller.permissions ?? []);
    const owner = caller.admin === true || (caller.permissions ?? []).includes("owner");
    const viaGroups = (caller.groups ?? []).some((gid) => {
      const g = groups.find((s) => key(s.id) === key(gid));
      return g !== undefined && (g.projectId === undefined || g.projectId === P) && manage(g.permissions);
    });
    const unknown = !withState && !owner && (caller.groups ?? []).length > 0;
    const v = validate("gorules", request, context);
    const why = JSON.stringify({ context });
    const forbidden = v.errors.some((e) => e.code === "forbidden");
    assert.equal(forbidden, !unknown && !own && !(withState && viaGroups), why);
    if (unknown) assert.ok(v.skipped.includes("caller") && !v.complete, why);
    if (!withState) assert.ok(!v.warnings.some((w) => w.code === "unknown_group"), why);
    tally[forbidden ? "forbidden" : unknown ? "skipped" : "ok"]++;
  }
  assert.ok(tally.forbidden > 500 && tally.ok > 500 && tally.skipped > 100, JSON.stringify(tally));
});

// README "baseten": apply applies an `ok` verdict; with no caller (options
// null, as undefined since session 12) the caller's checks are skipped and
// the change is made; with the caller it is refused as the server would.
test("baseten: apply without a caller (options null or undefined) skips the caller's checks and says so; with one it refuses", () => {
  const state = { groups: [{ id: "r", metadata: { external_entity_id: "r" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: null }, workspace_id: "w2", models: [{ slug: "m/a" }] }] };
  const request = { op: "update", params: { group_id: "r" }, body: { models: [] } };
  for (const options of [undefined, null, {}, { caller: null }]) {
    const ws = Workspace.from(state);
    const v = ws.apply(request, options);
    assert.deepEqual([v.ok, v.complete, v.skipped], [true, false, ["caller"]], JSON.stringify(options));
    assert.deepEqual(ws.effectiveModels("r"), []);
  }
  const ws = Workspace.from(state);
  const v = ws.apply(request, { caller: { scope: "management", workspace_id: "w1" } });
  assert.deepEqual([v.status, v.errors[0].code], [403, "other_workspace"]);
  assert.equal(ws.effectiveModels("r").length, 1);
});
