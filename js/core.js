// The public API of groupgate over the raw WASM exports. Thin on purpose:
// structured values cross as JSON text (JSON.stringify in, JSON.parse out),
// thrown issue lists become GroupgateError, action names map to codes and
// member handles are cached so a check crosses into WASM with one string and
// two integers. Every decision is made in Rust.
//
// This is the source: `./dev build` bundles it with member-cache.js into one
// minified pkg/core.js (issue 12: size), so "./wasm/groupgate.js" is relative
// to pkg/, where the glue is generated.
import * as raw from "./wasm/groupgate.js";
import { BATCH_UNITS, MemberCache, IdError, wellFormed } from "./member-cache.js";

/** How many issues `GroupgateError.message` spells out. */
const SHOWN_ISSUES = 3;

function summary(issues) {
  const shown = issues.slice(0, SHOWN_ISSUES).map((i) => (i.path ? `${i.path}: ` : "") + `${i.message} (${i.code})`);
  // A summary issue (past 100 of a code) stands for `omitted` issues.
  let rest = 0;
  for (let k = SHOWN_ISSUES; k < issues.length; k++) rest += issues[k].omitted ?? 1;
  const more = rest > 0 ? `; and ${rest} more` : "";
  return shown.join("; ") + more;
}

/** Thrown when the engine's own input (rules, state, options, a glob) or a call is invalid. */
export class GroupgateError extends Error {
  /** `message` defaults to the first few issues, each with its path and code. */
  constructor(message, issues) {
    super(message ?? summary(issues));
    this.name = "GroupgateError";
    this.issues = issues;
  }
  get code() {
    return this.issues[0]?.code;
  }
}

const issue = (path, code, message) => ({ path, code, message, severity: "error" });


function fail(path, code, message) {
  throw new GroupgateError(undefined, [issue(path, code, message)]);
}

// JSON has no undefined: a value left out crosses as null, so the engine's
// type error at its root says "got null"; it says what the caller passed.
function leftOut(issues, missing) {
  if (missing) for (const i of issues) if (!i.path) i.message = i.message.replace(/got null$/, "got undefined");
  return issues;
}

// Errors from WASM are JSON text `{message, issues}` (`missing`: the value
// they are about was undefined); a WebAssembly trap (out of memory) is a
// GroupgateError too, and the object that trapped keeps working (see
// FilePolicy#recover).
function toError(e, missing) {
  if (typeof e === "string") {
    let o;
    try {
      o = JSON.parse(e);
    } catch {
      return new Error(e);
    }
    return new GroupgateError(undefined, leftOut(o.issues, missing));
  }
  if (e instanceof WebAssembly.RuntimeError) {
    unwind();
    // `part`: groupgate/files' Node entries could not load the second part of the module (tools/wasm-split-glue.mjs).
    return new GroupgateError(undefined, [e.part ? issue("", "internal.load", e.message) : issue("", "internal.trap",
      `the WebAssembly engine stopped (${e.message}), most likely out of memory; the call did nothing and the object keeps working`)]);
  }
  return e;
}

function rethrow(e, missing) {
  throw toError(e, missing);
}

// JSON text of a value for WASM. Values JSON cannot hold (BigInt, cycles)
// are a GroupgateError at `path`; `undefined` is `null`.
function encode(value, path) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    fail(path, "type", `the value cannot be read as JSON: ${e.message}`);
  }
  // JSON.stringify writes a lone surrogate as a \udXXX escape, which the
  // engine refuses at a line and column of a text the caller never saw:
  // refused here, at the string's pointer.
  if (text?.includes("\\ud")) {
    const at = loneSurrogate(JSON.parse(text), path);
    if (at !== null) fail(at, "type", "the string is not well-formed UTF-16 (it holds a lone surrogate)");
  }
  return text === undefined ? "null" : text;
}

// The pointer of the first string or key holding a lone surrogate, in
// document order, or null. Walks the parsed text, not the caller's value:
// its getters and toJSON ran once, in JSON.stringify.
function loneSurrogate(value, path) {
  const stack = [[value, path]];
  while (stack.length > 0) {
    const [v, at] = stack.pop();
    if (typeof v === "string") {
      if (!wellFormed(v)) return at;
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i];
        const here = `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (!wellFormed(k)) return here;
        stack.push([x, here]);
      }
    }
  }
  return null;
}

// A verdict from its JSON text; its error at the root names a request left
// out as undefined.
function verdictOf(text, request) {
  const v = JSON.parse(text);
  leftOut(v.errors, request === undefined);
  return v;
}

function badRequest(e) {
  if (!(e instanceof GroupgateError)) throw e;
  return { ok: false, status: 400, errors: e.issues, warnings: [], complete: true };
}

// ---------------------------------------------------------------------------
// Loading. Every entry calls one of these (Node, Deno and bundlers at import);
// the API refuses to run before, with a message that says what to do.

let loaded = false;
// The shadow stack pointer (exported by `./dev build`) and its value at load.
let stack, top;

// A trap ends a WASM call without the epilogues that move the shadow stack
// pointer back: each trap lost the stack the call held (16 KB for one while
// a policy was built), and after about 60 of them every call of the
// instance trapped. No WASM frame is live once a trap reaches JS (the
// engine never calls back into JS code), so the pointer goes back to the top.
const unwind = () => stack && (stack.value = top);

// The module's exports, its stack pointer noted and its hash keys seeded at
// load (before any call).
function loadedFrom(out) {
  if (!loaded) seedHashKeys();
  loaded = true;
  stack ??= out.__stack_pointer;
  top ??= stack?.value;
  return out;
}

// The engine's maps of names from the input (group ids, slugs, roles) hash
// with secret keys (src/keyed.rs): WebAssembly gives Rust no randomness, and
// keys known to all would let names that collide be found once, offline.
// In Node the bits come from /dev/urandom through fs (0.05 ms), not from
// crypto, whose first use loads Node's crypto modules: 5.7 ms CPU of a fresh
// Node 24, more than half of a cold start's budget (issue 12). Elsewhere, and
// where that fails (Windows), crypto.getRandomValues; workerd refuses random
// values outside a request (a module's top level, where a worker may load
// the engine), so Math.random stands in there.
function seedHashKeys() {
  const k = new Uint32Array(4);
  raw.seedHashKeys(...(urandom(k) || webRandom(k) || k.map(() => Math.random() * 2 ** 32)));
}

function urandom(k) {
  const p = globalThis.process;
  const fs = p?.versions?.node && !globalThis.Deno && p.getBuiltinModule?.("node:fs");
  try {
    const fd = fs.openSync("/dev/urandom", "r");
    try {
      return fs.readSync(fd, k, 0, 16, null) === 16 && k;
    } finally {
      fs.closeSync(fd);
    }
  } catch {}
}

function webRandom(k) {
  try {
    return crypto.getRandomValues(k);
  } catch {}
}

/** `f`, its `name` set (see `named` at the end). */
function withName(name, f) {
  return Object.defineProperty(f, "name", { value: name });
}

/** Instantiates synchronously; a no-op returning the same exports once loaded. */
export function initSync(input) {
  return loadedFrom(raw.initSync(input));
}

/** Instantiates asynchronously (without an argument, fetches the .wasm beside the glue). */
// Named by a pure call, not by `named` below: the Node entries, loaded at
// import, export an `init` of their own, and this one (with the glue's
// fetch path) then leaves their bundles.
export const init = /* @__PURE__ */ withName("init", async (input) => {
  return loadedFrom(await raw.default(input));
});

function ready() {
  // The Node entries load the .wasm at import: their bundles drop this
  // check and its message (`--drop-labels=WEB`: -97 B gzipped).
  WEB: if (!loaded) {
    fail("", "not_initialized",
      "groupgate is not initialized: call init() first (or initSync({ module })) when importing groupgate/web or in workerd/edge runtimes");
  }
}

/**
 * A JSON Pointer (RFC 6901) as a path array, zod-style: `"/body/models/0/slug"`
 * → `["body", "models", 0, "slug"]`. With `root` (the document the pointer
 * points into) an index is a number exactly where the value is an array;
 * without it, every canonical array index (`0`, `12`, not `012`; below
 * 2^32 - 1) is.
 */
export function pointerToPath(pointer, root) {
  if (typeof pointer !== "string") fail("/pointer", "type", `expected a JSON Pointer string, got ${typeof pointer}`);
  if (pointer === "") return [];
  if (pointer[0] !== "/") fail("/pointer", "pattern", `a JSON Pointer is empty or starts with "/", got ${JSON.stringify(pointer.slice(0, 40))}`);
  const path = [];
  let node = root;
  for (const escaped of pointer.slice(1).split("/")) {
    const token = escaped.replace(/~1/g, "/").replace(/~0/g, "~");
    // An array index is below 2^32 - 1 (ECMAScript): a longer run of digits
    // is a key, never rounded into another index (…993 read as …992).
    const index = /^(0|[1-9][0-9]{0,9})$/.test(token) && Number(token) < 4294967295 ? Number(token) : undefined;
    const key = index !== undefined && (node === undefined || Array.isArray(node)) ? index : token;
    path.push(key);
    node = node !== null && typeof node === "object" && Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return path;
}

const ACTIONS = { visible: 0, modify: 1, write: 2, delete: 3 };

function actionCode(action) {
  const code = typeof action === "string" && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (code === undefined) {
    // Named by its type unless a string: String() of an object runs the
    // caller's toString (a null-prototype object threw a TypeError).
    const got = typeof action === "string" ? JSON.stringify(action.slice(0, 64)) : typeof action;
    fail("/action", "enum", `action must be visible, modify, write or delete, got ${got}`);
  }
  return code;
}

function checkPath(path, at) {
  if (typeof path !== "string") fail(at, "type", `expected a string path, got ${typeof path}`);
}

// Strings crossing into WASM as UTF-8 (paths, globMatch's pattern): a lone
// surrogate would arrive as U+FFFD, so "a\uD800" would be matched as the
// different name "a\uFFFD"; refused instead, as the JSON readers refuse it.
function checkEncoding(s, at, code) {
  if (!wellFormed(s)) fail(at, code, "the string is not well-formed UTF-16 (it holds a lone surrogate)");
}

// globMatch uses the default limits (1,024-byte globs, 4,096-byte paths): a
// longer argument is cut to this many UTF-16 units before it crosses, so the
// engine still refuses it in its own words but never copies megabytes to do so.
const GLOB_MATCH_CUT = 1 << 16;

const cut = (s) => (s.length > GLOB_MATCH_CUT ? s.slice(0, GLOB_MATCH_CUT) : s);

/** The crate version. */
export function version() {
  ready();
  // It allocates the string it returns: with WASM memory at its maximum
  // (`--wasm-max-mem-pages`) that traps, which reached the caller as a raw
  // RuntimeError (tests/js/memory.test.mjs).
  try {
    return raw.version();
  } catch (e) {
    rethrow(e);
  }
}

/** Does `pattern` (the groupgate glob dialect) match `path`? Options: `{caseInsensitive}` (unknown keys are refused). Throws GroupgateError for a pattern outside the dialect. */
export function globMatch(pattern, path, options) {
  ready();
  if (typeof pattern !== "string") fail("/pattern", "type", `expected a string pattern, got ${typeof pattern}`);
  checkPath(path, "/path");
  checkEncoding(pattern, "/pattern", "glob.encoding");
  checkEncoding(path, "/path", "path.encoding");
  const opts = optionsOf(options);
  try {
    return raw.globMatch(cut(pattern), cut(path), opts === undefined ? "null" : encode(opts, "/options"));
  } catch (e) {
    rethrow(e);
  }
}

// An object JSON.stringify writes as `{…}` with its own members: no array,
// class instance or `toJSON`.
const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype && !("toJSON" in v);

// Dialect names are short: a longer one is unknown either way, and its
// error message should not quote megabytes.
const shortName = (dialect) => (dialect.length > 64 ? dialect.slice(0, 64) + "…" : dialect);

/**
 * Validates a request of a dialect. Never throws for invalid request data: returns a Verdict.
 * Throws GroupgateError when the engine's own input is unusable: an unknown dialect, or a
 * context with an unknown member (a typo such as `caler`), a member of the wrong type or bad limits.
 */
export function validate(dialect, request, context) {
  ready();
  if (typeof dialect !== "string") fail("/dialect", "type", `dialect must be a string, got ${typeof dialect}`);
  // A Baseten state goes apart, after a NUL (JSON.stringify never writes
  // one): the engine reads it from its text straight into a workspace, with
  // no tree of values (2 groups of 100,000 models: 0.7 s, 2.3 s in the
  // context; README "Security"). Plain objects only, each member read once
  // as JSON.stringify reads it; anything else stays in the context.
  let ctx;
  if (dialect === "baseten" && plain(context)) {
    const { state, ...rest } = context;
    const apart = plain(state);
    if (!apart && state !== undefined) rest.state = state;
    ctx = encode(rest, "/context") + (apart ? "\0" + encode(state, "/context/state") : "");
  } else ctx = encode(context, "/context");
  let req;
  try {
    req = encode(request, "");
  } catch (e) {
    req = undefined;
    if (!(e instanceof GroupgateError)) throw e;
    // The dialect and context still throw first; then the request is a 400.
    try {
      raw.validate(shortName(dialect), "null", ctx);
    } catch (thrown) {
      rethrow(thrown);
    }
    return badRequest(e);
  }
  try {
    return verdictOf(raw.validate(shortName(dialect), req, ctx), request);
  } catch (e) {
    rethrow(e);
  }
}

/** The closure of a subject's permissions in a dialect (roles expanded, implications applied). */
export function permissionsOf(dialect, subject, context) {
  ready();
  if (typeof dialect !== "string") fail("/dialect", "type", `dialect must be a string, got ${typeof dialect}`);
  try {
    return JSON.parse(raw.permissionsOf(shortName(dialect), encode(subject, "/subject"), encode(context, "/context")));
  } catch (e) {
    rethrow(e, subject === undefined);
  }
}

/** The roles, permissions and enum values a dialect knows. Throws GroupgateError for an unknown dialect. */
export function catalog(dialect) {
  ready();
  if (typeof dialect !== "string") fail("/dialect", "type", `dialect must be a string, got ${typeof dialect}`);
  try {
    return JSON.parse(raw.catalog(shortName(dialect)));
  } catch (e) {
    rethrow(e);
  }
}

const encoder = new TextEncoder();

/** The input buffer's first size, and the size above which it is freed after each call. */
const INPUT_MIN = 1024;
const INPUT_KEEP = 64 * 1024;

// UTF-8 bytes of a string, as TextEncoder writes it (a lone surrogate is
// U+FFFD, 3 bytes), without encoding it.
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// Writes JSON text as UTF-8 straight into the WASM buffer a constructor
// reads, `buffer(cap, kept)` (FilePolicy's text, Workspace's input: each
// keeps the bytes written when it grows); returns its length in bytes.
// encodeInto, not encode: no encoded copy on the JS heap (≈ 2 ms of a 3 MB
// state), and the glue would write a string a character at a time. First
// one byte per UTF-16 unit (ASCII, the common case), then room for what is
// left: 3 bytes a unit at most (a surrogate pair, 2 units, is 4 bytes).
function writeText(text, buffer) {
  let cap = text.length;
  let read = 0;
  let written = 0;
  for (;;) {
    const at = buffer(cap, written);
    const view = new Uint8Array(raw.wasmMemory().buffer, at + written, cap - written);
    const r = encoder.encodeInto(read ? text.slice(read) : text, view);
    read += r.read;
    written += r.written;
    if (read === text.length) return written;
    cap = written + 3 * (text.length - read);
  }
}

// JSON text given as a string (FilePolicy, Workspace.from) is read as is: no
// JSON.parse + JSON.stringify round trip (a cold JSON.stringify of 1,000
// rules is ~1.7 ms). A lone surrogate would cross into WASM as U+FFFD, a
// different id, so it is refused, as the object form's reader refuses it.
function jsonText(text) {
  if (!wellFormed(text)) fail("", "type", "the JSON text is not well-formed UTF-16 (it holds a lone surrogate)");
  return text;
}

// Snapshot bytes as a plain Uint8Array, read through the intrinsic getters.
// The glue sizes its WASM copy by `bytes.length` and then copies what the
// array really holds: a subclass or an own `length` that said 1 for 64 KB
// wrote past the allocation, and every policy of the instance trapped.
const TYPED = Object.getPrototypeOf(Uint8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(TYPED, key).get;
const [typedName, typedBuffer, typedOffset, typedLength] = [Symbol.toStringTag, "buffer", "byteOffset", "byteLength"].map(intrinsic);

function snapshotBytes(bytes) {
  if (typedName.call(bytes) !== "Uint8Array") fail("/bytes", "type", "bytes must be a Uint8Array");
  const n = typedLength.call(bytes);
  // A detached buffer has length 0 (and no view can be made on it).
  return n === 0 ? new Uint8Array(0) : new Uint8Array(typedBuffer.call(bytes), typedOffset.call(bytes), n);
}

// The constructor's private "already compiled" path (FilePolicy.fromBytes).
const LOADED = Symbol("loaded");

/** Allow/deny file-permission globs of groups, compiled once. */
export class FilePolicy {
  #raw;
  #members;
  #maxPath;
  #at = 0;
  #cap = 0;
  #view = null;

  constructor(groups, options) {
    ready();
    if (groups === LOADED) {
      this.#raw = options;
    } else {
      try {
        const text = typeof groups === "string" ? jsonText(groups) : encode(groups, "");
        // Options first: encoding them runs the caller's toJSON and getters,
        // which must not run between writing the text into the shared buffer
        // and compiling it (a `new FilePolicy` there could leave its own text
        // in the buffer, and this policy would have been built from it).
        const opts = encode(optionsOf(options), "/options");
        this.#raw = raw.RawFilePolicy.fromText(writeText(text, raw.RawFilePolicy.textBuffer), opts);
      } catch (e) {
        rethrow(e, groups === undefined);
      }
    }
    this.#maxPath = this.#raw.maxPathBytes();
    this.#members = new MemberCache(
      (ids) => this.#inner().member(ids.join("\0"), ids.length),
      () => this.#inner().clearMembers(),
    );
  }

  /** Loads a policy saved by `toBytes()`: no JSON or glob is parsed. Throws GroupgateError (`snapshot.*`) for bytes that are not an intact snapshot of this version. */
  static fromBytes(bytes) {
    ready();
    const plain = snapshotBytes(bytes);
    let loaded;
    try {
      loaded = raw.RawFilePolicy.fromBytes(plain);
    } catch (e) {
      rethrow(e);
    }
    return new FilePolicy(LOADED, loaded);
  }

  /** The compiled policy as bytes (a versioned, checksummed snapshot), for `FilePolicy.fromBytes`. */
  toBytes() {
    try {
      return this.#inner().toBytes();
    } catch (e) {
      throw this.#error(e);
    }
  }

  /** Lints groups that may not compile: construction errors, or the lint of the compiled policy. */
  static lint(groups, options, files) {
    ready();
    try {
      return leftOut(
        JSON.parse(raw.RawFilePolicy.lintGroups(typeof groups === "string" ? jsonText(groups) : encode(groups, ""), encode(optionsOf(options), "/options"), encode(files, "/files"))),
        groups === undefined,
      );
    } catch (e) {
      rethrow(e);
    }
  }

  #member(groupIds) {
    try {
      return this.#members.get(groupIds);
    } catch (e) {
      throw this.#error(e);
    }
  }

  // Any failure of a call as the error to throw. After a WebAssembly trap
  // the engine has lost its member table and input buffer (see
  // src/js/mod.rs): forget both here too, so the next call starts afresh.
  #error(e) {
    if (e instanceof IdError) {
      return new GroupgateError(undefined, [issue(e.index === null ? "/groupIds" : `/groupIds/${e.index}`, e.code, e.message)]);
    }
    if (e instanceof WebAssembly.RuntimeError) {
      this.#members.forget();
      this.#cap = 0;
      this.#view = null;
    }
    return toError(e);
  }

  #inner() {
    if (this.#raw === undefined || this.#raw.__wbg_ptr === 0) fail("", "freed", "this FilePolicy has been freed");
    return this.#raw;
  }

  /** May a member of `groupIds` perform `action` on `path`? */
  check(groupIds, path, action) {
    const m = this.#member(groupIds);
    if (typeof path !== "string") checkPath(path, "/path");
    const code = actionCode(action);
    let r;
    try {
      r = this.#raw.checkInput(m, this.#write(path), code);
      if (r < 0) r = this.#raw.takeError();
    } catch (e) {
      throw this.#error(e);
    }
    if (this.#cap > INPUT_KEEP) this.#release();
    if (typeof r === "string") rethrow(r);
    return r === 1;
  }

  // Writes `path` as UTF-8 into the WASM input buffer; returns its length
  // in bytes, or maxPathBytes + 1 for a path over the limit (then nothing is
  // written: no memory is reserved for a path the engine refuses).
  #write(path) {
    const units = path.length;
    // UTF-8 takes at least one byte per UTF-16 unit.
    if (units > this.#maxPath) return this.#maxPath + 1;
    let bytes = units * 3;
    let view = this.#view;
    if (bytes > this.#cap) {
      // It may not fit: most paths are ASCII, so try the buffer as it is
      // before counting the path's bytes (a loop over its units, ≈ 4 ns a
      // unit, paid by every check of a path over a third of the buffer).
      if (this.#cap > 0) {
        if (view === null || view.byteLength === 0) view = this.#input(0);
        const r = encoder.encodeInto(path, view);
        if (r.read === units) return this.#encoded(path, units, r.written);
      }
      bytes = utf8Length(path);
      if (bytes > this.#maxPath) return this.#maxPath + 1;
    }
    if (bytes > this.#cap || view === null || view.byteLength === 0) view = this.#input(bytes);
    return this.#encoded(path, units, encoder.encodeInto(path, view).written);
  }

  // The length of `path` just written as `written` bytes, checked.
  #encoded(path, units, written) {
    // All ASCII (one byte a unit) cannot hold a surrogate: the check costs nothing then.
    if (written !== units) checkEncoding(path, "/path", "path.encoding");
    return written;
  }

  // A view of the WASM input buffer with room for `bytes`; renewed when the
  // memory has grown (which detaches old views).
  #input(bytes) {
    if (bytes > this.#cap) {
      const cap = Math.max(bytes, INPUT_MIN);
      this.#at = this.#inner().reserve(cap);
      this.#cap = cap;
    }
    this.#view = new Uint8Array(raw.wasmMemory().buffer, this.#at, this.#cap);
    return this.#view;
  }

  // Frees an input buffer grown for a long path, so the memory is reused.
  #release() {
    this.#raw.release();
    this.#cap = 0;
    this.#view = null;
  }

  /** One decision per path, in order (one crossing into WASM for the batch). */
  checkMany(groupIds, paths, action) {
    this.#member(groupIds); // a bad list is reported first
    if (!Array.isArray(paths)) fail("/paths", "type", "paths must be an array of strings");
    const max = this.#maxPath;
    // Each path is read once, into `list`, which is what the engine gets:
    // read again at the join, a path behind a getter or a Proxy could pass
    // the checks and then add a NUL, and every later answer would have
    // been another path's.
    const n = paths.length;
    const list = new Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const path = paths[i];
      checkPath(path, `/paths/${i}`);
      if (path.includes("\0")) fail(`/paths/${i}`, "path.nul", "the path contains a NUL character");
      checkEncoding(path, `/paths/${i}`, "path.encoding");
      // Over the limit for sure: the engine refuses it from its first max + 1 units.
      list[i] = path.length > max ? path.slice(0, max + 1) : path;
      total += list[i].length + 1;
    }
    // The batch crosses as one text, and a JavaScript string holds at most
    // about 2^29 units: past that, `join` threw a bare RangeError.
    if (total > BATCH_UNITS) fail("/paths", "limit.batch", `the paths total more than ${BATCH_UNITS} characters; check them in smaller batches`);
    // The handle is taken after the paths are read: reading one may run the
    // caller's code (a getter), which could empty and refill the member
    // table, leaving an earlier handle naming another list's member (an
    // unchanged cache answers this second lookup from the same entry).
    const m = this.#member(groupIds);
    let bytes;
    try {
      bytes = this.#raw.checkMany(m, list.join("\0"), n, actionCode(action));
    } catch (e) {
      throw this.#error(e);
    }
    const out = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 1;
    return out;
  }

  /** The decision with its reason and the deciding group, rule and pattern. */
  explain(groupIds, path, action) {
    const m = this.#member(groupIds);
    checkPath(path, "/path");
    const code = actionCode(action);
    let text;
    try {
      text = this.#raw.explainInput(m, this.#write(path), code);
    } catch (e) {
      throw this.#error(e);
    }
    if (this.#cap > INPUT_KEEP) this.#release();
    return JSON.parse(text);
  }

  /** Dead, shadowed and (given project files) match-nothing rules. */
  lint(files) {
    try {
      // Encoded first: the caller's toJSON may free this policy.
      const text = encode(files, "/files");
      return JSON.parse(this.#inner().lint(text));
    } catch (e) {
      throw this.#error(e);
    }
  }

  /** Frees the WASM memory now (also done by GC). */
  free() {
    this.#members?.forget();
    this.#cap = 0;
    this.#view = null;
    if (this.#raw === undefined || this.#raw.__wbg_ptr === 0) return;
    try {
      this.#raw.free();
    } catch {
      // Only after a trap (a borrow the trap left open): the handle is
      // dropped, its memory stays with the instance.
    }
  }
}

if (typeof Symbol.dispose === "symbol") {
  FilePolicy.prototype[Symbol.dispose] = FilePolicy.prototype.free;
}

// Every entry point's options (README "Errors and types"): `undefined` and
// `null` are no options, a plain object is read, anything else (an array, a
// string, a number, a Map or Set, whose entries JSON drops: a
// `caseInsensitive` in a Map was silently no option) throws `type` at
// /options. One rule, one place. The tag, not the prototype, so a plain
// object of another realm is read too.
function optionsOf(options) {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object" || Array.isArray(options) || Object.prototype.toString.call(options) !== "[object Object]") {
    fail("/options", "type", "options must be a plain object");
  }
  return options;
}

// The members an options object may have: a misspelled one (`caler` for
// `caller`) was ignored, and apply then ran without the caller's checks and
// changed the workspace (README Codes: a typo in the context throws, "never
// a verdict that silently skipped checks").
// Takes what optionsOf returned (undefined or a plain object).
function knownOptions(options, names) {
  if (options === undefined) return;
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) fail(`/options/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, "unknown_field", `unknown option ${JSON.stringify(key.slice(0, 64))}; expected ${names.join(", ")}`);
  }
}

// `{summary}` of Workspace previews: true = the first 100 entries per list,
// a non-negative integer = that many; absent = the full form.
function summaryOf(options) {
  const summary = options?.summary;
  if (summary === undefined || summary === false) return undefined;
  if (summary === true) return 100;
  if (!Number.isSafeInteger(summary) || summary < 0 || summary > 0xffffffff) {
    fail("/options/summary", "type", "summary must be true or a non-negative integer");
  }
  return summary;
}

/** Baseten state (groups and keys) compiled once: effective models and previews. */
export class Workspace {
  #raw;
  // After a WebAssembly trap (out of memory): 1, a read trapped and left
  // wasm-bindgen's borrow open, so `apply` (a mutable borrow) would throw
  // "recursive use of an object" forever; 2, `apply` trapped, perhaps
  // halfway through changing the groups: no call may answer from them.
  #stopped = 0;

  // Built by `from` and `fromBytes` only: `new Workspace(state)`, the guess
  // `new FilePolicy(groups)` invites, made an object whose every method
  // threw a bare TypeError ("….effectiveModels is not a function").
  constructor(inner) {
    if (!(inner instanceof raw.RawWorkspace)) fail("", "type", "use Workspace.from(state) or Workspace.fromBytes(bytes), not new Workspace");
    this.#raw = inner;
  }

  /** Validates the state (dangling parents, cycles, depth, mixed modes, duplicates); throws GroupgateError. `state` may be JSON text (read without building objects). `options.limits` overrides the limits. */
  static from(state, options) {
    ready();
    const text = typeof state === "string" ? jsonText(state) : encode(state, "");
    const opts = encode(optionsOf(options), "/options");
    try {
      return new Workspace(raw.RawWorkspace.fromInput(writeText(text, raw.RawWorkspace.input), opts));
    } catch (e) {
      rethrow(e, state === undefined);
    }
  }

  /** A workspace from `toBytes()` output; foreign, truncated, corrupt or other-version bytes throw GroupgateError (`snapshot.*`). */
  static fromBytes(bytes) {
    ready();
    const plain = snapshotBytes(bytes);
    try {
      return new Workspace(raw.RawWorkspace.fromBytes(plain));
    } catch (e) {
      rethrow(e);
    }
  }

  /** The workspace as versioned, checksummed bytes (for a deploy bundle or a KV store). */
  toBytes() {
    try {
      return this.#inner().toBytes();
    } catch (e) {
      throw this.#error(e, false);
    }
  }

  #inner(change) {
    if (this.#raw === undefined || this.#raw.__wbg_ptr === 0) fail("", "freed", "this Workspace has been freed");
    if (this.#stopped > (change ? 0 : 1)) {
      fail("", "internal.trap", this.#stopped === 2
        ? "an earlier apply trapped (out of memory), perhaps midway: build this Workspace again"
        : "an earlier call trapped (out of memory): this Workspace answers but cannot change (apply to Workspace.fromBytes(toBytes()))");
    }
    return this.#raw;
  }

  #error(e, change) {
    if (!(e instanceof WebAssembly.RuntimeError)) return toError(e);
    this.#stopped = Math.max(this.#stopped, change ? 2 : 1);
    unwind();
    return change
      ? new GroupgateError(undefined, [issue("", "internal.trap", `the WebAssembly engine stopped (${e.message}), most likely out of memory, perhaps midway: build this Workspace again`)])
      : toError(e);
  }

  /** The group's effective models: slugs intersected down the tree, the binding limit per key with its source group. */
  effectiveModels(groupId) {
    if (typeof groupId !== "string") fail("/groupId", "type", `expected a string group id, got ${typeof groupId}`);
    // A lone surrogate would cross as U+FFFD: another group's answer.
    checkEncoding(groupId, "/groupId", "pattern");
    try {
      return JSON.parse(this.#inner().effectiveModels(groupId));
    } catch (e) {
      throw this.#error(e, false);
    }
  }

  /** Same verdict as validate("baseten", request, { state, caller }), without rebuilding the state; a caller that is not an object throws GroupgateError, as validate does. `options.summary` (true = 100, or a count) gives the summary form of `changes`. */
  preview(request, caller, options) {
    options = optionsOf(options);
    knownOptions(options, ["summary"]);
    // Engine options throw, as in `apply` (a bad summary was a 400 verdict here).
    const cap = summaryOf(options);
    let req, who;
    try {
      req = encode(request, "");
      who = encode(caller, "/context/caller");
    } catch (e) {
      return badRequest(e);
    }
    try {
      return verdictOf(this.#inner().preview(req, who, cap), request);
    } catch (e) {
      throw this.#error(e, false);
    }
  }

  /** Previews `request` and, when the verdict is ok, applies it to this workspace IN PLACE (keep `toBytes()` to undo). `options`: `{caller?, id?, summary?}`; on a create `next.id` is the id given (`options.id`, or `new-<n>`). */
  apply(request, options) {
    options = optionsOf(options);
    knownOptions(options, ["caller", "id", "summary"]);
    const { caller, id, summary } = options ?? {};
    if (id !== undefined && typeof id !== "string") fail("/options/id", "type", "id must be a string");
    const opts = { caller, id, summary: summaryOf(options) };
    let req;
    try {
      req = encode(request, "");
    } catch (e) {
      return badRequest(e);
    }
    try {
      // Encoded first: the caller's toJSON may free this workspace.
      const text = encode(opts, "/options");
      return verdictOf(this.#inner(true).apply(req, text), request);
    } catch (e) {
      throw this.#error(e, true);
    }
  }

  free() {
    if (this.#raw === undefined || this.#raw.__wbg_ptr === 0) return;
    try {
      this.#raw.free();
    } catch {
      // Only after a trap: see FilePolicy.free.
    }
  }
}

// Labeled: the files-only entry drops it (`esbuild --drop-labels=DIALECTS`),
// so nothing there refers to Workspace and its class is left out.
DIALECTS: if (typeof Symbol.dispose === "symbol") {
  Workspace.prototype[Symbol.dispose] = Workspace.prototype.free;
}

// The public names, set here: `./dev build` minifies without esbuild's
// `--keep-names`, which wraps every function of the bundle, glue included,
// in a naming call (+318 B gzipped on node.cjs). `FilePolicy.name`,
// `new GroupgateError(…).constructor.name` and each exported function's
// `name` stay the source's (tests/js/names.test.mjs).
const named = (fs) => {
  for (const k in fs) withName(k, fs[k]);
};
named({ GroupgateError, FilePolicy, initSync, pointerToPath, version, globMatch });
DIALECTS: named({ Workspace, validate, permissionsOf, catalog });
