// A small schema-driven form: field descriptors in, DOM bound to a plain JSON
// value out. Every field carries the JSON pointer of its value
// (`data-pointer="/body/models/0/slug"`), so a verdict's issues land under the
// field they name (see `showIssues`).
import { h, pointer } from "./dom.js";

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
 * ctx: { onInput(), onStructure(focusPointer?), index: Map<pointer, slot>,
 *        suggestions(field) => string[], memo: Map, localErrors: Map }
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
  const value = holder[field.key];
  switch (field.kind) {
    case "text": {
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
      if (field.onCommit) el.addEventListener("change", () => field.onCommit(el.value, ctx));
      wrap.append(el);
      return el;
    }
    case "number": {
      const el = h("input", { type: "text", inputmode: "decimal", id, name: ptr, "data-ctl": ptr, autocomplete: "off", value: String(value) });
      el.addEventListener("input", () => set(parseNumber(el.value)));
      wrap.append(el);
      return el;
    }
    case "select": {
      const options = field.options.includes(value) ? field.options : [...field.options, value];
      const el = h("select", { id, name: ptr, "data-ctl": ptr },
        ...options.map((o) => h("option", { value: String(o), selected: o === value }, String(o))));
      el.addEventListener("change", () => set(el.value));
      wrap.append(el);
      return el;
    }
    case "bool": {
      const known = value === true || value === false;
      const el = h("select", { id, name: ptr, "data-ctl": ptr },
        h("option", { value: "true", selected: value === true }, "true"),
        h("option", { value: "false", selected: value === false }, "false"),
        known ? "" : h("option", { value: "", selected: true }, JSON.stringify(value)));
      el.addEventListener("change", () => set(el.value === "true"));
      wrap.append(el);
      return el;
    }
    case "json": {
      const el = h("textarea", { id, name: ptr, "data-ctl": ptr, rows: field.rows ?? 3, spellcheck: "false", class: "mono" });
      el.value = JSON.stringify(value, null, field.indent ?? 0);
      el.addEventListener("input", () => {
        try {
          const v = JSON.parse(el.value);
          ctx.localErrors.delete(ptr);
          set(v);
        } catch (e) {
          ctx.localErrors.set(ptr, `not JSON: ${e.message}`);
          ctx.onInput(ptr);
        }
      });
      wrap.append(el);
      return el;
    }
    case "checks": {
      const arr = Array.isArray(value) ? value : [];
      const extra = arr.filter((v) => !field.options.includes(v));
      const box = h("div", { class: "checks" });
      for (const o of [...field.options, ...extra]) {
        const cid = `${id}-${o}`;
        const cb = h("input", { type: "checkbox", id: cid, value: o, checked: arr.includes(o), "data-ctl": `${ptr}=${o}` });
        cb.addEventListener("change", () => {
          const all = [...field.options, ...extra];
          const now = new Set([...box.querySelectorAll("input:checked")].map((c) => c.value));
          set(all.filter((x) => now.has(x)));
        });
        box.append(h("span", { class: "check" }, cb, h("label", { for: cid }, o)));
      }
      wrap.append(box);
      return box;
    }
    case "tags": {
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
        const rm = h("button", { type: "button", class: "icon", "aria-label": `Remove ${field.noun ?? "entry"} ${i + 1}`, title: "Remove" }, "✕");
        rm.addEventListener("click", () => {
          value.splice(i, 1);
          ctx.onStructure(`${ptr}#add`);
        });
        const li = h("li", { "data-pointer": ip }, h("label", { class: "sr-only", for: iid }, `${field.label} ${i + 1}`), el, rm, msgs);
        ctx.index.set(ip, { wrap: li, msgs, control: el });
        rows.append(li);
      });
      const add = h("button", { type: "button", class: "add", "data-ctl": `${ptr}#add` }, `+ Add ${field.noun ?? "entry"}`);
      add.addEventListener("click", () => {
        value.push(field.make ? field.make() : "");
        ctx.onStructure(`${ptr}/${value.length - 1}`);
      });
      wrap.append(rows, add);
      return rows;
    }
    case "list": {
      if (!Array.isArray(value)) return wrap.appendChild(h("p", { class: "not-sent" }, `Not an array: ${JSON.stringify(value)}`));
      const items = h("ol", { class: "items" });
      value.forEach((item, i) => {
        const ip = `${ptr}/${i}`;
        const msgs = h("ul", { class: "msgs" });
        const name = field.itemLabel ? field.itemLabel(item, i) : `${field.noun ?? "item"} ${i + 1}`;
        const rm = h("button", { type: "button", class: "icon", "aria-label": `Remove ${name}`, title: "Remove" }, "✕");
        rm.addEventListener("click", () => {
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
        items.append(li);
      });
      const add = h("button", { type: "button", class: "add", "data-ctl": `${ptr}#add` }, `+ Add ${field.noun ?? "item"}`);
      add.addEventListener("click", () => {
        value.push(emptyOf({ ...field, kind: "group", make: field.make }));
        ctx.onStructure(`${ptr}/${value.length - 1}`);
      });
      wrap.append(items, add);
      return items;
    }
    case "group": {
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        return wrap.appendChild(h("p", { class: "not-sent" }, `Not an object: ${JSON.stringify(value)}`));
      }
      const grid = h("div", { class: "grid" }, ...renderFields(field.fields, value, ptr, ctx));
      wrap.append(grid);
      return grid;
    }
  }
  return null;
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

/**
 * Clears every slot's messages, then puts each issue under its field.
 * `issues`: [{ path, code, message, severity: "error"|"warning" }].
 */
export function showIssues(index, issues) {
  for (const { wrap, msgs, control } of index.values()) {
    msgs.replaceChildren();
    wrap.classList.remove("has-error", "has-warning");
    control?.removeAttribute?.("aria-invalid");
  }
  for (const issue of issues) {
    const [at, slot] = slotFor(index, issue.path);
    if (!slot) continue;
    const rest = issue.path.slice(at.length);
    slot.msgs.append(h("li", { class: issue.severity, "data-code": issue.code, "data-path": issue.path },
      h("span", { class: "sev" }, issue.severity === "error" ? "Error" : "Warning"), " ",
      rest ? h("code", {}, rest) : "", rest ? " " : "",
      issue.message, " ", h("code", { class: "code" }, issue.code)));
    slot.wrap.classList.add(issue.severity === "error" ? "has-error" : "has-warning");
    if (issue.severity === "error") slot.control?.setAttribute?.("aria-invalid", "true");
  }
}
