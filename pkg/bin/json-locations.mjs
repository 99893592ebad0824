// Where each value of a JSON text starts, by JSON Pointer, so an issue's
// path becomes file:line:column. A small scanner over the text (JSON.parse
// gives the values; this only finds where they are), which also locates a
// syntax error.

/** Thrown for text that is not JSON: where the scanner stopped (`line`, `column` 1-based). */
export class JsonSyntaxError extends Error {
  constructor(message, offset, line, column, json = false) {
    super(message);
    this.offset = offset;
    this.line = line;
    this.column = column;
    /** The text is JSON, but not JSON this tool reads (a member given twice). */
    this.json = json;
  }
}

/**
 * Scans `text`; returns `{ value, at(pointer) }` where `at` gives the
 * `{ line, column, exact }` (1-based) of the value at `pointer`, or of its
 * nearest ancestor present in the text (a missing member is reported at its
 * parent; `exact` is false then).
 */
export function readJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    let offset = 0;
    try {
      scan(text, { at: 0, kids: null });
    } catch (s) {
      if (s instanceof JsonSyntaxError) offset = s.offset;
    }
    const { line, column } = position(lineStarts(text), offset);
    throw new JsonSyntaxError(e.message, offset, line, column);
  }
  const root = { at: 0, kids: null };
  const lines = lineStarts(text);
  try {
    scan(text, root);
  } catch (e) {
    // JSON.parse read it, but a number is out of range (below): refused
    // where it is, as the engine's own text readers refuse it.
    if (e instanceof JsonSyntaxError) {
      const { line, column } = position(lines, e.offset);
      throw new JsonSyntaxError(e.message, e.offset, line, column, e.json);
    }
    // Nesting too deep for the scanner's stack: what was found still locates.
    if (!(e instanceof RangeError)) throw e;
  }
  // Token by token from the root: the nearest ancestor the scan found.
  const at = (pointer) => {
    let node = root;
    let exact = true;
    if (pointer !== "") {
      for (const token of pointer.slice(1).split("/")) {
        const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
        const next = node.kids instanceof Map ? node.kids.get(key) : /^(0|[1-9][0-9]*)$/.test(key) ? node.kids?.[Number(key)] : undefined;
        // -1: the scanner's stack ran out before the value (nesting too deep).
        if (next === undefined || next.at < 0) {
          exact = false;
          break;
        }
        node = next;
      }
    }
    return { ...position(lines, node.at), exact };
  };
  return { value, at, position: (offset) => position(lines, offset) };
}

function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function position(lines, offset) {
  let lo = 0, hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lines[lo] + 1 };
}

// A number literal's value as digits and exponent ("1.50e1" and "15": "15e0").
function decimal(text) {
  const [mantissa, exp = "0"] = text.toLowerCase().split("e");
  const [int, frac = ""] = mantissa.replace("-", "").split(".");
  const digits = (int + frac).replace(/^0+/, "");
  const kept = digits.replace(/0+$/, "");
  if (kept === "") return "0";
  return `${mantissa[0] === "-" ? "-" : ""}${kept}e${Number(exp) - frac.length + digits.length - kept.length}`;
}

/** A number (group 1) or true, false, null, where the scanner stands (sticky: no copy of the text). */
const LITERAL = /(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|true|false|null/y;

// Fills in `root`, the text's value: `at`, the offset where each value
// starts, and `kids`, an object's members by name (a Map) or an array's
// items. A tree, not a map of whole pointers: keyed by pointer, each value
// cost the length of its pointer, so a 1 MB member name over 2,000 items
// (a 1 MB file) took 60 s and 2 GB. Throws JsonSyntaxError.
function scan(text, root) {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new JsonSyntaxError(`${what} at offset ${i}`, i);
  };
  const string = () => {
    const start = ++i;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("control character in a string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start - 1, i));
  };
  const value = (node) => {
    ws();
    node.at = i;
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      // A member given twice: JSON.parse keeps the last, a reviewer reads
      // the first (a deny rule, then `"filePermissions": []`), and RFC 8259
      // §4 calls such an object unpredictable (Go's protojson, Frontier's
      // decoder, refuses it). Refused at the second.
      const names = (node.kids = new Map());
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a member name");
        const at = i;
        const key = string();
        if (names.has(key)) {
          throw new JsonSyntaxError(`member ${JSON.stringify(key)} given twice in one object (JSON.parse would keep the last one)`, at, 0, 0, true);
        }
        const kid = { at: -1, kids: null };
        names.set(key, kid);
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        value(kid);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      ws();
      const items = (node.kids = []);
      if (text[i] === "]") return void i++;
      for (;;) {
        const kid = { at: -1, kids: null };
        items.push(kid);
        value(kid);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return void string();
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) fail("expected a value");
    // JSON.parse makes 1e400 Infinity, which JSON.stringify then sends as
    // null: a number a request meant would silently become null.
    if (m[1] !== undefined && !Number.isFinite(Number(m[1]))) fail("a number out of range");
    // JSON.parse keeps -0 (and -1e-400), JSON.stringify sends it as 0, but
    // the server reads -0: Frontier's metaschema (gojsonschema v1.2.0
    // const, enum, uniqueItems) compares numbers as Go's json.Marshal
    // writes them, "-0" apart from "0". Read as 0, a metadata -0 passed a
    // `const: 0` the server refuses.
    if (m[1] !== undefined && Object.is(Number(m[1]), -0)) fail("a negative zero (the engine would read it as 0; write 0)");
    // JSON.parse rounds a number to a double, which JSON.stringify then
    // sends, but a server may read the literal exactly: Baseten's pydantic an
    // integer of any size (pydantic-core@383eb95a src/input/input_json.rs:179-180),
    // Frontier's gojsonschema a schema number as a big.Rat of its text
    // (xeipuuv/gojsonschema@v1.2.0 validation.go validateNumber). A child's
    // 9007199254740993 passed its ancestor's 9007199254740992 as equal, and
    // 0.1 a `maximum: 0.09999999999999999999`. Refused unless the double
    // spells the same decimal (a literal of at most 15 digits always does).
    if (m[1] !== undefined && (m[1].length > 15 || /[eE]/.test(m[1]))) {
      const back = String(Number(m[1]));
      if (back !== m[1] && decimal(back) !== decimal(m[1])) {
        fail(`a number JSON.parse cannot hold exactly (it would read ${back}, and the engine get that)`);
      }
    }
    i += m[0].length;
  };
  value(root);
  ws();
  if (i < text.length) fail("unexpected text after the value");
}
