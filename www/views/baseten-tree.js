// Baseten: the group hierarchy as a tree, each group with its effective models
// and limits (and the group each limit comes from), and the blast radius of
// the edit in the form: groups and keys that lose access are highlighted.
import { h } from "../dom.js";
import { fmt, limitSide, limitWhat, perText } from "../changes.js";

function limitChip(l, own, kind) {
  const from = l.source_group === own ? "own" : l.source_group ?? "this edit";
  return h("span", { class: `limit ${l.source_group === own ? "own" : "inherited"}`, title: `${kind} limit, set by ${l.source_group ?? "the new group"}` },
    `${perText(l.type, l.unit)} ≤ ${fmt(l.threshold)}`,
    h("span", { class: "src" }, ` · ${from}`));
}

/** Renders the tree into `root` for session `s` and verdict `v`. */
export function renderTree(root, s, v, { onEdit }) {
  const groups = (Array.isArray(s.state?.groups) ? s.state.groups : []).filter((g) => g && typeof g.id === "string" && !g.deleted);
  const head = h("div", { class: "view-head" },
    h("h2", { id: "tree-h" }, "Hierarchy and effective models"),
    h("p", { class: "hint" }, "Each group's models are those it lists that its parent also has; each limit is the smallest of the group and its ancestors. Edit a group to see who loses access."));
  if (!s.ws) {
    root.replaceChildren(head, h("p", { class: "none" }, "The server state is not a valid Baseten workspace; the verdict lists why."));
    return;
  }
  const c = v?.ok ? v.changes ?? {} : {};
  const impact = new Map((c.groups ?? []).map((g) => [g.id, g]));
  const removed = new Set(c.removed_groups ?? []);
  const keyImpact = new Map((c.keys ?? []).map((k) => [k.prefix, k]));
  const revoked = new Set(c.revoked_keys ?? []);
  const target = s.request.params?.group_id;
  const editing = s.request.op !== "create" ? target : s.request.body?.hierarchy?.parent_group_id;

  const ids = new Set(groups.map((g) => g.id));
  const kids = new Map();
  for (const g of groups) {
    const p = g.hierarchy?.parent_group_id;
    const key = p && ids.has(p) ? p : null;
    if (!kids.has(key)) kids.set(key, []);
    kids.get(key).push(g);
  }
  const keysOf = new Map();
  for (const k of Array.isArray(s.state.keys) ? s.state.keys : []) {
    if (!keysOf.has(k.group_id)) keysOf.set(k.group_id, []);
    keysOf.get(k.group_id).push(k);
  }

  const node = (g) => {
    const ch = impact.get(g.id);
    const lost = ch?.lost ?? [];
    const state = removed.has(g.id) ? "removed" : lost.length ? "loses" : ch?.gained?.length ? "gains" : ch?.limits?.length ? "limits" : "none";
    let models = [];
    try {
      models = s.ws.effectiveModels(g.id);
    } catch {
      models = [];
    }
    const modelItems = models.map((m) => h("li", { class: `model${lost.includes(m.slug) ? " lost" : ""}` },
      h("code", { class: "slug" }, m.slug),
      lost.includes(m.slug) ? h("span", { class: "tag loss" }, "loses access") : "",
      ...m.rate_limits.map((l) => limitChip(l, g.id, "rate")),
      ...m.usage_limits.map((l) => limitChip(l, g.id, "usage"))));
    for (const slug of ch?.gained ?? []) modelItems.push(h("li", { class: "model gained" }, h("code", { class: "slug" }, slug), h("span", { class: "tag gain" }, "gains access")));
    for (const l of ch?.limits ?? []) {
      modelItems.push(h("li", { class: "model limit-change" }, h("code", { class: "slug" }, l.slug),
        h("span", { class: "tag warn" }, `${limitWhat(l)}: ${limitSide(l.old)} → ${limitSide(l.new)}`)));
    }
    const keys = (keysOf.get(g.id) ?? []).map((k) => {
      const ki = keyImpact.get(k.prefix);
      const loses = revoked.has(k.prefix) || (ki?.lost?.length ?? 0) > 0;
      return h("li", { class: `key${loses ? " lost" : ""}`, "data-key": k.prefix, "data-impact": loses ? "loses" : "none" },
        h("span", { class: "key-label" }, "API key "), h("code", {}, `${k.prefix}…`), k.name ? ` ${k.name}` : "",
        loses ? h("span", { class: "tag loss" }, revoked.has(k.prefix) ? "revoked" : `loses ${ki.lost.join(", ")}`) : "");
    });
    const edit = h("button", { type: "button", class: "link", "aria-label": `Edit group ${g.metadata?.name ?? g.id}` }, "Edit");
    edit.addEventListener("click", () => onEdit(g.id));
    const label = { loses: "loses access", removed: "removed", gains: "gains access", limits: "limits change" }[state];
    const card = h("div", { class: "node" },
      h("div", { class: "node-head" },
        h("strong", {}, g.metadata?.name || g.id), " ", h("code", { class: "gid" }, g.id),
        h("span", { class: "mode" }, g.hierarchy?.limit_enforcement === "INDEPENDENT" ? "independent" : "cascading"),
        label ? h("span", { class: `impact ${state}` }, label) : "",
        g.id === editing ? h("span", { class: "editing" }, s.request.op === "create" ? "new child" : "editing") : "",
        edit),
      models.length || modelItems.length ? h("ul", { class: "models" }, ...modelItems) : h("p", { class: "none" }, "no models"),
      keys.length ? h("ul", { class: "keys" }, ...keys) : "");
    const li = h("li", { "data-group": g.id, "data-impact": state, class: `tree-item impact-${state}${g.id === editing ? " is-target" : ""}` }, card);
    const sub = kids.get(g.id);
    if (sub?.length) li.append(h("ul", { class: "tree", role: "group" }, ...sub.map(node)));
    return li;
  };

  const losing = [...impact.values()].filter((g) => g.lost.length).length + removed.size;
  const keysLosing = [...keyImpact.values()].filter((k) => k.lost.length).length + revoked.size;
  const blast = h("p", { class: `blast${losing ? " bad" : ""}`, id: "blast", role: "status" },
    losing || keysLosing
      ? `Blast radius: ${losing} group${losing === 1 ? "" : "s"} and ${keysLosing} API key${keysLosing === 1 ? "" : "s"} lose access.`
      : "Blast radius: no group or key loses access.");
  root.replaceChildren(head, blast, h("ul", { class: "tree root", "aria-labelledby": "tree-h" }, ...(kids.get(null) ?? []).map(node)));
}
