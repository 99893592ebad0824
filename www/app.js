// The groupgate console: a dialect picker, the group editor form of each
// dialect, and the engine's verdict on it. Every input path (form fields, the
// state JSON, imports, undo, the views) ends in `revalidate`, which shows the
// engine's verdict for the current inputs or an error state with Send disabled.
import { init, validate, Workspace, version } from "/pkg/web.js";
import { DIALECTS } from "./dialects/index.js";
import { h, clone, REASONS } from "./dom.js";
import { renderFields, showIssues } from "./form.js";
import { renderChanges } from "./changes.js";
import { renderTree } from "./views/baseten-tree.js";
import { FileExplorer } from "./views/file-explorer.js";
import { makeSession, setStateText, record, undo, redo, dirty, loadSaved, forget, apply, snapshot, save, usable } from "./session.js";
import { decodeShare } from "./io.js";
import { at, humanize } from "./messages.js";
import { toolbar } from "./toolbar.js";

await init();

const $ = (sel) => document.querySelector(sel);
const els = {
  picker: $("#dialects"), form: $("#editor"), verdict: $("#verdict"), changes: $("#changes"), view: $("#view"),
  version: $("#version"), tech: $("#show-tech"),
};
els.version.textContent = `groupgate ${version()}`;

// One session per dialect: switching dialects keeps each one's edits.
const sessions = new Map();
function session(d, shared) {
  if (shared) sessions.delete(d.id);
  if (!sessions.has(d.id)) {
    const s = makeSession(d, shared ?? loadSaved(d.id));
    rebuildWorkspace(s);
    sessions.set(d.id, s);
  }
  return sessions.get(d.id);
}

/** Baseten: the compiled state, or null when it does not compile (the engine's validate then answers). */
function rebuildWorkspace(s) {
  if (s.dialect.id !== "baseten") return;
  s.ws?.free();
  s.ws = null;
  s.wsKey = s.stateText;
  if (s.localErrors.has("/context/state")) return;
  try {
    s.ws = Workspace.from(s.state);
  } catch {
    s.ws = null;
  }
}

let current = null; // the session shown
let index = new Map(); // pointer → { wrap, msgs, control }
let verdict = null; // the engine's verdict shown, or null in an error state
let sync = () => {}; // the toolbar's refresh

// ---------------------------------------------------------------- picker

for (const d of DIALECTS) {
  const id = `dialect-${d.id}`;
  const input = h("input", { type: "radio", name: "dialect", id, value: d.id });
  input.addEventListener("change", () => show(d.id));
  els.picker.append(h("span", { class: "pick" }, input, h("label", { for: id }, h("strong", {}, d.title), h("small", {}, d.product))));
}

els.tech.addEventListener("change", () => document.body.classList.toggle("show-tech", els.tech.checked));

/** Shows dialect `id`; a fragment `#id=payload` (a share link) replaces that dialect's session. */
function show(hash) {
  const [id, payload] = hash.split("=");
  const d = DIALECTS.find((x) => x.id === id) ?? DIALECTS[0];
  // A link that does not decode to a session of this dialect is ignored (the saved edits stay).
  const decoded = payload ? decodeShare(payload) : null;
  const shared = usable(d, decoded) ? decoded : null;
  $(`#dialect-${d.id}`).checked = true;
  if (location.hash !== `#${d.id}`) history.replaceState(null, "", `#${d.id}`);
  document.body.dataset.dialect = d.id;
  current = session(d, shared);
  if (shared) save(current);
  els.view.replaceChildren();
  current.view = null;
  renderForm();
}

// ---------------------------------------------------------------- form

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function renderForm(focus) {
  const s = current;
  const d = s.dialect;
  const op = s.request.op;
  const ctx = {
    session: s, index: new Map(), memo: s.memo, localErrors: s.localErrors, raw: s.raw,
    onInput: (ptr) => revalidate(ptr),
    onStructure: (f) => renderForm(f),
    onTarget: (id) => selectTarget(id),
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
      input.addEventListener("change", () => switchOp(o));
      return h("span", { class: "op" }, input, h("label", { for: `op-${o}` }, o));
    }));

  // One toolbar per session, kept across re-renders (an open panel and its message stay).
  s.tools ??= toolbar({ session: s, dialects: DIALECTS, onUndo, onRedo, onImport, onReset });
  const tools = s.tools;
  const head = h("div", { class: "form-head" },
    h("h2", {}, `${d.title} `, h("span", { class: "product" }, d.product)),
    ops,
    h("p", { class: "endpoint" }, "Would send ", h("code", { id: "endpoint" }, d.endpoint(op, s.request))),
    tools);

  const parts = [head, slot("", h("div", { class: "form-level", "data-pointer": "" }))];
  const params = d.params(op);
  if (params.length) parts.push(section(ctx, slot, "/params", "Path parameters", params, s.request, "params"));
  const body = d.body(op);
  if (body.length) parts.push(section(ctx, slot, "/body", "Request body", body, s.request, "body"));
  parts.push(section(ctx, slot, "/context/caller", "Caller", d.caller, s, "caller",
    h("p", { class: "hint" }, "Who sends the request: the engine answers 403 when they may not.")));
  parts.push(stateEditor(s, slot));

  els.form.replaceChildren(...parts);
  index = ctx.index;
  sync = tools.sync;
  revalidate("structure");
  if (focus) {
    const el = els.form.querySelector(`[data-ctl="${CSS.escape(focus)}"]`)
      ?? els.form.querySelector(`[data-pointer="${CSS.escape(focus)}"] :is(input, select, textarea)`);
    el?.focus();
  }
}

/**
 * A fieldset of `fields` bound to holder[key] (params, body or caller). A
 * value that is not an object (an import can hold anything) is shown as it
 * is, with a button to start over from an empty object.
 */
function section(ctx, slot, ptr, title, fields, holder, key, hint = "") {
  if (holder[key] === undefined && key !== "caller") holder[key] = {};
  const value = holder[key];
  let inner;
  if (isObject(value)) {
    inner = h("div", { class: "grid" }, ...renderFields(fields, value, ptr, ctx));
  } else {
    const fix = h("button", { type: "button", class: "secondary" }, "Start from an empty object");
    fix.addEventListener("click", () => {
      holder[key] = {};
      renderForm(ptr);
    });
    inner = h("div", {}, h("p", { class: "not-sent" }, `Not an object: ${JSON.stringify(value)}`), fix);
  }
  const css = key === "caller" ? "section caller" : "section";
  return slot(ptr, h("fieldset", { class: css, "data-pointer": ptr }, h("legend", {}, title), hint, inner));
}

function stateEditor(s, slot) {
  const ta = h("textarea", { id: "state-json", class: "mono", rows: 14, spellcheck: "false", "aria-describedby": "state-msgs" });
  ta.value = s.stateText;
  ta.addEventListener("input", () => {
    setStateText(s, ta.value);
    stateChanged(s);
    revalidate("/context/state");
  });
  const wrap = h("details", { class: "section state", "data-pointer": "/context/state" },
    h("summary", {}, "Server state (embedded sample)"),
    h("label", { for: "state-json" }, "What the server knows, as JSON ", h("code", {}, "context.state")),
    ta);
  slot("/context/state", wrap);
  wrap.querySelector(".msgs").id = "state-msgs";
  return wrap;
}

/** After the state text changed: the compiled workspace and the views start again. */
function stateChanged(s) {
  if (s.wsKey !== s.stateText) rebuildWorkspace(s);
  s.view?.reset?.();
}

// ---------------------------------------------------------------- targets

function switchOp(o) {
  const s = current;
  s.request = clone(s.dialect.sample.requests[o]);
  s.loaded = null;
  s.memo.clear();
  clearFieldErrors(s);
  const t = s.dialect.target;
  const g = o === "update" && t ? t.find(s.state, t.idOf(s.request)) : null;
  if (g) s.loaded = { id: t.idOf(s.request), body: t.bodyOf(g) };
  renderForm(`#op-${o}`);
}

const clearFieldErrors = (s) => {
  for (const k of [...s.localErrors.keys()]) if (k !== "/context/state") s.localErrors.delete(k);
};

/**
 * Makes group `id` the target: an update's body becomes that group's settings
 * in the state. Unsaved edits of another group are discarded only when the
 * user agrees; otherwise the target goes back to the group being edited.
 */
function selectTarget(id, { op } = {}) {
  const s = current;
  const t = s.dialect.target;
  if (!t) return;
  if (op && s.request.op !== op && !dirty(s)) {
    s.request = clone(s.dialect.sample.requests[op]);
    s.loaded = null;
  }
  if (s.request.op !== "update") return;
  const g = t.find(s.state, id);
  if (!g || (s.loaded?.id === id && t.idOf(s.request) === id)) {
    revalidate("target");
    return;
  }
  if (dirty(s) && !confirm(`Discard your unsaved edits to ${labelOf(s, s.loaded.id)} and load ${t.label(g)} from the server state?`)) {
    t.setId(s.request, s.loaded.id);
    renderForm(t.pointer);
    return;
  }
  if (s.request.op !== "update") s.request = clone(s.dialect.sample.requests.update);
  s.request.body = t.bodyOf(g);
  t.setId(s.request, id);
  s.loaded = { id, body: clone(s.request.body) };
  s.memo.clear();
  clearFieldErrors(s);
  renderForm(t.pointer);
}

function labelOf(s, id) {
  const g = s.dialect.target.find(s.state, id);
  return g ? s.dialect.target.label(g) : String(id);
}

/** The mark under the target field: loaded from state (and edited or not), or why not. */
function renderTargetMark(s) {
  const t = s.dialect.target;
  const mark = t && els.form.querySelector(`[data-target-mark="${t.pointer}"]`);
  if (!mark) return;
  const id = t.idOf(s.request);
  const g = t.find(s.state, id);
  let text = "";
  let tone = "info";
  let load = null;
  if (s.request.op !== "update") {
    text = g ? `In the server state: ${t.label(g)}.` : typeof id === "string" && id ? `${id} is not in the server state.` : "";
  } else if (s.loaded && s.loaded.id === id) {
    text = `Loaded from state: ${t.label(g ?? {})}${dirty(s) ? " · edited (unsaved)" : " · unchanged"}`;
    tone = dirty(s) ? "edited" : "loaded";
  } else if (s.loaded) {
    text = `The form still holds the settings of ${labelOf(s, s.loaded.id)}, not of ${id || "(no group)"}.`;
    tone = "warn";
    load = g;
  } else if (g) {
    text = `Not loaded: the form does not hold ${t.label(g)}'s settings.`;
    tone = "warn";
    load = g;
  } else {
    text = typeof id === "string" && id ? `${id} is not in the server state.` : "";
  }
  mark.className = `target-mark ${tone}`;
  mark.dataset.tone = tone;
  mark.replaceChildren(text);
  if (load) {
    const b = h("button", { type: "button", class: "secondary small", id: "load-target" }, `Load ${t.label(load)}`);
    b.addEventListener("click", () => selectTarget(id));
    mark.append(" ", b);
  }
}

// ---------------------------------------------------------------- toolbar actions

function onUndo() {
  if (undo(current)) afterRestore();
}
function onRedo() {
  if (redo(current)) afterRestore();
}
function afterRestore() {
  stateChanged(current);
  renderForm();
}

/** An imported document: { dialect, request, state?, caller? } (already read by io.readDocument). */
function onImport(doc) {
  const s = session(doc.dialect);
  const snap = snapshot(s);
  apply(s, {
    request: doc.request, caller: doc.hasCaller ? doc.caller : snap.caller,
    stateText: doc.hasState ? JSON.stringify(doc.state, null, 2) : snap.stateText, loaded: null,
  });
  const t = s.dialect.target;
  const g = t && s.request.op === "update" ? t.find(s.state, t.idOf(s.request)) : null;
  if (g) s.loaded = { id: t.idOf(s.request), body: t.bodyOf(g) };
  stateChanged(s);
  if (s !== current) {
    location.hash = doc.dialect.id;
    return;
  }
  renderForm();
}

function onReset() {
  const id = current.dialect.id;
  forget(id);
  sessions.delete(id);
  show(id);
}

// ---------------------------------------------------------------- verdict

/**
 * The engine's verdict, or `{ refused: issues }` when the engine throws
 * GroupgateError for input it cannot read (a context member of the wrong
 * type): an error state, with the engine's issues under their fields.
 */
function engineVerdict(s) {
  try {
    return computeVerdict(s);
  } catch (e) {
    if (e?.name !== "GroupgateError") throw e;
    const issues = e.issues?.length ? e.issues : [{ path: "", code: e.code ?? "error", message: e.message }];
    return { refused: issues.map((i) => ({ ...i, severity: "error" })) };
  }
}

// validate() for every dialect, Baseten included: Workspace.preview(request, caller)
// answers a verdict for a caller validate() refuses to read, and the console
// shows validate()'s answer. The compiled workspace serves the tree.
function computeVerdict(s) {
  const d = s.dialect;
  const context = { state: s.state, caller: s.caller };
  if (d.files) context.files = d.files;
  return validate(d.id, s.request, context);
}

/**
 * The one revalidation. The verdict shown is the engine's for the current
 * inputs, or an error state (local JSON errors, an exception anywhere while
 * showing it); Send is enabled only with an ok verdict and no error.
 */
function revalidate(key = "") {
  const s = current;
  els.verdict.dataset.state = "checking";
  $("#submit")?.setAttribute("disabled", "");
  verdict = null;
  try {
    // A field no longer in the form (not sent, removed) takes its unparsed text with it.
    for (const k of [...s.localErrors.keys()]) if (k !== "/context/state" && !index.has(k)) s.localErrors.delete(k);
    record(s, key);
    if (s.localErrors.size) {
      const local = [...s.localErrors].map(([path, message]) => ({ path, code: "json", message, severity: "error" }));
      showIssues(index, local, valueOf);
      renderError(s, "Not checked", "Fix the JSON to get the engine's verdict.", local);
      els.changes.replaceChildren(...renderChanges(s.dialect, null));
    } else {
      const v = engineVerdict(s);
      if (v.refused) {
        showIssues(index, v.refused, valueOf);
        renderError(s, "Not checked", "The engine cannot read this input.", v.refused);
        els.changes.replaceChildren(...renderChanges(s.dialect, null));
        renderView(s, null);
        renderTargetMark(s);
        sync();
        return;
      }
      const issues = [
        ...v.errors.map((e) => ({ ...e, severity: e.severity ?? "error" })),
        ...v.warnings.map((w) => ({ ...w, severity: w.severity ?? "warning" })),
      ];
      showIssues(index, issues, valueOf);
      renderVerdict(s, v, issues);
      els.changes.replaceChildren(...renderChanges(s.dialect, v));
      verdict = v;
    }
    renderView(s, verdict);
    renderTargetMark(s);
    const ep = $("#endpoint");
    if (ep) ep.textContent = s.dialect.endpoint(s.request.op, s.request);
    sync();
  } catch (e) {
    fail(e);
  }
}

const valueOf = (path) => (path.startsWith("/context/caller") ? at(current.caller, path.slice(15))
  : path.startsWith("/context/state") ? at(current.state, path.slice(14)) : at(current.request, path));

/** Any exception: the verdict becomes an error state (never the previous verdict). */
function fail(e) {
  verdict = null;
  try {
    renderError(current, "Console error", `The console could not show the verdict: ${e?.message ?? e}. Nothing here is checked; Send is disabled.`, []);
  } catch {
    els.verdict.replaceChildren(h("p", { class: "status s-err", id: "status", "data-status": "" }, "Console error"));
  }
}
window.addEventListener("error", (ev) => fail(ev.error ?? ev.message));
window.addEventListener("unhandledrejection", (ev) => fail(ev.reason));

const count = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;

function summaryList(errors) {
  return h("details", { class: "summary-box", open: !matchMedia("(max-width: 700px)").matches },
    h("summary", {}, count(errors.length, "error")),
    h("ul", { class: "summary" }, ...errors.map((e) => {
      const a = h("a", { href: "#" }, h("span", { class: "text" }, e.text ?? e.message), " ", h("code", { class: "tech" }, e.path || "(request)"));
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        focusPointer(e.path);
      });
      return h("li", {}, a);
    })));
}

function sendRow(s, ok, hint) {
  const submit = h("button", { type: "submit", form: "editor", id: "submit", disabled: !ok, class: "primary" }, `Send ${s.request.op}`);
  return h("div", { class: "row" }, submit, h("span", { class: "hint" }, hint));
}

function renderVerdict(s, v, issues) {
  const errors = issues.filter((i) => i.severity === "error").map((e) => ({ ...e, text: humanize(e, valueOf) }));
  const warnings = issues.filter((i) => i.severity !== "error");
  const ok = v.ok === true;
  els.verdict.dataset.state = ok ? "ok" : "rejected";
  els.verdict.replaceChildren(
    h("h2", { id: "verdict-h" }, "Verdict"),
    h("p", { class: `status s${String(v.status)[0]}xx`, id: "status", "data-status": v.status },
      h("span", { class: "badge" }, String(v.status)), " ",
      h("span", { class: "reason" }, REASONS[v.status] ?? ""), " ",
      h("span", { class: "counts" }, ok ? "the server would accept this" : count(errors.length, "error"),
        warnings.length ? `, ${count(warnings.length, "warning")}` : "")),
    v.complete === false || v.skipped?.length
      ? h("p", { class: "skipped", id: "incomplete" }, `Incomplete: not checked without context: ${(v.skipped ?? []).join(", ") || "some checks"}.`) : "",
    errors.length ? summaryList(errors) : "",
    sendRow(s, ok, ok ? "" : "Fix the errors to send."),
    h("p", { class: "sent", id: "sent", role: "status" }),
  );
}

function renderError(s, title, detail, issues) {
  els.verdict.dataset.state = "error";
  els.verdict.replaceChildren(
    h("h2", { id: "verdict-h" }, "Verdict"),
    h("p", { class: "status s-err", id: "status", "data-status": "" },
      h("span", { class: "badge" }, "—"), " ", h("span", { class: "reason" }, title), " ", h("span", { class: "counts" }, detail)),
    issues.length ? summaryList(issues.map((i) => ({ ...i, text: humanize(i, valueOf) }))) : "",
    sendRow(s, false, "Nothing can be sent in this state."),
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
    renderTree(els.view, s, v, { onEdit: (id) => selectTarget(id, { op: "update" }) });
  } else if (s.dialect.id === "gorules") {
    s.view ??= new FileExplorer(els.view, s);
    s.view.update(v);
  }
}

// Verdict height on small screens (it is a bar at the bottom): the page keeps room for it.
new ResizeObserver(() => document.body.style.setProperty("--verdict-h", `${els.verdict.offsetHeight}px`)).observe(els.verdict);

document.addEventListener("keydown", (ev) => {
  if (!(ev.ctrlKey || ev.metaKey) || ev.key.toLowerCase() !== "z") return;
  if (ev.target.matches?.("input[type=text], textarea")) return; // the field's own undo
  ev.preventDefault();
  if (ev.shiftKey) onRedo();
  else onUndo();
});

show(location.hash.slice(1));
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
document.body.classList.add("ready");
