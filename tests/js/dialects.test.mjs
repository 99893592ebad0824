// The frontier, apinizer, conductor and gorules dialects through the npm
// package: the key cases of the Rust unit tests, seen from JavaScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import { validate, permissionsOf } from "groupgate";

const firstError = (v) => [v.status, v.errors[0]?.path, v.errors[0]?.code];
const pairs = (issues) => issues.map((i) => [i.path, i.code]);

// ---------------------------------------------------------------- conductor

const ADMIN_PERMISSIONS = [
  "AUTHORIZATION_MANAGEMENT", "WORKFLOW_SEARCH", "PUBLISHER_MANAGEMENT", "API_GATEWAY_VIEW",
  "API_GATEWAY_MANAGEMENT", "WORKFLOW_MANAGEMENT", "PROMPT_MANAGEMENT", "EVENT_HANDLER_MANAGEMENT",
  "USER_MANAGEMENT", "PERMISSION_MANAGEMENT", "METADATA_VIEW", "ADMIN_MANAGEMENT",
  "METADATA_MANAGEMENT", "APPLICATION_MANAGEMENT", "BULK_MANAGEMENT", "SCHEDULE_MANAGEMENT",
];

test("conductor: the seed's create example gives the seed's response", () => {
  const v = validate(
    "conductor",
    { op: "create", params: { id: "TechWriters" }, body: { description: "A dedicated group for testing", roles: ["ADMIN"] } },
    { caller: { admin: true } },
  );
  assert.equal(v.ok, true);
  assert.equal(v.status, 200);
  assert.deepEqual(v.next, {
    id: "TechWriters",
    description: "A dedicated group for testing",
    roles: [{ name: "ADMIN", permissions: ADMIN_PERMISSIONS.map((name) => ({ name })) }],
    defaultAccess: {},
    contactInformation: {},
  });
});

test("conductor: the seed's update example gives the seed's response and the changes", () => {
  const v = validate(
    "conductor",
    {
      op: "update",
      params: { id: "TechWriters" },
      body: { description: "A dedicated group for testing for tech writers", roles: ["METADATA_MANAGER"] },
    },
    { caller: { roles: ["ADMIN"] }, state: { groups: [{ id: "TechWriters", roles: ["ADMIN"] }] } },
  );
  assert.equal(v.status, 200);
  assert.deepEqual(v.next, {
    id: "TechWriters",
    description: "A dedicated group for testing for tech writers",
    roles: [{
      name: "METADATA_MANAGER",
      permissions: ["API_GATEWAY_VIEW", "API_GATEWAY_MANAGEMENT", "CREATE_INTEGRATION", "CREATE_SECRET", "METADATA_VIEW", "METADATA_MANAGEMENT"]
        .map((name) => ({ name })),
    }],
    defaultAccess: {},
    contactInformation: {},
  });
  assert.deepEqual(v.changes.permissions.gained, ["CREATE_INTEGRATION", "CREATE_SECRET"]);
  assert.deepEqual(v.changes.roles, { added: ["METADATA_MANAGER"], removed: ["ADMIN"] });
});

test("conductor: admin only, roles and defaultAccess enums, every fault at once", () => {
  const v = validate(
    "conductor",
    { op: "update", params: {}, body: { description: 5, roles: ["ADMIN", "NOPE"], defaultAccess: { X: ["READ"] } } },
    { caller: { roles: ["USER"] } },
  );
  assert.equal(v.status, 403);
  assert.deepEqual(pairs(v.errors), [
    ["/params/id", "required"],
    ["", "forbidden"],
    ["/body/description", "type"],
    ["/body/roles/1", "unknown_role"],
    ["/body/defaultAccess/X", "enum"],
  ]);
  assert.equal(v.next, undefined);
});

test("conductor: opaque roles warn, custom roles come from the catalog", () => {
  const v = validate(
    "conductor",
    { op: "create", params: { id: "g" }, body: { description: "d", roles: ["WORKFLOW_MANAGER", "MY_ROLE"] } },
    { caller: { admin: true }, catalog: { roles: { MY_ROLE: ["CREATE_SECRET"] } } },
  );
  assert.equal(v.ok, true);
  assert.deepEqual(pairs(v.warnings), [["/body/roles/0", "unknown_expansion"]]);
  assert.deepEqual(v.next.roles, [
    { name: "WORKFLOW_MANAGER", permissions: [] },
    { name: "MY_ROLE", permissions: [{ name: "CREATE_SECRET" }] },
  ]);
  assert.deepEqual(v.skipped, ["state"]);
});

test("conductor: permissionsOf expands roles; unknown roles throw with code unknown_role", () => {
  assert.deepEqual(permissionsOf("conductor", { roles: ["METADATA_API", "WORKER", "USER_READ_ONLY"] }), [
    "CREATE_TASK_DEF", "CREATE_USER_FORM_TEMPLATE", "CREATE_WORKFLOW_DEF",
  ]);
  assert.throws(() => permissionsOf("conductor", { roles: ["GOD"] }), (e) => e.name === "GroupgateError" && e.code === "unknown_role" && e.issues[0].path === "/roles/0");
});

// ----------------------------------------------------------------- apinizer

const apinizerState = {
  caller: { permissions: ["API_MANAGEMENT+MANAGE", "API_MANAGEMENT+DEPLOY_UNDEPLOY"] },
  state: {
    groups: [{ name: "orders", description: "old", clientRoute: { relativePathList: ["/orders"] }, deployments: ["test"] }],
    environments: ["test", { name: "prod" }],
  },
};
const apinizer = (op, body) => ({ op, params: { projectName: "shop" }, body });

test("apinizer: Apinizer's messages, verbatim", () => {
  const cases = [
    [{ clientRoute: { relativePathList: ["/a"] } }, "/body/name", "name value can not be empty!"],
    [{ name: "orders" }, "/body/clientRoute", "clientRoute value can not be empty!"],
    [{ name: "orders", clientRoute: { relativePathList: [] } }, "/body/clientRoute/relativePathList", "clientRoute value needs at least one relativePath!"],
    [{ name: "orders", clientRoute: { relativePathList: [""] } }, "/body/clientRoute/relativePathList/0", "relativePath value in clientRoute object can not be empty!"],
    [{ name: "nope", clientRoute: { relativePathList: ["/a"] } }, "/body/name", "API Proxy Group (nope) is not found or user does not have privilege to access it!"],
    [{ name: "orders", clientRoute: { relativePathList: ["/a"] }, environmentName: "staging" }, "/body/environmentName", "Environment (staging) is not found or user does not have privilege to access it!"],
  ];
  for (const [body, path, message] of cases) {
    const v = validate("apinizer", apinizer("update", body), apinizerState);
    assert.equal(v.ok, false, JSON.stringify(body));
    assert.deepEqual([v.errors[0].path, v.errors[0].message], [path, message]);
  }
  // Apinizer's endpoint pages: a missing group is a 400, a duplicate name too (their "udate").
  assert.equal(validate("apinizer", apinizer("update", { name: "nope", clientRoute: { relativePathList: ["/a"] } }), apinizerState).status, 400);
  const dup = validate("apinizer", apinizer("create", { name: "orders", clientRoute: { relativePathList: ["/a"] } }), apinizerState);
  assert.deepEqual([dup.status, dup.errors[0].message], [400, "ApiProxyGroup: (orders) is already created! If you want to udate it use update endpoint!"]);
});

test("apinizer: permissions, conflicts and next", () => {
  const body = { name: "orders", clientRoute: { relativePathList: ["/orders"] }, environmentName: "prod" };
  assert.deepEqual(firstError(validate("apinizer", apinizer("update", body), { caller: { permissions: ["API_MANAGEMENT+MANAGE"] } })), [403, "/body/environmentName", "forbidden"]);
  assert.deepEqual(firstError(validate("apinizer", apinizer("update", body), { caller: { permissions: ["API_MANAGEMENT+VIEW"] } })), [403, "", "forbidden"]);
  assert.deepEqual(firstError(validate("apinizer", apinizer("create", body), apinizerState)), [400, "/body/name", "already_exists"]);
  const v = validate("apinizer", apinizer("update", body), apinizerState);
  assert.equal(v.status, 200);
  assert.deepEqual(v.next, {
    name: "orders",
    clientRoute: { relativePathList: ["/orders"], bufferRequest: true, bufferResponse: true },
    deployments: ["test", "prod"],
  });
  assert.deepEqual(pairs(v.warnings), [["/body/description", "cleared"]]);
  assert.equal(v.response.success, true);
  assert.equal(v.response.deploymentResult.environmentResults[0].environmentName, "prod");
  // The default roles are built in: a Project Owner is never a false 403.
  const owner = validate("apinizer", apinizer("update", body), { caller: { roles: ["Project Owner"] }, state: apinizerState.state });
  assert.equal(owner.status, 200);
  assert.deepEqual(permissionsOf("apinizer", { permissions: ["API_MANAGEMENT+DEPLOY_UNDEPLOY"] }), ["API_MANAGEMENT+DEPLOY_UNDEPLOY", "API_MANAGEMENT+VIEW"]);
});

test("apinizer: route rules, all faults at once", () => {
  const v = validate("apinizer", {
    op: "create",
    params: { projectName: "shop" },
    body: {
      name: "x",
      clientRoute: { relativePathList: ["", "/"], methodList: ["GRAB"], headerList: [{ name: "X-A", value: "1" }, { name: "x-a", value: "2" }] },
    },
  });
  assert.deepEqual(pairs(v.errors), [
    ["/body/clientRoute/relativePathList/0", "required"],
    ["/body/clientRoute/relativePathList/1", "min_length"],
    ["/body/clientRoute/methodList/0", "enum"],
    ["/body/clientRoute/headerList/1/name", "duplicate"],
  ]);
  assert.deepEqual(v.skipped, ["caller", "state"]);
});

// ----------------------------------------------------------------- frontier

const frontierCtx = {
  caller: { orgRoles: ["app_organization_owner"] },
  state: { org: { id: "acme" }, groups: [{ id: "g1", name: "eng", title: "Engineering" }] },
};

test("frontier: name pattern, uniqueness, org and caller", () => {
  const create = (body) => ({ op: "create", params: { org_id: "acme" }, body });
  assert.deepEqual(firstError(validate("frontier", create({ name: "data team" }), frontierCtx)), [400, "/body/name", "pattern"]);
  assert.deepEqual(firstError(validate("frontier", create({ name: "eng" }), frontierCtx)), [409, "/body/name", "already_exists"]);
  assert.deepEqual(firstError(validate("frontier", create({ name: "x" }), { state: { org: { id: "acme", disabled: true } } })), [400, "/params/org_id", "failed_precondition"]);
  assert.deepEqual(firstError(validate("frontier", create({ name: "x" }), { state: { org: { id: "other" } } })), [404, "/params/org_id", "not_found"]);
  assert.deepEqual(firstError(validate("frontier", create({ name: "x" }), { caller: { groupRoles: { g1: ["app_group_owner"] } } })), [403, "", "forbidden"]);
  const ok = validate("frontier", create({ name: "A_b-9", title: "", metadata: { label: { k: "v" } } }), frontierCtx);
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.next, { name: "A_b-9", title: "", org_id: "acme", metadata: { label: { k: "v" } } });
});

test("frontier: metadata against the metaschema", () => {
  const create = (metadata) => ({ op: "create", params: { org_id: "acme" }, body: { name: "x", metadata } });
  const v = validate("frontier", create({ label: "l", description: 3 }));
  assert.equal(v.status, 400);
  assert.deepEqual(pairs(v.errors), [["/body/metadata/description", "schema.type"], ["/body/metadata/label", "schema.type"]]);
  assert.ok(v.errors.every((e) => e.message.startsWith("invalid syntax in body : metadata schema validation failed")));
  const metaschema = { type: "object", required: ["cost_center"], additionalProperties: false, properties: { cost_center: { type: "string", maxLength: 4 } } };
  assert.deepEqual(pairs(validate("frontier", create({ x: 1 }), { state: { metaschema } }).errors), [
    ["/body/metadata/cost_center", "schema.required"],
    ["/body/metadata/x", "schema.additional_properties"],
  ]);
  assert.equal(validate("frontier", create({ cost_center: "ab12" }), { state: { metaschema } }).ok, true);
});

test("frontier: group roles on update; permissionsOf", () => {
  const update = { op: "update", params: { org_id: "acme", id: "g1" }, body: { name: "eng" } };
  assert.equal(validate("frontier", update, { caller: { groupRoles: { g1: ["app_group_owner"] } }, state: frontierCtx.state }).status, 200);
  assert.equal(validate("frontier", update, { caller: { groupRoles: { g1: ["app_group_member"] } } }).status, 403);
  assert.deepEqual(permissionsOf("frontier", { roles: ["app_group_member"] }), ["app_group_get"]);
  assert.throws(() => permissionsOf("frontier", { roles: ["root"] }), (e) => e.code === "unknown_role");
});

// ------------------------------------------------------------------ gorules

const P = "11111111-1111-4111-8111-111111111111";
const G1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const G2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const gorulesState = {
  groups: [
    { id: G1, name: "authors", permissions: ["documents:edit-content"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] },
    { id: G2, name: "admins", permissions: ["owner"] },
  ],
  members: [{ id: "ann", groups: [G1] }],
};

test("gorules: enums, globs, caller and existence", () => {
  const update = (body, groupId = G1) => ({ op: "update", params: { projectId: P, groupId }, body });
  const ctx = { caller: { permissions: ["project:manage"] }, state: gorulesState };
  assert.deepEqual(firstError(validate("gorules", update({ name: "a", permissions: ["docs:all"] }), ctx)), [400, "/body/permissions/0", "unknown_permission"]);
  assert.deepEqual(
    firstError(validate("gorules", update({ name: "a", filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "src/[a-z" }] }), ctx)),
    [400, "/body/filePermissions/0/patterns", "glob.unclosed_class"],
  );
  assert.deepEqual(firstError(validate("gorules", update({ name: "a" }), { caller: { permissions: ["documents"] } })), [403, "", "forbidden"]);
  assert.equal(validate("gorules", update({ name: "a" }), { caller: { groups: [G2] }, state: gorulesState }).status, 200);
  assert.deepEqual(firstError(validate("gorules", update({ name: "a" }, "cccccccc-cccc-4ccc-8ccc-cccccccccccc"), ctx)), [404, "/params/groupId", "not_found"]);
  assert.deepEqual(firstError(validate("gorules", update({ name: "a" }, "g1"), {})), [400, "/params/groupId", "format"]);
});

// The rules sent are linted (README lint table): a deny pasted with a
// zero-width space is a warning, the request still valid (the server stores it).
test("gorules: a pattern with a character that is not shown is a warning", () => {
  const update = { op: "update", params: { projectId: P, groupId: G1 }, body: { name: "a", filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/\u200b**" }] } };
  const v = validate("gorules", update, { caller: { permissions: ["project:manage"] }, state: gorulesState });
  assert.equal(v.status, 200);
  assert.deepEqual(v.warnings.filter((w) => w.code.startsWith("lint.")).map((w) => [w.path, w.code]), [["/body/filePermissions/0/patterns", "lint.invisible"]]);
});

test("gorules: arrays of patterns, groups of another project, escalation", () => {
  const update = (body) => ({ op: "update", params: { projectId: P, groupId: G1 }, body });
  const owner = { caller: { permissions: ["owner"] }, state: gorulesState };
  assert.deepEqual(
    firstError(validate("gorules", update({ name: "a", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["rules/**"] }] }), owner)),
    [400, "/body/filePermissions/0/patterns", "type"],
  );
  const GB = "dddddddd-dddd-4ddd-8ddd-dddddddddddd";
  const withB = { ...gorulesState, groups: [...gorulesState.groups, { id: GB, name: "b", projectId: "22222222-2222-4222-8222-222222222222", permissions: ["owner"] }] };
  for (const request of [update({ name: "a" }), { op: "delete", params: { projectId: P, groupId: G1 } }]) {
    assert.equal(validate("gorules", request, { caller: { groups: [GB] }, state: withB }).status, 403);
  }
  const grant = validate("gorules", update({ name: "a", permissions: ["owner"] }), { caller: { permissions: ["project:manage"] }, state: gorulesState });
  assert.deepEqual(firstError(grant), [403, "/body/permissions/0", "escalation"]);
});

test("gorules: changes list the permissions gained and the files that flip", () => {
  const v = validate(
    "gorules",
    { op: "update", params: { projectId: P, groupId: G1 }, body: { name: "authors", permissions: ["documents:full"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "**" }] } },
    { caller: { permissions: ["owner"] }, state: gorulesState, files: ["secrets/.env", "a.json"] },
  );
  assert.equal(v.ok, true);
  assert.deepEqual(v.changes.permissions, { gained: ["documents:edit-view", "documents:full"], lost: [] });
  assert.deepEqual(v.changes.files, [
    { member: "ann", path: "secrets/.env", action: "visible", before: false, after: true },
    { member: "ann", path: "a.json", action: "visible", before: false, after: true },
  ]);
  assert.deepEqual(v.next.permissions, ["documents:full"]);
});

test("gorules: permissionsOf closes over groups and the tree", () => {
  assert.deepEqual(permissionsOf("gorules", { groups: [G1] }, { state: gorulesState }), ["documents:edit-content", "documents:view-content"]);
  // By id only: a group *name* never resolves (issue 11.3).
  assert.throws(() => permissionsOf("gorules", { groups: ["authors"] }, { state: gorulesState }), (e) => e.code === "not_found");
  assert.equal(permissionsOf("gorules", { permissions: ["owner"] }).length, 19);
  assert.throws(() => permissionsOf("gorules", { permissions: ["admin"] }), (e) => e.code === "unknown_permission" && e.issues[0].path === "/permissions/0");
});

// ------------------------------------- shared/reference/product-docs.md repros
// Each request below is the reference's own repro (its id in the test name),
// run through the package; the expected answer is the real product's.

test("product-docs A1-A5: Apinizer answers as its endpoint pages say", () => {
  const body = { name: "PaymentAPIGroup", clientRoute: { relativePathList: ["/api/v2/payment"] } };
  const manage = { permissions: ["API_MANAGEMENT+MANAGE"] };
  const a1 = validate("apinizer", { op: "update", params: { projectName: "MyProject" }, body }, { caller: manage, state: { groups: [] } });
  assert.deepEqual([a1.status, a1.errors[0].message], [400, "API Proxy Group (PaymentAPIGroup) is not found or user does not have privilege to access it!"]);
  const withGroup = { caller: manage, state: { groups: [{ name: "PaymentAPIGroup" }] } };
  const a2 = validate("apinizer", { op: "create", params: { projectName: "MyProject" }, body }, withGroup);
  assert.deepEqual([a2.status, a2.errors[0].message], [400, "ApiProxyGroup: (PaymentAPIGroup) is already created! If you want to udate it use update endpoint!"]);
  const a3 = validate("apinizer", { op: "create", params: { projectName: "MyProject" }, body }, { caller: manage, state: { groups: [] } });
  assert.deepEqual([a3.status, a3.response], [200, { success: true }]);
  const a4 = validate("apinizer", { op: "delete", params: { projectName: "MyProject", apiProxyGroupName: "PaymentAPIGroup" } }, { caller: manage, state: { groups: [] } });
  assert.equal(a4.status, 400);
  const a5 = validate("apinizer", { op: "update", params: { projectName: "MyProject" }, body }, { caller: { roles: ["Project Owner"] }, state: { groups: [{ name: "PaymentAPIGroup" }] } });
  assert.deepEqual([a5.status, a5.warnings.filter((w) => w.code === "unknown_role")], [200, []]);
});

test("product-docs C1-C6: Orkes Conductor answers as its OpenAPI and Java SDK say", () => {
  const admin = { caller: { admin: true } };
  const put = (body) => ({ op: "create", params: { id: "G" }, body });
  assert.equal(validate("conductor", put({ description: "d" }), admin).status, 200, "C1: roles optional");
  assert.equal(validate("conductor", put({ description: "d", roles: ["PROMPT_MANAGER"] }), admin).status, 200, "C2");
  const c3 = validate("conductor", put({ description: "d", roles: ["USER_READ_ONLY", "USER"], defaultAccess: { WORKFLOW_DEF: ["READ"] } }), admin);
  assert.deepEqual(c3.errors.map((e) => e.message), [
    "Group with role 'USER_READ_ONLY' cannot be assigned any other roles",
    "Group with role 'USER_READ_ONLY' cannot have default permissions configured",
  ]);
  assert.equal(validate("conductor", put({ description: "d", roles: ["USER"] }), admin).status, 200, "C4: 200, not 201");
  const c6 = validate("conductor", put({ description: "d", roles: ["METADATA_API"] }), admin);
  assert.deepEqual([c6.status, c6.warnings.map((w) => w.code)], [200, ["application_role"]]);
});

test("product-docs R1-R2: GoRules answers 200 and types patterns as a string", () => {
  const P = "11111111-1111-4111-8111-111111111111";
  const r1 = validate("gorules", { op: "create", params: { projectId: P }, body: { name: "reviewers" } });
  assert.equal(r1.status, 200);
  const r2 = validate("gorules", { op: "create", params: { projectId: P }, body: { name: "r", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["rules/**"] }] } });
  assert.deepEqual(firstError(r2), [400, "/body/filePermissions/0/patterns", "type"]);
});
