// A small schema-driven form: field descriptors in, DOM bound to a plain JSON
// value out. Every field carries the JSON pointer of its value
// (`data-pointer="/body/models/0/slug"`), so a verdict's issues land under the
// field they name (see `showIssues`).
import { h, pointer } from "./dom.js";
import { jsonError } from "./io.js";
import { humanize, where } from "./messages.js";

// ------------------------------------------------------------ descriptors

export const text = (key, label, o = {}) => ({ kind: "text", key, label, ...o });
export const number = (key, label, o = {}) => ({ kind: "number", key, label, ...o });
export const select = (key, label, options, o = {}) => ({ kind: "select", key, label, options, ...o });
export const bool = (key, label, o = {}) => ({ kind: "bool", key, label, ...o });
export const json = (key, label, o = {}) => ({ kind: "json", key, label, ...o });
/** An array of strings, one input per entry (suggestions through a datalist). */
export const tags = (key, label, o = {}) => ({ kind: "tags", key, label, ...o });
/** An array of strings from a fixed set, as checkboxes. */
export const checks = (key, label, options, o = {}) => ({ kind: "checks", key, label, options, ...o });
/** An array of objects; `o.make()` gives a new item, `o.noun` names one. */
export const list = (key, label, fields, o = {}) => ({ kind: "list", key, label, fields, ...o });
export const group = (key, label, fields, o = {}) => ({ kind: "group", key, label, fields, ...o });

const EMPTY = { text: "", number: 0, select: null, bool: false, json: {}, tags: [], checks: [], list: [], group: {} };

function emptyOf(field) {
  if (field.make) return field.make();
  if (field.kind === "select") return field.options[0];
  return structuredClone(EMPTY[field.kind]);
}

/** Reads a number field: a finite number, else the text as typed (the engine reports the type). */
export function parseNumber(s) {
  const t = s.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : s;
}

// ---------------------------------------------------------------- render

let seq = 0;

/**
 * Renders `fields` bound to `holder` (an object) at JSON pointer `base`.
 * ctx: { onInput(), onStructure(focusPointer?), onTarget(id), index: Map<pointer, slot>,
 *        memo: Map, localErrors: Map<pointer, message>, raw: Map<pointer, text> }
 */
export function renderFields(fields, holder, base, ctx) {
  return fields.filter((f) => !f.hidden).map((f) => renderField(f, holder, base, ctx));
}

function renderField(field, holder, base, ctx) {
  const ptr = `${base}/${pointer.escape(field.key)}`;
  const present = Object.hasOwn(holder, field.key) && holder[field.key] !== undefined;
  const id = `f${++seq}`;
  const msgs = h("ul", { class: "msgs", id: `${id}-msgs` });
  const boxed = field.kind === "group" || field.kind === "list" || field.kind === "tags" || field.kind === "checks";
  const wrap = h(boxed ? "fieldset" : "div", {
    class: `field field-${field.kind}${field.wide ? " wide" : ""}${present ? "" : " absent"}`,
    "data-pointer": ptr,
  });
  const title = [field.label, " ", h("code", { class: "key" }, field.key)];
  const head = boxed ? h("legend", {}, ...title) : h("label", { for: id }, ...title);
  const headRow = h("div", { class: "field-head" }, head);

  if (field.optional) {
    const cb = h("input", { type: "checkbox", id: `${id}-send`, checked: present, "data-ctl": `${ptr}#send` });
    cb.addEventListener("change", () => {
      if (cb.checked) {
        holder[field.key] = ctx.memo.has(ptr) ? ctx.memo.get(ptr) : emptyOf(field);
      } else {
        ctx.memo.set(ptr, holder[field.key]);
        delete holder[field.key];
        // Text that did not parse goes with the value it was meant to be.
        for (const k of [...ctx.localErrors.keys()]) if (k === ptr || k.startsWith(`${ptr}/`)) ctx.localErrors.delete(k);
      }
      ctx.onStructure(`${ptr}#send`);
    });
    headRow.append(h("span", { class: "send" }, cb, h("label", { for: `${id}-send` }, "send")));
  }
  wrap.append(headRow);
  if (field.hint) wrap.append(h("p", { class: "hint", id: `${id}-hint` }, field.hint));

  let control = null;
  if (!present) {
    wrap.append(h("p", { class: "not-sent" }, "Not sent."));
  } else {
    control = renderControl(field, holder, ptr, id, ctx, wrap);
  }
  wrap.append(msgs);
  const described = [field.hint ? `${id}-hint` : "", `${id}-msgs`].filter(Boolean).join(" ");
  if (control) control.setAttribute("aria-describedby", described);
  ctx.index.set(ptr, { wrap, msgs, control });
  return wrap;
}

function renderControl(field, holder, ptr, id, ctx, wrap) {
  const set = (v) => {
    holder[field.key] = v;
    ctx.onInput(ptr);
  };
  return CONTROLS[field.kind]({ field, value: holder[field.key], ptr, id, ctx, wrap, set }) ?? null;
}

// One renderer per field kind: each appends its control to `wrap` and returns it.
const CONTROLS = {
  text({ field, value, ptr, id, ctx, wrap, set }) {
    const attrs = { id, name: ptr, "data-ctl": ptr, autocomplete: "off", spellcheck: "false" };
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    let el;
    if (field.multiline) {
      el = h("textarea", { ...attrs, rows: field.rows ?? 2 });
      el.value = shown;
    } else {
      el = h("input", { ...attrs, type: "text", value: shown, placeholder: field.placeholder ?? "" });
      datalist(el, field, ctx, wrap);
    }
    el.addEventListener("input", () => set(el.value));
    if (field.target) el.addEventListener("change", () => ctx.onTarget(el.value));
    wrap.append(el);
    if (field.target) wrap.append(h("p", { class: "target-mark", "data-target-mark": ptr, role: "status" }));
    return el;
  },
  number({ value, ptr, id, wrap, set }) {
    const el = h("input", { type: "text", inputmode: "decimal", id, name: ptr, "data-ctl": ptr, autocomplete: "off", value: String(value) });
    el.addEventListener("input", () => set(parseNumber(el.value)));
    wrap.append(el);
    return el;
  },
  select({ field, value, ptr, id, wrap, set }) {
    const options = field.options.includes(value) ? field.options : [...field.options, value];
    const el = h("select", { id, name: ptr, "data-ctl": ptr },
      ...options.map((o) => h("option", { value: String(o), selected: o === value }, typeof o === "string" ? o : JSON.stringify(o))));
    el.addEventListener("change", () => set(el.value));
    wrap.append(el);
    return el;
  },
  bool({ value, ptr, id, wrap, set }) {
    const known = value === true || value === false;
    const el = h("select", { id, name: ptr, "data-ctl": ptr },
      h("option", { value: "true", selected: value === true }, "true"),
      h("option", { value: "false", selected: value === false }, "false"),
      known ? "" : h("option", { value: "", selected: true }, JSON.stringify(value)));
    el.addEventListener("change", () => set(el.value === "true"));
    wrap.append(el);
    return el;
  },
  json({ field, value, ptr, id, ctx, wrap, set }) {
    const el = h("textarea", { id, name: ptr, "data-ctl": ptr, rows: field.rows ?? 3, spellcheck: "false", class: "mono" });
    // While the text does not parse, the form keeps showing it (and its error) across re-renders.
    el.value = ctx.localErrors.has(ptr) && ctx.raw.has(ptr) ? ctx.raw.get(ptr) : JSON.stringify(value, null, field.indent ?? 0);
    el.addEventListener("input", () => {
      try {
        const v = JSON.parse(el.value);
        ctx.localErrors.delete(ptr);
        ctx.raw.delete(ptr);
        set(v);
      } catch (e) {
        ctx.localErrors.set(ptr, jsonError(el.value, e));
        ctx.raw.set(ptr, el.value);
        ctx.onInput(ptr);
      }
    });
    wrap.append(el);
    return el;
  },
  checks({ field, value, ptr, id, wrap, set }) {
    const arr = Array.isArray(value) ? value : [];
    const extra = arr.filter((v) => !field.options.includes(v));
    const box = h("div", { class: "checks" });
    const all = [...field.options, ...extra];
    all.forEach((o, k) => {
      const label = typeof o === "string" ? o : JSON.stringify(o);
      const cb = h("input", { type: "checkbox", id: `${id}-${k}`, value: label, checked: arr.includes(o), "data-ctl": `${ptr}=${label}` });
      cb.addEventListener("change", () => {
        const now = new Set([...box.querySelectorAll("input:checked")].map((c) => c.value));
        set(all.filter((x) => now.has(typeof x === "string" ? x : JSON.stringify(x))));
      });
      box.append(h("span", { class: "check" }, cb, h("label", { for: `${id}-${k}` }, label)));
    });
    if (!Array.isArray(value)) box.append(h("p", { class: "not-sent" }, `Not an array: ${JSON.stringify(value)}`));
    wrap.append(box);
    return box;
  },
  tags({ field, value, ptr, id, ctx, wrap }) {
    if (!Array.isArray(value)) return wrap.appendChild(h("p", { class: "not-sent" }, `Not an array: ${JSON.stringify(value)}`));
    const rows = h("ol", { class: "rows" });
    value.forEach((v, i) => {
      const ip = `${ptr}/${i}`;
      const iid = `${id}-${i}`;
      const msgs = h("ul", { class: "msgs", id: `${iid}-msgs` });
      const el = h("input", {
        type: "text", id: iid, name: ip, "data-ctl": ip, autocomplete: "off", spellcheck: "false",
        value: typeof v === "string" ? v : JSON.stringify(v), "aria-describedby": `${iid}-msgs`,
      });
      datalist(el, field, ctx, wrap);
      el.addEventListener("input", () => {
        value[i] = el.value;
        ctx.onInput(ip);
      });
      const rm = removeButton(`Remove ${field.noun ?? "entry"} ${i + 1}`, () => {
        value.splice(i, 1);
        ctx.onStructure(`${ptr}#add`);
      });
      const li = h("li", { "data-pointer": ip }, h("label", { class: "sr-only", for: iid }, `${field.label} ${i + 1}`), el, rm, msgs);
      ctx.index.set(ip, { wrap: li, msgs, control: el });
      rows.append(li);
    });
    wrap.append(rows, addButton(field, ptr, () => {
      value.push(field.make ? field.make() : "");
      ctx.onStructure(`${ptr}/${value.length - 1}`);
    }));
    return rows;
  },
  list({ field, value, ptr, ctx, wrap }) {
    if (!Array.isArray(value)) return wrap.appendChild(h("p", { class: "not-sent" }, `Not an array: ${JSON.stringify(value)}`));
    const items = h("ol", { class: "items" });
    value.forEach((item, i) => items.append(listItem(field, value, item, i, ptr, ctx)));
    wrap.append(items, addButton(field, ptr, () => {
      value.push(emptyOf({ ...field, kind: "group", make: field.make }));
      ctx.onStructure(`${ptr}/${value.length - 1}`);
    }));
    return items;
  },
  group({ field, value, ptr, ctx, wrap }) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      return wrap.appendChild(h("p", { class: "not-sent" }, `Not an object: ${JSON.stringify(value)}`));
    }
    const grid = h("div", { class: "grid" }, ...renderFields(field.fields, value, ptr, ctx));
    wrap.append(grid);
    return grid;
  },
};

function listItem(field, value, item, i, ptr, ctx) {
  const ip = `${ptr}/${i}`;
  const msgs = h("ul", { class: "msgs" });
  const name = field.itemLabel ? field.itemLabel(item, i) : `${field.noun ?? "item"} ${i + 1}`;
  const rm = removeButton(`Remove ${name}`, () => {
    value.splice(i, 1);
    ctx.onStructure(`${ptr}#add`);
  });
  const li = h("li", { class: `item${field.compact ? " compact" : ""}`, "data-pointer": ip, "aria-label": name },
    field.compact ? "" : h("div", { class: "item-head" }, h("span", { class: "item-name" }, name), rm));
  if (item && typeof item === "object" && !Array.isArray(item)) {
    li.append(h("div", { class: field.compact ? "grid row-grid" : "grid" }, ...renderFields(field.fields, item, ip, ctx), field.compact ? rm : ""));
  } else {
    li.append(h("p", { class: "not-sent" }, `Not an object: ${JSON.stringify(item)}`));
  }
  li.append(msgs);
  ctx.index.set(ip, { wrap: li, msgs, control: null });
  return li;
}

function removeButton(label, onClick) {
  const rm = h("button", { type: "button", class: "icon", "aria-label": label, title: "Remove" }, "✕");
  rm.addEventListener("click", onClick);
  return rm;
}

function addButton(field, ptr, onClick) {
  const add = h("button", { type: "button", class: "add", "data-ctl": `${ptr}#add` }, `+ Add ${field.noun ?? "entry"}`);
  add.addEventListener("click", onClick);
  return add;
}

function datalist(input, field, ctx, wrap) {
  const options = typeof field.suggestions === "function" ? field.suggestions(ctx) : field.suggestions;
  if (!options?.length) return;
  const lid = `${input.id}-list`;
  input.setAttribute("list", lid);
  wrap.append(h("datalist", { id: lid }, ...options.map((o) => h("option", { value: o }))));
}

// ---------------------------------------------------------------- issues

/** The slot of the deepest rendered pointer that is `path` or above it. */
export function slotFor(index, path) {
  let p = path;
  for (;;) {
    if (index.has(p)) return [p, index.get(p)];
    if (p === "") return [null, null];
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

const LABEL = { error: "Error", warning: "Warning", lint: "Note" };

/**
 * Clears every slot's messages, then puts each issue under its field: the
 * human message, with its code and pointer behind the "codes and pointers" switch.
 * `issues`: [{ path, code, message, severity: "error"|"warning"|"lint" }];
 * `valueOf(path)` gives the value an issue points at.
 */
export function showIssues(index, issues, valueOf) {
  for (const { wrap, msgs, control } of index.values()) {
    msgs.replaceChildren();
    wrap.classList.remove("has-error", "has-warning");
    control?.removeAttribute?.("aria-invalid");
  }
  for (const issue of issues) {
    const [at, slot] = slotFor(index, issue.path);
    if (!slot) continue;
    const rest = issue.path.slice(at.length);
    const sev = issue.severity === "error" ? "error" : "warning";
    slot.msgs.append(h("li", { class: sev, "data-code": issue.code, "data-path": issue.path },
      h("span", { class: "sev" }, LABEL[issue.severity] ?? "Warning"), " ",
      h("span", { class: "text" }, rest ? `${where(rest)}: ` : "", humanize(issue, valueOf)), " ",
      h("span", { class: "tech" }, h("code", { class: "code" }, issue.code), rest ? " at " : "", rest ? h("code", {}, issue.path) : "")));
    slot.wrap.classList.add(`has-${sev}`);
    if (sev === "error") slot.control?.setAttribute?.("aria-invalid", "true");
  }
}
