// One editing session per dialect: the request, the caller and the server
// state (as typed), plus the target loaded from the state, undo/redo history
// and persistence (localStorage; a share link carries the same snapshot).
import { clone } from "./dom.js";
import { jsonError } from "./io.js";

const STORE = "groupgate-console/v1/";
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** A new session of dialect `d`, from `saved` (a snapshot object) when it is usable, else the sample. */
export function makeSession(d, saved) {
  const s = {
    dialect: d, memo: new Map(), localErrors: new Map(), raw: new Map(), past: [], future: [],
    request: null, caller: null, state: null, stateText: "", loaded: null, ws: null, view: null,
  };
  if (usable(d, saved)) {
    apply(s, saved);
  } else {
    apply(s, { request: clone(d.sample.requests[d.ops[0]]), caller: clone(d.sample.caller), stateText: JSON.stringify(d.sample.state, null, 2) });
    s.loaded = baseline(s);
  }
  s.snap = JSON.stringify(snapshot(s));
  return s;
}

/** Is `v` a snapshot the session of dialect `d` can take (from storage or a share link)? */
export const usable = (d, v) => isObject(v) && isObject(v.request) && d.ops.includes(v.request.op) && typeof v.stateText === "string";

/** What undo, persistence and the share link keep. */
export const snapshot = (s) => ({ request: s.request, caller: s.caller, stateText: s.stateText, loaded: s.loaded });

/** Puts a snapshot into the session (the state is parsed again from its text). */
export function apply(s, v) {
  // Text that did not parse belongs to the inputs being replaced.
  s.localErrors.clear();
  s.raw.clear();
  s.request = clone(v.request);
  s.caller = v.caller === undefined ? {} : clone(v.caller);
  s.loaded = isObject(v.loaded) ? clone(v.loaded) : null;
  setStateText(s, v.stateText);
}

/** The state as typed: parsed when it is JSON, else a local error at /context/state. */
export function setStateText(s, text) {
  s.stateText = text;
  try {
    s.state = JSON.parse(text);
    s.localErrors.delete("/context/state");
  } catch (e) {
    s.localErrors.set("/context/state", jsonError(text, e));
  }
}

/** The body the current target has in the state, when the request is an update of one. */
export function baseline(s) {
  const t = s.dialect.target;
  if (!t || s.request.op !== "update") return null;
  const id = t.idOf(s.request);
  const g = t.find(s.state, id);
  return g ? { id, body: t.bodyOf(g) } : null;
}

/** Has the body changed since the target was loaded? */
export function dirty(s) {
  if (s.loaded === null) return false;
  const t = s.dialect.target;
  let body = s.request.body;
  // Where the target is named in the body (Apinizer's name), naming another one is not an edit.
  if (t?.where === "body" && isObject(body)) body = { ...body, [t.key]: s.loaded.id };
  return JSON.stringify(body) !== JSON.stringify(s.loaded.body);
}

// ---------------------------------------------------------------- history

const MERGE_MS = 1000;

/**
 * Records the session's present after a change. Keystrokes in one field
 * within a second form one undo step. Returns true when something changed.
 */
export function record(s, key = "") {
  const now = JSON.stringify(snapshot(s));
  if (now === s.snap) return false;
  const t = Date.now();
  if (!(key && key === s.lastKey && t - s.lastTime < MERGE_MS)) s.past.push(s.snap);
  if (s.past.length > 200) s.past.shift();
  s.future = [];
  s.snap = now;
  s.lastKey = key;
  s.lastTime = t;
  save(s);
  return true;
}

function step(s, from, to) {
  if (!from.length) return false;
  to.push(s.snap);
  s.snap = from.pop();
  s.lastKey = "";
  apply(s, JSON.parse(s.snap));
  save(s);
  return true;
}

export const undo = (s) => step(s, s.past, s.future);
export const redo = (s) => step(s, s.future, s.past);

// ---------------------------------------------------------------- storage

export function save(s) {
  try {
    localStorage.setItem(STORE + s.dialect.id, s.snap);
  } catch {
    // Storage full or disabled: the session still works, it is just not kept.
  }
}

export function loadSaved(id) {
  try {
    const v = localStorage.getItem(STORE + id);
    return v === null ? null : JSON.parse(v);
  } catch {
    return null;
  }
}

export function forget(id) {
  try {
    localStorage.removeItem(STORE + id);
  } catch {
    // Nothing kept, nothing to forget.
  }
}
