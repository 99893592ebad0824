// The engines compared by benches/run.mjs, each built from one corpus
// (benches/corpus.mjs) and implementing the same decision (README, "File
// permissions"): the member's groups, the action, any deny > any allow >
// default deny; `modify` also requires `visible`. Every group holds
// documents:full, so the coarse permission never decides.
//
// Each builder returns { name, check(m, path, action) -> boolean } where m
// indexes corpus.members. The engines are imported by load(name), so a cold
// start (benches/cold.mjs) loads only the engine it times.
import { readFileSync } from "node:fs";
import picomatch from "picomatch";

/** The installed version of an npm package (read from node_modules: not every package exports its package.json). */
export const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;

let FilePolicy, casbin, cedar;
/** Imports an engine: "groupgate", "picomatch" (already loaded: the others use it too), "casbin", "cedar". */
export async function load(name) {
  if (name === "groupgate") ({ FilePolicy } = await import("groupgate"));
  if (name === "casbin") casbin = await import("casbin");
  if (name === "cedar") cedar = await import("@cedar-policy/cedar-wasm/nodejs");
}

export function groupgate(c) {
  const policy = new FilePolicy(c.groups);
  return {
    name: "groupgate",
    policy,
    check: (m, path, action) => policy.check(c.members[m], path, action),
  };
}

/** One compiled picomatch matcher per rule; per group and action, deny matchers first. */
export function picomatchPeer(c) {
  const byGroup = new Map();
  for (const g of c.groups) {
    const lists = { visible: { deny: [], allow: [] }, modify: { deny: [], allow: [] } };
    for (const rule of g.filePermissions) {
      const isMatch = picomatch(rule.patterns, { dot: true });
      for (const a of rule.actions) lists[a][rule.effect].push(isMatch);
    }
    byGroup.set(g.id, lists);
  }
  const members = c.members.map((gs) => gs.map((g) => byGroup.get(g)));
  const rules = (lists, path, action) => {
    for (const l of lists) for (const f of l[action].deny) if (f(path)) return false;
    for (const l of lists) for (const f of l[action].allow) if (f(path)) return true;
    return false;
  };
  return {
    name: "picomatch",
    check(m, path, action) {
      const lists = members[m];
      if (action !== "visible" && !rules(lists, path, "visible")) return false;
      return rules(lists, path, action);
    },
  };
}

export const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && r.act == p.act && pathMatch(r.obj, p.obj)
`;

/**
 * casbin: groups are roles (g, member, group), one policy line per rule and
 * action, deny-override effect. casbin's built-in globMatch (minimatch without
 * `dot`) never matches dotfiles, so a deny on `secrets/**` would miss
 * `secrets/.env`: the matcher is a registered pathMatch using one cached
 * picomatch {dot: true} matcher per pattern.
 */
export async function casbinPeer(c) {
  const e = await casbin.newEnforcer(casbin.newModelFromString(CASBIN_MODEL));
  const cache = new Map();
  await e.addFunction("pathMatch", (path, glob) => {
    let f = cache.get(glob);
    if (!f) cache.set(glob, (f = picomatch(glob, { dot: true })));
    return f(path);
  });
  const lines = [];
  for (const g of c.groups) {
    for (const rule of g.filePermissions) for (const a of rule.actions) lines.push([g.id, rule.patterns[0], a, rule.effect]);
  }
  await e.addPolicies(lines);
  const grouping = [];
  c.members.forEach((gs, m) => gs.forEach((g) => grouping.push([`m${m}`, g])));
  await e.addGroupingPolicies(grouping);
  return {
    name: "casbin",
    enforcer: e,
    check(m, path, action) {
      const sub = `m${m}`;
      if (action !== "visible" && !e.enforceSync(sub, path, "visible")) return false;
      return e.enforceSync(sub, path, action);
    },
  };
}

const cedarString = (s) => JSON.stringify(s); // paths hold no `*`, `\` or `"`
/** The Cedar condition for one rule (see the shape table in corpus.mjs). */
export function cedarCondition(rule) {
  switch (rule.shape) {
    case "dir": return `resource.path like ${cedarString(`${rule.dir}/*`)}`;
    case "ext": return `resource.path like ${cedarString(`*.${rule.ext}`)}`;
    case "dirExt": return `resource.path like ${cedarString(`${rule.dir}/*.${rule.ext}`)}`;
    default: return `resource.path == ${cedarString(rule.literal)}`;
  }
}

export function cedarPolicyText(c) {
  return c.rules.map((rule, i) => {
    const actions = rule.actions.map((a) => `Action::"${a}"`).join(", ");
    return `@id("r${i}")\n${rule.effect === "deny" ? "forbid" : "permit"}(principal in Group::"${rule.group}", action in [${actions}], resource is File) when { ${cedarCondition(rule)} };`;
  }).join("\n");
}

/**
 * Cedar with its stateful API: the policy set is parsed once
 * (preparsePolicySet), each request is one statefulIsAuthorized call whose
 * entities are the member (User with its Group parents) and the file.
 */
export function cedarPeer(c, id = `bench-${c.n}`) {
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicyText(c) });
  if (parsed.type !== "success") throw new Error(`cedar: ${JSON.stringify(parsed.errors).slice(0, 500)}`);
  const memberUids = c.members.map((_, m) => ({ type: "User", id: `m${m}` }));
  const parents = c.members.map((gs) => gs.map((g) => ({ type: "Group", id: g })));
  const ask = (m, path, action) => {
    const res = { type: "File", id: path };
    const answer = cedar.statefulIsAuthorized({
      principal: memberUids[m],
      action: { type: "Action", id: action },
      resource: res,
      context: {},
      preparsedPolicySetId: id,
      entities: [
        { uid: memberUids[m], attrs: {}, parents: parents[m] },
        { uid: res, attrs: { path }, parents: [] },
      ],
    });
    if (answer.type !== "success") throw new Error(`cedar: ${JSON.stringify(answer.errors).slice(0, 500)}`);
    return answer.response.decision === "allow";
  };
  return {
    name: "cedar-wasm",
    check(m, path, action) {
      if (action !== "visible" && !ask(m, path, "visible")) return false;
      return ask(m, path, action);
    },
  };
}
