// Raystack Frontier groups: organization-scoped, metadata checked by a metaschema.
import { text, json, tags, bool } from "../form.js";

const groupIds = (ctx) => (ctx.session.state?.groups ?? []).map((g) => g.id);

function loadTarget(id, ctx) {
  const g = ctx.session.state?.groups?.find((x) => x.id === id);
  if (!g || ctx.session.request.op !== "update") return;
  const body = { name: g.name };
  if (g.title !== undefined) body.title = g.title;
  if (g.metadata !== undefined) body.metadata = structuredClone(g.metadata);
  ctx.session.request.body = body;
  ctx.onStructure("/params/id");
}

const state = {
  org: { id: "acme" },
  groups: [
    { id: "8c6d1f0e-2b1a-4c55-9d0e-1f2a3b4c5d6e", name: "eng", title: "Engineering", org_id: "acme", metadata: { label: { team: "platform" }, description: "All engineers" } },
    { id: "a17e5c2d-9f3b-4e8a-b6c1-0d9e8f7a6b5c", name: "data-platform", title: "Data platform", org_id: "acme" },
  ],
};

export default {
  id: "frontier",
  title: "Frontier",
  product: "Raystack Frontier groups",
  ops: ["update", "create", "delete"],
  endpoint(op, req) {
    const org = req.params?.org_id || "{org_id}";
    const id = req.params?.id || "{id}";
    return {
      create: `POST /v1beta1/organizations/${org}/groups`,
      update: `PUT /v1beta1/organizations/${org}/groups/${id}`,
      delete: `DELETE /v1beta1/organizations/${org}/groups/${id}`,
    }[op];
  },
  params: (op) => [
    text("org_id", "Organization"),
    ...(op === "create" ? [] : [text("id", "Group id", { suggestions: groupIds, onCommit: loadTarget })]),
  ],
  body: (op) => (op === "delete" ? [] : [
    text("name", "Name", { hint: "Letters, digits, _ and -; unique in the organization." }),
    text("title", "Title", { optional: true }),
    json("metadata", "Metadata", { optional: true, wide: true, rows: 4, indent: 2,
      hint: "JSON, checked against the organization's metaschema (label: object, description: string)." }),
  ]),
  caller: [
    bool("superuser", "Superuser", { optional: true }),
    tags("orgRoles", "Organization roles", { optional: true, noun: "role",
      suggestions: ["app_organization_owner", "app_organization_manager", "app_organization_viewer", "app_organization_member"] }),
    tags("permissions", "Permissions", { optional: true, noun: "permission",
      suggestions: ["app_organization_groupcreate", "app_organization_administer", "app_group_update", "app_group_delete"] }),
    json("groupRoles", "Group roles", { optional: true, wide: true, hint: "JSON: { groupId: [role] }, e.g. app_group_owner." }),
  ],
  sample: {
    state,
    caller: { orgRoles: ["app_organization_owner"] },
    requests: {
      update: { op: "update", params: { org_id: "acme", id: state.groups[0].id },
        body: { name: "eng", title: "Engineering", metadata: { label: { team: "platform" }, description: "All engineers" } } },
      create: { op: "create", params: { org_id: "acme" }, body: { name: "ml-research", title: "ML research", metadata: { label: { team: "ml" } } } },
      delete: { op: "delete", params: { org_id: "acme", id: state.groups[1].id } },
    },
  },
};
