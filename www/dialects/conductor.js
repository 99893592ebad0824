// Orkes Conductor groups: roles expand to permissions; PUT upserts.
import { text, tags, json, bool } from "../form.js";

const ROLES = ["ADMIN", "METADATA_MANAGER", "USER", "WORKER", "METADATA_API", "WORKFLOW_MANAGER", "USER_READ_ONLY"];
const groupIds = (ctx) => (ctx.session.state?.groups ?? []).map((g) => g.id);

function loadTarget(id, ctx) {
  const g = ctx.session.state?.groups?.find((x) => x.id === id);
  if (!g) return;
  const body = { description: g.description ?? "", roles: structuredClone(g.roles ?? []) };
  if (g.defaultAccess !== undefined) body.defaultAccess = structuredClone(g.defaultAccess);
  ctx.session.request.body = body;
  ctx.onStructure("/params/id");
}

const state = {
  groups: [
    { id: "TechWriters", description: "Documentation team", roles: ["USER", "METADATA_API"],
      defaultAccess: { WORKFLOW_DEF: ["READ", "EXECUTE"] } },
    { id: "Operators", description: "On-call operators", roles: ["WORKER"] },
  ],
};

export default {
  id: "conductor",
  title: "Conductor",
  product: "Orkes Conductor groups",
  ops: ["update", "create", "delete"],
  endpoint(op, req) {
    const id = req.params?.id || "{id}";
    return op === "delete" ? `DELETE /api/groups/${id}` : `PUT /api/groups/${id}`;
  },
  params: () => [text("id", "Group id", { suggestions: groupIds, onCommit: loadTarget })],
  body: (op) => (op === "delete" ? [] : [
    text("description", "Description", { wide: true }),
    tags("roles", "Roles", { noun: "role", suggestions: ROLES, make: () => "USER", wide: true }),
    json("defaultAccess", "Default access", { optional: true, wide: true, indent: 0,
      hint: "JSON: { WORKFLOW_DEF | TASK_DEF | WORKFLOW_SCHEDULE: [CREATE | READ | UPDATE | EXECUTE | DELETE] }" }),
  ]),
  caller: [
    bool("admin", "Admin", { optional: true }),
    tags("roles", "Roles", { optional: true, noun: "role", suggestions: ROLES }),
  ],
  sample: {
    state,
    caller: { roles: ["ADMIN"] },
    requests: {
      update: { op: "update", params: { id: "TechWriters" }, body: {
        description: "Documentation team", roles: ["USER", "METADATA_MANAGER"], defaultAccess: { WORKFLOW_DEF: ["READ", "EXECUTE"] } } },
      create: { op: "create", params: { id: "Reviewers" }, body: { description: "Workflow reviewers", roles: ["USER_READ_ONLY"] } },
      delete: { op: "delete", params: { id: "Operators" } },
    },
  },
};
