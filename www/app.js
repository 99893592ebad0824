// The groupgate console: a dialect picker, the group editor form of each
// dialect validated on every keystroke, and the views of what the engine knows.
import { init, validate, Workspace, version } from "/pkg/web.js";
import { DIALECTS } from "./dialects/index.js";
import { h, clone, REASONS } from "./dom.js";
import { renderFields, showIssues } from "./form.js";
import { renderChanges } from "./changes.js";
import { renderTree } from "./views/baseten-tree.js";
import { FileExplorer } from "./views/file-explorer.js";

await init();

const $ = (sel) => document.querySelector(sel);
const els = {
  picker: $("#dialects"),
  form: $("#editor"),
  verdict: $("#verdict"),
  changes: $("#changes"),
  view: $("#view"),
  version: $("#version"),
};
els.version.textContent = `groupgate ${version()}`;

// One session per dialect: switching dialects keeps each one's edits.
const sessions = new Map();
function session(d) {
  if (!sessions.has(d.id)) {
    const s = {
      dialect: d,
      request: clone(d.sample.requests[d.ops[0]]),
      caller: clone(d.sample.caller),
      state: clone(d.sample.state),
      stateText: JSON.stringify(d.sample.state, null, 2),
      stateError: null,
      memo: new Map(),
      localErrors: new Map(),
      ws: null,
      view: null,
    };
    rebuildWorkspace(s);
    sessions.set(d.id, s);
  }
  return sessions.get(d.id);
}

function rebuildWorkspace(s) {
  if (s.dialect.id !== "baseten") return;
  s.ws?.free();
  s.ws = null;
  s.wsIssues = [];
  try {
    s.ws = Workspace.from(s.state);
  } catch (e) {
    s.wsIssues = (e.issues ?? [{ path: "", code: "error", message: String(e.message) }])
      .map((i) => ({ ...i, path: `/context/state${i.path}` }));
  }
}

let current = null; // the session shown
let index = new Map(); // pointer → { wrap, msgs, control }
let verdict = null;

// ---------------------------------------------------------------- picker

for (const d of DIALECTS) {
  const id = `dialect-${d.id}`;
  const input = h("input", { type: "radio", name: "dialect", id, value: d.id });
  input.addEventListener("change", () => show(d.id));
  els.picker.append(h("span", { class: "pick" }, input, h("label", { for: id }, h("strong", {}, d.title), h("small", {}, d.product))));
}

function show(id) {
  const d = DIALECTS.find((x) => x.id === id) ?? DIALECTS[0];
  $(`#dialect-${d.id}`).checked = true;
  if (location.hash !== `#${d.id}`) history.replaceState(null, "", `#${d.id}`);
  document.body.dataset.dialect = d.id;
  current = session(d);
  els.view.replaceChildren();
  current.view = null;
  renderForm();
}

// ---------------------------------------------------------------- form

function renderForm(focus) {
  const s = current;
  const d = s.dialect;
  const op = s.request.op;
  const ctx = {
    session: s,
    index: new Map(),
    memo: s.memo,
    localErrors: s.localErrors,
    onInput: () => revalidate(),
    onStructure: (f) => renderForm(f),
  };
  const slot = (ptr, wrap) => {
    const msgs = h("ul", { class: "msgs" });
    wrap.append(msgs);
    ctx.index.set(ptr, { wrap, msgs, control: null });
    return wrap;
  };

  const ops = h("fieldset", { class: "ops" }, h("legend", {}, "Operation"),
    ...d.ops.map((o) => {
      const input = h("input", { type: "radio", name: "op", id: `op-${o}`, value: o, checked: o === op, "data-ctl": `#op-${o}` });
      input.addEventListener("change", () => {
        s.request = clone(d.sample.requests[o]);
        s.memo.clear();
        s.localErrors.clear();
        renderForm(`#op-${o}`);
      });
      return h("span", { class: "op" }, input, h("label", { for: `op-${o}` }, o));
    }));

  const head = h("div", { class: "form-head" },
    h("h2", {}, `${d.title} `, h("span", { class: "product" }, d.product)),
    ops,
    h("p", { class: "endpoint" }, "Would send ", h("code", { id: "endpoint" }, d.endpoint(op, s.request))));

  const parts = [head, slot("", h("div", { class: "form-level", "data-pointer": "" }))];
  const params = d.params(op);
  s.request.params ??= {};
  if (params.length) {
    parts.push(slot("/params", h("fieldset", { class: "section", "data-pointer": "/params" },
      h("legend", {}, "Path parameters"), h("div", { class: "grid" }, ...renderFields(params, s.request.params, "/params", ctx)))));
  }
  const body = d.body(op);
  if (body.length) {
    if (!s.request.body || typeof s.request.body !== "object") s.request.body = {};
    parts.push(slot("/body", h("fieldset", { class: "section", "data-pointer": "/body" },
      h("legend", {}, "Request body"), h("div", { class: "grid" }, ...renderFields(body, s.request.body, "/body", ctx)))));
  } else {
    delete s.request.body;
  }
  parts.push(slot("/context/caller", h("fieldset", { class: "section caller", "data-pointer": "/context/caller" },
    h("legend", {}, "Caller"), h("p", { class: "hint" }, "Who sends the request: the engine answers 403 when they may not."),
    h("div", { class: "grid" }, ...renderFields(d.caller, s.caller, "/context/caller", ctx)))));
  parts.push(stateEditor(s, ctx, slot));

  els.form.replaceChildren(...parts);
  index = ctx.index;
  revalidate();
  if (focus) {
    const el = els.form.querySelector(`[data-ctl="${CSS.escape(focus)}"]`)
      ?? els.form.querySelector(`[data-pointer="${CSS.escape(focus)}"] :is(input, select, textarea)`);
    el?.focus();
  }
}

function stateEditor(s, ctx, slot) {
  const ta = h("textarea", { id: "state-json", class: "mono", rows: 14, spellcheck: "false", "aria-describedby": "state-msgs" });
  ta.value = s.stateText;
  ta.addEventListener("input", () => {
    s.stateText = ta.value;
    try {
      s.state = JSON.parse(ta.value);
      s.localErrors.delete("/context/state");
    } catch (e) {
      s.localErrors.set("/context/state", `not JSON: ${e.message}`);
    }
    rebuildWorkspace(s);
    if (s.view?.reset) s.view.reset();
    revalidate();
  });
  const reset = h("button", { type: "button", class: "secondary" }, "Reset all sample data");
  reset.addEventListener("click", () => {
    sessions.delete(s.dialect.id);
    show(s.dialect.id);
  });
  const wrap = h("details", { class: "section state", "data-pointer": "/context/state" },
    h("summary", {}, "Server state (embedded sample)"),
    h("label", { for: "state-json" }, "What the server knows, as JSON ", h("code", {}, "context.state")),
    ta, h("div", { class: "row" }, reset));
  slot("/context/state", wrap);
  wrap.querySelector(".msgs").id = "state-msgs";
  return wrap;
}

// ---------------------------------------------------------------- verdict

function computeVerdict(s) {
  const d = s.dialect;
  if (d.id === "baseten") {
    if (!s.ws) {
      return { ok: false, status: 400, errors: s.wsIssues ?? [], warnings: [], skipped: [] };
    }
    return s.ws.preview(s.request, s.caller);
  }
  const context = { state: s.state, caller: s.caller };
  if (d.files) context.files = d.files;
  return validate(d.id, s.request, context);
}

function revalidate() {
  const s = current;
  verdict = computeVerdict(s);
  const local = [...s.localErrors].map(([path, message]) => ({ path, code: "json", message, severity: "error" }));
  const issues = [
    ...local,
    ...verdict.errors.map((e) => ({ ...e, severity: "error" })),
    ...verdict.warnings.map((w) => ({ ...w, severity: "warning" })),
  ];
  showIssues(index, issues);
  const ok = verdict.ok && local.length === 0;
  renderVerdict(s, verdict, ok, issues);
  els.changes.replaceChildren(...renderChanges(s.dialect, verdict));
  renderView(s, verdict);
  const ep = $("#endpoint");
  if (ep) ep.textContent = s.dialect.endpoint(s.request.op, s.request);
}

function renderVerdict(s, v, ok, issues) {
  const errors = issues.filter((i) => i.severity === "error");
  const warnings = issues.filter((i) => i.severity === "warning");
  const count = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const status = ok ? v.status : v.status >= 400 ? v.status : 400;
  const summary = h("ul", { class: "summary" }, ...errors.map((e) => {
    const a = h("a", { href: "#" }, h("code", {}, e.path || "(request)"), " ", e.message);
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      focusPointer(e.path);
    });
    return h("li", {}, a);
  }));
  const op = s.request.op;
  const submit = h("button", { type: "submit", form: "editor", id: "submit", disabled: !ok, class: "primary" },
    `Send ${op}`);
  const note = h("p", { class: "sent", id: "sent", role: "status" });
  els.verdict.replaceChildren(
    h("h2", { id: "verdict-h" }, "Verdict"),
    h("p", { class: `status s${String(status)[0]}xx`, id: "status", "data-status": status },
      h("span", { class: "badge" }, String(status)), " ",
      h("span", { class: "reason" }, REASONS[status] ?? ""), " ",
      h("span", { class: "counts" }, ok ? "the server would accept this" : `${count(errors.length, "error")}`,
        warnings.length ? `, ${count(warnings.length, "warning")}` : "")),
    v.skipped?.length ? h("p", { class: "skipped" }, `Not checked without context: ${v.skipped.join(", ")}.`) : "",
    errors.length ? summary : "",
    h("div", { class: "row" }, submit, h("span", { class: "hint" }, ok ? "" : "Fix the errors to send.")),
    note,
  );
}

function focusPointer(path) {
  let p = path;
  for (;;) {
    const slot = index.get(p);
    const el = slot?.control?.matches?.("input, select, textarea") ? slot.control
      : slot?.wrap.querySelector("input, select, textarea, summary");
    if (el) {
      el.closest("details")?.setAttribute("open", "");
      el.focus();
      return;
    }
    if (p === "") return;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

els.form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  if (!verdict?.ok) return;
  $("#sent").textContent = `Ready: ${current.dialect.endpoint(current.request.op, current.request)} → ${verdict.status} ${REASONS[verdict.status] ?? ""}. (The console only previews; nothing was sent.)`;
});

// ---------------------------------------------------------------- views

function renderView(s, v) {
  if (s.dialect.id === "baseten") {
    renderTree(els.view, s, v, {
      onEdit: (id) => {
        s.request = clone(s.dialect.sample.requests.update);
        s.request.params.group_id = id;
        const g = s.state.groups.find((x) => x.id === id);
        s.request.body = { metadata: { name: g?.metadata?.name ?? "" }, models: clone(g?.models ?? []) };
        s.memo.clear();
        renderForm("/body/models#add");
      },
    });
  } else if (s.dialect.id === "gorules") {
    s.view ??= new FileExplorer(els.view, s);
    s.view.update(v);
  }
}

show(location.hash.slice(1));
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
document.body.classList.add("ready");
