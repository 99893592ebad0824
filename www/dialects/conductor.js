// Orkes Conductor groups: roles expand to permissions; PUT upserts.
import { text, tags, json, bool } from "../form.js";
import { enumOf, roleNames } from "../catalog.js";
import { groupKeys, target, seg } from "./common.js";

const roles = () => roleNames("conductor");
const groupIds = groupKeys("id");

/** The editable body of an existing group: what a PUT would send unchanged. */
function bodyOf(g) {
  const body = { description: g.description ?? "", roles: structuredClone(g.roles ?? []) };
  if (g.defaultAccess !== undefined) body.defaultAccess = structuredClone(g.defaultAccess);
  return body;
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
  // Where the request goes: the product's host (or a variable for self-hosted ones) and its credential header.
  api: { base: "$CONDUCTOR_SERVER_URL", header: "X-Authorization", token: "$CONDUCTOR_TOKEN" },
  endpoint(op, req) {
    const id = seg(req.params, "id");
    return op === "delete" ? `DELETE /api/groups/${id}` : `PUT /api/groups/${id}`;
  },
  params: () => [text("id", "Group id", { suggestions: groupIds, target: true })],
  body: (op) => (op === "delete" ? [] : [
    text("description", "Description", { wide: true }),
    tags("roles", "Roles", { noun: "role", suggestions: roles, make: () => "USER", wide: true }),
    json("defaultAccess", "Default access", { optional: true, wide: true, indent: 0,
      hint: `JSON: { ${enumOf("conductor", "accessTarget").join(" | ")}: [${enumOf("conductor", "accessKind").join(" | ")}] }` }),
  ]),
  caller: [
    bool("admin", "Admin", { optional: true }),
    tags("roles", "Roles", { optional: true, noun: "role", suggestions: roles }),
  ],
  target: target({ key: "id", bodyOf }),
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
