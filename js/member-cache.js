// Member handles of group-id lists a FilePolicy has resolved, so a check
// crosses into WASM with one string and two integers.
//
// Two rules make the cache unable to answer for anyone else:
// - the key is injective: each id is length-prefixed ("5:owner1:x"), so two
//   different lists never share a key, whatever characters the ids hold;
// - only lists the engine accepted are stored (`resolve` throws for the
//   rest), so a hit is a list the engine already answered for.

/** Entries kept before the cache (and the engine's member table) is emptied. */
const MAX_ENTRIES = 4096;
/**
 * UTF-16 units of keys kept before it is emptied: the keys here and the
 * engine's handles (which keep the ids the policy does not know) hold every
 * id of every list. Bounded by count alone, 4,096 lists of 1 MB of unknown
 * ids kept 4 GB on each side (a fatal out-of-memory of the process).
 */
const MAX_UNITS = 1 << 22;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No lone surrogate: the string encodes to UTF-8 without replacement characters. */
export const wellFormed = (s) => (typeof s.isWellFormed === "function" ? s.isWellFormed() : !LONE_SURROGATE.test(s));

export class MemberCache {
  #resolve;
  #onClear;
  // One-id lists by the id itself, longer lists by the injective key; each
  // entry `{ handle, array }`, `array` the last array its ids came in.
  #singles = new Map();
  #lists = new Map();
  /**
   * Arrays given again with the same ids, by identity (weakly: an entry
   * lives as long as the caller's array): callers that keep their lists
   * (a member's own, one per user or per query) find each without a key.
   * An array enters on its second use: a WeakMap entry for every fresh
   * array (one per request) cost it more than the key it saves.
   */
  #arrays = new WeakMap();
  /** How many times the cache was emptied (a handle taken before is void). */
  #cleared = 0;
  /** The length of the keys held (see MAX_UNITS). */
  #units = 0;

  /**
   * `resolve(ids)` returns the engine's handle for a list of string ids or
   * throws; `onClear()` drops the engine's handles when the cache is emptied.
   */
  constructor(resolve, onClear) {
    this.#resolve = resolve;
    this.#onClear = onClear;
  }

  /** The handle for `groupIds`; throws what the engine throws for a bad list. */
  get(groupIds) {
    const cleared = this.#cleared;
    const e = this.#arrays.get(groupIds);
    // Contents are compared too: the caller may have mutated the array.
    // Comparing reads them, which may run the caller's code (a getter): if
    // that emptied the cache, `e.handle` names another list's member.
    if (e !== undefined && e.cleared === cleared && sameIds(e.ids, groupIds) && this.#cleared === cleared) return e.handle;
    // Read the caller's list once: the checks, the key and the engine all
    // see these values. Read again, an element behind a getter or a Proxy
    // could pass the checks and key the cache as "guest", then reach the
    // engine as "admin": every later ["guest"] got admin's handle.
    const ids = copyIds(groupIds);
    const entry = this.#lookup(ids);
    if (entry.array === groupIds) this.#arrays.set(groupIds, { ids, handle: entry.handle, cleared: this.#cleared });
    else entry.array = groupIds;
    return entry.handle;
  }

  /** The entry (`{ handle, array }`) of `groupIds`, a plain array of the values it holds. */
  #lookup(groupIds) {
    const single = groupIds.length === 1;
    const map = single ? this.#singles : this.#lists;
    const key = single ? groupIds[0] : keyOf(groupIds);
    let entry = map.get(key);
    if (entry !== undefined) return entry;
    for (let i = 0; i < groupIds.length; i++) {
      if (groupIds[i].includes("\0")) throw new IdError(i, "pattern", "a group id contains a NUL character");
      // A lone surrogate would cross into WASM as U+FFFD: "a\uD800" would
      // answer as the group "a\uFFFD" (the policy itself refuses lone
      // surrogates: its JSON reader does).
      if (!wellFormed(groupIds[i])) throw new IdError(i, "pattern", "a group id is not well-formed UTF-16 (it holds a lone surrogate)");
    }
    if (this.#singles.size + this.#lists.size >= MAX_ENTRIES || this.#units + key.length > MAX_UNITS) this.clear();
    entry = { handle: this.#resolve(groupIds), array: null };
    map.set(key, entry);
    this.#units += key.length;
    return entry;
  }

  /** Forgets every handle (and tells the engine to). */
  clear() {
    this.forget();
    this.#onClear();
  }

  /** Forgets every handle without telling the engine (it lost them already). */
  forget() {
    this.#cleared++;
    this.#units = 0;
    this.#singles.clear();
    this.#lists.clear();
  }
}

/**
 * The most UTF-16 units of a `checkMany` batch's paths, or of a member's
 * group ids, one more for each (README Limits): either crosses into WASM as
 * one string, and a JavaScript string holds at most about 2^29 units.
 */
export const BATCH_UNITS = 2 ** 28;

/** A bad group id at `index` (null: not an array); the caller makes it a GroupgateError. */
export class IdError extends Error {
  constructor(index, code, message) {
    super(message);
    this.index = index;
    this.code = code;
  }
}

/**
 * The values of the array `list` in a new plain array, each element read
 * once (its own `slice` or iterator, which a subclass may override, unused);
 * throws at the first one that is not a string.
 */
export function copyIds(list) {
  if (!Array.isArray(list)) throw new IdError(null, "type", "groupIds must be an array of strings");
  const n = list.length;
  const out = new Array(n);
  // Typed as it is read: a sparse `new Array(2 ** 32 - 1)` was copied hole
  // by hole before its first element was refused, until V8 ran out of heap.
  let units = 0;
  for (let i = 0; i < n; i++) {
    const id = list[i];
    if (typeof id !== "string") throw new IdError(i, "type", `expected a string group id, got ${typeof id}`);
    units += id.length + 1;
    out[i] = id;
  }
  // Past it, joining them threw a bare RangeError (an attacker's pass, session 37).
  if (units > BATCH_UNITS) throw new IdError(null, "limit.batch", `the group ids total more than ${BATCH_UNITS} characters`);
  return out;
}

/** An injective key of a list of strings: each one length-prefixed. */
export function keyOf(ids) {
  let key = "";
  for (let i = 0; i < ids.length; i++) key += ids[i].length + ":" + ids[i];
  return key;
}

// The same ids in the same order.
function sameIds(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
