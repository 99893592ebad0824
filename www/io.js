// Requests in and out of the console: the JSON document (import/export),
// `curl` and `fetch` snippets with the dialect's endpoint and method, and the
// shareable link (the document, base64url, in the URL's fragment).

/** The request as the console holds it, with the context the engine sees. */
export function exportDocument(s) {
  const context = { state: s.state, caller: s.caller };
  if (s.dialect.files) context.files = s.dialect.files;
  return { dialect: s.dialect.id, request: s.request, context };
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads an imported document: `{dialect?, request, context?: {state?, caller?}}`
 * or a bare request `{op, params?, body?}`. Returns { doc } or { error } (never throws).
 */
export function readDocument(text, dialects, current) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: jsonError(text, e) };
  }
  if (!isObject(v)) return { error: "The document must be a JSON object: { dialect, request, context }." };
  const bare = "op" in v && !("request" in v);
  const request = bare ? v : v.request;
  const id = bare ? current : v.dialect ?? current;
  const d = dialects.find((x) => x.id === id);
  if (!d) return { error: `Unknown dialect ${JSON.stringify(id)}: the console knows ${dialects.map((x) => x.id).join(", ")}.` };
  if (!isObject(request)) return { error: "The document has no request object (request: { op, params, body })." };
  if (!d.ops.includes(request.op)) {
    return { error: `The console edits ${d.ops.join(", ")} requests; this one has op ${JSON.stringify(request.op)}.` };
  }
  const ctx = bare || !isObject(v.context) ? {} : v.context;
  return { doc: { dialect: d, request, state: ctx.state, caller: ctx.caller, hasState: "state" in ctx, hasCaller: "caller" in ctx } };
}

/** A JSON.parse failure as a person reads it: what, and the line and column. */
export function jsonError(text, e) {
  const m = /position (\d+)/.exec(e.message);
  const end = /end of JSON input/.test(e.message);
  const why = end ? "it ends too early"
    : e.message.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "").replace(/, "[\s\S]*" is not valid JSON$/, "");
  if (!m && !end) return `Not valid JSON: ${why}.`;
  const { line, column } = lineColumn(text, end ? text.length : Number(m[1]));
  return `Not valid JSON: ${why} at line ${line}, column ${column}.`;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text, offset) {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1).length + 1 };
}

/** The dialect's method and URL for the request. */
export function target(s) {
  const [method, path] = s.dialect.endpoint(s.request.op, s.request).split(" ");
  return { method, url: `${s.dialect.api.base}${path}` };
}

const sq = (x) => `'${x.replaceAll("'", "'\\''")}'`;

/** The request as a `curl` command line (credentials from environment variables). */
export function curl(s) {
  const { method, url } = target(s);
  const { header, token } = s.dialect.api;
  const lines = [`curl -X ${method} "${url}"`, `-H "${header}: ${token}"`];
  if (s.request.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`, `--data-raw ${sq(JSON.stringify(s.request.body))}`);
  }
  return lines.join(" \\\n  ");
}

const tpl = (x) => `\`${x.replaceAll("`", "\\`").replace(/\$([A-Z_]+)/g, "${$1}")}\``;

/** The request as a `fetch` call (credentials from variables of the same names). */
export function fetchSnippet(s) {
  const { method, url } = target(s);
  const { header, token } = s.dialect.api;
  const headers = [`${JSON.stringify(header)}: ${tpl(token)}`];
  const body = s.request.body !== undefined;
  if (body) headers.push(`"Content-Type": "application/json"`);
  const out = [`await fetch(${tpl(url)}, {`, `  method: ${JSON.stringify(method)},`, `  headers: { ${headers.join(", ")} },`];
  if (body) out.push(`  body: JSON.stringify(${JSON.stringify(s.request.body, null, 2).replaceAll("\n", "\n  ")}),`);
  out.push("});");
  return out.join("\n");
}

/** UTF-8 → base64url and back: the share link's payload. */
export function encodeShare(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The object of a share payload, or null when it is not one. */
export function decodeShare(text) {
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
}
