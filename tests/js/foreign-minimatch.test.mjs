// minimatch's own test cases (isaacs/minimatch, pinned commit in
// tests/foreign/minimatch/cases.json, extracted by
// tests/foreign/extract-minimatch.mjs) run through our public `globMatch`.
//
// Every row is one (pattern, path, options, expected) question of an upstream
// test. It is decided by the first of these that applies:
//  1. REFUSED: we throw, and the code is one that README documents for a
//     feature the pattern (error table, `glob.*`) or the path (`path.*`: `..`,
//     empty, too long) holds. A pattern or path README refuses that we accept
//     fails the test.
//  2. OPTION: the pinned minimatch's answer changes when the row's options are
//     set to what our dialect amounts to ({dot: true}, {nocomment: true}, no
//     other option; recorded per row by the extractor): skipped by the rule
//     named after the option (OPTION_RULES says why we cannot ask it), unless
//     a documented difference explains our answer (a leading `#`).
//  3. AGREE: our answer (nocase -> {caseInsensitive: true}) is the expected one.
//  4. DOCUMENTED: a DIFFERENCES entry (a row of README's differences table, or
//     one proposed for it) explains our answer.
//  5. KNOWN BUG: listed in KNOWN_BUGS (each with its BUG line in REQUESTS.md).
// Any other row fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { globMatch } from "groupgate";
import { PolicyRoute, globAnswer } from "./fixtures/policy-route.mjs";

const DATA = JSON.parse(readFileSync(new URL("../foreign/minimatch/cases.json", import.meta.url), "utf8"));

// ------------------------------------------------------------ README's refusals

const utf8 = (s) => Buffer.byteLength(s, "utf8");
/** README: a leading `/` or `./`, `.` segments, `//` and a trailing `/` are dropped. */
const normalize = (s) =>
  s
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .join("/");

/** `a..b` inside one pair of braces, as bash reads a sequence (`{1..3}`, `{a..z}`, `{00..05..2}`). */
const isRange = (inner) => /^(-?\d+\.\.-?\d+|[^\\,{}]\.\.[^\\,{}])(\.\.-?\d+)?$/.test(inner);

/** Scans the class opened at `i`; returns the index of its `]`, or -1 if it is never closed. */
function scanClass(p, i, codes) {
  let j = i + 1;
  if (p[j] === "!" || p[j] === "^") j++;
  let first = true;
  // README: in a class `\\` is `\`, any other `\` is refused (globset
  // reads it as a member, minimatch as an escape).
  const member = () => {
    if (p[j] === "\\") {
      if (p[j + 1] !== "\\") codes.add("glob.class_escape");
      j += 2;
      return p[j - 1];
    }
    return p[j++];
  };
  while (j < p.length) {
    if (p[j] === "]" && !first) return j;
    first = false;
    if (p[j] === "[" && p[j + 1] === ":") {
      const k = p.indexOf(":]", j + 2);
      if (k >= 0) {
        codes.add("glob.posix_class");
        j = k + 2;
        continue;
      }
    }
    const lo = member();
    if (lo === undefined) return -1;
    if (lo === "/") codes.add("glob.slash_in_class");
    if (lo.charCodeAt(0) > 127) codes.add("glob.non_ascii_class");
    if (p[j] === "-" && j + 1 < p.length && p[j + 1] !== "]") {
      j++;
      if (p[j] === "[" && p[j + 1] === ":" && p.includes(":]", j + 2)) codes.add("glob.posix_class");
      const hi = member();
      if (hi === undefined) return -1;
      if (hi.charCodeAt(0) > 127) codes.add("glob.non_ascii_class");
      if (hi < lo) codes.add("glob.invalid_range");
      // README: a `-` after a range, not last, is refused (globset extends the range).
      if (p[j] === "-" && j + 1 < p.length && p[j + 1] !== "]") codes.add("glob.range_after_range");
    }
  }
  return -1;
}

/** The codes README's error table gives for the features `p` holds. */
function patternCodes(p) {
  const codes = new Set();
  if (!p.isWellFormed()) codes.add("glob.encoding");
  if (utf8(p) > 1024) codes.add("glob.too_long");
  if (normalize(p) === "") codes.add("glob.empty");
  if (p.startsWith("!")) codes.add("glob.negation");
  // `\.\.` is the segment `..` too: it names the parent, never a file.
  if (p.split("/").some((seg) => seg.replace(/\\(.)/g, "$1") === "..")) codes.add("glob.parent_segment");
  const braces = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      if (i + 1 >= p.length) codes.add("glob.dangling_escape");
      i++;
    } else if (c === "*") {
      let j = i;
      while (p[j] === "*") j++;
      if (j - i >= 3) codes.add("glob.star_run");
      if (p[j] === "(") codes.add("glob.extglob");
      i = j - 1;
    } else if ("?+@!".includes(c) && p[i + 1] === "(") {
      codes.add("glob.extglob");
    } else if (c === "[") {
      const end = scanClass(p, i, codes);
      if (end < 0) codes.add("glob.unclosed_class");
      else i = end;
    } else if (c === "{") {
      braces.push({ at: i, comma: false });
    } else if (c === "," && braces.length) {
      braces.at(-1).comma = true;
    } else if (c === "}") {
      if (!braces.length) codes.add("glob.unopened_alternation");
      else {
        const { at, comma } = braces.pop();
        // README: braces without a comma at their level are refused (globset
        // reads an alternation of one, bash and picomatch the text).
        if (isRange(p.slice(at + 1, i))) codes.add("glob.range");
        else if (!comma) codes.add("glob.single_alternative");
      }
    }
  }
  if (braces.length) codes.add("glob.unclosed_alternation");
  return codes;
}

/** The codes README gives for the path (the paths paragraph; `maxPathBytes` in Limits). */
function pathCodes(path) {
  const codes = new Set();
  if (!path.isWellFormed()) codes.add("path.encoding");
  if (path.includes("\0")) codes.add("path.nul");
  if (utf8(path) > 4096) codes.add("path.too_long");
  if (path.split("/").includes("..")) codes.add("path.parent_segment");
  if (normalize(path) === "") codes.add("path.empty");
  return codes;
}

// ------------------------------------------------------------ options

// minimatch options we cannot ask: a row whose answer depends on one is
// skipped by the rule of that name. (`nocase` is ours: caseInsensitive.)
const OPTION_RULES = {
  dot: "without {dot: true} minimatch's `*`, `?` and `**` skip dotfiles; ours match them (README: `*` matches `.env`)",
  matchBase: "a slash-free pattern matched against the basename: our patterns are anchored at the root",
  partial: "a prefix of a path that could still match: we answer for whole paths",
  noglobstar: "`**` read as `*`: our `**` is always a globstar",
  platform: "win32: `\\` as a separator, drive letters and UNC roots; our paths are `/`-separated",
  windowsPathsNoEscape: "`\\` as a separator: ours is an escape",
  allowWindowsEscape: "`\\` as a separator: ours is an escape",
  optimizationLevel: "level 2 resolves `..` in paths before matching; we refuse `..`",
  maxGlobstarRecursion: "a bound on globstar backtracking; our matcher does not backtrack",
  nonegate: "only changes a leading `!`, which we refuse (glob.negation)",
  flipNegate: "only changes a leading `!`, which we refuse (glob.negation)",
  noext: "only changes extglob syntax, which we refuse (glob.extglob)",
};

const optionRule = (r) => {
  const keys = r.mm.changedBy.length
    ? r.mm.changedBy
    : Object.keys(r.options).filter((k) => k !== "nocase").concat("dot" in r.options ? [] : ["dot"]);
  const unknown = keys.filter((k) => !(k in OPTION_RULES));
  if (unknown.length) return null;
  return "option:" + [...new Set(keys)].sort().join("+");
};

// ------------------------------------------------------------ documented differences

const ours = (pattern, path, r) => globMatch(pattern, path, r.options.nocase ? { caseInsensitive: true } : undefined);

// Each entry names a row of README's "Conformance" differences table (or one
// proposed for it: `proposed: true`) and recognises the rows it explains.
const DIFFERENCES = [
  {
    id: "trailing-globstar-matches-parent",
    readme: "`dir/**` | also matches `dir`, whatever `dir` is",
    why: "minimatch's `dir/**` needs `dir/` (a trailing slash) or something below it",
    explains: (r, answer) =>
      answer === true &&
      r.expected === false &&
      /(^|\/)\*\*$/.test(normalize(r.pattern)) &&
      ours(normalize(r.pattern).replace(/(\/\*\*)+$/, ""), r.path, r) === true,
  },
  {
    id: "normalized-slashes",
    readme: "leading `/` or `./`, `//`, trailing `/` in patterns | dropped or collapsed (and in paths: README's paths paragraph)",
    why: "minimatch keeps them: `b*/` matches only a path ending in `/`; the pinned minimatch, asked the normalized pair, gives our answer",
    explains: (r, answer) =>
      (normalize(r.pattern) !== r.pattern || normalize(r.path) !== r.path) && answer === r.mm.normalized,
  },
  {
    id: "hash-is-literal",
    proposed: true,
    readme: "leading `#` | a literal `#`: `#a` matches the file `#a` | a comment, matches nothing (unless {nocomment: true})",
    why: "globset and picomatch have no comments; a pattern of a permission names files",
    optionDependent: true,
    explains: (r, answer) => r.mm.changedBy.includes("nocomment") && answer === r.mm.dialect,
  },
  {
    id: "ascii-case-folding",
    proposed: true,
    readme: "`{caseInsensitive: true}` | folds ASCII only: `Å` does not match `å` | {nocase: true} folds Unicode (a RegExp `i` flag)",
    why: "globset's case_insensitive and our byte-wise classes: ASCII folding is the documented case rule",
    explains: (r, answer) =>
      r.options.nocase === true &&
      /[^\0-\x7f]/.test(r.pattern + r.path) &&
      answer !== r.expected &&
      ours(r.pattern.toLowerCase(), r.path.toLowerCase(), r) === r.expected,
  },
];

// Rows where our answer contradicts our README; each has its BUG line in
// /work/wt/REQUESTS.md. The integrator empties this when fixing them.
const KNOWN_BUGS = [];
const bugKey = (r) => JSON.stringify([r.source, r.pattern, r.path, r.options]);

// ------------------------------------------------------------ deciding

/** The verdict on one row: {kind, id} or {kind: "fail", why}. */
function decide(r) {
  let answer;
  try {
    answer = ours(r.pattern, r.path, r);
  } catch (e) {
    const codes = String(e.code).startsWith("path.") ? pathCodes(r.path) : patternCodes(r.pattern);
    if (codes.has(e.code)) return { kind: "refused", id: e.code };
    if (KNOWN_BUGS.includes(bugKey(r))) return { kind: "bug", id: e.code };
    return { kind: "fail", why: `refused with ${e.code}, which README does not give for it (${[...codes]})` };
  }
  const refusals = [...patternCodes(r.pattern), ...pathCodes(r.path)];
  if (refusals.length) {
    if (KNOWN_BUGS.includes(bugKey(r))) return { kind: "bug", id: refusals[0] };
    return { kind: "fail", why: `answered ${answer}; README refuses it (${refusals})` };
  }
  if (r.mm.asTested !== r.expected) return { kind: "fail", why: "the data's library answer disagrees with its test" };
  if (r.mm.dialect !== r.expected) {
    const d = DIFFERENCES.find((x) => x.optionDependent && x.explains(r, answer));
    if (d) return { kind: "documented", id: d.id };
    const rule = optionRule(r);
    if (rule) return { kind: "skipped", id: rule };
    return { kind: "fail", why: `depends on options ${r.mm.changedBy} with no rule` };
  }
  if (answer === r.expected) return { kind: "agree" };
  const d = DIFFERENCES.find((x) => !x.optionDependent && x.explains(r, answer));
  if (d) return { kind: "documented", id: d.id };
  if (KNOWN_BUGS.includes(bugKey(r))) return { kind: "bug", id: "known" };
  return { kind: "fail", why: `ours ${answer}, expected ${r.expected}` };
}

const verdicts = DATA.rows.map((r) => ({ r, v: decide(r) }));
const tally = (kind) => {
  const by = {};
  for (const { v } of verdicts) if (v.kind === kind) by[v.id] = (by[v.id] ?? 0) + 1;
  return Object.fromEntries(Object.entries(by).sort((a, b) => b[1] - a[1]));
};
const count = (kind) => verdicts.filter(({ v }) => v.kind === kind).length;

// FOREIGN_MINIMATCH_SHOW=<kind or id> (e.g. documented, option:dot,
// glob.extglob) lists the rows with that verdict.
const SHOW = process.env.FOREIGN_MINIMATCH_SHOW;
if (SHOW)
  for (const { r, v } of verdicts)
    if (v.kind === SHOW || v.id === SHOW)
      console.log(v.kind, v.id ?? "", r.source, JSON.stringify(r.pattern).slice(0, 60), JSON.stringify(r.path).slice(0, 50), JSON.stringify(r.options), r.expected);

test("every minimatch row agrees, is documented, skipped by a named rule, refused by its documented code, or a known bug", () => {
  const { upstream } = DATA;
  console.log(`minimatch ${upstream.version} @ ${upstream.commit}`);
  console.log(`rows read: ${DATA.rows.length}`);
  const agreed = verdicts.filter(({ v }) => v.kind === "agree").map(({ r }) => r);
  const normalized = agreed.filter((r) => normalize(r.pattern) !== r.pattern || normalize(r.path) !== r.path);
  const lacked = agreed.filter((r) => Object.keys(r.options).some((k) => k in OPTION_RULES && k !== "dot"));
  const dotless = agreed.filter((r) => r.options.dot !== true);
  console.log(
    `agree: ${count("agree")} (${normalized.length} of them with a pattern or path our normalization changes; ` +
      `${lacked.length} with an option we lack that does not change their answer; ` +
      `${dotless.length} without {dot: true}, whose answer does not depend on it)`,
  );
  console.log(`documented difference: ${count("documented")}`, tally("documented"));
  console.log(`skipped by rule: ${count("skipped")}`, tally("skipped"));
  console.log(`refused by code: ${count("refused")}`, tally("refused"));
  console.log(`known bugs: ${count("bug")}`);
  const failures = verdicts.filter(({ v }) => v.kind === "fail");
  console.log(`unexplained: ${failures.length}`);
  const show = failures
    .slice(0, 40)
    .map(({ r, v }) => `${r.source} ${JSON.stringify(r.pattern)} ${JSON.stringify(r.path)} ${JSON.stringify(r.options)}: ${v.why}`);
  assert.deepEqual(show, []);
  assert.equal(
    count("agree") + count("documented") + count("skipped") + count("refused") + count("bug"),
    DATA.rows.length,
  );
});

test("the data is the pinned upstream's, whole", () => {
  assert.match(DATA.upstream.commit, /^[0-9a-f]{40}$/);
  assert.ok(DATA.rows.length > 2000, `${DATA.rows.length} rows`);
  for (const r of DATA.rows) {
    assert.match(r.source, /^(test|tap-snapshots\/test)\/[\w.-]+:\d+$/);
    assert.equal(typeof r.expected, "boolean");
  }
  // Every file the extractor ran gave rows, and so did the snapshot.
  for (const f of [...DATA.files.run, ...DATA.files.fromSnapshot])
    assert.ok(
      DATA.rows.some((r) => r.source.replace(/^tap-snapshots\//, "").startsWith(`test/${f}`)),
      `no row from ${f}`,
    );
  // The main table is there, every entry of it.
  assert.ok(DATA.rows.filter((r) => r.source.startsWith("test/patterns.js:")).length > 1500);
});

test("every documented difference, rule and known bug is still needed", () => {
  const used = new Set(verdicts.map(({ v }) => v.id));
  for (const d of DIFFERENCES) assert.ok(used.has(d.id), `difference ${d.id} explains no row`);
  // An option rule names an option the suite uses (dot: by leaving it out).
  for (const k of Object.keys(OPTION_RULES))
    assert.ok(k === "dot" || DATA.rows.some((r) => k in r.options), `option rule ${k}: no row has it`);
  for (const key of KNOWN_BUGS)
    assert.ok(
      verdicts.some(({ r, v }) => bugKey(r) === key && v.kind === "bug"),
      `${key} is no longer a bug: remove it from KNOWN_BUGS`,
    );
});

test("the refusal classifier reads README's error table", () => {
  // Pinned examples, so a classifier bug cannot make every refusal "documented".
  const cases = [
    ["!a", "glob.negation"],
    ["*(a|b)", "glob.extglob"],
    ["a{1..3}", "glob.range"],
    ["[[:alpha:]]", "glob.posix_class"],
    ["[abc", "glob.unclosed_class"],
    ["{a,b", "glob.unclosed_alternation"],
    ["a}", "glob.unopened_alternation"],
    ["a\\", "glob.dangling_escape"],
    ["[z-a]", "glob.invalid_range"],
    ["[é]", "glob.non_ascii_class"],
    ["a***", "glob.star_run"],
    ["./", "glob.empty"],
    ["a/../b", "glob.parent_segment"],
    ["\\.\\./a", "glob.parent_segment"],
    ["[a/]", "glob.slash_in_class"],
    ["[\\]]", "glob.class_escape"],
    ["x[a\\-b]", "glob.class_escape"],
    ["[a-c-e]", "glob.range_after_range"],
    ["a{b}c", "glob.single_alternative"],
    ["{{a,b}}", "glob.single_alternative"],
  ];
  for (const [p, code] of cases) {
    assert.deepEqual([...patternCodes(p)], [code], p);
    assert.throws(() => globMatch(p, "a"), { code }, p);
  }
  assert.ok(patternCodes("[a-[:alpha:]]").has("glob.posix_class"));
  for (const p of ["a\\{b\\}c", "[]]", "[!a]", "x{,.bak}", "\\*", "{a,b{c,d}}", "[a-]", "[a-c-]", "[\\\\]", "**"])
    assert.deepEqual([...patternCodes(p)], [], p);
  assert.deepEqual([...pathCodes("a/../b")], ["path.parent_segment"]);
  assert.deepEqual([...pathCodes("/")], ["path.empty"]);
});

// The permission decision is the product: every row's question, through an
// allow rule, a deny rule and one policy of every glob, answers as globMatch.
test("every minimatch row through FilePolicy rules answers as globMatch", () => {
  const route = new PolicyRoute();
  const failures = [];
  for (const r of DATA.rows) {
    const casei = r.options.nocase === true;
    const why = route.check(r.pattern, r.path, casei, globAnswer(r.pattern, r.path, casei ? { caseInsensitive: true } : undefined));
    if (why) failures.push(`${r.source} ${JSON.stringify(r.pattern)} ${JSON.stringify(r.path)}: ${why}`);
  }
  failures.push(...route.shared());
  console.log(`through FilePolicy: ${route.asked} questions (${route.untrimmable} globs a rule would trim, not asked)`);
  assert.ok(route.asked > 2000, `${route.asked} questions`);
  assert.deepEqual(failures.slice(0, 40), []);
});

// minimatch's own equivalences (test/consecutive-glob-stars.js: globs that
// must parse to the parts of one glob): README "Repeated globstar segments
// are one", so each glob answers as the glob of its parts, on every path,
// through globMatch, an allow rule, a deny rule and one shared policy.
const EQUIVALENCE_PATHS = [
  "x", "x/y", "x/z", "y/z", "x/y/z", "x/y/z/a", "x/a/y/b/z", "x/a/b/y/z/c/d", "x/y/a/z",
  "x/y/z/y/z", "a/x/y/z", "x/yy/z", "x/y/zz", ".x/y/z", "x/.y/z/.a",
];
test("minimatch's equivalences: each glob answers as the glob of its parts", () => {
  assert.equal(DATA.equivalences.length, 27);
  const route = new PolicyRoute();
  const failures = [];
  for (const e of DATA.equivalences) {
    assert.match(e.source, /^test\/[\w.-]+:\d+$/);
    assert.equal(e.same.length, 1, e.pattern);
    for (const path of EQUIVALENCE_PATHS) {
      const answer = globAnswer(e.pattern, path);
      const want = globAnswer(e.same[0], path);
      if (JSON.stringify(answer) !== JSON.stringify(want))
        failures.push(`${e.source} ${e.pattern} ${path}: ${JSON.stringify(answer)}, ${e.same[0]} ${JSON.stringify(want)}`);
      const why = route.check(e.pattern, path, false, answer);
      if (why) failures.push(`${e.source} ${e.pattern} ${path}: ${why}`);
    }
  }
  failures.push(...route.shared());
  assert.deepEqual(failures, []);
});
