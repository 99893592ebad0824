// The benchmark corpora of issue 12: one corpus per pattern shape (every rule
// of one shape) and the mixed corpus (every shape, several groups, members of
// 2 to 4 groups), generated deterministically from a seed. benches/run.mjs
// measures them in Node and dumps them as JSON (with groupgate's decisions)
// for the native bench, benches/files.rs, which reads the same files: no port.
//
// Every shape is written with globset's and picomatch's common syntax, so
// groupgate, picomatch {dot: true}, casbin (through picomatch) and globset
// (literal_separator) all read each pattern the same way; run.mjs and
// files.rs check that every peer gives groupgate's decision on every query.
import { rng } from "./corpus.mjs";

const EXTS = ["js", "ts", "json", "md", "py"];
const ALT26 = "abcdefghijklmnopqrstuvwxyz".split("").map((c) => `${c}x`).join(",");
const LONG = "component-".repeat(12);
const SEGMENTS = "-segment".repeat(8);
/** Far outside any corpus's rule indexes: a path built from it matches no rule. */
const MISS = 1_000_003;

/**
 * Each shape: `glob(i)` is rule i's pattern; `hit(i)` a path that rule i
 * matches (and no rule of another index of the same shape); a miss is
 * `hit(MISS + i)`: the same form, near the rules, matching none of them.
 */
export const SHAPES = [
  { key: "literal", label: "literal `src/mN/fileK.js`", glob: (i) => `src/m${i}/file${i % 7}.js`, hit: (i) => `src/m${i}/file${i % 7}.js` },
  { key: "dir", label: "`dir/**`", glob: (i) => `src/m${i}/**`, hit: (i) => `src/m${i}/lib/x/main.rs` },
  { key: "dir_ext", label: "`dir/**/*.ext`", glob: (i) => `pkg/m${i}/**/*.${EXTS[i % 5]}`, hit: (i) => `pkg/m${i}/a/b/util.${EXTS[i % 5]}` },
  { key: "dir_braces", label: "`rules/t5/**/*.{json,yaml}`", glob: (i) => `rules/t${i}/**/*.{json,yaml}`, hit: (i) => `rules/t${i}/area/v1/policy.yaml` },
  { key: "dir_qmark", label: "`rules/t5/v?/**`", glob: (i) => `rules/t${i}/v?/**`, hit: (i) => `rules/t${i}/v2/policy.json` },
  { key: "any_name", label: "`**/name`", glob: (i) => `**/name${i}.cfg`, hit: (i) => `app/conf/name${i}.cfg` },
  { key: "any_ext", label: "`**/*.ext`", glob: (i) => `**/*.x${i}`, hit: (i) => `app/data/report.x${i}` },
  { key: "any_prefix", label: "`**/prefix*`", glob: (i) => `**/test${i}_*`, hit: (i) => `src/unit/test${i}_spec.js` },
  { key: "any_infix", label: "`**/*infix*`", glob: (i) => `**/*secret${i}_*`, hit: (i) => `ops/keys/my-secret${i}_prod.txt` },
  { key: "star_lit", label: "`*/x/y`", glob: (i) => `*/t${i}/config.json`, hit: (i) => `svc/t${i}/config.json` },
  { key: "lit_star_lit_any", label: "`a/*/b/**`", glob: (i) => `a${i}/*/b/**`, hit: (i) => `a${i}/q/b/c/d.txt` },
  { key: "rules_star", label: "`rules/*/t7/**`", glob: (i) => `rules/*/t${i}/**`, hit: (i) => `rules/core/t${i}/x.json` },
  { key: "src_any_prefix", label: "`src/**/m5_*.js`", glob: (i) => `src/**/m${i}_*.js`, hit: (i) => `src/a/b/m${i}_view.js` },
  { key: "docs_class", label: "`docs/[a-m]*/t3/**`", glob: (i) => `docs/[a-m]*/t${i}/**`, hit: (i) => `docs/guide/t${i}/intro.md` },
  { key: "classes", label: "classes `logs/[0-9][0-9]/fN[a-c].log`", glob: (i) => `logs/[0-9][0-9]/f${i}[a-c].log`, hit: (i) => `logs/42/f${i}b.log` },
  { key: "braces", label: "braces `{src,lib}/cN/*.{js,ts}`", glob: (i) => `{src,lib}/c${i}/*.{js,ts}`, hit: (i) => `lib/c${i}/index.ts` },
  // Session 13 (perf7): shapes users write that the list above left out,
  // measured per shape only (the mixed corpus keeps the shapes above, so its
  // figures stay comparable from session to session).
  { key: "multi_star", label: "`**/*aN_*b*c*`", glob: (i) => `**/*a${i}_*b*c*`, hit: (i) => `ops/k/za${i}_qbqcq.txt`, extra: true },
  { key: "globstar_pair", label: "`**/xN/**/y/**`", glob: (i) => `**/x${i}/**/y/**`, hit: (i) => `p/q/x${i}/r/s/y/t.md`, extra: true },
  { key: "deep_star", label: "`aN/*/b/*/c/*/d`", glob: (i) => `a${i}/*/b/*/c/*/d`, hit: (i) => `a${i}/p/b/q/c/r/d`, extra: true },
  { key: "class_ranges", label: "many ranges `logs/[a-cf-h…7-9]N[A-FQ-T]*.log`", glob: (i) => `logs/[a-cf-hk-mp-rt-vx-z0-2579]${i}[A-FQ-T]*.log`, hit: (i) => `logs/g${i}Rrun.log`, extra: true },
  { key: "neg_class", label: "negated `**/[^._]*N[^~].tmp`", glob: (i) => `**/[^._]*${i}[^~].tmp`, hit: (i) => `w/z/x${i}a.tmp`, extra: true },
  { key: "qmark_run", label: "`**/id-N-????-????.json`", glob: (i) => `**/id-${i}-????-????.json`, hit: (i) => `v/id-${i}-abcd-ef01.json`, extra: true },
  { key: "long_alt", label: "26 alternatives `assets/tN/*.{ax,…,zx}`", glob: (i) => `assets/t${i}/*.{${ALT26}}`, hit: (i) => `assets/t${i}/logo.qx`, extra: true },
  { key: "nested_braces", label: "nested `{src,lib{,64},test{s,/unit,/e2e}}/pN/**/*.{c,h{,pp}}`", glob: (i) => `{src,lib{,64},test{s,/unit,/e2e}}/p${i}/**/*.{c,h{,pp}}`, hit: (i) => `test/e2e/p${i}/a/b.hpp`, extra: true },
  { key: "unicode", label: "Unicode `**/*日本語Nü*`", glob: (i) => `**/*日本語${i}ü*`, hit: (i) => `文書/データ/x日本語${i}üy.txt`, extra: true },
  { key: "last_byte", label: "differing in the last bytes `src/*/component-…N`", glob: (i) => `src/*/${LONG}${i.toString(36)}`, hit: (i) => `src/q/${LONG}${i.toString(36)}`, extra: true },
  { key: "long_suffix", label: "one extension `**/*-segment…N.js`", glob: (i) => `**/*${SEGMENTS}${i.toString(36)}.js`, hit: (i) => `a/b/x${SEGMENTS}${i.toString(36)}.js`, extra: true },
];
export const SHAPE_KEYS = SHAPES.map((s) => s.key);
/** The shapes the mixed corpus draws from. */
export const MIXED_SHAPES = SHAPES.filter((s) => !s.extra);
const byKey = Object.fromEntries(SHAPES.map((s) => [s.key, s]));

/** 16 paths that some rule matches and 16 that none does, interleaved. */
function queryPaths(r, rules) {
  const paths = [];
  for (let k = 0; k < 16; k++) {
    const hit = rules[r.int(rules.length)];
    paths.push(byKey[hit.shape].hit(hit.index));
    const miss = rules[r.int(rules.length)];
    paths.push(byKey[miss.shape].hit(MISS + miss.index));
  }
  return paths;
}

function groupsOf(ids, rules) {
  return ids.map((id) => ({
    id,
    permissions: ["documents:full"],
    filePermissions: rules.filter((x) => x.group === id).map((x) => ({ effect: x.effect, actions: x.actions, patterns: [x.glob] })),
  }));
}

/**
 * n rules of one shape in one group ("team"), a fifth of them deny, the rest
 * allow, all for `visible`; one member (that group); 32 paths, `visible`.
 * The picomatch loop and globset scan all n; groupgate's cost should not grow with n.
 */
export function shapeCorpus(key, n, seed = 12) {
  const shape = byKey[key];
  const r = rng(seed * 1000003 + n * 31 + SHAPE_KEYS.indexOf(key));
  const rules = [];
  for (let i = 0; i < n; i++) {
    rules.push({ group: "team", effect: r.int(5) === 0 ? "deny" : "allow", actions: ["visible"], shape: key, index: i, glob: shape.glob(i) });
  }
  const paths = queryPaths(r, rules);
  const members = [["team"]];
  return { id: `${key}-${n}`, n, rules, groups: groupsOf(["team"], rules), members, paths, queries: paths.map((path) => ({ member: 0, path, action: "visible" })) };
}

export const MIXED_GROUPS = Array.from({ length: 20 }, (_, k) => `g${String(k).padStart(2, "0")}`);

/**
 * The headline corpus: n rules, each of a shape drawn evenly from MIXED_SHAPES,
 * over 20 groups; a quarter deny; actions `visible`, `modify` or both;
 * 8 members of 2 to 4 groups; per member 32 paths (16 hits of rules its
 * groups hold, 16 misses) × 2 actions = 512 queries.
 */
export function mixedCorpus(n, seed = 12) {
  const r = rng(seed * 7919 + n);
  const rules = [];
  for (let i = 0; i < n; i++) {
    const shape = MIXED_SHAPES[r.int(MIXED_SHAPES.length)];
    const actions = [["visible"], ["visible", "modify"], ["visible", "modify"], ["modify"]][r.int(4)];
    rules.push({ group: MIXED_GROUPS[r.int(MIXED_GROUPS.length)], effect: r.int(4) === 0 ? "deny" : "allow", actions, shape: shape.key, index: i, glob: shape.glob(i) });
  }
  const members = [];
  for (let m = 0; m < 8; m++) {
    const count = 2 + r.int(3);
    const gs = [];
    while (gs.length < count) {
      const g = r.pick(MIXED_GROUPS);
      if (!gs.includes(g)) gs.push(g);
    }
    members.push(gs);
  }
  // Per member: 16 hits of rules its groups hold (so allows and denies both
  // decide) and 16 misses; each path asked for both actions.
  const memberPaths = members.map((gs) => {
    const held = rules.filter((x) => gs.includes(x.group));
    return queryPaths(r, held.length ? held : rules);
  });
  const queries = [];
  memberPaths.forEach((paths, m) => {
    for (const path of paths) for (const action of ["visible", "modify"]) queries.push({ member: m, path, action });
  });
  const paths = [...new Set(memberPaths.flat())];
  return { id: `mixed-${n}`, n, rules, groups: groupsOf(MIXED_GROUPS, rules), members, paths, memberPaths, queries };
}
