// DOM helpers: `h(tag, attrs, ...children)` and JSON pointers.

/** Creates an element. Boolean attrs set properties; strings and nodes become children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "checked" || k === "selected" || k === "value" || k === "disabled") el[k] = v;
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false || c === "") continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const pointer = {
  escape: (key) => String(key).replaceAll("~", "~0").replaceAll("/", "~1"),
};

export const clone = (v) => (v === undefined ? undefined : structuredClone(v));

/** HTTP reason phrases of the statuses a verdict can carry. */
export const REASONS = {
  200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
  404: "Not Found", 409: "Conflict", 412: "Precondition Failed", 422: "Unprocessable Entity",
};
