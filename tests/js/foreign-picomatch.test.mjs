// picomatch's OWN hand-written test cases, run through our globMatch.
//
// tests/foreign/picomatch/cases.json holds every isMatch / match assertion of
// picomatch's test/*.js at a pinned commit (see tests/foreign/picomatch/README.md;
// regenerate with tests/foreign/extract-picomatch.mjs). Each row is
// (input path, pattern(s), options, expected) with its file:line upstream.
//
// Every row ends in exactly one bucket, decided by named rules, never by row:
//   1. skipped by rule `option:<name>`: the row's answer depends on a picomatch
//      option we do not have. The installed picomatch decides: the row's
//      options are mapped step by step to what groupgate does (see OPTION_STEPS:
//      `windows` dropped, ..., `dot: true` last, since our `*` matches
//      dotfiles); the first step that changes picomatch's answer away from the
//      expected one names the rule. A row whose answer no step changes is IN
//      the dialect, and must agree (dot:false rows included).
//   2. refused by `<code>`: globMatch throws, and the code is one the README's
//      error table (or its path rules) documents for a construct the row has,
//      as found by the independent detectors of `documentedRefusals`.
//   3. agree: our answer is the expected one (with `nocase` / `flags: "i"`
//      mapped to {caseInsensitive: true}).
//   4. documented difference `<id>`: ours differs, and a combination of the
//      rewrites of DIFFERENCES (each a row of README's differences table;
//      the ids of glob-conformance.test.mjs's ALLOWED where they apply) makes
//      the installed picomatch, with the mapped options, give our answer.
//   5. known bug: listed in KNOWN_BUGS (each with its BUG line in REQUESTS.md).
// Any other row FAILS the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import picomatch from "picomatch";
import { globMatch } from "groupgate";
import { PolicyRoute, globAnswer } from "./fixtures/policy-route.mjs";
import { bangClassIsNegated, gluedGlobstarIsStar, starDotStarFastPath } from "./fixtures/glob-rewrites.mjs";

const data = JSON.parse(readFileSync(new URL("../foreign/picomatch/cases.json", import.meta.url), "utf8"));

// ------------------------------------------------------------------ options

/** Options the extractor kept as "[function]" (`format`, `onMatch`,
 *  `expandRange`) are dropped first: if that changes picomatch's answer, the
 *  rule is `option:<key>`. Then the steps from picomatch's options to
 *  groupgate's behaviour, in order (`unescape` too: with it picomatch reads
 *  `\{1,5\}` as a RegExp repetition, not our literal `{1,5}`). `nocase`
 *  and `flags: "i"` are kept (they map to caseInsensitive), and so is `posix`
 *  (it only enables POSIX classes, which we refuse, and reads `[!a]` as
 *  negated, which we do too). */
const OPTION_STEPS = [
  ["windows", (o) => void delete o.windows], // `\` as a separator: never ours
  ["bash", (o) => void delete o.bash],
  ["strictSlashes", (o) => void delete o.strictSlashes],
  ["ignore", (o) => void delete o.ignore],
  ["matchBase", (o) => void (delete o.matchBase, delete o.basename)],
  ["noglobstar", (o) => void delete o.noglobstar],
  ["nobrace", (o) => void delete o.nobrace],
  ["noext", (o) => void (delete o.noext, delete o.noextglob)],
  ["nonegate", (o) => void delete o.nonegate],
  ["nobracket", (o) => void delete o.nobracket],
  ["regex", (o) => void delete o.regex],
  ["keepQuotes", (o) => void delete o.keepQuotes],
  ["unescape", (o) => void delete o.unescape],
  ["relaxSlashes", (o) => void delete o.relaxSlashes],
  ["maxLength", (o) => void (delete o.maxLength, delete o.maxExtglobRecursion)],
  ["dot", (o) => void (o.dot = true)], // our `*` matches dotfiles: {dot: true}
];
const KEPT_OPTIONS = new Set(["nocase", "flags", "posix", "dot"]);

function cleanOptions(options) {
  const o = { ...(options ?? {}) };
  for (const k of Object.keys(o)) if (o[k] === "[function]" || /^\[regexp /.test(String(o[k]))) delete o[k];
  if (o.flags === "i") o.nocase = true;
  return o;
}

/** picomatch's answer for a row's input against its pattern(s) (any of them). */
function pmAnswer(patterns, input, options, { regexOnly = false } = {}) {
  return patterns.some((p) => {
    try {
      if (regexOnly) return picomatch.makeRe(p, options).test(input);
      return picomatch.isMatch(input, p, options);
    } catch {
      return false;
    }
  });
}

/** The option rule that puts a row out of the dialect, or null; and the
 *  mapped options picomatch is then asked with. */
function optionRule(row, patterns) {
  const fnKeys = Object.keys(row.options ?? {}).filter((k) => row.options[k] === "[function]");
  let o = cleanOptions(row.options);
  if (pmAnswer(patterns, row.input, o) !== row.expected) {
    if (fnKeys.length) return { rule: `option:${fnKeys.join("+")}`, options: o };
    // The installed picomatch throws (e.g. its maxLength) where upstream answered.
    if (row.libraryError) return { rule: "installed-picomatch-throws", options: o };
    // Else the installed picomatch contradicts the vendored expectation: the
    // data or the library changed; no rule may hide that.
    return { rule: null, options: o, contradicts: true };
  }
  for (const [name, step] of OPTION_STEPS) {
    step(o);
    if (pmAnswer(patterns, row.input, o) !== row.expected) return { rule: `option:${name}`, options: o };
  }
  for (const k of Object.keys(o)) if (!KEPT_OPTIONS.has(k)) throw new Error(`unmapped option ${k} at ${row.file}`);
  return { rule: null, options: o };
}

const ourOptions = (o) => (o.nocase ? { caseInsensitive: true } : undefined);

// ------------------------------------------------------------------ refusals

/** Segments of a path or pattern as the README normalizes it (`/` and `./`
 *  dropped, `//` collapsed, `.` segments and a trailing `/` removed). */
const normalize = (s) =>
  s
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .join("/");

const hasLoneSurrogate = (s) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** The codes the README documents for constructs this pattern has, read
 *  independently of our parser (escapes honoured). A refusal is accepted when
 *  its code is among them; a pattern with one of the STRICT_CODES must be
 *  refused. The checks inside a class (`/`, non-ASCII, reversed range) are
 *  rougher readings and only accept. */
function documentedRefusals(pattern) {
  const codes = new Set();
  if (hasLoneSurrogate(pattern)) codes.add("glob.encoding");
  if (Buffer.byteLength(pattern) > 1024) codes.add("glob.too_long");
  if (pattern.startsWith("!")) codes.add("glob.negation");
  if (normalize(pattern) === "") codes.add("glob.empty");
  if (pattern.split("/").includes("..")) codes.add("glob.parent_segment");
  // The pattern with every escaped character blanked out (`\x` -> two spaces).
  const bare = pattern.replace(/\\[\s\S]/g, "  ");
  if (bare.endsWith("\\")) codes.add("glob.dangling_escape");
  if (/\{[^{},]*\.\.[^{},]*\}/.test(bare)) codes.add("glob.range");
  // Open braces: whether each has a comma at its level yet.
  const braces = [];
  for (let i = 0; i < bare.length; i++) {
    const c = bare[i];
    if ("@!+*?".includes(c) && bare[i + 1] === "(") codes.add("glob.extglob");
    if (c === "*" && bare[i + 1] === "*" && bare[i + 2] === "*") codes.add("glob.star_run");
    if (c === "[") {
      let j = i + 1;
      if (bare[j] === "!" || bare[j] === "^") j++;
      const members = j;
      if (bare[j] === "]") j++;
      const start = j;
      while (j < bare.length && bare[j] !== "]") {
        if (bare[j] === "[" && bare[j + 1] === ":") codes.add("glob.posix_class");
        j++;
      }
      if (j >= bare.length) {
        codes.add("glob.unclosed_class");
        continue;
      }
      const body = pattern.slice(start, j);
      if (body.includes("/")) codes.add("glob.slash_in_class");
      if (/[^\x00-\x7f]/.test(body)) codes.add("glob.non_ascii_class");
      for (const m of body.matchAll(/(.)-(.)/g)) if (m[1] > m[2]) codes.add("glob.invalid_range");
      const apart = classReadApart(pattern.slice(members, j));
      if (apart) codes.add(apart);
      i = j;
      continue;
    }
    if (c === "{") braces.push(false);
    if (c === "," && braces.length) braces[braces.length - 1] = true;
    if (c === "}") {
      if (braces.length === 0) codes.add("glob.unopened_alternation");
      // README: braces without a comma at their level (globset: an
      // alternation of one; picomatch and bash: the text).
      else if (!braces.pop()) codes.add("glob.single_alternative");
    }
  }
  if (braces.length > 0) codes.add("glob.unclosed_alternation");
  return codes;
}

/** README's refusal of a class body as written (from after `[`, `[!` or
 *  `[^`): `\\` in a class but `\\\\` (globset reads a member, picomatch an
 *  escape), or a `-` after a range but last (globset extends the range). */
function classReadApart(body) {
  const members = [];
  for (let k = 0; k < body.length; k++) {
    if (body[k] === "\\" && body[k + 1] !== "\\") return "glob.class_escape";
    if (body[k] === "\\") k++;
    members.push(body[k]);
  }
  for (let k = 0; k < members.length; k++) {
    if (members[k + 1] === "-" && k + 2 < members.length) {
      k += 3;
      if (members[k] === "-" && k + 1 < members.length) return "glob.range_after_range";
      k--;
    }
  }
  return null;
}

function documentedPathRefusals(path) {
  const codes = new Set();
  if (path === "" || normalize(path) === "") codes.add("path.empty");
  if (path.split("/").includes("..")) codes.add("path.parent_segment");
  if (path.includes("\0")) codes.add("path.nul");
  if (hasLoneSurrogate(path)) codes.add("path.encoding");
  return codes;
}

// ------------------------------------------------------------------ differences

/** Rewrites that ask picomatch the dialect's question, one per row of the
 *  README's differences table (ids of glob-conformance.test.mjs's ALLOWED where
 *  it has them). `pattern(p)` / `input(s)` rewrite; `parentToo` also accepts
 *  the pattern without its trailing `/**`; `regexOnly` skips picomatch's
 *  "the path is the pattern text" shortcut. */
const DIFFERENCES = [
  {
    id: "bang-class-is-negated",
    readme: "`[!a]`, `[!a-c]` | negated class, like `[^a]`",
    pattern: bangClassIsNegated,
  },
  {
    id: "quotes-are-literal",
    readme: "(proposed row) `\"*\".md` | `\"` is a character of the name; the `*` inside is a wildcard",
    pattern: (p) => p.replace(/(?<!\\)"/g, '\\"'),
  },
  {
    id: "glued-globstar-is-star",
    readme: "`**` glued to text (`**.js`, `a**`) | the same as `*`, never crosses `/`",
    pattern: gluedGlobstarIsStar,
  },
  {
    id: "star-dot-star-fast-path",
    readme: "`*.*` | matches `a.` (`*` may be empty)",
    pattern: starDotStarFastPath,
  },
  {
    id: "trailing-globstar-matches-parent",
    readme: "`dir/**` | also matches `dir`, whatever `dir` is",
    parentToo: true,
  },
  {
    id: "one-byte-qmark-and-class",
    readme: "`?`, `[...]` | one byte, ASCII classes",
    // picomatch on the UTF-8 bytes (as Latin-1 units) answers byte-wise.
    pattern: (p) => Buffer.from(p, "utf8").toString("latin1"),
    input: (s) => Buffer.from(s, "utf8").toString("latin1"),
  },
  {
    id: "pattern-text-is-not-a-path",
    readme: "a pattern equal to the path text | no special case",
    regexOnly: true,
  },
  {
    id: "class-is-not-its-text",
    readme: "(proposed row) `a[b]` | a class only: `a[b]` does not match the path `a[b]`",
    // picomatch compiles a class without a range to `(\\[b\\]|[b])`, the
    // literal text too, unless {literalBrackets: false}.
    options: { literalBrackets: false },
  },
  {
    id: "regex-syntax-is-literal",
    readme: "(proposed row) `(a|b)`, `[a-z]+`, `\\d`, `\\b` | literal characters: `(`, `)`, `|`, `+`; `\\d` is `d`",
    pattern: literalRegexSyntax,
  },
  {
    id: "pattern-normalized",
    readme: "leading `/` or `./`, `//`, trailing `/` in patterns | dropped or collapsed",
    pattern: normalize,
  },
  {
    id: "path-normalized",
    readme: "(proposed row; prose today) Paths and patterns are project-relative: a leading `/` or `./` is dropped, `//` collapsed, `.` segments and a trailing `/` removed",
    input: normalize,
  },
];

/** picomatch hands `(`, `)`, `|` and a `+` after a class or group to its
 *  RegExp, and `\\` + a letter or digit too (`\\b`, `\\d`, `\\1`): the
 *  pattern with those escaped (or the letter unescaped) as our README reads
 *  them (`\\c` is `c`; other punctuation is literal). */
function literalRegexSyntax(p) {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\" && i + 1 < p.length) {
      const next = p[++i];
      out += /[A-Za-z0-9]/.test(next) ? next : c + next;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (p[i + 1] === "]") out += p[++i];
    } else if ("()|+".includes(c) && !(c === "(" && "@!*?+".includes(p[i - 1]))) {
      out += "\\" + c;
    } else {
      out += c;
    }
  }
  return out;
}

/** The subsets of DIFFERENCES of up to three entries, smallest first. */
const SUBSETS = Array.from({ length: (1 << DIFFERENCES.length) - 1 }, (_, k) =>
  DIFFERENCES.filter((_, i) => (k + 1) & (1 << i)),
)
  .filter((s) => s.length <= 3)
  .sort((a, b) => a.length - b.length);

function reference(subset, patterns, input, baseOptions) {
  let ps = patterns;
  let s = input;
  let options = baseOptions;
  for (const d of subset) {
    if (d.options) options = { ...options, ...d.options };
    if (d.pattern) ps = ps.map(d.pattern);
    if (d.input) s = d.input(s);
  }
  const regexOnly = subset.some((d) => d.regexOnly);
  if (pmAnswer(ps, s, options, { regexOnly })) return true;
  if (!subset.some((d) => d.parentToo)) return false;
  const parents = ps.filter((p) => p.endsWith("/**")).map((p) => p.slice(0, -3));
  return parents.length > 0 && pmAnswer(parents, s, options, { regexOnly });
}

const explain = (patterns, input, options, ours) =>
  SUBSETS.find((subset) => reference(subset, patterns, input, options) === ours) ?? null;

// ------------------------------------------------------------------ known bugs

/** Rows where our answer contradicts our own README: each has a BUG line in
 *  /work/wt/REQUESTS.md. The integrator empties this list when fixing them.
 *  Keyed by upstream file:line, pattern and input. */
const KNOWN_BUGS = [
  // Emptied by 976a89b: `a??(z)` (test/extglobs.js:417-422) was answered, not
  // refused as an extglob; its 6 rows are now refused by glob.extglob.
  // Entry shape: { pattern, bug: "BUG <who>: pattern | path | ours | expected | README line | suite file:line" }.
];
const KNOWN = new Map(KNOWN_BUGS.map((b) => [b.pattern, b]));

/** Refusals the README makes certain (never read as literals): a pattern
 *  with one of these constructs, or a path `documentedPathRefusals` refuses,
 *  that we answer is a failure. */
const STRICT_CODES = new Set([
  "glob.encoding",
  "glob.too_long",
  "glob.negation",
  "glob.empty",
  "glob.parent_segment",
  "glob.dangling_escape",
  "glob.range",
  "glob.extglob",
  "glob.star_run",
  "glob.posix_class",
  "glob.unclosed_class",
  "glob.unopened_alternation",
  "glob.unclosed_alternation",
  "glob.class_escape",
  "glob.range_after_range",
  "glob.single_alternative",
]);

// ------------------------------------------------------------------ the run

test("picomatch's own test cases through globMatch", () => {
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  const skipped = new Map();
  const refused = new Map();
  const documented = new Map();
  const examples = new Map();
  const bugsSeen = new Set();
  let agree = 0;
  let bugRows = 0;
  const failures = [];

  for (const row of data.rows) {
    const patterns = [].concat(row.pattern);
    const { rule, options, contradicts } = optionRule(row, patterns);
    if (contradicts) {
      failures.push({ ...row, note: "the installed picomatch contradicts the expected answer" });
      continue;
    }
    if (rule) {
      count(skipped, rule);
      continue;
    }
    const known = patterns.map((p) => KNOWN.get(p)).find(Boolean);
    const bug = () => {
      bugsSeen.add(known);
      bugRows++;
    };

    let ours;
    let code = null;
    try {
      // Every pattern of a list is compiled (a refusal of any refuses the row).
      ours = patterns.map((p) => globMatch(p, row.input, ourOptions(options))).some(Boolean);
    } catch (e) {
      code = e.issues?.[0]?.code ?? String(e);
    }
    if (code !== null) {
      const allowed = new Set([...documentedPathRefusals(row.input), ...patterns.flatMap((p) => [...documentedRefusals(p)])]);
      if (allowed.has(code)) count(refused, code);
      else if (known) bug();
      else failures.push({ ...row, ours: `refused ${code}`, documented: [...allowed] });
      continue;
    }
    const mustRefuse = [
      ...documentedPathRefusals(row.input),
      ...patterns.flatMap((p) => [...documentedRefusals(p)].filter((c) => STRICT_CODES.has(c))),
    ];
    if (mustRefuse.length) {
      if (known) bug();
      else failures.push({ ...row, ours, documented: mustRefuse, note: "answered, README says refused" });
      continue;
    }
    if (ours === row.expected) {
      if (known) failures.push({ ...row, ours, note: "KNOWN_BUGS entry now agrees: remove it" });
      else agree++;
      continue;
    }
    const subset = explain(patterns, row.input, options, ours);
    if (subset) {
      const key = subset.map((d) => d.id).join(" + ");
      count(documented, key);
      if (!examples.has(key)) examples.set(key, { file: row.file, pattern: row.pattern, input: row.input, ours, expected: row.expected });
    } else if (known) {
      bug();
    } else {
      failures.push({ ...row, ours });
    }
  }

  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  const lines = [
    `picomatch ${data.version} (${data.commit.slice(0, 12)}) own test cases, through globMatch:`,
    `  rows read: ${data.rows.length}`,
    `  agree: ${agree}`,
    `  documented differences: ${sum(documented)}`,
    ...sorted(documented).map(([k, n]) => `    ${k}: ${n}, e.g. ${JSON.stringify(examples.get(k))}`),
    `  skipped by rule: ${sum(skipped)}`,
    ...sorted(skipped).map(([k, n]) => `    ${k}: ${n}`),
    `  refused by code: ${sum(refused)}`,
    ...sorted(refused).map(([k, n]) => `    ${k}: ${n}`),
    `  known bugs: ${bugRows} rows of ${bugsSeen.size} KNOWN_BUGS entries (listed: ${KNOWN_BUGS.length})`,
    `  unexplained: ${failures.length}`,
    ...failures.slice(0, Number(process.env.FOREIGN_SHOW ?? 40)).map((f) => `    FAIL ${JSON.stringify(f).slice(0, 300)}`),
  ];
  console.log(lines.join("\n"));

  assert.equal(agree + sum(documented) + sum(skipped) + sum(refused) + bugRows + failures.length, data.rows.length);
  assert.ok(data.rows.length > 10_000, "the extraction lost rows");
  assert.ok(agree > data.rows.length / 4, `only ${agree} agreements`);
  assert.deepEqual(failures, [], "rows that are neither agreement, documented difference, skipped by rule, refused by a documented code nor a known bug");
  assert.deepEqual(
    KNOWN_BUGS.filter((b) => !bugsSeen.has(b)),
    [],
    "KNOWN_BUGS entries that no longer occur (fixed? remove them)",
  );
});

// One pinned example of each difference this suite added to the README's
// table, with both answers: a change on either side shows up here.
// [pattern, path, ours, picomatch {dot: true}]
const PINNED = [
  ["(a|b)", "a", false, true], // regex-syntax-is-literal: `(`, `|`, `)` are characters
  ["(a|b)", "(a|b)", true, true],
  ["[a-z]+", "az", false, true], // `+` is a character
  ["[a-z]+", "a+", true, false],
  ["a\\d", "ad", true, false], // `\d` is `d`
  ['"*".md', "x.md", false, false], // quotes-are-literal
  ['"*".md', "*.md", false, true],
  ['"*".md', '"x".md', true, false],
  ["a[b]", "a[b]", false, true], // class-is-not-its-text
  ["a[b]", "ab", true, true],
  ["*", "./abc", true, false], // path-normalized
  ["*", "/ef", true, false],
  ["**", "abc/./abc", true, false],
  ["a/*", "a/b/", true, true], // (picomatch agrees: it allows a trailing `/` unless {strictSlashes: true})
];

test("the differences this suite documents, pinned", () => {
  for (const [pattern, path, ours, theirs] of PINNED) {
    assert.equal(globMatch(pattern, path), ours, `ours: ${pattern} vs ${path}`);
    assert.equal(picomatch.isMatch(path, pattern, { dot: true }), theirs, `picomatch: ${pattern} vs ${path}`);
  }
});

// The permission decision is the product: every row's question, through an
// allow rule, a deny rule and one policy of every glob, answers as globMatch.
test("picomatch's own test cases through FilePolicy rules", () => {
  const route = new PolicyRoute();
  const failures = [];
  for (const row of data.rows) {
    const options = ourOptions({ nocase: row.options?.nocase || row.options?.flags === "i" });
    for (const p of [].concat(row.pattern)) {
      const why = route.check(p, row.input, options !== undefined, globAnswer(p, row.input, options));
      if (why) failures.push(`${row.file} ${JSON.stringify(p)} ${JSON.stringify(row.input)}: ${why}`);
    }
  }
  failures.push(...route.shared());
  console.log(`through FilePolicy: ${route.asked} questions (${route.untrimmable} globs a rule would trim, not asked)`);
  assert.ok(route.asked > 11_000, `${route.asked} questions`);
  assert.deepEqual(failures.slice(0, 40), []);
});

// Case folding beyond ASCII (README's glob table, row "case"): ours folds
// ASCII only, as globset does; picomatch's `nocase` is a RegExp `i` flag
// without `u`, which never folds a non-ASCII letter to ASCII (so a
// caseInsensitive deny of `secret/**` and picomatch's agree on `ſecret/x`)
// but does fold non-ASCII letters among themselves (README's minimatch table).
// [pattern, path, ours, picomatch {dot: true, nocase: true}]
const FOLDS = [
  ["k", "\u212a", false, false], // K KELVIN SIGN
  ["\u212a", "k", false, false],
  ["secret/**", "\u017fecret/x", false, false], // ſ LATIN SMALL LETTER LONG S
  ["i", "\u0130", false, false], // İ
  ["ss", "\u00df", false, false],
  ["SECRET/**", "secret/x", true, true],
  ["\u00e5", "\u00c5", false, true], // å / Å: picomatch folds, we do not
  ["\u03c3", "\u03a3", false, true],
];

test("case folding beyond ASCII, pinned", () => {
  for (const [pattern, path, ours, theirs] of FOLDS) {
    assert.equal(globMatch(pattern, path, { caseInsensitive: true }), ours, `ours: ${pattern} vs ${path}`);
    assert.equal(picomatch.isMatch(path, pattern, { dot: true, nocase: true }), theirs, `picomatch: ${pattern} vs ${path}`);
  }
});

// Spellings globset 0.4.21 reads otherwise than picomatch (README's error
// table and globset table; tests/foreign_globset.rs READ_APART pins
// globset's side): `\` escapes inside a picomatch class and is a member in
// globset's, a `-` after a range is a member in picomatch and extends the
// range in globset, braces without a comma are text to picomatch and an
// alternation of one to globset. Any reading gives some authors a narrower
// deny than they wrote, so we refuse each with its code and byte.
// [pattern, a path picomatch {dot: true} matches, one it does not, code, byte]
const READ_APART = [
  ["[\\]]", "]", "\\]", "glob.class_escape", 1],
  ["[\\-a]", "-", "_", "glob.class_escape", 1],
  ["a[\\.]c", "a.c", "a\\c", "glob.class_escape", 2],
  ["[a-c-e]", "-", "d", "glob.range_after_range", 4],
  ["a {abc} b", "a {abc} b", "a abc b", "glob.single_alternative", 2], // test/braces.js:25
  ["{foo}", "{foo}", "foo", "glob.single_alternative", 0],
  ["users/{id}/**", "users/{id}/x", "users/id/x", "glob.single_alternative", 6],
];

test("spellings picomatch and globset read apart are refused", () => {
  for (const [pattern, theirs, notTheirs, code, byte] of READ_APART) {
    assert.equal(picomatch.isMatch(theirs, pattern, { dot: true }), true, `picomatch: ${pattern} vs ${theirs}`);
    assert.equal(picomatch.isMatch(notTheirs, pattern, { dot: true }), false, `picomatch: ${pattern} vs ${notTheirs}`);
    for (const path of [theirs, notTheirs]) {
      assert.throws(
        () => globMatch(pattern, path),
        (e) => e.issues?.[0]?.code === code && e.issues[0].position === byte,
        `${pattern} vs ${path}`,
      );
    }
  }
});
