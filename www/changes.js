// The "what will change" panel: a verdict's `changes` (and `next`), readable.
import { h } from "./dom.js";

const SIGN = { gained: "+", added: "+", lost: "−", removed: "−", removed_groups: "−", revoked_keys: "−" };
const TONE = { gained: "gain", added: "gain", lost: "loss", removed: "loss", removed_groups: "loss", revoked_keys: "loss" };

const label = (k) => k.replace(/([a-z])([A-Z])/g, "$1 $2").replaceAll("_", " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());

function chips(key, arr) {
  if (!arr.length) return h("span", { class: "none" }, "none");
  return h("span", { class: "chips" }, ...arr.map((x) =>
    h("span", { class: `chip ${TONE[key] ?? ""}` }, SIGN[key] ? `${SIGN[key]} ` : "", typeof x === "string" ? x : JSON.stringify(x))));
}

function cell(key, v) {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== "object" || x === null)) return chips(key, v);
    return h("ul", { class: "plain" }, ...v.map((x) => h("li", {}, inline(x))));
  }
  if (typeof v === "boolean") return h("span", { class: v ? "yes" : "no" }, v ? "yes" : "no");
  if (v && typeof v === "object") return inline(v);
  return String(v ?? "—");
}

/** A number as people read it (120,000); anything else as it is. */
export const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : String(n));
const UNIT = { SECOND: "s", MINUTE: "min", DAY: "day" };
/** A limit's type and unit in words: "tokens per min". */
export const perText = (type, unit) => `${type === "TOKEN" ? "tokens" : type === "REQUEST" ? "requests" : type} per ${UNIT[unit] ?? unit}`;

/** One side of a limit change: `{threshold, source_group}`, a bare threshold, or null (no limit). */
export function limitSide(x) {
  if (x === null || x === undefined) return "no limit";
  if (typeof x !== "object") return fmt(x);
  return `${fmt(x.threshold)}${x.source_group ? ` (from ${x.source_group})` : ""}`;
}

/** What a limit change is about: "rate limit, tokens per min". */
export function limitWhat(o) {
  return `${String(o.kind ?? "").replace(/_limits$/, "")} limit, ${perText(o.type, o.unit)}`;
}

// A limit change {slug, kind, type, unit, old, new} or any small object on one line.
function inline(o) {
  if (o && "old" in o && "new" in o) {
    return h("span", { class: "limit-change" }, o.slug ? h("code", {}, o.slug) : "", o.slug ? " " : "", `${limitWhat(o)}: `,
      h("span", { class: "old" }, limitSide(o.old)), " → ", h("strong", {}, limitSide(o.new)));
  }
  return h("span", {}, Object.entries(o).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", "));
}

function table(rows) {
  const FIRST = ["id", "prefix", "group_id", "member", "path", "action", "before", "after"];
  const rank = (c) => (FIRST.includes(c) ? FIRST.indexOf(c) : FIRST.length);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort((a, b) => rank(a) - rank(b));
  return h("div", { class: "scroll" }, h("table", { class: "data" },
    h("thead", {}, h("tr", {}, ...cols.map((c) => h("th", { scope: "col" }, label(c))))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...cols.map((c) => h("td", {}, cell(c, r[c]))))))));
}

function entry(key, v) {
  const title = h("h3", {}, label(key));
  if (Array.isArray(v)) {
    if (!v.length) return h("div", { class: "change", "data-key": key }, title, h("p", { class: "none" }, "none"));
    if (v.every((x) => x && typeof x === "object" && !Array.isArray(x))) return h("div", { class: "change", "data-key": key }, title, table(v));
    return h("div", { class: "change", "data-key": key }, title, chips(key, v));
  }
  if (v && typeof v === "object") {
    return h("div", { class: "change", "data-key": key }, title,
      h("dl", { class: "pairs" }, ...Object.entries(v).flatMap(([k, x]) => [h("dt", {}, label(k)), h("dd", {}, cell(k, x))])));
  }
  return h("div", { class: "change", "data-key": key }, title, h("p", {}, String(v)));
}

/** The panel's children for a verdict. */
export function renderChanges(dialect, v) {
  const out = [h("h2", { id: "changes-h" }, "What will change")];
  if (!v) {
    out.push(h("p", { class: "none" }, "Not known: the request is not checked."));
    return out;
  }
  if (!v.ok) {
    out.push(h("p", { class: "none" }, "Nothing: the server would reject this request."));
    return out;
  }
  const c = v.changes ?? {};
  const keys = Object.keys(c);
  if (!keys.length) out.push(h("p", { class: "none" }, "No changes beyond the resource itself."));
  for (const k of keys) out.push(entry(k, c[k]));
  if (v.response !== undefined) {
    out.push(h("details", { class: "next response" }, h("summary", {}, "The server's response body"),
      h("pre", { class: "mono" }, JSON.stringify(v.response, null, 2))));
  }
  if (v.next) {
    out.push(h("details", { class: "next" }, h("summary", {}, "The resource after the change (next)"),
      h("pre", { class: "mono" }, JSON.stringify(v.next, null, 2))));
  }
  return out;
}
