// Raystack Frontier groups: organization-scoped, metadata checked by a metaschema.
import { text, json, tags, bool } from "../form.js";
import { permissionNames, roleNames } from "../catalog.js";
import { groupKeys, target, seg } from "./common.js";

const groupIds = groupKeys("id");

/** The editable body of an existing group: what an update would send unchanged. */
function bodyOf(g) {
  const body = { name: g.name };
  if (g.title !== undefined) body.title = g.title;
  if (g.metadata !== undefined) body.metadata = structuredClone(g.metadata);
  return body;
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
  // Where the request goes: the product's host (or a variable for self-hosted ones) and its credential header.
  api: { base: "$FRONTIER_URL", header: "Authorization", token: "Bearer $FRONTIER_TOKEN" },
  endpoint(op, req) {
    const org = seg(req.params, "org_id");
    const id = seg(req.params, "id");
    return {
      create: `POST /v1beta1/organizations/${org}/groups`,
      update: `PUT /v1beta1/organizations/${org}/groups/${id}`,
      delete: `DELETE /v1beta1/organizations/${org}/groups/${id}`,
    }[op];
  },
  params: (op) => [
    text("org_id", "Organization"),
    ...(op === "create" ? [] : [text("id", "Group id", { suggestions: groupIds, target: true })]),
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
      suggestions: () => roleNames("frontier").filter((r) => r.startsWith("app_organization_")) }),
    tags("permissions", "Permissions", { optional: true, noun: "permission",
      suggestions: () => permissionNames("frontier") }),
    json("groupRoles", "Group roles", { optional: true, wide: true, hint: "JSON: { groupId: [role] }, e.g. app_group_owner." }),
  ],
  target: target({ key: "id", label: (g) => g.title || g.name || g.id, bodyOf }),
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
