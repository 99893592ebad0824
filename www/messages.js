// The engine's issues as a person reads them. The engine's message stays the
// substance; the console only turns developer notation into words: byte
// offsets into line and column, regexes into their explanation. Codes and
// pointers are kept for the "codes and pointers" switch.
import { lineColumn } from "./io.js";

/** The value at a JSON pointer in `root`, or undefined. */
export function at(root, ptr) {
  let v = root;
  for (const raw of ptr.split("/").slice(1)) {
    const k = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** UTF-8 byte offset → UTF-16 offset in `s`. */
function utf16(s, bytes) {
  let b = 0;
  let i = 0;
  for (const ch of s) {
    if (b >= bytes) break;
    const c = ch.codePointAt(0);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  return i;
}

/**
 * The issue's message for the UI. `valueOf(path)` gives the value the issue
 * points at (to turn "at byte N" into a line and column of that text).
 */
export function humanize(issue, valueOf = () => undefined) {
  let m = String(issue.message ?? "");
  m = m.replace(/ \(at byte (\d+)\)/, (_, n) => {
    const v = valueOf(issue.path);
    if (typeof v !== "string") return "";
    const { line, column } = lineColumn(v, utf16(v, Number(n)));
    return ` (line ${line}, column ${column})`;
  });
  // Frontier answers its field rules in protovalidate's words:
  // "validation error:\n - body.name: value does not match regex pattern `^[A-Za-z0-9-_]+$` [string.pattern]".
  m = m.replace(/^validation error:\n - body\.(\w+): value does not match regex pattern `\^\[A-Za-z0-9-_\]\+\$` \[string\.pattern\]$/,
    "$1: only letters, digits, dashes and underscores, at least one");
  m = m.replace(/^validation error:\n - (\w+): value is required \[required\]$/, "$1 is required");
  // Frontier prefixes the server's own words ("invalid syntax in body : …").
  m = m.replace(/^(invalid syntax in body : )?metadata schema validation failed: /, "the organization's metadata schema says: ");
  return m;
}

/** The part of a pointer below the field that shows it, in words: "/models/0/slug" → "model 1 › slug". */
export function where(rest) {
  if (!rest) return "";
  return rest.split("/").slice(1).map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((k) => (/^\d+$/.test(k) ? `#${Number(k) + 1}` : k)).join(" › ");
}

/** Error, warning or lint (the engine's `severity`, else from the list the issue came in). */
export const severityOf = (issue, fallback) => issue.severity ?? fallback;
