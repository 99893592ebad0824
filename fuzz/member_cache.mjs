// Property of the package's member cache (issue 11, finding 2): a FilePolicy
// that has seen many group-id arrays (its caches warm: recent arrays by
// identity, single ids, NUL-joined lists) answers every check, explain and
// checkMany exactly as a fresh FilePolicy (nothing cached) does. The arrays are
// random, built from ids that are prefixes, suffixes and NUL-joins of each
// other, and arrays passed before are mutated in place and passed again.
//
//   node fuzz/member_cache.mjs [SECONDS] [SEED]   (./dev fuzz runs it as the target member_cache)
//   import { memberCacheProperty } from ".../fuzz/member_cache.mjs"   (tests/js/hostile.test.mjs)
import { FilePolicy, GroupgateError } from "groupgate";

const GROUPS = [
  { id: "owner", permissions: ["owner"] },
  { id: "x", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible", "modify"], patterns: "pub/**" }] },
  { id: "y", permissions: ["documents:view-content"] },
  { id: "x y", permissions: ["documents:full"] },
];
const PIECES = ["owner", "x", "y", "x y", "own", "er", "", "z", "\0", "owner\0x", "x\0y", "\0owner", "y\0", "x,y", "\uD800"];
const PATHS = ["pub/a", "secret", "pub", "a/b/c"];
const ACTIONS = ["visible", "modify", "write", "delete"];

// mulberry32: small, seeded, good enough to pick test data.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answer(f) {
  try {
    return JSON.stringify(f());
  } catch (e) {
    if (!(e instanceof GroupgateError)) throw e;
    return `error ${e.code}`;
  }
}

const CALLS = {
  check: (p, ids, path, action) => p.check(ids, path, action),
  explain: (p, ids, path, action) => p.explain(ids, path, action).allowed,
  checkMany: (p, ids, path, action) => p.checkMany(ids, [path, "pub/z"], action),
};

/**
 * Runs random calls until `iterations` or the `until` time (ms since epoch);
 * returns {calls, mismatches} (each mismatch: the call, the cached and the
 * uncached answer).
 */
export function memberCacheProperty({ seed = 1, iterations = Infinity, until = Infinity } = {}) {
  const random = rng(seed);
  const pick = (a) => a[Math.floor(random() * a.length)];
  const id = () => (random() < 0.7 ? pick(PIECES) : `${pick(PIECES)}${pick(["\0", "", "\0\0"])}${pick(PIECES)}`);
  const fresh = () => Array.from({ length: Math.floor(random() * 5) }, id);
  const cached = new FilePolicy(GROUPS);
  const pool = [];
  const mismatches = [];
  let calls = 0;
  for (; calls < iterations && Date.now() < until; calls++) {
    let ids;
    const r = random();
    if (pool.length && r < 0.3) {
      ids = pick(pool); // the same array again
    } else if (pool.length && r < 0.6) {
      ids = pick(pool); // the same array, changed in place
      const k = Math.floor(random() * (ids.length + 1));
      const how = random();
      if (how < 0.3) ids.splice(k, 1);
      else if (how < 0.6) ids.splice(k, 0, id());
      else if (ids.length) ids.splice(0, ids.length, ...ids.join(pick(["\0", ""])).split(pick(["\0", "x"])));
    } else {
      ids = fresh();
      pool.push(ids);
      if (pool.length > 16) pool.shift();
    }
    if (random() < 0.002) {
      // Past the cache's capacity: it is emptied and refilled.
      for (let i = 0; i < 4200; i++) cached.check([`m${i}`], "pub/a", "visible");
    }
    const call = pick(Object.keys(CALLS));
    const path = pick(PATHS);
    const action = pick(ACTIONS);
    const got = answer(() => CALLS[call](cached, ids, path, action));
    const uncachedPolicy = new FilePolicy(GROUPS);
    const want = answer(() => CALLS[call](uncachedPolicy, ids.slice(), path, action));
    uncachedPolicy.free();
    if (got !== want) mismatches.push({ call, ids: ids.slice(), path, action, cached: got, uncached: want });
  }
  cached.free();
  return { calls, mismatches };
}

// As a fuzz target: random seeds until the time is up.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const seconds = Number(process.argv[2] ?? 60);
  const until = Date.now() + seconds * 1000;
  let seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
  let calls = 0;
  const start = Date.now();
  while (Date.now() < until) {
    const r = memberCacheProperty({ seed, iterations: 10_000, until });
    calls += r.calls;
    if (r.mismatches.length) {
      console.error(`member_cache: seed ${seed}: ${r.mismatches.length} mismatches, first ${JSON.stringify(r.mismatches[0])}`);
      process.exit(1);
    }
    seed++;
  }
  const s = (Date.now() - start) / 1000;
  console.log(`member_cache: ${calls} calls in ${s.toFixed(0)} s (${Math.round(calls / s)} execs/s), no mismatch; last seed ${seed - 1}`);
}
