// GoRules BRMS project groups: coarse permissions plus allow/deny file globs.
import { text, checks, list, select, tags } from "../form.js";
import { enumOf, permissionNames } from "../catalog.js";
import { groupKeys, target, seg } from "./common.js";

/** The file actions, in the engine's order. */
export const actions = () => enumOf("gorules", "fileAction");

const PROJECT = "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11";
export const G = {
  admins: "1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  authors: "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44",
  reviewers: "7c8d9e0f-1a2b-4c3d-9e5f-6a7b8c9d0e1f",
  viewers: "3a4b5c6d-7e8f-4a0b-8c2d-3e4f5a6b7c8d",
};

/** The sample project's files, as the explorer shows them. */
export const FILES = [
  "README.md",
  "rules/pricing.json",
  "rules/discounts.json",
  "rules/eu/tax.json",
  "rules/eu/vat-rates.json",
  "rules/us/tax.json",
  "tests/pricing.test.json",
  "secrets/.env",
  "secrets/stripe.key",
  "app/.env",
  "app/config.yaml",
];

const state = {
  projectId: PROJECT,
  groups: [
    { id: G.admins, name: "admins", permissions: ["owner"] },
    { id: G.authors, name: "authors", description: "Write pricing rules", permissions: ["documents"],
      filePermissions: [
        { id: "everything", effect: "allow", actions: ["visible", "modify", "write", "delete"], patterns: "**" },
        { id: "hide-secrets", effect: "deny", actions: ["visible"], patterns: "secrets/**, **/.env" },
        { id: "eu-read-only", effect: "deny", actions: ["modify", "write", "delete"], patterns: "rules/eu/**" },
      ] },
    { id: G.reviewers, name: "reviewers", permissions: ["documents:view-content"],
      filePermissions: [{ id: "rules-only", effect: "allow", actions: ["visible"], patterns: "rules/**/*.json\ntests/**" }] },
    { id: G.viewers, name: "viewers", permissions: ["documents:view-content"] },
  ],
  members: [
    { id: "ada", groups: [G.admins] },
    { id: "bob", groups: [G.authors] },
    { id: "cy", groups: [G.reviewers] },
    { id: "dee", groups: [G.viewers] },
    { id: "eve", groups: [G.authors, G.reviewers] },
  ],
};

const groupIds = groupKeys("id");

export function bodyOf(g) {
  const body = { name: g.name };
  if (g.description !== undefined) body.description = g.description;
  body.permissions = structuredClone(g.permissions ?? []);
  body.filePermissions = structuredClone(g.filePermissions ?? []);
  return body;
}

const rule = () => list("filePermissions", "File rules", [
  select("effect", "Effect", enumOf("gorules", "effect")),
  text("id", "Rule id", { optional: true }),
  checks("actions", "Actions", actions(), { wide: true }),
  text("patterns", "Patterns", { multiline: true, wide: true, hint: "Globs, one a line or comma-separated: **, rules/**/*.json, {a,b}/*" }),
], { optional: true, wide: true, noun: "rule", make: () => ({ effect: "allow", actions: ["visible"], patterns: "" }),
  itemLabel: (r, i) => `Rule ${i + 1}${r?.id ? ` · ${r.id}` : ""}`,
  hint: "Omitted on an update, the schema default [] clears the rules." });

export default {
  id: "gorules",
  title: "GoRules",
  product: "BRMS project groups",
  ops: ["update", "create", "delete"],
  // Where the request goes: the product's host (or a variable for self-hosted ones) and its credential header.
  api: { base: "$GORULES_URL", header: "Authorization", token: "Bearer $GORULES_TOKEN" },
  endpoint(op, req) {
    const p = seg(req.params, "projectId");
    const g = seg(req.params, "groupId");
    return {
      create: `POST /api/projects/${p}/groups`,
      update: `PUT /api/projects/${p}/groups/${g}`,
      delete: `DELETE /api/projects/${p}/groups/${g}`,
    }[op];
  },
  params: (op) => [
    text("projectId", "Project id"),
    ...(op === "create" ? [] : [text("groupId", "Group id", { suggestions: groupIds, target: true })]),
  ],
  body: (op) => (op === "delete" ? [] : [
    text("name", "Name"),
    text("description", "Description", { optional: true }),
    checks("permissions", "Permissions", permissionNames("gorules"), { optional: true, wide: true }),
    rule(),
  ]),
  caller: [
    tags("permissions", "Permissions", { optional: true, noun: "permission", suggestions: () => permissionNames("gorules") }),
    tags("groups", "Groups", { optional: true, noun: "group", suggestions: groupIds }),
  ],
  files: FILES,
  target: target({ key: "groupId", bodyOf }),
  sample: {
    state,
    caller: { permissions: ["project:manage"] },
    requests: {
      update: { op: "update", params: { projectId: PROJECT, groupId: G.authors }, body: bodyOf(state.groups[1]) },
      create: { op: "create", params: { projectId: PROJECT }, body: {
        name: "auditors", permissions: ["documents:view-content"],
        filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "rules/**" }] } },
      delete: { op: "delete", params: { projectId: PROJECT, groupId: G.viewers } },
    },
  },
};
