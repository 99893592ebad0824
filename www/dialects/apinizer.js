// Apinizer API Proxy Groups: routes, environments, CATEGORY+ACTION permissions.
import { text, tags, checks, list, group, bool } from "../form.js";

const METHODS = ["GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE", "PATCH", "TRACE", "ALL"];
const envs = (ctx) => (ctx.session.state?.environments ?? []).map((e) => (typeof e === "string" ? e : e?.name)).filter(Boolean);
const groupNames = (ctx) => (ctx.session.state?.groups ?? []).map((g) => g.name);

function loadTarget(name, ctx) {
  const g = ctx.session.state?.groups?.find((x) => x.name === name);
  if (!g || ctx.session.request.op !== "update") return;
  const body = { name: g.name, clientRoute: structuredClone(g.clientRoute ?? { relativePathList: [] }) };
  if (g.description !== undefined) body.description = g.description;
  ctx.session.request.body = body;
  ctx.onStructure("/body/name");
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
  endpoint(op, req) {
    const p = req.params?.projectName || "{projectName}";
    const g = req.params?.apiProxyGroupName || "{apiProxyGroupName}";
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
    text("name", "Name", { suggestions: groupNames, onCommit: loadTarget, hint: op === "update" ? "The group to update, by name." : undefined }),
    text("description", "Description", { optional: true }),
    group("clientRoute", "Client route", [
      tags("relativePathList", "Relative paths", { noun: "path", make: () => "/", wide: true }),
      checks("methodList", "Methods", METHODS, { optional: true, wide: true }),
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
      suggestions: ["API_MANAGEMENT+MANAGE", "API_MANAGEMENT+DEPLOY_UNDEPLOY", "API_MANAGEMENT+VIEW"] }),
    tags("roles", "Roles", { optional: true, noun: "role" }),
  ],
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
