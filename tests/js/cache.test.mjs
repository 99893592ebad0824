// The FilePolicy member cache may never answer for a list of group ids the
// engine would answer differently for (issue #11.2: after check(["owner",
// "x","y"]), check(["owner\0x","y"]) answered as the owner). A property test:
// random id lists built from ids, NULs, joins and length-prefix look-alikes,
// asked of one long-lived policy (cached) and of a fresh policy each time
// (uncached): every answer, thrown error included, must be the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FilePolicy } from "groupgate";

const groups = [
  { id: "owner", permissions: ["owner"] },
  { id: "x", permissions: ["documents:view-content"] },
  { id: "y", permissions: ["documents:full"], filePermissions: [{ effect: "allow", actions: ["visible", "write"], patterns: "src/**" }] },
  { id: "1:x", permissions: ["documents"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/*" }] },
  { id: "1:x1:y", permissions: ["documents:edit-content"] },
];

// Ids as a caller (or an attacker) might pass them.
const POOL = ["owner", "x", "y", "1:x", "", "\0", "owner\0x", "x\0y", "owner\0x\0y", "5:owner1:x", "1:x1:y", "ghost", "x\0", "\0owner"];
const PATHS = ["src/a.rs", "secrets/.env", "README.md", "src/../x", ""];
const ACTIONS = ["visible", "write", "modify", "delete"];

// A small seeded PRNG (mulberry32): the same lists on every run.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomIds(next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const ids = Array.from({ length: Math.floor(next() * 4) }, () => pick(POOL));
  // Sometimes glue two neighbours with the old separator, or a look-alike of the key's.
  if (ids.length >= 2 && next() < 0.3) {
    const i = Math.floor(next() * (ids.length - 1));
    ids.splice(i, 2, ids[i] + pick(["\0", ":", "1:", ""]) + ids[i + 1]);
  }
  return ids;
}

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e.name, code: e.code, path: e.issues?.[0]?.path };
  }
}

const ask = (policy, ids, path, action) => ({
  check: outcome(() => policy.check(ids, path, action)),
  explain: outcome(() => policy.explain(ids, path, action)),
  many: outcome(() => policy.checkMany(ids, [path, "src/b.rs"], action)),
});

test("the member cache answers exactly as an uncached policy (5,000 random id lists with NULs and joins)", () => {
  const next = rng(11);
  const cached = new FilePolicy(groups);
  const reused = []; // arrays passed again, sometimes mutated in place
  let grants = 0;
  for (let n = 0; n < 5000; n++) {
    let ids;
    if (reused.length > 0 && next() < 0.3) {
      ids = reused[Math.floor(next() * reused.length)];
      if (next() < 0.5 && ids.length > 0) ids[Math.floor(next() * ids.length)] = POOL[Math.floor(next() * POOL.length)];
    } else {
      ids = randomIds(next);
      reused.push(ids);
      if (reused.length > 16) reused.shift();
    }
    const path = PATHS[Math.floor(next() * PATHS.length)];
    const action = ACTIONS[Math.floor(next() * ACTIONS.length)];
    const fresh = new FilePolicy(groups);
    const want = ask(fresh, ids.slice(), path, action);
    fresh.free();
    const got = ask(cached, ids, path, action);
    assert.deepEqual(got, want, `ids ${JSON.stringify(ids)}, ${path}, ${action}`);
    if (got.check.value === true) grants++;
  }
  assert.ok(grants > 100, `only ${grants} grants: the lists do not exercise the policy`);
});

test("the finding of #11.2: a NUL-joined id never answers as the owner", () => {
  const policy = new FilePolicy(groups);
  assert.equal(policy.check(["owner", "x", "y"], "secrets/a", "delete"), true);
  for (const ids of [["owner\0x", "y"], ["owner\0x\0y"], ["owner", "x\0y"]]) {
    for (const call of [() => policy.check(ids, "secrets/a", "delete"), () => policy.explain(ids, "secrets/a", "delete"),
      () => policy.checkMany(ids, ["secrets/a"], "delete")]) {
      assert.throws(call, (e) => e.name === "GroupgateError" && e.code === "pattern" && /^\/groupIds\/\d$/.test(e.issues[0].path));
    }
  }
  // The same list, one id at a time, is not the owner either way.
  assert.equal(policy.check(["5:owner1:x"], "secrets/a", "delete"), false);
});
