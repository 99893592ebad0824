#!/usr/bin/env node
// Extracts minimatch's own test cases into tests/foreign/minimatch/cases.json:
// one row per (pattern, path, options, expected), each with its source
// (file:line). Run by hand, not in CI:
//
//   node tests/foreign/extract-minimatch.mjs [MIRROR_GIT_DIR] [COMMIT]
//
// MIRROR_GIT_DIR defaults to /work/.mirror/isaacs+minimatch/repo (the `fetch`
// of github:isaacs/minimatch), COMMIT to its HEAD. The script
//  1. exports the commit's tree into a temporary directory;
//  2. builds the library from its src/ with esbuild (brace-expansion from the
//     root node_modules), used only to record, per row, how the pinned
//     minimatch answers under other options (see `mm` below) — the expected
//     value always comes from the test itself;
//  3. test/patterns.js (the main table, run by basic.js, defaults.js and the
//     optimization-level tests): evaluated like basic.js does, each entry
//     expanded over its file list (expected = the path is in the entry's
//     expected matches; `nonull` only adds the pattern itself to an empty
//     result list and is undone); the line of each entry is found by scanning
//     the array literal;
//  4. the other test files with assertions on match answers: evaluated with a
//     stand-in `tap` (minimatch-harness/tap.mjs) and a stand-in minimatch
//     module (minimatch-harness/stub.mjs) that RECORD each question and the value the
//     assertion expects, instead of asserting (patterns.js replaced by an
//     empty table there, so its entries are not recorded twice); a question
//     no assertion consumed stops the extractor;
//  5. test/class-edge-cases.js: its answers are a tap snapshot
//     (tap-snapshots/test/class-edge-cases.js.test.cjs), read from there.
// Files with no match answers (parser, regexp, escape and timing tests) are
// listed in NO_MATCH_ANSWERS with why.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const OUT = join(HERE, "minimatch", "cases.json");
const MIRROR = process.argv[2] ?? "/work/.mirror/isaacs+minimatch/repo";
const git = (...a) => execFileSync("git", ["--git-dir", MIRROR, ...a], { encoding: "utf8", maxBuffer: 1 << 26 });
const COMMIT = git("rev-parse", process.argv[3] ?? "HEAD").trim();
const VERSION = JSON.parse(git("show", `${COMMIT}:package.json`)).version;

// Files evaluated with the stand-ins (they assert match answers).
const RUN = [
  "basic.js",
  "brace-expand.js",
  "defaults.js",
  "escaping.js",
  "extglob-ending-with-state-char.js",
  "extglob-unfinished.js",
  "multiple-non-adjacent-globstars.ts",
  "negative-extglob-anchoring.js",
  "optimization-level-2.ts",
  "partial.ts",
  "redos.js",
  "tricky-negations.js",
  "unc.ts",
  "usurp.ts",
  "win-path-sep.js",
];
// Files asserting that globs parse to the same parts: each glob is a row
// of `equivalences` (the parts it must equal, joined as a glob).
const EQUIVALENCES = ["consecutive-glob-stars.js"];
const NO_MATCH_ANSWERS = {
  "escape-has-magic.js": "escape()/unescape()/hasMagic() and parse snapshots",
  "nested-extglob.ts": "timing of extglob matches; asserts no answer",
  "nocase-magic.js": "compares the parsed set",
  "optimization-level-0.ts": "re-runs basic.js with answers recorded only as snapshots",
  "preserve-multiple-slashes.ts": "compares the parsed set",
  "the-sky-is-full-of-stars-at-least-100.ts": "compares the parsed set",
  "windows-no-magic-root.ts": "parsed-set snapshots",
};
const FROM_SNAPSHOT = ["class-edge-cases.js"];
const MAIN_TABLE = "patterns.js";

// ------------------------------------------------------------ the pinned tree
const work = mkdtempSync(join(tmpdir(), "mm-extract-"));
execFileSync("sh", ["-c", `git --git-dir '${MIRROR}' archive ${COMMIT} | tar -x -C '${work}'`]);
const testFiles = readdirSync(join(work, "test")).sort();
for (const f of testFiles) {
  const known = RUN.includes(f) || EQUIVALENCES.includes(f) || f in NO_MATCH_ANSWERS || FROM_SNAPSHOT.includes(f) || f === MAIN_TABLE;
  if (!known) throw new Error(`test/${f} is new upstream: classify it in RUN or NO_MATCH_ANSWERS`);
}

await esbuild.build({
  entryPoints: [join(work, "src/index.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  outfile: join(work, "real.mjs"),
  nodePaths: [join(ROOT, "node_modules")],
  logLevel: "error",
});
delete process.env.__MINIMATCH_TESTING_PLATFORM__;
const real = await import(pathToFileURL(join(work, "real.mjs")));
const braceVersion = createRequire(join(ROOT, "package.json"))("brace-expansion/package.json").version;

// ------------------------------------------------------------ rows
const rows = [];
const addRow = (r) => rows.push(r);

// ---- 3. test/patterns.js
/** The line of each top-level element of `const patterns = [ ... ]`. */
function elementLines(src) {
  const start = src.indexOf("const patterns = [") + "const patterns = [".length;
  const lines = [];
  let depth = 0;
  let expecting = true;
  const lineAt = (i) => src.slice(0, i).split("\n").length;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      i = src.indexOf("\n", i);
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      i = src.indexOf("*/", i) + 1;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 0 && c === "]") break;
    if (depth === 0 && c === ",") {
      expecting = true;
      continue;
    }
    if (expecting && depth === 0) {
      lines.push({ line: lineAt(i), kind: c === "[" ? "array" : c === "(" ? "function" : "string" });
      expecting = false;
    }
    if (c === "'" || c === '"' || c === "`") {
      for (i++; src[i] !== c; i++) if (src[i] === "\\") i++;
      continue;
    }
    if ("[({".includes(c)) depth++;
    if ("])}".includes(c)) depth--;
  }
  return lines;
}

{
  const src = readFileSync(join(work, "test", MAIN_TABLE), "utf8");
  const { default: patterns } = await import(pathToFileURL(join(work, "test", MAIN_TABLE)));
  const at = elementLines(src);
  if (at.length !== patterns.length) throw new Error(`patterns.js: ${at.length} elements scanned, ${patterns.length} evaluated`);
  let section = "";
  patterns.forEach((c, entry) => {
    const kind = Array.isArray(c) ? "array" : typeof c === "function" ? "function" : "string";
    if (kind !== at[entry].kind) throw new Error(`patterns.js entry ${entry}: scanned ${at[entry].kind}, is ${kind}`);
    if (kind === "function") return c();
    if (kind === "string") return void (section = c.split("\n")[0]);
    const [pattern, expectList, options = {}, files = patterns.files, tapOpts = {}] = c;
    if (tapOpts.skip) return;
    let expect = [...expectList];
    const list = [...new Set(files)];
    if (options?.nonull && expect.length === 1 && expect[0] === pattern && !list.includes(pattern)) expect = [];
    for (const e of expect) if (!list.includes(e)) throw new Error(`patterns.js entry ${entry}: ${e} not in its files`);
    for (const path of list)
      addRow({
        source: `test/patterns.js:${at[entry].line}`,
        entry,
        section,
        method: "match",
        pattern,
        path,
        options: { ...(options || {}) },
        expected: expect.includes(path),
      });
  });
}

// ---- 4. the other files, with the stand-ins
const T = join(work, "t");
mkdirSync(T);
copyFileSync(join(HERE, "minimatch-harness/stub.mjs"), join(T, "__stub.mjs"));
copyFileSync(join(HERE, "minimatch-harness/tap.mjs"), join(T, "__tap.mjs"));
writeFileSync(
  join(T, MAIN_TABLE),
  "const p = []; Object.defineProperty(p, 'files', { get: () => [] }); export default p;\n",
);
const relink = (s) =>
  s
    .replace(/(from\s+|import\s*\(\s*|mockImport\(\s*)(['"])\.\.\/(dist\/esm|src)\/(index|ast)\.js\2/g, "$1$2./__stub.mjs$2")
    .replace(/from\s+(['"])tap\1/g, "from './__tap.mjs'");
const outName = (f) => f.replace(/\.ts$/, ".mjs");
for (const f of testFiles) {
  if (f === MAIN_TABLE) continue;
  let s = readFileSync(join(work, "test", f), "utf8");
  if (f.endsWith(".ts")) {
    s = (await esbuild.transform(s, { loader: "ts", format: "esm", sourcemap: "inline", sourcefile: `test/${f}` })).code;
  }
  s = relink(s).replace(/(import\s+['"]\.\/[^'"]+)\.ts(['"])/g, "$1.mjs$2");
  writeFileSync(join(T, outName(f)), s);
}
process.setSourceMapsEnabled(true);

const rec = {
  mocks: 0,
  /** Questions asked and not yet consumed by an assertion. */
  open: new Set(),
  pendingFilter: [],
  file: "",
  /** file:line of the innermost frame in a test file. */
  site() {
    for (const line of new Error().stack.split("\n").slice(1)) {
      const m = /(?:\/t\/|\btest\/)([\w.-]+?\.(?:js|ts|mjs)):(\d+):\d+/.exec(line);
      if (m && !m[1].startsWith("__")) return `test/${m[1].replace(/\.mjs$/, ".ts")}:${m[2]}`;
    }
    return `test/${rec.file}`;
  },
  row(t, info, path, expected) {
    addRow({
      source: info.site,
      test: t.name,
      method: info.method ?? info.kind,
      pattern: info.pattern,
      path,
      options: info.options,
      expected,
    });
  },
  assert(t, actual, expected) {
    rec.flushFilter(t, null);
    if (!(actual && actual.constructor && actual.constructor.name === "MatchToken")) return;
    rec.open.delete(actual);
    if (typeof expected !== "boolean") throw new Error(`${actual.site}: expected ${expected}`);
    rec.row(t, actual, actual.path, expected);
  },
  assertList(t, actual, expected) {
    if (actual && actual.info && Array.isArray(expected)) {
      rec.flushFilter(t, null);
      const { info } = actual;
      if (info.kind === "match") {
        let exp = [...expected];
        const list = [...new Set(info.list)];
        if (info.options.nonull && exp.length === 1 && exp[0] === info.pattern && !list.includes(info.pattern)) exp = [];
        for (const path of list) rec.row(t, info, path, exp.includes(path));
      } else {
        // braceExpand: every expansion, as a path, is matched by the pattern
        // (checked below against the pinned library: an expansion holding a
        // glob character would not be).
        for (const path of new Set(expected)) rec.row(t, { ...info, method: "braceExpand" }, path, true);
      }
      return;
    }
    rec.flushFilter(t, Array.isArray(expected) ? expected : null);
  },
  flushFilter(t, expected) {
    const pending = rec.pendingFilter.splice(0);
    if (!pending.length) return;
    if (!expected) throw new Error(`${pending[0].site}: filter() answers not compared with a list`);
    for (const p of pending) rec.row(t, { ...p, method: "filter" }, p.path, expected.includes(p.path));
  },
};
globalThis.__MM_REAL = real;
globalThis.__MM_REC = rec;
const { root } = await import(pathToFileURL(join(T, "__tap.mjs")));
for (const f of RUN) {
  rec.file = f;
  delete process.env.__MINIMATCH_TESTING_PLATFORM__;
  root.queue = [];
  await import(pathToFileURL(join(T, outName(f))));
  const q = root.queue.splice(0);
  for (const [name, fn] of q) await new root.constructor(name, null).run(fn);
}
delete process.env.__MINIMATCH_TESTING_PLATFORM__;
if (rec.open.size)
  throw new Error(`questions no assertion consumed: ${[...rec.open].map((t) => t.site).join(", ")}`);

// ---- 5. class-edge-cases.js, from its snapshot
{
  const snapPath = "tap-snapshots/test/class-edge-cases.js.test.cjs";
  const text = readFileSync(join(work, snapPath), "utf8");
  const snap = Object.values(createRequire(import.meta.url)(join(work, snapPath)))[0];
  // tap's format, made JSON: `Object {` / `Array [` and trailing commas.
  const json = snap
    .replace(/\bObject \{/g, "{")
    .replace(/\bArray \[/g, "[")
    .replace(/,(\s*[}\]])/g, "$1");
  const { files, patterns, matches } = JSON.parse(json);
  const lineOf = (p) => {
    const from = text.indexOf('"patterns": Array [');
    const i = text.indexOf(JSON.stringify(p).replaceAll("\\", "\\\\"), from);
    if (from < 0 || i < 0) throw new Error(`${snapPath}: ${p} not found`);
    return text.slice(0, i).split("\n").length;
  };
  for (const pattern of patterns)
    for (const path of files)
      addRow({
        source: `${snapPath}:${lineOf(pattern)}`,
        test: "class-edge-cases.js",
        method: "minimatch",
        pattern,
        path,
        options: {},
        expected: (matches[pattern] ?? []).includes(path),
      });
}

// ------------------------------------------------------------ the library's view
// Per row, how the pinned minimatch answers (recorded facts; the expected
// value is always the test's own):
//  - asTested: with the row's options (must equal `expected`);
//  - dialect: with the options groupgate's dialect amounts to: {dot: true}
//    (our `*` matches dotfiles), {nocomment: true} (we have no comments),
//    nocase kept (caseInsensitive), every other option dropped, platform linux;
//  - changedBy: the options whose change alone to the dialect's (dropping it,
//    or dot/nocomment -> true) changes the answer;
//  - normalized: `dialect` on the pattern and path normalized as our README
//    says (leading `/` and `./`, `.` segments, `//` and a trailing `/` dropped).
const DIALECT = { dot: true, nocomment: true };
const KEEP = new Set(["nocase"]);
const normalize = (s) =>
  s
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .join("/");
function ask(r, options, pattern = r.pattern, path = r.path) {
  try {
    const { debug, ...o } = options;
    void debug;
    if (r.method === "makeRe") {
      const re = real.makeRe(pattern, o);
      return re ? re.test(path) : false;
    }
    return new real.Minimatch(pattern, o).match(path);
  } catch (e) {
    return `throws: ${e.message}`;
  }
}
for (const r of rows) {
  const opts = { platform: "linux", ...r.options };
  const reduced = { platform: "linux", ...DIALECT };
  for (const k of KEEP) if (k in opts) reduced[k] = opts[k];
  const changedBy = [];
  for (const k of Object.keys(opts)) {
    if (KEEP.has(k) || (k === "platform" && opts.platform !== "win32") || opts[k] === DIALECT[k]) continue;
    const o = { ...opts };
    if (k in DIALECT) o[k] = DIALECT[k];
    else delete o[k];
    if (k === "platform") o.platform = "linux";
    if (ask(r, o) !== r.expected) changedBy.push(k);
  }
  for (const k of Object.keys(DIALECT))
    if (!(k in opts) && ask(r, { ...opts, [k]: DIALECT[k] }) !== r.expected) changedBy.push(k);
  r.mm = {
    asTested: ask(r, opts),
    dialect: ask(r, reduced),
    changedBy,
    normalized: ask(r, reduced, normalize(r.pattern), normalize(r.path)),
  };
}

// Where the assertion sits in a loop, also the lines where the pattern is
// written as a quoted literal (`patternAt`; a table may hold it more than once).
const sources = new Map();
for (const r of rows) {
  const [file, line] = r.source.split(":");
  if (file === "test/patterns.js" || !file.startsWith("test/")) continue;
  if (!sources.has(file)) sources.set(file, readFileSync(join(work, file), "utf8").split("\n"));
  const literal = r.pattern.replaceAll("\\", "\\\\");
  const holds = (l) => l.includes(`'${literal}'`) || l.includes(`"${literal}"`);
  const lines = sources.get(file);
  // Short patterns (` `, `x`) would be found anywhere: only from 3 characters.
  if (literal.length < 3 || holds(lines[Number(line) - 1])) continue;
  const at = lines.flatMap((l, i) => (holds(l) ? [`${file}:${i + 1}`] : []));
  if (at.length) r.patternAt = at;
}

// ---- 6. equivalences: `t.same(m.globParts, expected)` with the real
// Minimatch (globParts mapped back to the glob that made them).
const equivalences = [];
for (const f of EQUIVALENCES) {
  const src = readFileSync(join(work, "test", f), "utf8");
  const imports = /^import t from 'tap'\nimport \{ Minimatch \} from '\.\.\/dist\/esm\/index\.js'\n/;
  if (!imports.test(src)) throw new Error(`test/${f}: not the imports the extractor knows`);
  const line = src.slice(0, src.indexOf("t.same(")).split("\n").length;
  const globOf = new Map();
  class Minimatch extends real.Minimatch {
    constructor(p, o) {
      super(p, o);
      globOf.set(this.globParts, p);
    }
  }
  const t = {
    same(actual, expected) {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`test/${f}: the pinned library fails its own test`);
      const pattern = globOf.get(actual);
      if (pattern === undefined) throw new Error(`test/${f}:${line}: parts of no recorded glob`);
      equivalences.push({ source: `test/${f}:${line}`, pattern, same: expected.map((parts) => parts.join("/")) });
    },
  };
  new Function("t", "Minimatch", src.replace(imports, ""))(t, Minimatch);
}

// Rows only differ by where a library call sits: keep the first.
const seen = new Set();
const unique = rows.filter((r) => {
  const k = JSON.stringify([r.source, r.method, r.pattern, r.path, r.options, r.expected]);
  return seen.has(k) ? false : (seen.add(k), true);
});

const disagree = unique.filter((r) => r.mm.asTested !== r.expected);
const data = {
  upstream: {
    repo: "https://github.com/isaacs/minimatch",
    commit: COMMIT,
    version: VERSION,
    license: "BlueOak-1.0.0 (LICENSE.md)",
    braceExpansion: braceVersion,
  },
  generatedBy: "tests/foreign/extract-minimatch.mjs",
  files: { run: RUN, fromSnapshot: FROM_SNAPSHOT, mainTable: MAIN_TABLE, equivalences: EQUIVALENCES, noMatchAnswers: NO_MATCH_ANSWERS },
  equivalences,
  rows: unique,
};
// One row per line, so that a new upstream commit reads as a diff of rows.
const { rows: _rows, equivalences: _eq, ...head } = data;
void _rows, _eq;
writeFileSync(
  OUT,
  JSON.stringify(head, null, 1).replace(/\n}$/, ',\n "equivalences": [\n') +
    equivalences.map((r) => JSON.stringify(r)).join(",\n") +
    '\n ],\n "rows": [\n' +
    unique.map((r) => JSON.stringify(r)).join(",\n") +
    "\n ]\n}\n",
);
rmSync(work, { recursive: true, force: true });
const by = {};
for (const r of unique) by[r.source.split(":")[0]] = (by[r.source.split(":")[0]] ?? 0) + 1;
console.log(`minimatch ${VERSION} @ ${COMMIT}: ${unique.length} rows (${rows.length - unique.length} duplicates dropped), ${equivalences.length} equivalences`);
console.log(by);
console.log(`${disagree.length} rows where the pinned library's answer differs from its test's expectation:`);
for (const r of disagree) console.log(" ", r.source, JSON.stringify([r.pattern, r.path, r.options, r.expected, r.mm.asTested]));
// Such a row means the extraction misread a test (or upstream's tests fail).
if (disagree.length) process.exitCode = 1;
