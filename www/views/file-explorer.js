// GoRules: the sample project's files as a member sees them. Pick a member
// (a set of groups); each file shows the four actions allowed or denied
// (FilePolicy.checkMany), and hovering or focusing one explains it
// (FilePolicy.explain: deciding group, rule, pattern). Rules can be switched
// off one by one to see which files flip.
import { FilePolicy } from "/pkg/web.js";
import { h } from "../dom.js";
import { ACTIONS } from "../dialects/gorules.js";

export class FileExplorer {
  constructor(root, session) {
    this.root = root;
    this.s = session;
    this.off = new Set(); // "groupId#ruleIndex" of rules switched off
    this.applyEdit = false;
    this.reset();
  }

  /** After the state changed: pick the first member again. */
  reset() {
    // Start with the first member whose groups have file rules: the interesting case.
    const members = this.s.state?.members ?? [];
    const ruled = new Set(this.stateGroups.filter((g) => g.filePermissions?.length).map((g) => g.id));
    const m = members.find((x) => (x.groups ?? []).some((g) => ruled.has(g))) ?? members[0];
    this.member = m?.id ?? "";
    this.groups = new Set(m?.groups ?? []);
    this.off.clear();
  }

  get stateGroups() {
    return (this.s.state?.groups ?? []).filter((g) => g && typeof g.id === "string");
  }

  name(id) {
    return this.stateGroups.find((g) => g.id === id)?.name ?? id;
  }

  /** The groups the policy is compiled from: the state, maybe with the form's edit, minus rules switched off. */
  policyGroups() {
    let groups = this.stateGroups.map((g) => ({ id: g.id, permissions: g.permissions ?? [], filePermissions: g.filePermissions ?? [] }));
    const req = this.s.request;
    if (this.applyEdit && this.verdict?.ok) {
      const id = req.params?.groupId;
      if (req.op === "delete") groups = groups.filter((g) => g.id !== id);
      if (req.op === "update") {
        groups = groups.map((g) => (g.id !== id ? g : {
          id, permissions: req.body.permissions ?? g.permissions, filePermissions: req.body.filePermissions ?? [],
        }));
      }
    }
    return groups.map((g) => ({ ...g, filePermissions: (g.filePermissions ?? []).filter((_, i) => !this.off.has(`${g.id}#${i}`)) }));
  }

  compile() {
    const groups = this.policyGroups();
    const key = JSON.stringify(groups);
    if (key !== this.key) {
      this.policy?.free();
      this.policy = null;
      this.error = null;
      try {
        this.policy = new FilePolicy(groups);
      } catch (e) {
        this.error = e.issues?.map((i) => `${i.path} ${i.message}`).join("; ") ?? String(e.message);
      }
      this.key = key;
    }
  }

  update(verdict) {
    this.verdict = verdict;
    this.render();
  }

  render() {
    const focused = document.activeElement?.dataset?.ctl;
    this.compile();
    const files = this.s.dialect.files;
    this.root.replaceChildren(
      h("div", { class: "view-head" },
        h("h2", { id: "files-h" }, "Files as a member sees them"),
        h("p", { class: "hint" }, "Hover over or focus an action to see which group, rule and pattern decided it.")),
      this.controls(),
      this.rules(),
      this.error ? h("p", { class: "error-box" }, `The policy does not compile: ${this.error}`) : this.table(files),
      h("div", { class: "tooltip", id: "why", role: "tooltip", hidden: true }),
    );
    if (focused) this.root.querySelector(`[data-ctl="${CSS.escape(focused)}"]`)?.focus();
  }

  controls() {
    const members = this.s.state?.members ?? [];
    const sel = h("select", { id: "member", "data-ctl": "member" },
      ...members.map((m) => h("option", { value: m.id, selected: m.id === this.member },
        `${m.id} (${(m.groups ?? []).map((g) => this.name(g)).join(", ") || "no groups"})`)),
      h("option", { value: "", selected: !members.some((m) => m.id === this.member) }, "custom set of groups"));
    sel.addEventListener("change", () => {
      this.member = sel.value;
      const m = members.find((x) => x.id === sel.value);
      if (m) this.groups = new Set(m.groups ?? []);
      this.render();
    });
    const boxes = this.stateGroups.map((g) => {
      const id = `member-group-${g.name}`;
      const cb = h("input", { type: "checkbox", id, checked: this.groups.has(g.id), "data-ctl": id });
      cb.addEventListener("change", () => {
        if (cb.checked) this.groups.add(g.id);
        else this.groups.delete(g.id);
        const same = members.find((m) => (m.groups ?? []).length === this.groups.size && m.groups.every((x) => this.groups.has(x)));
        this.member = same?.id ?? "";
        this.render();
      });
      return h("span", { class: "check" }, cb, h("label", { for: id }, g.name));
    });
    const apply = h("input", { type: "checkbox", id: "apply-edit", checked: this.applyEdit, "data-ctl": "apply-edit" });
    apply.addEventListener("change", () => {
      this.applyEdit = apply.checked;
      this.render();
    });
    const usable = this.verdict?.ok && (this.s.request.op === "update" || this.s.request.op === "delete");
    return h("div", { class: "explorer-controls" },
      h("div", { class: "field" }, h("label", { for: "member" }, "Member"), sel),
      h("fieldset", { class: "field checks-field" }, h("legend", {}, "Member's groups"), h("div", { class: "checks" }, ...boxes)),
      h("span", { class: "check" }, apply, h("label", { for: "apply-edit" }, "Apply the form's edit"),
        this.applyEdit && !usable ? h("span", { class: "hint" }, " (only a valid update or delete applies)") : ""));
  }

  rules() {
    const rows = [];
    for (const g of this.stateGroups) {
      (g.filePermissions ?? []).forEach((r, i) => {
        const key = `${g.id}#${i}`;
        const id = `rule-${g.name}-${i}`;
        const cb = h("input", { type: "checkbox", id, checked: !this.off.has(key), "data-ctl": id, "data-rule": r.id ?? `${g.name}#${i}` });
        cb.addEventListener("change", () => {
          if (cb.checked) this.off.delete(key);
          else this.off.add(key);
          this.render();
        });
        const pats = Array.isArray(r.patterns) ? r.patterns.join(", ") : String(r.patterns ?? "").replaceAll("\n", ", ");
        rows.push(h("li", { class: `rule ${this.groups.has(g.id) ? "mine" : "other"}${this.off.has(key) ? " off" : ""}` }, cb,
          h("label", { for: id },
            h("span", { class: `effect ${r.effect}` }, r.effect), " ",
            h("span", { class: "acts" }, (r.actions ?? []).join(" ")), " ",
            h("code", {}, pats), " ",
            h("span", { class: "who" }, `${g.name} · rule ${i + 1}${r.id ? ` (${r.id})` : ""}`))));
      });
    }
    return h("details", { class: "rules", open: true },
      h("summary", {}, "File rules in the project (uncheck to switch one off)"),
      rows.length ? h("ul", { class: "rule-list" }, ...rows) : h("p", { class: "none" }, "No group has file rules."));
  }

  table(files) {
    const ids = [...this.groups];
    const allowed = Object.fromEntries(ACTIONS.map((a) => [a, this.policy.checkMany(ids, files, a)]));
    const rows = [];
    const seen = new Set();
    const sorted = files.map((f, i) => [f, i]).sort(([a], [b]) => a.localeCompare(b));
    for (const [file, i] of sorted) {
      const parts = file.split("/");
      for (let d = 1; d < parts.length; d++) {
        const dir = parts.slice(0, d).join("/");
        if (seen.has(dir)) continue;
        seen.add(dir);
        rows.push(h("tr", { class: "dir" }, h("th", { scope: "row", colspan: 5, class: `depth-${d - 1}` }, `${parts[d - 1]}/`)));
      }
      const cells = ACTIONS.map((a) => {
        const ok = allowed[a][i];
        const span = h("span", {
          class: `act ${ok ? "yes" : "no"}`, tabindex: 0, "data-action": a, "data-allowed": String(ok), "data-ctl": `${file}:${a}`,
          "aria-label": `${a} ${ok ? "allowed" : "denied"}`, "aria-describedby": "why",
        }, ok ? "✓" : "✕", h("span", { class: "act-name" }, ` ${a}`));
        const why = () => this.explain(span, ids, file, a);
        span.addEventListener("mouseenter", why);
        span.addEventListener("focus", why);
        span.addEventListener("mouseleave", () => this.hide());
        span.addEventListener("blur", () => this.hide());
        return h("td", {}, span);
      });
      rows.push(h("tr", { class: "file", "data-path": file },
        h("th", { scope: "row", class: `depth-${parts.length - 1}` }, h("span", { class: "fname" }, parts.at(-1))), ...cells));
    }
    return h("div", { class: "scroll" }, h("table", { class: "files", "aria-labelledby": "files-h" },
      h("caption", { class: "sr-only" }, "Allowed actions per file"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), ...ACTIONS.map((a) => h("th", { scope: "col" }, a)))),
      h("tbody", {}, ...rows)));
  }

  explain(el, ids, file, action) {
    const tip = this.root.querySelector("#why");
    const e = this.policy.explain(ids, file, action);
    const rule = e.ruleIndex !== undefined ? `rule ${e.ruleIndex + 1}${e.ruleId ? ` (${e.ruleId})` : ""}` : null;
    tip.replaceChildren(
      h("strong", { class: e.allowed ? "yes" : "no" }, `${action} ${e.allowed ? "allowed" : "denied"}`), " · ", e.reason,
      h("dl", { class: "pairs" },
        ...(e.groupId ? [h("dt", {}, "group"), h("dd", { "data-why": "group" }, this.name(e.groupId))] : []),
        ...(rule ? [h("dt", {}, "rule"), h("dd", { "data-why": "rule" }, `${e.effect} ${rule}`)] : []),
        ...(e.pattern ? [h("dt", {}, "pattern"), h("dd", { "data-why": "pattern" }, h("code", {}, e.pattern))] : []),
        ...(e.permission ? [h("dt", {}, "permission"), h("dd", {}, e.permission)] : [])),
      h("p", {}, e.message));
    tip.hidden = false;
    const box = el.getBoundingClientRect();
    const host = this.root.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(box.left - host.left, host.width - 320))}px`;
    tip.style.top = `${box.bottom - host.top + 6}px`;
  }

  hide() {
    const tip = this.root.querySelector("#why");
    if (tip) tip.hidden = true;
  }
}
