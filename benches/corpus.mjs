// The trie-friendly file-permission corpus (issue 7), generated
// deterministically from a seed: since issue 12 it is the secondary table,
// the one corpus cedar-wasm can express (the headline is the mixed corpus of
// benches/shapes.mjs, which also reuses this file's PRNG).
//
// Every pattern has one of four shapes that every peer expresses exactly,
// including Cedar, whose `like` has a single wildcard `*` that crosses `/`:
//
//   groupgate / picomatch / casbin     Cedar
//   D/**                               resource.path like "D/*"
//   **/*.E                             resource.path like "*.E"
//   D/**/*.E                           resource.path like "D/*.E"
//   a/literal/path                     resource.path == "a/literal/path"
//
// `D/**` also matches `D` itself in groupgate: no query path equals a bare
// directory, so the shapes agree on every query.

export const GROUPS = ["core", "web", "mobile", "data", "infra", "billing", "search", "auth", "docs", "ops"];
export const ACTIONS = ["visible", "modify"];
const EXTS = ["rs", "ts", "js", "py", "go", "md", "json", "yml", "sql", "txt"];
const SECRET_EXTS = ["pem", "key", "env"];
const AREAS = ["api", "guides", "ops", "design", "legal", "release", "onboarding", "security"];
const NAMES = ["index", "main", "lib", "util", "handler", "model", "view", "test", "schema", "readme"];
const SUBS = ["internal", "tests", "gen", "bin", "fixtures"];
const SECRETS = [".env", "prod.pem", "deploy.key", "api-token.txt", ".htpasswd", "db.env"];
const DOTFILES = [".gitignore", ".editorconfig", ".github/workflows/ci.yml", ".github/CODEOWNERS", ".npmrc"];

/** mulberry32: a small, well-mixed 32-bit PRNG, easy to port exactly. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  // An integer in [0, n): floor(u32 * n / 2^32), exact for n < 2^21.
  const int = (n) => Math.floor((next() / 4294967296) * n);
  const pick = (xs) => xs[int(xs.length)];
  return { next, int, pick };
}

/** Modules under src/ grow with the rule count, so bigger policies cover more of the tree. */
export const moduleCount = (n) => Math.max(8, Math.floor(n / 8));

function dir(r, mods) {
  switch (r.int(8)) {
    case 0: case 1: return `src/m${r.int(mods)}`;
    case 2: return `src/m${r.int(mods)}/${r.pick(SUBS)}`;
    case 3: return `docs/${r.pick(AREAS)}`;
    case 4: return `rules/${r.pick(GROUPS)}`;
    case 5: return `rules/${r.pick(GROUPS)}/${r.pick(AREAS)}`;
    case 6: return "config";
    default: return r.int(2) ? "secrets" : ".github";
  }
}

function file(r, mods) {
  switch (r.int(10)) {
    case 0: case 1: case 2: return `src/m${r.int(mods)}/${r.pick(NAMES)}.${r.pick(EXTS)}`;
    case 3: return `src/m${r.int(mods)}/${r.pick(SUBS)}/${r.pick(NAMES)}.${r.pick(EXTS)}`;
    case 4: return `docs/${r.pick(AREAS)}/${r.pick(NAMES)}.md`;
    case 5: return `rules/${r.pick(GROUPS)}/${r.pick(AREAS)}/${r.pick(NAMES)}.json`;
    case 6: return `config/${r.pick(NAMES)}.${r.int(2) ? "yml" : "json"}`;
    case 7: return `secrets/${r.pick(SECRETS)}`;
    case 8: return r.int(2) ? r.pick(DOTFILES) : `src/m${r.int(mods)}/.env`;
    default: return `src/m${r.int(mods)}/${r.pick(NAMES)}.${r.pick(SECRET_EXTS)}`;
  }
}

/**
 * n rules spread over 10 groups, allow and deny mixed; each rule has one
 * pattern (so "rules" means the same count for every peer) and one or two actions.
 * Returns { groups (groupgate input), rules: [{group, effect, actions, shape, glob, dir?, ext?, literal?}] }.
 */
export function corpus(n, seed = 7) {
  const r = rng(seed * 1000003 + n);
  const mods = moduleCount(n);
  const rules = [];
  for (let i = 0; i < n; i++) {
    const group = GROUPS[i % GROUPS.length];
    const deny = r.int(4) === 0;
    const actions = [["visible"], ["visible", "modify"], ["visible", "modify"], ["modify"]][r.int(4)];
    const k = r.int(100);
    let rule;
    if (k < 3) {
      // Extension-wide rules stay rare: deny secrets, allow docs.
      const ext = deny ? r.pick(SECRET_EXTS) : r.pick(["md", "txt", "json"]);
      rule = { shape: "ext", glob: `**/*.${ext}`, ext };
    } else if (k < 45) {
      const d = dir(r, mods);
      rule = { shape: "dir", glob: `${d}/**`, dir: d };
    } else if (k < 75) {
      const d = dir(r, mods);
      const ext = r.pick(EXTS);
      rule = { shape: "dirExt", glob: `${d}/**/*.${ext}`, dir: d, ext };
    } else {
      const p = file(r, mods);
      rule = { shape: "literal", glob: p, literal: p };
    }
    rules.push({ group, effect: deny ? "deny" : "allow", actions, ...rule });
  }
  const groups = GROUPS.map((id) => ({
    id,
    permissions: ["documents:full"],
    filePermissions: rules.filter((x) => x.group === id)
      .map((x) => ({ effect: x.effect, actions: x.actions, patterns: [x.glob] })),
  }));
  // Members hold 2 to 4 groups.
  const members = [];
  for (let m = 0; m < 8; m++) {
    const count = 2 + r.int(3);
    const gs = [];
    while (gs.length < count) {
      const g = r.pick(GROUPS);
      if (!gs.includes(g)) gs.push(g);
    }
    members.push(gs);
  }
  // Query paths: half drawn like the rules' own paths (literal rules included), half fresh.
  const literals = rules.filter((x) => x.shape === "literal").map((x) => x.literal);
  const paths = [];
  for (let p = 0; p < 16; p++) {
    paths.push(literals.length && r.int(4) === 0 ? r.pick(literals) : file(r, mods));
  }
  const queries = [];
  for (let m = 0; m < members.length; m++) {
    for (const path of paths) for (const action of ACTIONS) queries.push({ member: m, path, action });
  }
  return { n, rules, groups, members, paths, queries };
}
