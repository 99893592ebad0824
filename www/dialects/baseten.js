// Baseten (Frontier Gateway) groups: a model hierarchy with cascading limits.
import { text, number, select, list, group, tags } from "../form.js";
import { enumOf } from "../catalog.js";
import { groupsOf, groupKeys, target, seg } from "./common.js";

const limit = (units) => [
  select("type", "Type", enumOf("baseten", "rateLimitType")),
  select("unit", "Per", enumOf("baseten", units)),
  number("threshold", "Threshold"),
];
const newLimit = () => ({ type: "TOKEN", unit: "MINUTE", threshold: 1000 });

const slugs = (ctx) => [...new Set(groupsOf(ctx.session.state).flatMap((g) => (Array.isArray(g.models) ? g.models : []).map((m) => m?.slug)))]
  .filter((x) => typeof x === "string");
const groupIds = groupKeys("id");

const models = () => list("models", "Models", [
  text("slug", "Model slug", { suggestions: slugs, wide: true }),
  list("rate_limits", "Rate limits", limit("rateLimitUnit"), { optional: true, noun: "rate limit", make: newLimit, wide: true, compact: true }),
  list("usage_limits", "Usage limits", limit("usageLimitUnit"), { optional: true, noun: "usage limit", make: () => ({ type: "TOKEN", unit: "DAY", threshold: 100000 }), wide: true, compact: true }),
], { optional: true, noun: "model", make: () => ({ slug: "" }), itemLabel: (m, i) => `Model ${i + 1}${m?.slug ? ` · ${m.slug}` : ""}`, wide: true,
  hint: "Replaces the group's model set. No models (an empty list) revokes every model from this group and all below it." });

/** The editable body of an existing group: what an update would send unchanged. */
export function bodyOf(g) {
  const body = { metadata: { name: g.metadata?.name ?? "" } };
  body.models = structuredClone(g.models ?? []);
  return body;
}


const L = (type, unit, threshold) => ({ type, unit, threshold });

const state = {
  groups: [
    { id: "org", workspace_id: "ws-acme", metadata: { name: "Acme", external_entity_id: "acme" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: null },
      models: [
        { slug: "meta/llama-3-70b", rate_limits: [L("TOKEN", "MINUTE", 200000), L("REQUEST", "MINUTE", 600)], usage_limits: [L("TOKEN", "DAY", 50000000)] },
        { slug: "mistral/mixtral-8x7b", rate_limits: [L("TOKEN", "MINUTE", 100000)] },
        { slug: "qwen/qwen2-72b" },
      ] },
    { id: "research", workspace_id: "ws-acme", metadata: { name: "Research", external_entity_id: "acme-research" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "org" },
      models: [
        { slug: "meta/llama-3-70b", rate_limits: [L("TOKEN", "MINUTE", 120000)] },
        { slug: "qwen/qwen2-72b", rate_limits: [L("REQUEST", "MINUTE", 300)] },
      ] },
    { id: "research-nlp", workspace_id: "ws-acme", metadata: { name: "NLP", external_entity_id: "acme-nlp" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "research" },
      models: [{ slug: "meta/llama-3-70b", rate_limits: [L("TOKEN", "MINUTE", 60000)] }] },
    { id: "research-vision", workspace_id: "ws-acme", metadata: { name: "Vision", external_entity_id: "acme-vision" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "research" },
      models: [{ slug: "qwen/qwen2-72b", usage_limits: [L("TOKEN", "DAY", 2000000)] }] },
    { id: "product", workspace_id: "ws-acme", metadata: { name: "Product", external_entity_id: "acme-product" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "org" },
      models: [
        { slug: "mistral/mixtral-8x7b", rate_limits: [L("TOKEN", "MINUTE", 80000)] },
        { slug: "meta/llama-3-70b" },
      ] },
    { id: "product-search", workspace_id: "ws-acme", metadata: { name: "Search", external_entity_id: "acme-search" },
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: "product" },
      models: [{ slug: "mistral/mixtral-8x7b", rate_limits: [L("REQUEST", "SECOND", 20)] }] },
  ],
  keys: [
    { prefix: "bt_7Hq2", group_id: "research-nlp", name: "nlp-batch" },
    { prefix: "bt_Zp41", group_id: "research-vision", name: "vision-eval" },
    { prefix: "bt_Mk90", group_id: "product-search", name: "search-prod" },
    { prefix: "bt_Aa11", group_id: "product", name: "product-staging" },
    { prefix: "bt_Rr05", group_id: "research", name: "research-notebooks" },
  ],
};

export default {
  id: "baseten",
  title: "Baseten",
  product: "Frontier Gateway groups",
  ops: ["update", "create", "delete"],
  // Where the request goes: the product's host (or a variable for self-hosted ones) and its credential header.
  api: { base: "https://api.baseten.co", header: "Authorization", token: "Api-Key $BASETEN_API_KEY" },
  endpoint(op, req) {
    const id = seg(req.params, "group_id");
    return { create: "POST /v1/gateway/groups", update: `PATCH /v1/gateway/groups/${id}`, delete: `DELETE /v1/gateway/groups/${id}` }[op];
  },
  params: (op) => (op === "create" ? [] : [
    text("group_id", "Group", { suggestions: groupIds, target: true, hint: "Picking a group (or Edit on the tree) loads its current settings." }),
  ]),
  body: (op) => (op === "delete" ? [] : [
    group("metadata", "Metadata", [
      text("name", "Display name", { optional: true }),
      text("external_entity_id", "External entity id", { optional: true, hint: op === "update" ? "Immutable: sending it is an error." : undefined }),
    ], { optional: op === "update", wide: true }),
    models(),
    group("hierarchy", "Hierarchy", [
      select("limit_enforcement", "Limit enforcement", enumOf("baseten", "limitEnforcement"), { optional: true }),
      text("parent_group_id", "Parent group", { optional: true, suggestions: groupIds }),
    ], { optional: true, wide: true, hint: op === "update" ? "Set at creation only: sending it on an update is an error." : undefined }),
  ]),
  caller: [
    tags("scope", "API key scopes", { suggestions: () => enumOf("baseten", "scope"), noun: "scope" }),
    text("workspace_id", "Workspace", { optional: true }),
  ],
  target: target({ key: "group_id", label: (g) => g.metadata?.name || g.id, bodyOf }),
  sample: {
    state,
    caller: { scope: ["management"], workspace_id: "ws-acme" },
    requests: {
      update: { op: "update", params: { group_id: "org" }, body: bodyOf(state.groups[0]) },
      create: { op: "create", params: {}, body: {
        metadata: { name: "Speech", external_entity_id: "acme-speech" },
        models: [{ slug: "meta/llama-3-70b", rate_limits: [L("TOKEN", "MINUTE", 30000)] }],
        hierarchy: { parent_group_id: "research" },
      } },
      delete: { op: "delete", params: { group_id: "research-vision" } },
    },
  },
};
