// Apinizer API Proxy Groups: routes, environments, CATEGORY+ACTION permissions.
import { text, tags, checks, list, group, bool } from "../form.js";
import { enumOf, permissionNames, roleNames } from "../catalog.js";
import { groupKeys, isObject, target, seg } from "./common.js";

const envs = (ctx) => {
  const e = ctx.session.state?.environments;
  return (Array.isArray(e) ? e : []).map((x) => (typeof x === "string" ? x : x?.name)).filter((x) => typeof x === "string");
};
const groupNames = groupKeys("name");

/** The editable body of an existing group: what an update would send unchanged. */
function bodyOf(g) {
  const body = { name: g.name, clientRoute: structuredClone(isObject(g.clientRoute) ? g.clientRoute : { relativePathList: [] }) };
  if (g.description !== undefined) body.description = g.description;
  return body;
}

const state = {
  groups: [
    { name: "orders", description: "Order APIs", deployments: ["test"],
      clientRoute: { relativePathList: ["/orders", "/carts"], methodList: ["GET", "POST"], hostList: ["api.shop.example"],
        headerList: [{ name: "X-Tenant", value: "shop" }], bufferRequest: true, bufferResponse: true } },
    { name: "payments", description: "Payment provider proxies", deployments: ["test", "prod"],
      clientRoute: { relativePathList: ["/payments"] } },
  ],
  environments: ["test", { name: "prod" }],
};

export default {
  id: "apinizer",
  title: "Apinizer",
  product: "API Proxy Groups",
  ops: ["update", "create", "delete"],
  // Where the request goes: the product's host (or a variable for self-hosted ones) and its credential header.
  api: { base: "$APINIZER_URL", header: "Authorization", token: "Bearer $APINIZER_TOKEN" },
  endpoint(op, req) {
    const p = seg(req.params, "projectName");
    const g = seg(req.params, "apiProxyGroupName");
    return {
      create: `POST /apiops/projects/${p}/apiProxyGroups/`,
      update: `PUT /apiops/projects/${p}/apiProxyGroups/`,
      delete: `DELETE /apiops/projects/${p}/apiProxyGroups/${g}/`,
    }[op];
  },
  params: (op) => [
    text("projectName", "Project"),
    ...(op === "delete" ? [text("apiProxyGroupName", "API proxy group", { suggestions: groupNames })] : []),
  ],
  body: (op) => (op === "delete" ? [] : [
    text("name", "Name", { suggestions: groupNames, target: true, hint: op === "update" ? "The group to update, by name." : undefined }),
    text("description", "Description", { optional: true }),
    group("clientRoute", "Client route", [
      tags("relativePathList", "Relative paths", { noun: "path", make: () => "/", wide: true }),
      checks("methodList", "Methods", enumOf("apinizer", "method"), { optional: true, wide: true }),
      tags("hostList", "Hosts", { optional: true, noun: "host" }),
      list("headerList", "Headers", [text("name", "Header"), text("value", "Value")],
        { optional: true, noun: "header", make: () => ({ name: "", value: "" }), itemLabel: (x, i) => `Header ${i + 1}`, compact: true, wide: true }),
      bool("bufferRequest", "Buffer request", { optional: true }),
      bool("bufferResponse", "Buffer response", { optional: true }),
    ], { optional: true, wide: true }),
    text("environmentName", "Deploy to environment", { optional: true, suggestions: envs }),
  ]),
  caller: [
    tags("permissions", "Permissions", { optional: true, noun: "permission", wide: true,
      suggestions: () => permissionNames("apinizer") }),
    tags("roles", "Roles", { optional: true, noun: "role", suggestions: () => roleNames("apinizer") }),
  ],
  target: target({ where: "body", key: "name", stateKey: "name", bodyOf }),
  sample: {
    state,
    caller: { permissions: ["API_MANAGEMENT+MANAGE", "API_MANAGEMENT+DEPLOY_UNDEPLOY"] },
    requests: {
      update: { op: "update", params: { projectName: "shop" }, body: {
        name: "orders", description: "Order APIs",
        clientRoute: structuredClone(state.groups[0].clientRoute), environmentName: "prod" } },
      create: { op: "create", params: { projectName: "shop" }, body: {
        name: "inventory", clientRoute: { relativePathList: ["/inventory"], methodList: ["GET"] } } },
      delete: { op: "delete", params: { projectName: "shop", apiProxyGroupName: "payments" } },
    },
  },
};
