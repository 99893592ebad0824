// GoRules: the sample project's files as a member sees them. Pick a member
// (a set of groups); each file shows the four actions allowed or denied
// (FilePolicy.checkMany) and, for every cell, why (FilePolicy.explain: the
// group by name, the rule by 1-based number and id, the pattern), in the
// same words in the cell and in its tooltip. Rules can be switched off one
// by one to see which files flip. The state is whatever JSON the user typed:
// members and groups that are not usable are listed as ignored, never thrown on.
import { FilePolicy } from "/pkg/web.js";
import { h } from "../dom.js";
import { actions } from "../dialects/gorules.js";
import { humanize } from "../messages.js";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isMember = (m) => isObject(m) && typeof m.id === "string" && Array.isArray(m.groups) && m.groups.every((g) => typeof g === "string");

/** Why a cell is what it is, in words; `nameOf` gives a group's name for its id. */
export function whyText(e, nameOf, ruleNumber = (x) => x.ruleIndex + 1) {
  const rule = e.ruleIndex === undefined ? ""
    : `${e.effect} by ${nameOf(e.groupId)}, rule ${ruleNumber(e)}${e.ruleId ? ` (${e.ruleId})` : ""}, pattern ${e.pattern}`;
  switch (e.reason) {
    case "owner": return "owner permission: every action";
    case "permission": return `permission ${e.permission}; the member's groups have no file rules`;
    case "missing permission": return `missing permission ${e.permission}`;
    case "not visible": return rule ? `not visible, so no other action: ${rule}` : "not visible, so no other action: no rule matches";
    case "default deny": return "no rule matches: denied by default";
    case "allow":
    case "deny":
      return rule;
    default: return e.message;
  }
}

export class FileExplorer {
  constructor(root, session) {
    this.root = root;
    this.s = session;
    this.off = new Set(); // "groupId#ruleIndex" of rules switched off
    this.applyEdit = false;
    this.reset();
  }

  get members() {
    const m = this.s.state?.members;
    return Array.isArray(m) ? m.filter(isMember) : [];
  }

  get ignoredMembers() {
    const m = this.s.state?.members;
    return Array.isArray(m) ? m.length - this.members.length : 0;
  }

  get stateGroups() {
    const g = this.s.state?.groups;
    return (Array.isArray(g) ? g : []).filter((x) => isObject(x) && typeof x.id === "string");
  }

  /** After the state changed: the first member whose groups have file rules (the interesting case). */
  reset() {
    const ruled = new Set(this.stateGroups.filter((g) => Array.isArray(g.filePermissions) && g.filePermissions.length).map((g) => g.id));
    const m = this.members.find((x) => x.groups.some((g) => ruled.has(g))) ?? this.members[0];
    this.member = m?.id ?? "";
    this.groups = new Set(m?.groups ?? []);
    this.off.clear();
  }

  name(id) {
    const n = this.stateGroups.find((g) => g.id === id)?.name;
    return typeof n === "string" && n ? n : id;
  }

  /**
   * The groups the policy is compiled from: the state's, or with "apply the
   * edit" the engine's own result of the request (`verdict.next`, or the
   * group gone on a delete), minus rules switched off.
   */
  policyGroups() {
    const pick = (g) => Object.fromEntries(["id", "permissions", "filePermissions"].filter((k) => g[k] !== undefined).map((k) => [k, g[k]]));
    let groups = this.stateGroups.map(pick);
    const req = this.s.request;
    if (this.applyEdit && this.verdict?.ok) {
      const id = req.params?.groupId;
      if (req.op === "delete") groups = groups.filter((g) => g.id !== id);
      if (req.op === "update" && isObject(this.verdict.next)) groups = groups.map((g) => (g.id === id ? pick(this.verdict.next) : g));
    }
    // The engine numbers the rules it is given; `kept` maps them back to the state's numbers.
    this.kept = new Map();
    return groups.map((g) => {
      if (!Array.isArray(g.filePermissions)) return g;
      const kept = g.filePermissions.map((_, i) => i).filter((i) => !this.off.has(`${g.id}#${i}`));
      this.kept.set(g.id, kept);
      return { ...g, filePermissions: kept.map((i) => g.filePermissions[i]) };
    });
  }

  compile() {
    const groups = this.policyGroups();
    const key = JSON.stringify(groups);
    if (key === this.key) return;
    this.policy?.free();
    this.policy = null;
    this.error = null;
    try {
      this.policy = new FilePolicy(groups);
    } catch (e) {
      this.error = e.issues?.length ? e.issues : [{ path: "", code: "error", message: String(e.message ?? e) }];
    }
    this.key = key;
  }

  update(verdict) {
    this.verdict = verdict;
    this.render();
  }

  render() {
    const focused = document.activeElement?.dataset?.ctl;
    this.compile();
    this.root.replaceChildren(
      h("div", { class: "view-head" },
        h("h2", { id: "files-h" }, "Files as a member sees them"),
        h("p", { class: "hint" }, "Each action says why: the deciding group, rule and pattern (hover or focus for the engine's message).")),
      this.controls(),
      this.rules(),
      this.error ? this.errorBox() : this.table(this.s.dialect.files),
      h("div", { class: "tooltip", id: "why", role: "tooltip", hidden: true }),
    );
    if (focused) this.root.querySelector(`[data-ctl="${CSS.escape(focused)}"]`)?.focus();
  }

  errorBox() {
    return h("div", { class: "error-box", id: "policy-error" }, "The file rules do not compile, so no file can be shown:",
      h("ul", {}, ...this.error.map((i) => h("li", {}, h("span", { class: "text" }, humanize(i)), " ", h("code", { class: "tech" }, `${i.code} at /context/state/groups${i.path}`)))));
  }

  controls() {
    const members = this.members;
    const sel = h("select", { id: "member", "data-ctl": "member" },
      ...members.map((m) => h("option", { value: m.id, selected: m.id === this.member },
        `${m.id} (${m.groups.map((g) => this.name(g)).join(", ") || "no groups"})`)),
      h("option", { value: "", selected: !members.some((m) => m.id === this.member) }, "custom set of groups"));
    sel.addEventListener("change", () => {
      this.member = sel.value;
      const m = members.find((x) => x.id === sel.value);
      if (m) this.groups = new Set(m.groups);
      this.render();
    });
    const boxes = this.stateGroups.map((g, k) => {
      const id = `member-group-${k}`;
      const cb = h("input", { type: "checkbox", id, checked: this.groups.has(g.id), "data-ctl": id, "data-group": g.id });
      cb.addEventListener("change", () => {
        if (cb.checked) this.groups.add(g.id);
        else this.groups.delete(g.id);
        const same = members.find((m) => m.groups.length === this.groups.size && m.groups.every((x) => this.groups.has(x)));
        this.member = same?.id ?? "";
        this.render();
      });
      return h("span", { class: "check" }, cb, h("label", { for: id }, this.name(g.id)));
    });
    const apply = h("input", { type: "checkbox", id: "apply-edit", checked: this.applyEdit, "data-ctl": "apply-edit" });
    apply.addEventListener("change", () => {
      this.applyEdit = apply.checked;
      this.render();
    });
    const usable = this.verdict?.ok && (this.s.request.op === "update" || this.s.request.op === "delete");
    const ignored = this.ignoredMembers;
    return h("div", { class: "explorer-controls" },
      h("div", { class: "field" }, h("label", { for: "member" }, "Member"), sel),
      ignored ? h("p", { class: "hint", id: "ignored-members" }, `${ignored} member${ignored === 1 ? "" : "s"} of the state ignored: not { id, groups: [group id] }.`) : "",
      h("fieldset", { class: "field checks-field" }, h("legend", {}, "Member's groups"), h("div", { class: "checks" }, ...boxes)),
      h("span", { class: "check" }, apply, h("label", { for: "apply-edit" }, "Apply the form's edit"),
        this.applyEdit && !usable ? h("span", { class: "hint" }, " (only a valid update or delete applies)") : ""));
  }

  rules() {
    const rows = [];
    for (const g of this.stateGroups) {
      if (!Array.isArray(g.filePermissions)) continue;
      g.filePermissions.forEach((r, i) => {
        if (!isObject(r)) return;
        const key = `${g.id}#${i}`;
        const id = `rule-${rows.length}`;
        const cb = h("input", { type: "checkbox", id, checked: !this.off.has(key), "data-ctl": id, "data-rule": r.id ?? `${this.name(g.id)}#${i + 1}` });
        cb.addEventListener("change", () => {
          if (cb.checked) this.off.delete(key);
          else this.off.add(key);
          this.render();
        });
        const pats = Array.isArray(r.patterns) ? r.patterns.join(", ") : String(r.patterns ?? "").replaceAll("\n", ", ");
        rows.push(h("li", { class: `rule ${this.groups.has(g.id) ? "mine" : "other"}${this.off.has(key) ? " off" : ""}` }, cb,
          h("label", { for: id },
            h("span", { class: `effect ${r.effect}` }, String(r.effect)), " ",
            h("span", { class: "acts" }, Array.isArray(r.actions) ? r.actions.join(" ") : ""), " ",
            h("code", {}, pats), " ",
            h("span", { class: "who" }, `${this.name(g.id)} · rule ${i + 1}${r.id ? ` (${r.id})` : ""}`))));
      });
    }
    return h("details", { class: "rules", open: true },
      h("summary", {}, "File rules in the project (uncheck to switch one off)"),
      rows.length ? h("ul", { class: "rule-list" }, ...rows) : h("p", { class: "none" }, "No group has file rules."));
  }

  table(files) {
    const ids = [...this.groups];
    const acts = actions();
    const allowed = Object.fromEntries(acts.map((a) => [a, this.policy.checkMany(ids, files, a)]));
    const rows = [];
    const seen = new Set();
    const sorted = files.map((f, i) => [f, i]).sort(([a], [b]) => a.localeCompare(b));
    for (const [file, i] of sorted) {
      const parts = file.split("/");
      for (let d = 1; d < parts.length; d++) {
        const dir = parts.slice(0, d).join("/");
        if (seen.has(dir)) continue;
        seen.add(dir);
        rows.push(h("tr", { class: "dir" }, h("th", { scope: "row", colspan: acts.length + 1, class: `depth-${d - 1}` }, `${parts[d - 1]}/`)));
      }
      const cells = acts.map((a) => h("td", { "data-label": a }, this.cell(ids, file, a, allowed[a][i])));
      rows.push(h("tr", { class: "file", "data-path": file },
        h("th", { scope: "row", class: `depth-${parts.length - 1}` }, h("span", { class: "fname", title: file }, parts.at(-1))), ...cells));
    }
    return h("div", { class: "files-wrap" }, h("table", { class: "files", "aria-labelledby": "files-h" },
      h("caption", { class: "sr-only" }, "Allowed actions per file, and why"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), ...acts.map((a) => h("th", { scope: "col" }, a)))),
      h("tbody", {}, ...rows)));
  }

  /** One action of one file: allowed or not, and why, from the engine's explanation. */
  cell(ids, file, action, ok) {
    const e = this.policy.explain(ids, file, action);
    const why = whyText(e, (id) => this.name(id), (x) => this.ruleNumber(x));
    const span = h("span", {
      class: `act ${ok ? "yes" : "no"}`, tabindex: 0, "data-action": action, "data-allowed": String(ok), "data-ctl": `${file}:${action}`,
      "aria-label": `${action} ${ok ? "allowed" : "denied"}: ${why}`, "aria-describedby": "why",
    }, h("span", { class: "mark" }, ok ? "✓" : "✕"), h("span", { class: "act-name" }, ` ${action}`),
    h("small", { class: "why", "data-why-text": "" }, why));
    const show = () => this.explain(span, e, action, why);
    span.addEventListener("mouseenter", show);
    span.addEventListener("focus", show);
    span.addEventListener("mouseleave", () => this.hide());
    span.addEventListener("blur", () => this.hide());
    return span;
  }

  /** The 1-based number of the deciding rule in its group's list in the state. */
  ruleNumber(e) {
    return (this.kept.get(e.groupId)?.[e.ruleIndex] ?? e.ruleIndex) + 1;
  }

  explain(el, e, action, why) {
    const tip = this.root.querySelector("#why");
    tip.replaceChildren(
      h("strong", { class: e.allowed ? "yes" : "no" }, `${action} ${e.allowed ? "allowed" : "denied"}`), ": ",
      h("span", { "data-why": "text" }, why),
      h("dl", { class: "pairs" },
        ...(e.groupId ? [h("dt", {}, "group"), h("dd", { "data-why": "group" }, this.name(e.groupId))] : []),
        ...(e.ruleIndex !== undefined ? [h("dt", {}, "rule"), h("dd", { "data-why": "rule" }, `${e.effect} rule ${this.ruleNumber(e)}${e.ruleId ? ` (${e.ruleId})` : ""}`)] : []),
        ...(e.pattern ? [h("dt", {}, "pattern"), h("dd", { "data-why": "pattern" }, h("code", {}, e.pattern))] : []),
        ...(e.permission ? [h("dt", {}, "permission"), h("dd", {}, e.permission)] : [])),
      h("p", { class: "tech" }, e.message));
    tip.hidden = false;
    const box = el.getBoundingClientRect();
    const host = this.root.getBoundingClientRect();
    const width = Math.min(320, host.width - 16);
    tip.style.width = `${width}px`;
    tip.style.left = `${Math.max(8, Math.min(box.left - host.left, host.width - width - 8))}px`;
    tip.style.top = `${box.bottom - host.top + 6}px`;
  }

  hide() {
    const tip = this.root.querySelector("#why");
    if (tip) tip.hidden = true;
  }
}
