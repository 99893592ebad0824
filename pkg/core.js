// The public API of groupgate over the raw WASM exports. Thin on purpose:
// structured values cross as JSON text (JSON.stringify in, JSON.parse out),
// thrown issue lists become GroupgateError, action names map to codes and
// member handles are cached so a check crosses into WASM with one string and
// two integers. Every decision is made in Rust.
import * as raw from "./wasm/groupgate.js";

/** Thrown when the engine's own input (rules, state, options, a glob) is invalid. */
export class GroupgateError extends Error {
  constructor(message, issues) {
    super(message);
    this.name = "GroupgateError";
    this.issues = issues;
  }
  get code() {
    return this.issues[0]?.code;
  }
}

// Errors from WASM are JSON text `{message, issues}`.
function rethrow(e) {
  if (typeof e === "string") {
    let o;
    try {
      o = JSON.parse(e);
    } catch {
      throw new Error(e);
    }
    throw new GroupgateError(o.message, o.issues);
  }
  throw e;
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
  return text === undefined ? "null" : text;
}

function badRequest(e) {
  if (!(e instanceof GroupgateError)) throw e;
  return { ok: false, status: 400, errors: e.issues, warnings: [] };
}

function fail(path, code, message) {
  throw new GroupgateError(message, [{ path, code, message }]);
}

const ACTIONS = { visible: 0, modify: 1, write: 2, delete: 3 };

function actionCode(action) {
  const code = typeof action === "string" && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (code === undefined) {
    fail("/action", "enum", `action must be visible, modify, write or delete, got ${String(action)}`);
  }
  return code;
}

function checkPath(path, at) {
  if (typeof path !== "string") fail(at, "type", `expected a string path, got ${typeof path}`);
}

/** The crate version. */
export function version() {
  return raw.version();
}

/** Does `pattern` (the groupgate glob dialect) match `path`? Options: `{caseInsensitive}` (unknown keys are refused). Throws GroupgateError for a pattern outside the dialect. */
export function globMatch(pattern, path, options) {
  if (typeof pattern !== "string") fail("/pattern", "type", `expected a string pattern, got ${typeof pattern}`);
  checkPath(path, "/path");
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    fail("/options", "type", "options must be an object");
  }
  try {
    return raw.globMatch(pattern, path, options === undefined ? "null" : JSON.stringify(options));
  } catch (e) {
    rethrow(e);
  }
}

/** Validates a request of a dialect. Never throws for invalid data: returns a Verdict. */
export function validate(dialect, request, context) {
  if (typeof dialect !== "string") {
    const message = `dialect must be a string, got ${typeof dialect}`;
    return { ok: false, status: 400, errors: [{ path: "/dialect", code: "type", message }], warnings: [] };
  }
  let req, ctx;
  try {
    req = encode(request, "");
    ctx = encode(context, "/context");
  } catch (e) {
    return badRequest(e);
  }
  return JSON.parse(raw.validate(dialect, req, ctx));
}

/** The closure of a subject's permissions in a dialect (roles expanded, implications applied). */
export function permissionsOf(dialect, subject, context) {
  if (typeof dialect !== "string") fail("/dialect", "type", `dialect must be a string, got ${typeof dialect}`);
  try {
    return JSON.parse(raw.permissionsOf(dialect, encode(subject, "/subject"), encode(context, "/context")));
  } catch (e) {
    rethrow(e);
  }
}

/** The roles, permissions and enum values a dialect knows. Throws GroupgateError for an unknown dialect. */
export function catalog(dialect) {
  if (typeof dialect !== "string") fail("/dialect", "type", `dialect must be a string, got ${typeof dialect}`);
  try {
    return JSON.parse(raw.catalog(dialect));
  } catch (e) {
    rethrow(e);
  }
}

const MAX_MEMBERS = 4096;
const RECENT = 8;

const encoder = new TextEncoder();

// The same ids in the same order (a cached array may have been mutated).
function sameIds(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The constructor's private "already compiled" path (FilePolicy.fromBytes).
const LOADED = Symbol("loaded");

/** Allow/deny file-permission globs of groups, compiled once. */
export class FilePolicy {
  #raw;
  #members = new Map();
  #singles = new Map();
  // The last few arrays passed, with their handles: callers usually pass the
  // same arrays again (contents are re-checked, an array may be mutated).
  #recent = [];
  #at = 0;
  #cap = 0;
  #view = null;

  constructor(groups, options) {
    if (groups === LOADED) {
      this.#raw = options;
      return;
    }
    try {
      this.#raw = new raw.RawFilePolicy(encode(groups, ""), encode(options, "/options"));
    } catch (e) {
      rethrow(e);
    }
  }

  /** Loads a policy saved by `toBytes()`: no JSON or glob is parsed. Throws GroupgateError (`snapshot.*`) for bytes that are not an intact snapshot of this version. */
  static fromBytes(bytes) {
    if (!(bytes instanceof Uint8Array)) fail("/bytes", "type", "bytes must be a Uint8Array");
    let loaded;
    try {
      loaded = raw.RawFilePolicy.fromBytes(bytes);
    } catch (e) {
      rethrow(e);
    }
    return new FilePolicy(LOADED, loaded);
  }

  /** The compiled policy as bytes (a versioned, checksummed snapshot), for `FilePolicy.fromBytes`. */
  toBytes() {
    return this.#raw.toBytes();
  }

  /** Lints groups that may not compile: construction errors, or the lint of the compiled policy. */
  static lint(groups, options, files) {
    try {
      return JSON.parse(
        raw.RawFilePolicy.lintGroups(encode(groups, ""), encode(options, "/options"), encode(files, "/files")),
      );
    } catch (e) {
      rethrow(e);
    }
  }

  #member(groupIds) {
    const recent = this.#recent;
    for (let i = 0; i < recent.length; i++) {
      const e = recent[i];
      if (e.array === groupIds && sameIds(e.ids, groupIds)) return e.handle;
    }
    const handle = this.#resolve(groupIds);
    if (recent.length >= RECENT) recent.shift();
    recent.push({ array: groupIds, ids: groupIds.slice(), handle });
    return handle;
  }

  #resolve(groupIds) {
    if (!Array.isArray(groupIds)) fail("/groupIds", "type", "groupIds must be an array of strings");
    // One group is the common case: its id is the key (a separate map, so a
    // single id holding NUL can never meet a joined list).
    const single = groupIds.length === 1;
    if (single && typeof groupIds[0] === "string") {
      const h = this.#singles.get(groupIds[0]);
      if (h !== undefined) return h;
    }
    for (let i = 0; i < groupIds.length; i++) {
      if (typeof groupIds[i] !== "string") fail(`/groupIds/${i}`, "type", `expected a string group id, got ${typeof groupIds[i]}`);
    }
    const key = single ? groupIds[0] : groupIds.join("\0");
    const cache = single ? this.#singles : this.#members;
    let handle = cache.get(key);
    if (handle === undefined) {
      if (this.#members.size + this.#singles.size >= MAX_MEMBERS) {
        this.#members.clear();
        this.#singles.clear();
        this.#recent.length = 0;
        this.#inner().clearMembers();
      }
      try {
        handle = this.#inner().member(key, groupIds.length);
      } catch (e) {
        rethrow(e);
      }
      cache.set(key, handle);
    }
    return handle;
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
    // The path goes straight into a WASM buffer: no allocation per call.
    let view = this.#view;
    if (view === null || view.byteLength === 0 || path.length * 3 > view.length) view = this.#input(path.length * 3);
    const r = this.#raw.checkInput(m, encoder.encodeInto(path, view).written, code);
    if (r < 0) rethrow(this.#raw.takeError());
    return r === 1;
  }

  // A view of the WASM input buffer with room for `bytes`; renewed when the
  // memory has grown (which detaches old views).
  #input(bytes) {
    if (bytes > this.#cap) {
      this.#cap = Math.max(bytes, 1024);
      this.#at = this.#inner().reserve(this.#cap);
    }
    this.#view = new Uint8Array(raw.wasmMemory().buffer, this.#at, this.#cap);
    return this.#view;
  }

  /** One decision per path, in order (one crossing into WASM for the batch). */
  checkMany(groupIds, paths, action) {
    const m = this.#member(groupIds);
    if (!Array.isArray(paths)) fail("/paths", "type", "paths must be an array of strings");
    for (let i = 0; i < paths.length; i++) {
      checkPath(paths[i], `/paths/${i}`);
      if (paths[i].includes("\0")) fail(`/paths/${i}`, "path.nul", "the path contains a NUL character");
    }
    let bytes;
    try {
      bytes = this.#raw.checkMany(m, paths.join("\0"), paths.length, actionCode(action));
    } catch (e) {
      rethrow(e);
    }
    const out = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 1;
    return out;
  }

  /** The decision with its reason and the deciding group, rule and pattern. */
  explain(groupIds, path, action) {
    const m = this.#member(groupIds);
    checkPath(path, "/path");
    try {
      return JSON.parse(this.#raw.explain(m, path, actionCode(action)));
    } catch (e) {
      rethrow(e);
    }
  }

  /** Dead, shadowed and (given project files) match-nothing rules. */
  lint(files) {
    try {
      return JSON.parse(this.#inner().lint(encode(files, "/files")));
    } catch (e) {
      rethrow(e);
    }
  }

  /** Frees the WASM memory now (also done by GC). */
  free() {
    if (this.#raw !== undefined && this.#raw.__wbg_ptr !== 0) this.#raw.free();
    this.#members.clear();
    this.#singles.clear();
    this.#recent.length = 0;
    this.#cap = 0;
    this.#view = null;
  }
}

if (typeof Symbol.dispose === "symbol") {
  FilePolicy.prototype[Symbol.dispose] = FilePolicy.prototype.free;
}

/** Baseten state (groups and keys) compiled once: effective models and previews. */
export class Workspace {
  #raw;

  constructor(inner) {
    this.#raw = inner;
  }

  /** Validates the state (dangling parents, cycles, depth, mixed modes, duplicates); throws GroupgateError. `options.limits` overrides SPEC §4 limits. */
  static from(state, options) {
    try {
      return new Workspace(raw.RawWorkspace.from(encode(state, ""), encode(options, "/options")));
    } catch (e) {
      rethrow(e);
    }
  }

  #inner() {
    if (this.#raw === undefined || this.#raw.__wbg_ptr === 0) fail("", "freed", "this Workspace has been freed");
    return this.#raw;
  }

  /** The group's effective models: slugs intersected down the tree, the binding limit per key with its source group. */
  effectiveModels(groupId) {
    if (typeof groupId !== "string") fail("/groupId", "type", `expected a string group id, got ${typeof groupId}`);
    try {
      return JSON.parse(this.#inner().effectiveModels(groupId));
    } catch (e) {
      rethrow(e);
    }
  }

  /** Same verdict as validate("baseten", request, { state, caller }), without rebuilding the state. */
  preview(request, caller) {
    let req, who;
    try {
      req = encode(request, "");
      who = encode(caller, "/context/caller");
    } catch (e) {
      return badRequest(e);
    }
    return JSON.parse(this.#inner().preview(req, who));
  }

  free() {
    if (this.#raw !== undefined && this.#raw.__wbg_ptr !== 0) this.#raw.free();
  }
}

if (typeof Symbol.dispose === "symbol") {
  Workspace.prototype[Symbol.dispose] = Workspace.prototype.free;
}
