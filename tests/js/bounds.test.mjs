// The bounds promise (README "Security"), tested on the built package: every
// public entry point, fed inputs up to the configured limits (SPEC §4) and the
// worst shapes known, answers within its time budget, grows linearly, and
// leaves WASM memory within its bound.
//
// Each case runs in a fresh child Node (this file, with BOUNDS_CASE set): its
// WASM memory starts small, so "after - before" is the case's own peak, and a
// trap or a runaway case cannot disturb another one. A case climbs a ladder of
// sizes (limit/64, limit/32, …, limit) and stops at the first step over its
// budget or memory bound, so a quadratic blow-up is caught at a small size,
// costing at most a few budgets, never the 47 s (or 10 GB) it would take at
// the limit.
//
// Time is the CPU time of the main thread (/proc/thread-self/schedstat):
// waiting for a core does not count; sharing the caches and memory bandwidth
// with other work does (up to 1.6x on a 100 MB step, tests/bounds.rs), so a
// step is the least of up to three runs and a failing case runs again (twice) in a
// fresh child. The cases run one at a time (tests in a file run in order).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as g from "groupgate";
import { calibrationMs, cpuNow, MAX_SCALE, REFERENCE_MS, scaleOf } from "./support/speed.mjs";

// The promise (README "Security"). CPU milliseconds per call at the limits.
export const BUDGET = {
  whole: 2000, // calls that read a whole policy, state or request (constructors, validate, lint, preview, permissionsOf, checkMany)
  // Calls whose answer carries a 100,000-item input twice: Baseten's `next` of
  // a root given 100,000 models with limits holds them and its
  // effective_models (23 MB of JSON, built and sent back; README "Security").
  echo: 5000,
  single: 10, // one path against a compiled policy (check, explain) or one glob (globMatch)
  refuse: 100, // an input over a limit is refused
};
// The budgets are for a machine on which the calibration workload
// (support/speed.mjs, groupgate not in it) takes REFERENCE_MS of CPU. Each
// child times it first (again beside a step over its budget: runCase) and
// judges its steps by budget × its scale, the
// workload's time over REFERENCE_MS, at least 1 and at most MAX_SCALE: this
// project's VMs run a process at one of two speeds and have slow days, and
// the fresh-clone CI of session 22 ran every case 1.5-2.6× slower than the
// runs the budgets were set from (README "Security", which says why 80).
// A doubling of the input may at most triple the time (linear: 2, quadratic: 4),
// judged once the call takes long enough to measure (RATIO_FLOOR_MS), over
// two doublings (at most 9x).
const RATIO = 3;
const RATIO_FLOOR_MS = 100;
const RATIO_FLOOR_BYTES = 8 << 20;
// The allocator grows WASM memory up to 4 MiB ahead of what a call needs
// (src/js/grow.rs), which the next step may then use without growing: a
// step's growth is its need give or take that much, so the per-doubling
// check compares the least growth it could stand for with the most of the
// step before.
const GROW_AHEAD = 4 << 20;
// WASM memory after the call ≤ before + MEM_BASE + MEM_PER_BYTE × (bytes of the call's input).
export const MEM_BASE = 16 << 20;
export const MEM_PER_BYTE = 64;
// JSON of nested one-key objects (`{"":{"":…}}`), the most memory a byte of
// input can take: serde_json keeps each object's members in a B-tree node of
// about 400 bytes on wasm32, five bytes of text each (README "Security").
export const MEM_PER_BYTE_NESTED = 96;

const L = { rules: 100_000, groups: 10_000, path: 4096, glob: 1024, array: 100_000, string: 65_536 };

// --- inputs -----------------------------------------------------------------

const P = "11111111-1111-4111-8111-111111111111";
const hex = (i, w) => i.toString(16).padStart(w, "0");
const uuid = (i) => `${hex(i, 8)}-aaaa-4aaa-8aaa-${hex(i, 12)}`;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

// Rule pattern shapes. Trie: literal directories; non-trie: every other shape
// of the dialect (infix, inner star, basename braces, classes, `*/x/*.ext`).
const SHAPES = {
  trie: (i) => `d${i}/**`,
  nontrie: (i) => [`**/*x${i}*`, `src/*/m${i}/**`, `**/n${i}.{md,txt}`, `[a-c]${i}?/**`, `*/k${i}/*.rs`][i % 5],
  // 2^6 expansions × 2^8 alternatives in one segment: both glob bounds at once.
  braces: (i) => "{a,b/}".repeat(6) + "{a,b}".repeat(8) + `x${i}`,
  // 1,002 bytes: `*`, 500 letters, `*`, 500 letters, every rule its own
  // (xorshift) letters: no state shared past the first star.
  letters: (i) => {
    let x = (Math.imul(i, 2654435761) | 1) >>> 0;
    const codes = new Array(1000);
    for (let k = 0; k < 1000; k++) {
      x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0;
      codes[k] = 97 + (x % 26);
    }
    const body = String.fromCharCode(...codes);
    return `*${body.slice(0, 500)}*${body.slice(500)}`;
  },
  // 1,024 bytes: a leading star, a long literal, 256 alternatives, a tail.
  star: (i) => "*" + "a".repeat(976) + "{a,b}".repeat(8) + "c" + String(i).padStart(6, "0"),
  // 1,008 bytes: an `a` after a star, then 1,000 `?`: against a path of random
  // a/b, the set of active states differs at every byte (a new DFA state each).
  marks: (i) => "*a" + "?".repeat(1000) + String(i).padStart(6, "0"),
  // A star, a 3-digit name, a star, 1,000 `a`s: a path naming many of them
  // keeps a chain of 1,000 states active per name.
  loops: (i) => "*" + String(i % 1000).padStart(3, "0") + "*" + "a".repeat(1000) + "?",
  // Attackers of the automaton's width (README "Limits", maxMatchWork): a
  // middle piece, then a distinct tail per rule;
  tails: (i) => "*" + String(i % 1000).padStart(3, "0") + "*" + "a".repeat(990) + "*" + String(i).padStart(6, "0"),
  // `?`s after a literal: against random a/b, a new set at every byte (300
  // of them: 100,000 such rules build within the suite's time);
  mixture: (i) => "*" + String(i % 1000).padStart(3, "0") + "*a" + "?".repeat(300) + String(i).padStart(6, "0"),
  // every rule its own name (100,000 distinct middle pieces; runs of 30, so
  // that 100,000 rules stay a policy that can be built).
  distinct: (i) => "*" + String(i).padStart(5, "0") + "*" + "a".repeat(30) + "?",
  // `**/`, the rule's number, 1,000 `?`: a state a `?`, none shared past the
  // number (the attacker's `?`-chain, issue #11).
  qmarks: (i) => `**/${i}` + "?".repeat(1000),
  // `**/*{…}*` of 140 six-letter names, every rule its own names (xorshift):
  // about 1 KB, a list of alternatives after a star.
  names: (i) => {
    let x = ((Math.imul(i, 2654435761) ^ 0x9e3779b9) | 1) >>> 0;
    const names = range(140, () => {
      const codes = new Array(6);
      for (let k = 0; k < 6; k++) {
        x = (x ^ (x << 13)) >>> 0; x = (x ^ (x >>> 17)) >>> 0; x = (x ^ (x << 5)) >>> 0;
        codes[k] = 97 + (x % 26);
      }
      return String.fromCharCode(...codes);
    });
    return `**/*{${names.join(",")}}*`;
  },
  // `**/*{…}*` of 140 names of a million (the attacker's list: base 36,
  // `q`-padded to 6): rules share names and their prefixes, so the automaton
  // stays small while every rule walks 140 branches.
  shared_names: (i) => `**/*{${range(140, (j) => ((i * 131 + j * 7919) % 1e6).toString(36).padStart(6, "q")).join(",")}}*`,
  // A name inside a file name, under any directory (an attacker's pass: a 4 KB
  // file name of such names keeps one star per name active, a new state a byte).
  infix: (i) => `**/*secret${i}_*`,
  // 1 KB of one-byte globs, or of refused ones (atk22).
  tiny: () => "a,".repeat(512),
  tinyRefused: () => "!a,".repeat(341),
  // 1,014 bytes: `**/*`, 1,000 `a`s, the rule's number, `.js`: every rule a
  // suffix of one extension, each sharing 1,000 bytes with a name of `a`s
  // (the trie kept them in one list per extension, read whole at every
  // check: 12 ms at 32,000 rules).
  suffix: (i) => `**/*${"a".repeat(1000)}x${i}.js`,
  // Four patterns a rule, each with a lint note (regex syntax read
  // literally, a comma splitting a name, a trailing slash; an attacker's
  // pass, issue #11: 2.2 s when notes were worded while building).
  noted: (i) => `(a|b)${i}/x, [a-z]+${i}, q1,q2-${i}.pdf, s${i}/`,
  // About 1 KB: a literal file 500 directories deep, every rule its own
  // directories (an attacker's pass, session 17: no limit bounded them,
  // 24 s and 3.9 GB at 40,000 rules; now counted by maxAutomatonStates).
  deep: (i) => `e${String(i).padStart(6, "0")}/${"a/".repeat(500)}x`,
};
const rule = (effect, pattern, actions = ["visible", "modify"]) => ({ effect, actions, patterns: pattern });
const ALTERNATE = (i) => (i % 2 ? "deny" : "allow");
const DENY = () => "deny";
const rules = (n, shape, effect = ALTERNATE) => range(n, (i) => rule(effect(i), SHAPES[shape](i)));
const group = (id, filePermissions, permissions = ["documents"]) => ({ id, permissions, filePermissions });
const policy = (filePermissions) => new g.FilePolicy([group("g", filePermissions)]);
// n rules: everything allowed, then n - 1 denies of 1 KB star globs.
const starDenies = (n, shape = "star") => [rule("allow", "**"), ...rules(n - 1, shape, DENY)];
// The most rules of `shape` (at most n) the default maxAutomatonStates lets
// through: doubling, then bisection (not measured).
const most = (shape) => (n) => {
  const builds = (m) => {
    try {
      policy(rules(m, shape)).free();
      return true;
    } catch (e) {
      if (e.code === "limit.automaton") return false;
      throw e;
    }
  };
  // lo builds, hi is refused (n + 1: not tried).
  let [lo, hi, m] = [0, n + 1, Math.min(1024, n)];
  while (lo < n) {
    if (!builds(m)) {
      hi = m;
      break;
    }
    lo = m;
    m = Math.min(2 * m, n);
  }
  while (lo + 1 < hi) {
    const mid = (lo + hi) >> 1;
    if (builds(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
};
// `infix` rules, every 5th a deny, the rest allows; a 4 KB path of their
// names in a scattered order (path j of many starts at another name).
const infixRules = (n) => rules(n, "infix", (i) => (i % 5 ? "allow" : "deny"));
const infixPath = (n, j = 0) => {
  let s = j ? `ops/k${j}/` : "ops/keys/";
  for (let k = 0; s.length < L.path; k++) s += `secret${(k * 7919 + j * 104729) % n}_`;
  return s.slice(0, L.path);
};
// A call with n such paths against 1,000 rules, the first on a fresh policy.
const infixFiles = (n, call) => {
  const paths = range(n, (j) => infixPath(1000, j));
  const input = firstCall(policy(infixRules(1000)), (p) => call(p, paths));
  input.args.bytes = JSON.stringify(paths).length;
  return input;
};
// 4 KB paths that walk far into each shape.
const PATHS = {
  trie: "d1/" + "a/".repeat(2045),
  nontrie: "src/" + "x1/".repeat(1363) + "m1",
  star: "a".repeat(L.path),
  // pseudo-random a/b
  marks: range(L.path, (i) => ((Math.imul(i, 2654435761) >>> 7) & 1 ? "a" : "b")).join(""),
  // 300 names of `loops` rules, then `a`s
  loops: range(300, (i) => String(i).padStart(3, "0")).join("") + "a".repeat(L.path - 900),
  // 300 names of `mixture` rules, then pseudo-random a/b
  mixture: range(300, (i) => String(i).padStart(3, "0")).join("") + range(L.path - 900, (i) => ((Math.imul(i, 2654435761) >>> 7) & 1 ? "a" : "b")).join(""),
  // 600 names of `distinct` rules, then `a`s
  distinct: range(600, (i) => String(i).padStart(5, "0")).join("") + "a".repeat(L.path - 3000),
};

const bgroup = (id, parent, models = 10, extra = {}) => ({
  id,
  metadata: { name: id, external_entity_id: `ext-${id}` },
  models: range(models, (m) => ({ slug: `org/m${m}`, rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1000 }] })),
  hierarchy: { limit_enforcement: "CASCADING", parent_group_id: parent },
  workspace_id: "ws",
  ...extra,
});
// Ids of the longest a Baseten group id may be (256 bytes); names of 60 KB.
const LONG_ID = "r".repeat(255);
const LONG_NAME = "n".repeat(60_000);
// A root of a 255-byte id and a 60 KB name, and its child (id 256 bytes, name 60 KB), each of n models (the child's at `threshold`, the root's at 1).
const longAncestor = (n, threshold) => ({ groups: [LONG_ID, LONG_ID + "c"].map((id, k) => ({ id, metadata: { name: LONG_NAME + k, external_entity_id: `e${k}` },
  models: range(n, (m) => ({ slug: `o/m${m}`, rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: k ? threshold : 1 }] })),
  hierarchy: { limit_enforcement: "CASCADING", parent_group_id: k ? LONG_ID : null }, workspace_id: "ws" })) });
const wide = (n) => ({ groups: range(n, (i) => bgroup(i ? `w${i}` : "root", i ? "root" : null)) });
const chains = (n) => ({ groups: range(n, (i) => bgroup(`c${i}`, i % 5 ? `c${i - 1}` : null)) });
// A root of n models over n - 1 children of 10 of them (issue 11: every child
// kept a copy of the root's limits, children × root models).
const rootOf = (models, n) => ({ groups: range(n, (i) => (i ? bgroup(`w${i}`, "root") : bgroup("root", null, models))) });
const rootOverChildren = (n) => rootOf(n, n);
// n groups of 100 models each, no two groups sharing a slug (92 MB at the limit).
const distinctModels = (n) => ({ groups: range(n, (i) => ({ ...bgroup(i ? `w${i}` : "root", i ? "root" : null, 0),
  models: range(100, (m) => ({ slug: `org/w${i}m${m}`, rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1000 }] })) })) });
// Workspace.fromBytes of the snapshot of a state.
const loading = (state) => {
  const w = g.Workspace.from(state);
  const bytes = w.toBytes();
  w.free();
  return { args: [bytes], run: ([b]) => g.Workspace.fromBytes(b).free() };
};
// n distinct printable strings of one hash under the keyless word hash that
// orders the Baseten id and slug indexes (src/baseten/store.rs `hash_bytes`:
// from the length, per 8-byte word w, h = (rotl(h, 5) ^ w) * K), as
// tests/support/collide.rs makes them: Joux's multicollision, 16 blocks of
// 16 bytes from each state to one next state (a printable second word
// undoing the first), so k blocks give 16^k strings. `slug`: a `/` first.
const oneHash = (n, slug) => {
  const M = (1n << 64n) - 1n, K = 0x517cc1b727220a95n, PER = 16;
  const rotl = (x, r) => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M;
  const word = (b) => b.reduce((w, c, i) => w | (BigInt(c) << BigInt(8 * i)), 0n);
  const ok = (c) => c > 0x20 && c < 0x7f && !"/\\\"".includes(String.fromCharCode(c));
  let k = 1;
  while (PER ** k < n) k++;
  let state = BigInt(16 * k), x = 0x9e3779b97f4a7c15n;
  const blocks = [];
  for (let j = 0; j < k; j++) {
    const found = [];
    while (found.length < PER) {
      x ^= (x << 13n) & M; x ^= x >> 7n; x ^= (x << 17n) & M;
      const w1 = range(8, (i) => 97 + (Number((x >> BigInt(8 * i)) & 255n) % 26));
      if (slug && j === 0) w1[3] = 0x2f;
      const h1 = ((rotl(state, 5) ^ word(w1)) * K) & M;
      const w2v = rotl(h1, 5) ^ 0x2d2dn;
      const w2 = range(8, (i) => Number((w2v >> BigInt(8 * i)) & 255n));
      const text = String.fromCharCode(...w1, ...w2);
      if (w2.every(ok) && !found.includes(text)) found.push(text);
    }
    blocks.push(found);
    state = (0x2d2dn * K) & M;
  }
  return range(n, (i) => blocks.map((b, j) => b[Math.floor(i / PER ** j) % PER]).join(""));
};
const MANAGER = { scope: "management", workspace_id: "ws" };
// A root's create of n distinct models, each with a rate and a usage limit:
// its `next` lists every model twice (models and effective_models).
const rootCreate = (n) => ({ op: "create", body: { metadata: { external_entity_id: "new-root" }, hierarchy: { parent_group_id: null },
  models: range(n, (i) => ({ slug: `org/n${i}`, rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1 + i }],
    usage_limits: [{ type: "TOKEN", unit: "DAY", threshold: 10 + i }] })) } });
const models = (n, slug = (i) => `org/m${i}`) => range(n, (i) => ({ slug: slug(i) }));

const frontierCreate = (metadata) => ({ op: "create", params: { org_id: "acme" }, body: { name: "team", metadata } });
const FRONTIER_OWNER = { orgRoles: ["app_organization_owner"] };
const apinizer = (clientRoute) => ({ op: "update", params: { projectName: "shop" }, body: { name: "orders", description: "d", clientRoute } });
const LONG_ROLE_NAMES = { roles: Object.fromEntries(range(16, (k) => ["A".repeat(60_000) + String(k).padStart(2, "0"), []])) };
const APINIZER_CTX = { caller: { permissions: ["API_MANAGEMENT+MANAGE"] }, state: { groups: [{ name: "orders", clientRoute: { relativePathList: ["/orders"] } }] } };
const conductor = (roles) => ({ op: "create", params: { id: "g" }, body: { description: "d", roles } });
const gorulesUpdate = (body) => ({ op: "update", params: { projectId: P, groupId: uuid(0) }, body: { name: "g", ...body } });
const gorulesState = (n, members = 0) => ({
  projectId: P,
  groups: range(n, (i) => ({ id: uuid(i), name: `g${i}`, projectId: P, permissions: ["documents"], filePermissions: [rule("allow", `d${i}/**`)] })),
  members: range(members, (i) => ({ id: `m${i}`, groups: [uuid(0), uuid(i % n)] })),
});
const GORULES_MANAGER = { permissions: ["project:manage"] };

// --- cases --------------------------------------------------------------------
// Each case: the entry point, the limit its ladder climbs to, the budget, and
// build(n) → { args, run(args) } (building is not measured). `bytes` is the
// size of the call's input (JSON text of its arguments), for the memory bound.

const built = (p, arg) => ({ args: [p, arg], run: ([pol, a]) => a(pol), free: () => p.free() });
// The FIRST call on a fresh policy, which builds the lazy DFA states the path
// needs (what an edge worker that loads a policy per request pays; later calls
// reuse them): each of the three runs gets its own fresh copy (the policy
// itself, then two read back from its snapshot, unmeasured).
const firstCall = (p, call) => {
  const bytes = p.toBytes();
  const copies = [p, g.FilePolicy.fromBytes(bytes), g.FilePolicy.fromBytes(bytes)];
  return { args: copies, run: (cs, rep) => call(cs[rep]), free: () => copies.forEach((c) => c.free()) };
};

export const CASES = {
  // FilePolicy construction
  "new FilePolicy / trie rules": { limit: L.rules, budget: "whole", build: (n) => ({ args: [rules(n, "trie")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / non-trie rules": { limit: L.rules, budget: "whole", build: (n) => ({ args: [rules(n, "nontrie")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / 10,000 groups of 10 rules": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [range(n, (i) => group(`g${i}`, range(10, (j) => rule(j % 2 ? "deny" : "allow", SHAPES.nontrie(i * 10 + j)))))],
      run: ([gs]) => new g.FilePolicy(gs).free() }) },
  "new FilePolicy / brace-bomb globs": { limit: L.rules, budget: "whole", build: (n) => ({ args: [rules(n, "braces")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / star denies": { limit: L.rules, budget: "whole", build: (n) => ({ args: [starDenies(n)], run: ([r]) => policy(r).free() }) },
  // Globs that share nothing: a state a byte, built within the budget up to
  // maxAutomatonStates, refused past it (issue #11, construction bound).
  "new FilePolicy / distinct 1 KB globs": { limit: L.rules, budget: "whole", refused: "limit.automaton",
    build: (n) => ({ args: [rules(n, "letters")], run: ([r]) => policy(r).free() }) },
  // 1 KB `patterns` strings of 512 one-byte globs (`a,a,…`), or of 341
  // refused ones (`!a,!a,…`): the most globs a byte of input holds, each read
  // for about a microsecond whatever its length (atk22: 8,000 such rules,
  // 8 MB, took 3.8 s, 100,000 about 45 s); refused past maxGlobs.
  "new FilePolicy / 1 KB patterns of 512 one-byte globs": { limit: L.rules, budget: "whole", refused: "limit.globs",
    build: (n) => ({ args: [rules(n, "tiny")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / 1 KB patterns of 341 refused globs": { limit: L.rules, budget: "whole", refused: "glob.negation",
    build: (n) => ({ args: [rules(n, "tinyRefused")], run: ([r]) => policy(r).free() }) },
  // The star denies, the last glob one the dialect refuses: the text reader
  // compiles every deny and words the refusal itself (atk22: it handed the
  // text to the Value reader, which parsed and compiled it all again, 2.1 s
  // against 1.0 s at 50,000).
  "new FilePolicy / star denies, the last glob refused": { limit: L.rules, budget: "whole", refused: "glob.negation",
    build: (n) => ({ args: [[...starDenies(n - 1), rule("deny", "!x")]], run: ([r]) => policy(r).free() }) },
  // The attacker's `?`-chains: a state a byte, refused at maxAutomatonStates
  // within the budget (issue #11).
  "new FilePolicy / ?-chain globs": { limit: L.rules, budget: "whole", refused: "limit.automaton",
    build: (n) => ({ args: [rules(n, "qmarks")], run: ([r]) => policy(r).free() }) },
  // 1 KB `*a` + 1,000 `?` denies: a run of `?`s every rule shares (100,000
  // such rules were 100 million tokens: 8.2 s; issue #11).
  "new FilePolicy / 1 KB ?-run denies": { limit: L.rules, budget: "whole",
    build: (n) => ({ args: [starDenies(n, "marks")], run: ([r]) => policy(r).free() }) },
  // 1 KB lists of 140 names after a star: distinct names per rule, and names
  // rules share (issue #11).
  "new FilePolicy / brace lists of distinct names": { limit: L.rules, budget: "whole", refused: "limit.automaton",
    build: (n) => ({ args: [rules(n, "names")], run: ([r]) => policy(r).free() }) },
  // As many of those as the default maxAutomatonStates lets through: a count
  // between two of the halving steps, the near-limit worst case.
  "new FilePolicy / brace lists of distinct names, as many as maxAutomatonStates lets through": { limit: L.rules, startAt: L.rules, budget: "whole",
    build: (n) => ({ args: [rules(most("names")(n), "names")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / brace lists of shared names": { limit: L.rules, budget: "whole", refused: "limit.automaton",
    build: (n) => ({ args: [rules(n, "shared_names")], run: ([r]) => policy(r).free() }) },
  // Literal globs 500 directories deep, each rule its own: a trie node a
  // directory, a million at the limit (their memory was 75 bytes a byte of
  // input, over the bound, until the subdirectories stopped being sorted
  // as items: session 19).
  "new FilePolicy / literal globs 500 directories deep": { limit: L.rules, budget: "whole", refused: "limit.automaton",
    build: (n) => ({ args: [rules(n, "deep")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / literal globs 500 directories deep, as many as maxAutomatonStates lets through": { limit: L.rules, startAt: L.rules, budget: "whole",
    build: (n) => ({ args: [rules(most("deep")(n), "deep")], run: ([r]) => policy(r).free() }) },
  "new FilePolicy / rules whose every pattern has a lint note": { limit: L.rules, budget: "whole",
    build: (n) => ({ args: [rules(n, "noted")], run: ([r]) => policy(r).free() }) },
  // Their snapshot: every note worded and written (400,000 at the limit, a
  // 76 MB snapshot; session 19 measured it: 0.5-0.8 s, +254 MB of WASM memory).
  "FilePolicy.toBytes / rules whose every pattern has a lint note": { limit: L.rules, budget: "whole",
    build: (n) => {
      const r = rules(n, "noted");
      const p = policy(r);
      return { args: [p, JSON.stringify(r).length], run: ([pol]) => pol.toBytes(), free: () => p.free() };
    }, bytes: ([, size]) => size },
  "FilePolicy.fromBytes / non-trie rules": { limit: L.rules, budget: "whole", has: () => typeof g.FilePolicy.fromBytes === "function",
    build: (n) => {
      const p = policy(rules(n, "nontrie"));
      const bytes = p.toBytes();
      p.free();
      return { args: [bytes], run: ([b]) => g.FilePolicy.fromBytes(b).free() };
    }, bytes: ([b]) => b.length },
  // One path against a compiled policy of n rules (the policy is built unmeasured).
  "check / trie rules, 4 KB path": { limit: L.rules, budget: "single",
    build: (n) => firstCall(policy(rules(n, "trie")), (p) => p.check(["g"], PATHS.trie, "modify")), bytes: () => L.path },
  "check / suffixes of one extension, 4 KB name": { limit: L.rules, budget: "single",
    build: (n) => firstCall(policy(rules(n, "suffix")), (p) => p.check(["g"], `d/${"a".repeat(L.path - 5)}.js`, "modify")), bytes: () => L.path },
  "check / non-trie rules, 4 KB path": { limit: L.rules, budget: "single",
    build: (n) => firstCall(policy(rules(n, "nontrie")), (p) => p.check(["g"], PATHS.nontrie, "modify")), bytes: () => L.path },
  "check / star denies, 4 KB path": { limit: L.rules, budget: "single", startAt: 64,
    build: (n) => firstCall(policy(starDenies(n)), (p) => p.check(["g"], PATHS.star, "visible")), bytes: () => L.path },
  "check / 1 KB denies of 1,000 ?, 4 KB random path": { limit: L.rules, budget: "single", startAt: 64,
    build: (n) => firstCall(policy(starDenies(n, "marks")), (p) => p.check(["g"], PATHS.marks, "visible")), bytes: () => L.path },
  // The automaton's width: an answer, or refused past maxMatchWork.
  "check / star-name-star denies, 4 KB path of names": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(starDenies(n, "loops")), (p) => p.check(["g"], PATHS.loops, "visible")), bytes: () => L.path },
  "check / star-name-star denies with distinct tails, 4 KB path of names": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(starDenies(n, "tails")), (p) => p.check(["g"], PATHS.loops, "visible")), bytes: () => L.path },
  "check / star-name-star-? denies, 4 KB path of names and random a/b": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(starDenies(n, "mixture")), (p) => p.check(["g"], PATHS.mixture, "visible")), bytes: () => L.path },
  "check / star-name-star-? denies, the widest path maxMatchWork answers": { limit: L.rules, budget: "single", startAt: 64,
    build: (n) => {
      // The path naming as many `mixture` rules as it can (then random a/b)
      // and still be answered under the default maxMatchWork: the widest
      // path the limit lets through (found by bisection, not measured).
      const p = policy(starDenies(n, "mixture"));
      const bytes = p.toBytes();
      const path = (m) => { const names = range(m, (i) => String(i).padStart(3, "0")).join(""); return names + PATHS.marks.slice(0, L.path - names.length); };
      const answers = (m) => { const q = g.FilePolicy.fromBytes(bytes); try { q.check(["g"], path(m), "visible"); return true; } catch { return false; } finally { q.free(); } };
      let [lo, hi] = [0, Math.min(300, n - 1) + 1];
      while (lo + 1 < hi) { const mid = (lo + hi) >> 1; if (answers(mid)) lo = mid; else hi = mid; }
      const widest = path(lo);
      return firstCall(p, (q) => q.check(["g"], widest, "visible"));
    }, bytes: () => L.path },
  "explain / distinct star-name-star denies, 4 KB path of names": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(starDenies(n, "distinct")), (p) => p.explain(["g"], PATHS.distinct, "visible")), bytes: () => L.path },
  // An attacker's pass (issue #11): steps that build automaton states from
  // wide sets, counted at their cost.
  "check / infix rules, 4 KB file name of their names": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(infixRules(n)), (p) => p.check(["g"], infixPath(n), "modify")), bytes: () => L.path },
  "explain / infix rules, 4 KB file name of their names": { limit: L.rules, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => firstCall(policy(infixRules(n)), (p) => p.explain(["g"], infixPath(n), "modify")), bytes: () => L.path },
  "checkMany / 100 4 KB file names of 1,000 infix rules": { limit: 100, budget: "whole", startAt: 16, refused: "path.too_complex",
    build: (n) => infixFiles(n, (p, paths) => p.checkMany(["g"], paths, "modify")), bytes: (args) => args.bytes },
  "lint / 100 4 KB file names of 1,000 infix rules": { limit: 100, budget: "whole", startAt: 16,
    build: (n) => infixFiles(n, (p, paths) => p.lint(paths)), bytes: (args) => args.bytes },
  "check / brace-bomb globs, 4 KB path": { limit: L.rules, budget: "single", startAt: 64,
    build: (n) => firstCall(policy(rules(n, "braces")), (p) => p.check(["g"], "a/".repeat(2047) + "x", "visible")), bytes: () => L.path },
  "explain / non-trie rules, 4 KB path": { limit: L.rules, budget: "single",
    build: (n) => firstCall(policy(rules(n, "nontrie")), (p) => p.explain(["g"], PATHS.nontrie, "modify")), bytes: () => L.path },
  // A member of 100,000 ids the policy does not know (an attacker's pass,
  // session 6: 28 s, the unknown ids were deduplicated by a list scan). Each
  // run adds its own id, so the member cache does not answer the repeats.
  "check / member of 100,000 unknown group ids": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(rules(10, "trie"));
      return { args: [p, range(n, (i) => `u${i}`)], run: ([pol, ids], rep) => pol.check([...ids, `rep${rep}`], "d1/a", "modify"), free: () => p.free() };
    }, bytes: ([, ids]) => JSON.stringify(ids).length },
  // The same member explained: its message named every unknown id (54 ms a
  // call at 100,000, member cached; session 19: the first 16, then a count).
  "explain / member of 100,000 unknown group ids": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(rules(10, "trie"));
      return { args: [p, range(n, (i) => `u${i}`)], run: ([pol, ids], rep) => {
        const e = pol.explain([...ids, `rep${rep}`], "d1/a", "modify");
        assert.ok(e.unknownGroups.length === ids.length + 1 && e.message.length < 400, e.message.slice(0, 300));
      }, free: () => p.free() };
    }, bytes: ([, ids]) => JSON.stringify(ids).length },
  "checkMany / 100,000 paths, 10,000 non-trie rules": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(rules(10_000, "nontrie"));
      const paths = range(n, (i) => `src/x${i}/m${i % 10_000}/n${i}.md`);
      return { args: [p, paths], run: ([pol, ps]) => pol.checkMany(["g"], ps, "modify"), free: () => p.free() };
    }, bytes: ([, ps]) => JSON.stringify(ps).length },
  "lint / allow and deny in one group": { limit: L.rules, budget: "whole",
    build: (n) => built(policy(rules(n, "nontrie")), (p) => p.lint()), bytes: () => 0 },
  // Half the rules deny ** for another action than the allows' (atk12,
  // session 18: every allow's search for a shadowing deny met all of them).
  "lint / denies of ** for another action beside allows": { limit: L.rules, budget: "whole",
    build: (n) => built(policy(range(n, (i) => (i % 2 ? rule("allow", `f${i}`) : { effect: "deny", actions: ["modify"], patterns: "**" }))), (p) => p.lint()), bytes: () => 0 },
  "lint / 100,000 files": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(rules(10_000, "nontrie"));
      const files = range(n, (i) => `src/x${i}/m${i % 10_000}/n${i}.md`);
      return { args: [p, files], run: ([pol, fs]) => pol.lint(fs), free: () => p.free() };
    }, bytes: ([, fs]) => JSON.stringify(fs).length },
  // Every glob matches every file, a third each a trie list ({**,N}), a run
  // of equal suffixes (**/{*.js,N}) and one automaton state's accepts
  // ({*/**,N}): lint read all 10,000 at every file (atk12, session 18: 6.5,
  // 5.1 and 11 s at 100,000 files); now each such list once a lint.
  "lint / 100,000 files, 10,000 globs matching every file": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(range(10_000, (i) => rule("allow", [`{**,n${i}}`, `**/{*.js,n${i}}`, `{*/**,n${i}}`][i % 3])));
      const files = range(n, (i) => `src/d${i % 100}/f${i}.js`);
      return { args: [p, files], run: ([pol, fs]) => pol.lint(fs), free: () => p.free() };
    }, bytes: ([, fs]) => JSON.stringify(fs).length },
  // The same for globs the automaton holds (an alternation within a
  // segment), each its own accepting state, all in one DFA state at every
  // file: each file read the 1,000 lists (an attacker's pass, session 37:
  // 13 s at 100,000 files); now each DFA state once a lint.
  "lint / 100,000 files, 1,000 automaton globs matching every file": { limit: L.array, budget: "whole",
    build: (n) => {
      const p = policy(range(1_000, (i) => rule("allow", `{*,a${i}}/**`)));
      const files = range(n, (i) => `d${i % 97}/f${i}.x`);
      return { args: [p, files], run: ([pol, fs]) => assert.ok(pol.lint(fs).every((i) => i.code !== "lint.matches_nothing")), free: () => p.free() };
    }, bytes: ([, fs]) => JSON.stringify(fs).length },
  // Every rule the same id: one lint.duplicate_id each (an attacker's pass,
  // issue #11: 2.15 s and 99,999 issues; lint lists 100 per code).
  "lint / rules sharing one id": { limit: L.rules, budget: "whole",
    build: (n) => built(policy(range(n, (i) => ({ id: "r", ...rule("allow", `d${i}/**`) }))), (p) => {
      const issues = p.lint().length;
      assert.ok(issues <= 101, `${issues} issues: not capped`);
    }), bytes: () => 0 },
  "FilePolicy.lint / non-trie rules": { limit: L.rules, budget: "whole",
    build: (n) => ({ args: [[group("g", rules(n, "nontrie"))]], run: ([gs]) => g.FilePolicy.lint(gs) }) },
  // Workspace
  "Workspace.from / one root, 10,000 children": { limit: L.groups, budget: "whole", build: (n) => ({ args: [wide(n)], run: ([s]) => g.Workspace.from(s).free() }) },
  "Workspace.from / chains of depth 5": { limit: L.groups, budget: "whole", build: (n) => ({ args: [chains(n)], run: ([s]) => g.Workspace.from(s).free() }) },
  "Workspace.from / a root of 10,000 models over 9,999 children": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [rootOverChildren(n)], run: ([s]) => g.Workspace.from(s).free() }) },
  "Workspace.from / 10,000 groups of 100 distinct models": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [distinctModels(n)], run: ([s]) => g.Workspace.from(s).free() }) },
  "Workspace.toBytes / a root of 10,000 models over 9,999 children": { limit: L.groups, budget: "whole", has: () => typeof g.Workspace.prototype.toBytes === "function",
    build: (n) => {
      const state = rootOverChildren(n);
      const w = g.Workspace.from(state);
      return { args: [w, state], run: ([ws]) => ws.toBytes(), free: () => w.free() };
    }, bytes: ([, state]) => JSON.stringify(state).length },
  "Workspace.fromBytes / a root of 10,000 models over 9,999 children": { limit: L.groups, budget: "whole", has: () => typeof g.Workspace.fromBytes === "function",
    build: (n) => loading(rootOverChildren(n)), bytes: ([b]) => b.length },
  "preview / update of a root of 10,000 models over 9,999 children": { limit: L.groups, budget: "whole",
    build: (n) => {
      // The root keeps its models and gains one: every child is visited.
      const w = g.Workspace.from(rootOverChildren(n));
      const req = { op: "update", params: { group_id: "root" }, body: { models: models(n + 1) } };
      return { args: [w, req], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "preview / a root of 100,000 models over 9,999 children loses its limits": { limit: L.groups, budget: "whole",
    build: (n) => {
      // Every child's ten bounds move: 100,000 limit rows at the limit.
      // An answer as large as the state: its size counts. (The state is
      // not kept: with its objects alive, V8 collects them at each of the
      // allocator's small memory grows, README Security "Open bounds".)
      const text = JSON.stringify(rootOf(10 * n, n));
      const w = g.Workspace.from(text);
      const req = { op: "update", params: { group_id: "root" }, body: { models: models(10 * n) } };
      return { args: [w, req, text.length], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r, stateBytes]) => JSON.stringify(r).length + stateBytes },
  "Workspace.from / 100,000 keys": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ ...wide(100), keys: range(n, (i) => ({ prefix: `k${i}`, group_id: `w${1 + (i % 99)}` })) }], run: ([s]) => g.Workspace.from(s).free() }) },
  "preview / update of the root of 10,000 groups": { limit: L.groups, budget: "whole",
    build: (n) => {
      const w = g.Workspace.from(wide(n));
      const req = { op: "update", params: { group_id: "root" }, body: { models: models(5) } };
      return { args: [w, req], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  // The id and slug indexes are ordered by a keyless hash: a run of one hash
  // was scanned per lookup (quadratic; tests/bounds.rs, the same shapes).
  "preview / 100,000 models, slugs of one word hash": { limit: L.array, budget: "whole",
    build: (n) => {
      const slugs = oneHash(n, true);
      const root = { ...bgroup("root", null, 0), models: slugs.map((slug) => ({ slug })) };
      const w = g.Workspace.from({ groups: [root, bgroup("w1", "root", 0)] });
      const req = { op: "update", params: { group_id: "w1" }, body: { models: slugs.map((slug) => ({ slug })) } };
      return { args: [w, req], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "Workspace.from / 100,000 keys of 10,000 groups, ids of one word hash": { limit: L.array, budget: "whole",
    build: (n) => {
      const ids = oneHash(L.groups, false);
      const groups = ids.map((id, i) => bgroup(id, i ? ids[0] : null, 1));
      return { args: [{ groups, keys: range(n, (i) => ({ prefix: `k${i}`, group_id: ids[(i * 7919) % L.groups] })) }], run: ([s]) => g.Workspace.from(s).free() };
    } },
  "preview / 100,000 models": { limit: L.array, budget: "whole",
    build: (n) => {
      const w = g.Workspace.from(wide(1000));
      const req = { op: "update", params: { group_id: "w1" }, body: { models: models(n) } };
      return { args: [w, req], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "preview / create of a root of 100,000 models with limits": { limit: L.array, budget: "echo",
    build: (n) => {
      const w = g.Workspace.from(wide(10));
      return { args: [w, rootCreate(n)], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "preview / 100,000 duplicate models": { limit: L.array, budget: "whole",
    build: (n) => {
      const w = g.Workspace.from(wide(1000));
      const req = { op: "update", params: { group_id: "root" }, body: { models: models(n, () => "org/m0") } };
      return { args: [w, req], run: ([ws, r]) => ws.preview(r, MANAGER), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "effectiveModels / 100,000 models down a chain of 5": { limit: L.array, budget: "whole",
    build: (n) => {
      const w = g.Workspace.from({ groups: range(5, (i) => bgroup(`c${i}`, i ? `c${i - 1}` : null, n)) });
      return { args: [w, n], run: ([ws]) => ws.effectiveModels("c4"), free: () => w.free() };
    }, bytes: ([, n]) => 100 * n }, // the answer lists every model: about the state's size
  // atk21: every effective limit names its source group, so the answer is
  // models × the source's id: a root of a 60 KB id over 4,000 models
  // answered 240 MB of JSON in 1.9 s from a 0.5 MB state. Ids are now at
  // most 256 bytes.
  "effectiveModels / 100,000 models under the limits of a root of a 256-byte id": { limit: L.array, budget: "whole",
    build: (n) => {
      // The child's models hold no limits of their own: each inherits the root's.
      const w = g.Workspace.from({ groups: [bgroup("r".repeat(256), null, n), { ...bgroup("c", "r".repeat(256)), models: range(n, (m) => ({ slug: `org/m${m}` })) }] });
      return { args: [w, n], run: ([ws]) => ws.effectiveModels("c"), free: () => w.free() };
    }, bytes: ([, n]) => 100 * n },
  // atk21: without `summary` every key lists every model it loses, keys ×
  // models entries: 6,000 and 6,000 answered 354 MB in 5.7 s from a 0.43 MB
  // state. The full form now stops at 1 MiB + 8 bytes a byte of the state.
  "preview / a group of 10,000 keys losing 10,000 models (full form)": { limit: L.groups, budget: "whole",
    build: (n) => {
      const state = { groups: [bgroup("r", null, n), bgroup("c", "r", n)], keys: range(n, (i) => ({ prefix: `k${i}`, group_id: "c" })) };
      const w = g.Workspace.from(state);
      return { args: [w, JSON.stringify(state).length], run: ([ws]) => ws.preview({ op: "update", params: { group_id: "r" }, body: { models: [] } }, MANAGER),
        free: () => w.free() };
    }, bytes: ([, b]) => b },
  // Snapshots and in-place changes (where the package has them).
  "Workspace.fromBytes / 10,000 groups": { limit: L.groups, budget: "whole", has: () => typeof g.Workspace.fromBytes === "function",
    build: (n) => loading(wide(n)), bytes: ([b]) => b.length },
  "Workspace.apply / update with 100,000 new models": { limit: L.array, budget: "whole", has: () => typeof g.Workspace.prototype.apply === "function",
    build: (n) => {
      // A workspace of 100,000 slugs, and every slug of the update new: each
      // joins the slug index (one at a time, the index moved at each: quadratic).
      const w = g.Workspace.from({ groups: [bgroup("root", null, L.array), bgroup("w1", "root")] });
      const req = { op: "update", params: { group_id: "w1" }, body: { models: models(n, (i) => `new/m${i}`) } };
      // The same request previewed first grows memory to the call's transient
      // peak, so the growth measured is what apply keeps (else the heap the
      // build left free absorbs small sizes and a larger one grows at once).
      w.preview(req, MANAGER);
      return { args: [w, req], run: ([ws, r]) => ws.apply(r, { caller: MANAGER }), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  "Workspace.apply / update of the root of 10,000 groups": { limit: L.groups, budget: "whole", has: () => typeof g.Workspace.prototype.apply === "function",
    build: (n) => {
      const w = g.Workspace.from(wide(n));
      const req = { op: "update", params: { group_id: "root" }, body: { models: models(5) } };
      return { args: [w, req], run: ([ws, r]) => ws.apply(r, { caller: MANAGER }), free: () => w.free() };
    }, bytes: ([, r]) => JSON.stringify(r).length },
  // validate, per dialect
  "validate baseten / state of 10,000 groups": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [{ op: "update", params: { group_id: "root" }, body: { models: models(5) } }, { state: wide(n), caller: MANAGER }],
      run: ([r, c]) => g.validate("baseten", r, c) }) },
  "validate baseten / create of a root of 100,000 models with limits": { limit: L.array, budget: "echo",
    build: (n) => ({ args: [rootCreate(n), { caller: MANAGER }], run: ([r, c]) => g.validate("baseten", r, c) }) },
  "validate baseten / update of a root to 100,000 models with limits": { limit: L.array, budget: "echo",
    build: (n) => ({ args: [{ op: "update", params: { group_id: "root" }, body: { models: rootCreate(n).body.models } }, { state: wide(10), caller: MANAGER }],
      run: ([r, c]) => g.validate("baseten", r, c) }) },
  // atk21: each issue of a model quoted its group's and its ancestor's names whole (60 KB each).
  "Workspace.from / 100,000 models above a 60 KB-named ancestor's (CASCADING)": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [longAncestor(n, 2)], run: ([s]) => { try { g.Workspace.from(s).free(); } catch (e) { if (e.code !== "state.cascade") throw e; } } }) },
  "validate baseten / 100,000 models above or beside a 60 KB-named ancestor's": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ op: "update", params: { group_id: LONG_ID + "c" }, body: { models: range(n, (i) => ({ slug: i % 2 ? `o/x${i}` : `o/m${i}`,
      rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 2 }] })) } }, { state: longAncestor(n, 1), caller: MANAGER }],
      run: ([r, c]) => g.validate("baseten", r, c) }) },
  "validate baseten / 100,000 models with rate limits": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ op: "update", params: { group_id: "w1" }, body: { models: range(n, (i) => ({ slug: `org/m${i % 7}`,
      rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1 + i }] })) } }, { state: wide(100), caller: MANAGER }],
      run: ([r, c]) => g.validate("baseten", r, c) }) },
  "validate frontier / 10,000 groups in state": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ description: "d" }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      groups: range(n, (i) => ({ id: `g${i}`, name: `n${i}`, org_id: "acme" })) } }], run: ([r, c]) => g.validate("frontier", r, c) }) },
  // Organizations, refused past maxGroups (`limit.groups`, before any is
  // read; no limit capped them: 300,000 took 0.7 s, session 19). The request
  // names the last org by name: a lookup reads every org.
  "validate frontier / 100,000 orgs in state": { limit: L.array, budget: "whole", refused: "limit.groups",
    build: (n) => ({ args: [{ op: "create", params: { org_id: `org${n - 1}` }, body: { name: "team" } },
      { caller: FRONTIER_OWNER, state: { orgs: range(n, (i) => ({ id: uuid(i), name: `org${i}` })) } }],
      run: ([r, c]) => { const v = g.validate("frontier", r, c); if (!v.ok) throw new g.GroupgateError(undefined, v.errors); } }) },
  "validate frontier / uniqueItems over 100,000 items": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ tags: range(n, (i) => `t${i}`) }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", properties: { tags: { type: "array", uniqueItems: true, items: { type: "string" } } } } } }],
      run: ([r, c]) => g.validate("frontier", r, c) }) },
  // 100,000 floats of 16-17 digits, many of which serde_json's default
  // parser read a unit off: each read again exactly (session 18,
  // src/json/exact.rs), in time linear in the text.
  "validate frontier / 100,000 floats against a maximum": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ xs: range(n, (i) => 100 + i * 1.2345678e-9) }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", properties: { xs: { type: "array", items: { type: "number", maximum: 948.1254568373223 } } } } } }],
      run: ([r, c]) => g.validate("frontier", r, c) }) },
  "validate frontier / enum of 10,000 values over 100,000 items": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ tags: range(n, (i) => `t${i}`) }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", properties: { tags: { type: "array", items: { enum: range(10_000, (i) => `e${i}`) } } } } } }],
      run: ([r, c]) => g.validate("frontier", r, c) }) },
  // A metaschema's `required` of 100,000 names (an attacker's pass,
  // session 6: 26 s, its uniqueness was checked by a list scan).
  "validate frontier / metaschema requiring 100,000 names": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ r0: 1 }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", required: range(n, (i) => `r${i}`) } } }], run: ([r, c]) => g.validate("frontier", r, c) }) },
  // n `if`s applied to metadata of n members (an attacker's pass, session 6:
  // 75 s at 10,000, each visit walked every member unmetered).
  "validate frontier / metaschema of 10,000 ifs over 10,000 members": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [frontierCreate(Object.fromEntries(range(n, (i) => [`k${i}`, "v"]))), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", allOf: range(n, (i) => ({ if: { required: [`k${i}`] }, then: { required: [`m${i}`] }, else: { properties: { [`k${i}`]: { maxLength: 1 } } } })) } } }],
      run: ([r, c]) => g.validate("frontier", r, c) }) },
  // Every item fails an enum of objects (an attacker's pass, session 6: 2.4 s
  // at 100-byte objects, 9.5 s at 1 KB: each failure wrote ten values).
  "validate frontier / enum of 10,000 objects, 100,000 items outside it": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [frontierCreate({ tags: range(n, (i) => ({ k: "v".repeat(100) + (i + 10_000) })) }), { caller: FRONTIER_OWNER, state: { org: { id: "acme" },
      metaschema: { type: "object", properties: { tags: { type: "array", items: { enum: range(10_000, (i) => ({ k: "v".repeat(100) + i })) } } } } } }],
      run: ([r, c]) => g.validate("frontier", r, c) }) },
  "validate frontier / 64 KB strings": { limit: L.string, budget: "whole",
    build: (n) => ({ args: [{ op: "create", params: { org_id: "acme" }, body: { name: "team", title: "t".repeat(n), metadata: { description: "d".repeat(n) } } },
      { caller: FRONTIER_OWNER }], run: ([r, c]) => g.validate("frontier", r, c) }) },
  "validate apinizer / 100,000 relative paths": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [apinizer({ relativePathList: range(n, (i) => `/p${i}`) }), APINIZER_CTX], run: ([r, c]) => g.validate("apinizer", r, c) }) },
  "validate apinizer / 100,000 duplicate paths": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [apinizer({ relativePathList: range(n, (i) => `/p${i % 2}`) }), APINIZER_CTX], run: ([r, c]) => g.validate("apinizer", r, c) }) },
  "validate apinizer / 100,000 headers": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [apinizer({ relativePathList: ["/a"], headerList: range(n, (i) => ({ name: `h${i}`, value: "v" })) }), APINIZER_CTX],
      run: ([r, c]) => g.validate("apinizer", r, c) }) },
  "validate apinizer / paths against 10,000 groups' routes": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [apinizer({ relativePathList: range(n, (i) => `/p${i}`) }), { ...APINIZER_CTX, state: { groups: [
      { name: "orders", clientRoute: { relativePathList: ["/o"] } },
      ...range(Math.max(1, n / 10), (i) => ({ name: `g${i}`, clientRoute: { relativePathList: range(10, (j) => `/q${i}-${j}`) } }))] } }],
      run: ([r, c]) => g.validate("apinizer", r, c) }) },
  "validate conductor / 100,000 roles of a 10,000-role catalog": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [conductor(range(n, (i) => `R${i % 10_000}`)), { caller: { admin: true },
      catalog: { roles: Object.fromEntries(range(10_000, (i) => [`R${i}`, ["METADATA_VIEW"]])) } }], run: ([r, c]) => g.validate("conductor", r, c) }) },
  "validate conductor / 100,000 unknown roles, 10,000-role catalog": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [conductor(range(n, (i) => `X${i}`)), { caller: { admin: true },
      catalog: { roles: Object.fromEntries(range(10_000, (i) => [`R${i}`, ["METADATA_VIEW"]])) } }], run: ([r, c]) => g.validate("conductor", r, c) }) },
  // atk21: messages quoted catalog and state names whole (16 of 60 KB a message, three a warning).
  "validate conductor / 100,000 unknown roles, 16 catalog roles of 60 KB": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [conductor(range(n, (i) => `X${i}`)), { caller: { admin: true }, catalog: LONG_ROLE_NAMES }],
      run: ([r, c]) => g.validate("conductor", r, c) }) },
  "permissionsOf conductor / 100,000 unknown roles, 16 catalog roles of 60 KB": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ roles: range(n, (i) => `X${i}`) }, { catalog: LONG_ROLE_NAMES }],
      run: ([s, c]) => { try { g.permissionsOf("conductor", s, c); } catch (e) { if (e.code !== "unknown_role" || e.issues.length > 101) throw e; } } }) },
  "validate apinizer / 100,000 paths routed by 3 groups of 60 KB names": { limit: L.array, budget: "whole",
    build: (n) => { const paths = range(n, (i) => `/p${i}`); return { args: [apinizer({ relativePathList: paths }), { ...APINIZER_CTX, state: { groups:
      range(3, (k) => ({ name: "g".repeat(60_000) + k, clientRoute: { relativePathList: paths } })) } }],
      run: ([r, c]) => g.validate("apinizer", r, c) }; } },
  "validate conductor / state of 10,000 groups": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [conductor(["USER"]), { caller: { admin: true }, state: { groups: range(n, (i) => ({ id: i ? `g${i}x` : "g", description: "d", roles: ["USER"] })) } }],
      run: ([r, c]) => g.validate("conductor", r, c) }) },
  "validate gorules / 100,000 rules": { limit: L.rules, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ filePermissions: rules(n, "nontrie") }), { caller: GORULES_MANAGER, state: gorulesState(10) }],
      run: ([r, c]) => g.validate("gorules", r, c) }) },
  "validate gorules / 100,000 rules, refused caller": { limit: L.rules, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ filePermissions: rules(n, "nontrie") }), { caller: { permissions: [] }, state: gorulesState(10) }],
      run: ([r, c]) => g.validate("gorules", r, c) }) },
  "validate gorules / state of 10,000 groups and members": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ permissions: ["documents"] }), { caller: { groups: range(n, uuid) }, state: gorulesState(n, n) }],
      run: ([r, c]) => g.validate("gorules", r, c) }) },
  "validate gorules / changes over 100,000 files": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ filePermissions: [rule("deny", "**/*.md")] }), { caller: GORULES_MANAGER, state: gorulesState(10, 10),
      files: range(n, (i) => `src/f${i}.${i % 2 ? "md" : "rs"}`) }], run: ([r, c]) => g.validate("gorules", r, c) }) },
  // Members × files is a product of two small request sizes: every member of
  // group 0 flips on every file (1,000 flips a member). An attacker's pass
  // (session 6): 100 members × 250 files, an 8 KB request, listed 100,000
  // flips and grew WASM memory by 88 MiB (bound 16.7 MiB).
  "validate gorules / flips of 10,000 members × 500 files": { limit: L.groups, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ filePermissions: [rule("allow", "**")] }), { caller: GORULES_MANAGER, state: gorulesState(10, n),
      files: range(500, (i) => `x/f${i}.json`) }], run: ([r, c]) => g.validate("gorules", r, c) }) },
  // atk21: each flip repeats its member's id: one member of a 60 KB id over
  // 2,500 files listed 10,000 flips of 600 MB from an 85 KB request (the
  // verdict was too long for a JavaScript string: a bare Error).
  "validate gorules / flips of a member of a 60 KB id over 100,000 files": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [gorulesUpdate({ filePermissions: [rule("allow", "**")] }), { caller: GORULES_MANAGER,
      state: { ...gorulesState(10), members: [{ id: "m".repeat(60_000), groups: [uuid(0)] }] }, files: range(n, (i) => `x/f${i}`) }],
      run: ([r, c]) => g.validate("gorules", r, c) }) },
  // permissionsOf
  "permissionsOf gorules / 100,000 group ids, 10,000 groups": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ groups: range(n, (i) => uuid(i % 10_000)) }, { state: gorulesState(10_000) }],
      run: ([s, c]) => g.permissionsOf("gorules", s, c) }) },
  "permissionsOf conductor / 100,000 roles, 10,000-role catalog": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ roles: range(n, (i) => `R${i % 10_000}`) }, { catalog: { roles: Object.fromEntries(range(10_000, (i) => [`R${i}`, ["METADATA_VIEW"]])) } }],
      run: ([s, c]) => g.permissionsOf("conductor", s, c) }) },
  // A catalog is dense in small names: read on a fresh instance it grew the
  // heap 64 KB at a time (3.6 s at 100,000; an attacker's pass, session 6).
  "permissionsOf frontier / catalog of 100,000 roles and a 100,000-permission chain": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ roles: ["R1"] }, { catalog: { roles: Object.fromEntries(range(n, (i) => [`R${i}`, ["p0"]])),
      permissions: Object.fromEntries(range(n, (i) => [`p${i}`, [`p${i + 1}`]])) } }], run: ([s, c]) => g.permissionsOf("frontier", s, c) }) },
  "permissionsOf frontier / 100,000 roles": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ roles: range(n, (i) => ["app_organization_owner", "app_group_member", "app_organization_viewer"][i % 3]) }],
      run: ([s]) => g.permissionsOf("frontier", s) }) },
  "permissionsOf apinizer / 100,000 permissions": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ permissions: range(n, (i) => ["API_MANAGEMENT+MANAGE", "API_MANAGEMENT+DEPLOY_UNDEPLOY"][i % 2]) }],
      run: ([s]) => g.permissionsOf("apinizer", s) }) },
  "permissionsOf baseten / 100,000 roles": { limit: L.array, budget: "whole",
    build: (n) => ({ args: [{ roles: range(n, (i) => ["management", "inference"][i % 2]) }], run: ([s]) => g.permissionsOf("baseten", s) }) },
  // globMatch: one 1 KB glob against paths up to 4 KB (the ladder climbs the path length).
  "globMatch / brace-bomb glob": { limit: L.path, budget: "single", startAt: 64,
    build: (n) => ({ args: [SHAPES.braces(1), "a/".repeat(n / 2 - 1) + "x"], run: ([p, s]) => g.globMatch(p, s) }) },
  "globMatch / star glob of 1 KB": { limit: L.path, budget: "single", startAt: 64,
    build: (n) => ({ args: [SHAPES.star(1), "a".repeat(n)], run: ([p, s]) => g.globMatch(p, s) }) },
  "globMatch / many stars": { limit: L.path, budget: "single", startAt: 64,
    build: (n) => ({ args: ["*a".repeat(500) + "b", "a".repeat(n)], run: ([p, s]) => g.globMatch(p, s) }) },
  // 220 alternations after a star, a path whose active set keeps changing (pseudo-random a/b).
  "globMatch / alternations of one width": { limit: L.path, budget: "single", startAt: 64,
    build: (n) => ({ args: ["*" + "{a,b}{,a}".repeat(110) + "c", range(n, (i) => ((Math.imul(i, 2654435761) >>> 7) & 1 ? "a" : "b")).join("")], run: ([p, s]) => g.globMatch(p, s) }) },
  // Alternations holding `**/`, all live at once against `a/b/…` (until
  // session 38 a bit-parallel run of its own: ≈ 12 ms at 4 KB); refused
  // as a policy of the glob refuses the path.
  "globMatch / alternations of globstars": { limit: L.path, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => ({ args: ["{*/**/,b/}".repeat(102) + "x", "a/b/".repeat(n / 4)], run: ([p, s]) => g.globMatch(p, s) }) },
  "globMatch / alternations of globstars, then a state a byte": { limit: L.path, budget: "single", startAt: 64, refused: "path.too_complex",
    build: (n) => ({ args: ["{**/,a/,b/}".repeat(80) + "*a" + "?".repeat(30), range(n, (i) => ((Math.imul(i, 2654435761) >>> 7) & 1 ? "a" : "b")).join("")], run: ([p, s]) => g.globMatch(p, s) }) },
  // Over a limit: refused in bounded time and memory, the engine still answers.
  "check / 64 MB path is refused": { limit: 64 << 20, budget: "refuse", startAt: 1 << 20, refused: "path.too_long",
    build: (n) => built(policy(rules(10, "trie")), (p) => p.check(["g"], "d".repeat(n), "visible")), bytes: () => 0 },
  "validate / 64 MB string is refused": { limit: 64 << 20, budget: "whole", startAt: 1 << 20,
    build: (n) => ({ args: [{ op: "create", params: { org_id: "acme" }, body: { name: "team", title: "t".repeat(n) } }], run: ([r]) => g.validate("frontier", r) }) },
  // No limit caps an unknown member: the most memory a byte of JSON takes,
  // read in linear time (4 MiB steps of memory once made it quadratic, a
  // collection of the caller's heap at each: 30 MB, 54 s; attacker, session 9).
  "validate / 4 MB of nested one-key objects": { limit: 4 << 20, budget: "whole", memPerByte: MEM_PER_BYTE_NESTED,
    build: (n) => ({ args: [{ op: "create", params: { org_id: "acme" }, body: { name: "team", x: nestedObjects(n) } }], run: ([r]) => g.validate("frontier", r) }) },
  // A duplicate key sends the text to the general JSON reader (the rule
  // scanner skips unknown members without building them).
  "new FilePolicy / text with 4 MB of nested one-key objects": { limit: 4 << 20, budget: "whole", memPerByte: MEM_PER_BYTE_NESTED,
    build: (n) => ({ args: [`[{"id":"g","id":"g","x":${JSON.stringify(nestedObjects(n))},"filePermissions":${JSON.stringify([rule("allow", "a/**")])}}]`],
      run: ([t]) => new g.FilePolicy(t).free() }),
    bytes: ([t]) => t.length },
};

/** About `n` bytes of JSON: an array of one-key objects nested 20 deep. */
function nestedObjects(n) {
  let one = 0;
  for (let d = 0; d < 20; d++) one = { "": one };
  return range(Math.max(1, Math.floor(n / 102)), () => one);
}

// Bounds not held yet, with who owns the fix (README "Security" lists them).
export const OPEN = {};

// --- the child: one case, its ladder ---------------------------------------------

function cpuMs() {
  try {
    // Nanoseconds this thread has run (Linux); the machine's load does not count.
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    return exactCpuMs();
  }
}

// The process's CPU time, exact to the microsecond (getrusage: speed.mjs
// `cpuNow`). The thread's schedstat above is only brought up to date at a
// scheduler tick (4 ms here) or a switch, so a call shorter than a tick
// often reads 0 ms: the budgets of single calls (10 ms) are judged on this
// clock. It also counts V8's background threads (compiling, collecting),
// which only add time; the least of three runs drops them.
const exactCpuMs = cpuNow;

const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

// What is wrong with the steps so far (nothing: []). The child stops at the
// first problem, the parent reports them all.
function problems(c, steps) {
  const budget = BUDGET[c.budget];
  const out = [];
  for (const s of steps) {
    const at = `at n=${s.n}`;
    if (s.outcome !== "ok" && s.outcome !== c.refused) out.push(`${at}: ${s.outcome}`);
    if (s.ms > budget * s.scale) {
      out.push(`${at}: ${s.ms} ms CPU, over the ${budget} ms budget × ${s.scale} (this machine's speed: ${+(budget * s.scale).toFixed(1)} ms)`);
    }
    const bound = MEM_BASE + (c.memPerByte ?? MEM_PER_BYTE) * s.bytes;
    if (s.grew > bound) out.push(`${at}: WASM memory grew by ${mb(s.grew)}, over the bound ${mb(bound)}`);
  }
  for (let i = 1; i < steps.length; i++) {
    const b = steps[i];
    // Time is judged over two doublings (against the step two below), memory
    // over one: a step's time also pays for the memory hierarchy, which can
    // make one doubling of a linear build cost 3.2x on a CI machine
    // (tests/bounds.rs). Over two doublings a quadratic still shows 16x
    // against an allowance of 9x.
    // Each step's time at the reference speed: merged steps may come from
    // children of different speeds.
    const t = steps[Math.max(0, i - 2)];
    const [bMs, tMs] = [b.ms / b.scale, t.ms / t.scale];
    const allowance = (b.n / t.n) ** Math.log2(RATIO);
    if (bMs >= RATIO_FLOOR_MS && bMs > allowance * Math.max(tMs, RATIO_FLOOR_MS / allowance)) {
      out.push(`n=${t.n} took ${t.ms} ms, n=${b.n} ${b.ms} ms (more than ${RATIO}x per doubling: not linear)`);
    }
    const a = steps[i - 1];
    // Sizes double (give or take the rounding): scale the allowance with them.
    const scale = (RATIO / 2) * (b.n / a.n);
    if (b.grew - GROW_AHEAD >= RATIO_FLOOR_BYTES && b.grew - GROW_AHEAD > scale * Math.max(a.grew + GROW_AHEAD, RATIO_FLOOR_BYTES / RATIO)) {
      out.push(`n=${a.n} grew WASM memory by ${mb(a.grew)}, n=${b.n} by ${mb(b.grew)} (more than ${RATIO}x per doubling)`);
    }
  }
  return out;
}

// The sizes a case climbs: halving from the limit down to `startAt` (limit/64).
function ladder(c) {
  const sizes = [];
  for (let n = c.limit; n >= (c.startAt ?? Math.ceil(c.limit / 64)); n = Math.floor(n / 2)) sizes.unshift(n);
  return sizes;
}

// Runs the step's call, the least CPU time of up to three runs: noise only
// adds time, and a run that grew the WASM memory is run again, since growing
// (the kernel handing out fresh pages) is paid once per process, not per call.
// A case measuring first calls (firstCall) gives each run its own fresh policy.
// The largest steps are repeated too, while the step's runs have spent less
// than STEP_SPEND_MS: they are the ones nearest their budget (1.2-1.5 s of
// 2 s at a load average of 15 on 2 cores: brace lists, brace bombs, star
// denies), and one sample of them was all a child had (a run over half the
// whole budget was not repeated).
const STEP_SPEND_MS = 2 * BUDGET.whole;
function measure(input, budget, memory, scale) {
  const clock = budget < BUDGET.whole ? exactCpuMs : cpuMs;
  let ms = Infinity;
  let outcome;
  let callGrew = 0;
  let spent = 0;
  for (let rep = 0; rep < 3; rep++) {
    const before = memory.buffer.byteLength;
    const t = clock();
    try {
      input.run(input.args, rep);
      outcome = "ok";
    } catch (e) {
      outcome = e instanceof g.GroupgateError ? e.code : `THROWN ${e?.message ?? e}`;
    }
    const took = clock() - t;
    ms = Math.min(ms, took);
    spent += took;
    const grew = memory.buffer.byteLength - before;
    callGrew = Math.max(callGrew, grew);
    // Repeated as in the native suite (one sample of 640 ms, the top step of
    // a case, doubled on a fresh clone's CI run and broke the per-doubling
    // ratio), unless far over its budget (another run cannot bring it under)
    // or the step has spent STEP_SPEND_MS in all and its last run did not
    // grow memory (a run that grows it pays for growing, which the next
    // run does not: it is worth another).
    if (took > 3 * budget * scale || (spent > STEP_SPEND_MS && grew === 0)) break;
  }
  return { ms, outcome, callGrew };
}

function runCase(name) {
  const c = CASES[name];
  const memory = g.initSync().memory;
  const budget = BUDGET[c.budget];
  const first = scaleOf(calibrationMs(cpuMs));
  const base = memory.buffer.byteLength;
  const steps = [];
  for (const n of ladder(c)) {
    const input = c.build(n);
    const bytes = c.bytes ? c.bytes(input.args) : JSON.stringify(input.args).length;
    let scale = first;
    let { ms, outcome, callGrew } = measure(input, budget, memory, scale);
    // Over its budget on the scale the child took at its start: this VM's
    // speed moves by 1.5x within minutes (a fresh clone's run saw ×1.15 at a
    // case's start and 2.3 s at its top step, 1.3 s on an idle machine), so
    // the machine is timed again beside the step, and on a slower scale the
    // step is measured again and judged on it. The workload runs no groupgate:
    // a slower groupgate cannot buy itself time this way. The scale is the
    // step's: the next step starts again from the child's first one.
    if (ms > budget * scale && scale < MAX_SCALE) {
      const now = scaleOf(calibrationMs(cpuMs));
      if (now > scale) {
        scale = now;
        const again = measure(input, budget, memory, scale);
        [ms, outcome, callGrew] = [Math.min(ms, again.ms), again.outcome, Math.max(callGrew, again.callGrew)];
      }
    }
    // The call's growth: with an engine built beforehand (freed after), what
    // the call itself added; otherwise all the memory the process has grown
    // by (earlier, smaller steps freed theirs: the peak of this one).
    const grew = input.free ? callGrew : memory.buffer.byteLength - base;
    input.free?.();
    // One line per step: a parent that has to kill this child still has them.
    const step = { n, ms: +ms.toFixed(3), grew, bytes, outcome, scale };
    process.stdout.write(JSON.stringify(step) + "\n");
    steps.push(step);
    if (problems(c, steps).length) break;
  }
}

if (process.env.BOUNDS_CASE) {
  runCase(process.env.BOUNDS_CASE);
  process.exit(0);
}

// --- the parent: one test per case -------------------------------------------------

const here = fileURLToPath(import.meta.url);

// A step never takes more than a few budgets of CPU; a child that has used
// CHILD_CPU_MS of CPU is stuck in one call. CPU, not wall time: on a loaded
// machine a healthy child may wait minutes for a core (CHILD_WALL_MS is the
// backstop).
const CHILD_CPU_MS = 60_000;
const CHILD_WALL_MS = 1_200_000;

// CPU milliseconds a process has used (Linux; 0 elsewhere: wall time decides).
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [utime, stime] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").slice(11, 13).map(Number);
    return ((utime + stime) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

async function child(name) {
  const proc = spawn(process.execPath, [here], { env: { ...process.env, BOUNDS_CASE: name, NODE_TEST_CONTEXT: "" } });
  let out = "";
  let err = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (err += d));
  const start = Date.now();
  let killed = null;
  const watch = setInterval(() => {
    const cpu = processCpuMs(proc.pid);
    if (cpu > CHILD_CPU_MS || Date.now() - start > CHILD_WALL_MS) {
      killed = cpu > CHILD_CPU_MS ? `still running after ${CHILD_CPU_MS / 1000} s of CPU` : `still running after ${CHILD_WALL_MS / 1000} s`;
      proc.kill("SIGKILL");
    }
  }, 250);
  const code = await new Promise((resolve) => proc.on("close", (c, signal) => resolve(c ?? signal)));
  clearInterval(watch);
  const steps = out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const failure = killed ?? (code === 0 ? null : `exit ${code}: ${err.slice(-300)}`);
  if (failure) {
    const sizes = ladder(CASES[name]);
    steps.push({ n: sizes[steps.length] ?? CASES[name].limit, ms: NaN, grew: NaN, bytes: 0, outcome: `CHILD ${failure}`, scale: 1 });
  }
  return steps;
}

// BOUNDS_ONLY="part|part" runs the cases whose names hold a part (while working on some).
const only = process.env.BOUNDS_ONLY?.split("|");
for (const name of Object.keys(CASES).filter((n) => !only || only.some((o) => n.includes(o)))) {
  const missing = CASES[name].has && !CASES[name].has();
  // A known open bound (README "Security", REQUESTS.md BOUNDS-FAIL) runs and
  // reports, as a todo: it does not fail the suite until its owner fixes it.
  const todo = OPEN[name] && `known open bound: ${OPEN[name]}`;
  test(`bounds: ${name}`, { skip: missing && "not in this build of the package", todo }, async () => {
    const c = CASES[name];
    let steps = await child(name);
    // Up to twice more, each in a fresh child, each step judged on the least
    // of its runs: noise (a VM's stolen time counts as the thread's) only
    // adds time, and what is not linear stays so in every run. A process
    // here runs at one of two speeds (session 22: 1.1 or 1.6 ms for the same
    // native build by process), so two children could both draw the slow one.
    for (let k = 0; k < 2 && problems(c, steps).length; k++) {
      const first = steps;
      steps = (await child(name)).map((s) => {
        const f = first.find((f) => f.n === s.n && f.outcome === s.outcome);
        const faster = f && f.ms / f.scale < s.ms / s.scale ? f : s;
        return f ? { ...s, ms: faster.ms, scale: faster.scale, grew: Math.min(s.grew, f.grew) } : s;
      });
    }
    const line = steps.map((s) => `n=${s.n}: ${s.ms} ms (×${s.scale}), +${mb(s.grew)}${s.outcome === "ok" ? "" : ` ${s.outcome}`}`).join("; ");
    console.log(`${name}: ${line}`);
    assert.deepEqual(problems(c, steps).map((p) => `${name} ${p}`), []);
    assert.equal(steps.at(-1).n, c.limit, `${name} stopped at n=${steps.at(-1).n}`);
  });
}

test("the README's Security section states the budgets and the memory bound this suite enforces", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Security"), readme.indexOf("\n## ", readme.indexOf("## Security") + 1));
  assert.ok(section.length > 100, "no Security section");
  for (const s of [`≤ ${BUDGET.whole / 1000} s`, `≤ ${BUDGET.single} ms`, `≤ ${BUDGET.refuse} ms`,
    `${MEM_BASE >> 20} MiB + ${MEM_PER_BYTE} bytes per byte`, `at most triples`, `in ${REFERENCE_MS} ms of CPU in Node`,
    `at most ${MAX_SCALE}×`]) {
    assert.ok(section.includes(s), `the Security section does not say ${JSON.stringify(s)}`);
  }
});

// README "Verdicts": one issue per failing item would cost more memory than
// the request; a verdict lists 100 issues of a code, then one summary with
// `omitted`, and answers exactly as with the full list.
test("a verdict lists 100 issues of one code, then one summary counting the rest", () => {
  const CAP = 100;
  const frontier = (n) => g.validate("frontier", frontierCreate({ tags: range(n, (i) => `t${i}`) }), { caller: FRONTIER_OWNER,
    state: { org: { id: "acme" }, metaschema: { type: "object", properties: { tags: { type: "array", items: { enum: ["a"] } } } } } });
  const cases = [
    ["conductor", (n) => g.validate("conductor", conductor(range(n, (i) => `X${i}`)), { caller: { admin: true } }), "errors", "unknown_role", (i) => `/body/roles/${i}`, 0],
    ["apinizer", (n) => g.validate("apinizer", apinizer({ relativePathList: range(n, (i) => `/p${i % 2}`) }), APINIZER_CTX), "warnings", "duplicate",
      (i) => `/body/clientRoute/relativePathList/${i + 2}`, 2],
    ["frontier", frontier, "errors", "schema.enum", (i) => `/body/metadata/tags/${i}`, 0],
  ];
  for (const [name, run, list, code, at, free] of cases) {
    const few = run(5), many = run(1000);
    for (const k of ["ok", "status", "complete"]) assert.equal(many[k], few[k], `${name}: ${k}`);
    assert.deepEqual(many.errors[0], few.errors[0], `${name}: the first error`);
    const mine = many[list].filter((i) => i.code === code);
    assert.equal(mine.length, CAP + 1, `${name}: ${CAP} listed and a summary`);
    assert.deepEqual(mine.slice(0, CAP).map((i) => [i.path, i.omitted]), range(CAP, (i) => [at(i), undefined]), name);
    assert.deepEqual([mine[CAP].path, mine[CAP].omitted, mine[CAP].severity], [at(CAP), 1000 - free - CAP, mine[0].severity], `${name}: summary`);
    assert.equal(few[list].filter((i) => i.omitted !== undefined).length, 0, `${name}: no summary under the cap`);
  }
});
