#!/usr/bin/env node
// Extracts picomatch's own hand-written match assertions into
// tests/foreign/picomatch/cases.json (run by hand, not in CI):
//
//   node tests/foreign/extract-picomatch.mjs <picomatch git dir> [<commit>]
//
// The upstream test files are EVALUATED, not parsed: each file of test/ at the
// pinned commit runs with stubs for mocha (`describe`, `it`, hooks), `assert`,
// picomatch (`require('..')`) and `./support/match`. The stubs RECORD instead
// of asserting:
//   - `isMatch(input, pattern, options)` and matchers `picomatch(p, o)(input)`
//     call the installed picomatch (node_modules) and remember the call and
//     its result `r`; the `assert(v)` that consumes it gives the expected
//     answer: `assert(isMatch(..))` passes `v === r`, `assert(!isMatch(..))`
//     passes `v === !r`, so expected = (v === r). `assert.equal/strictEqual(
//     isMatch(..), b)` gives b.
//   - `match(list, pattern, options)` remembers the list; the
//     `assert.deepStrictEqual(result, expected)` that consumes it gives one row
//     per item: expected = the item (or picomatch's output for it) is listed.
// An assertion that consumes zero or several recorded calls at once (e.g.
// `assert(isMatch(a) && isMatch(b))`) gives no row and is counted in
// `unresolved`. Everything else the files assert (makeRe output, scan, parse,
// throws) is not about matching and is ignored.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(join(root, "package.json"));
const realPm = require("picomatch");
const realPosix = require("picomatch/posix");
const installed = require("picomatch/package.json").version;

const [gitDir, commitArg] = process.argv.slice(2);
if (!gitDir) {
  console.error("usage: node tests/foreign/extract-picomatch.mjs <picomatch git dir> [<commit or tag>]");
  process.exit(2);
}
const git = (...args) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
const commit = git("rev-parse", `${commitArg ?? "HEAD"}^{commit}`).trim();
const upstreamVersion = JSON.parse(git("show", `${commit}:package.json`)).version;
const files = git("ls-tree", "--name-only", commit, "test/")
  .split("\n")
  .filter((f) => /^test\/[^/]+\.js$/.test(f))
  .sort();

// ------------------------------------------------------------------ recording

const rows = [];
const perFile = {};
let pending = []; // calls not yet consumed by an assertion
let current = null; // file being evaluated

/** JSON-safe copy of options: functions become "[function]". */
function cleanOptions(options) {
  if (options === undefined || options === null || typeof options !== "object") return undefined;
  const out = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === "matches") continue; // support/match's accumulator
    out[k] = typeof v === "function" ? "[function]" : v instanceof RegExp ? `[regexp ${v}]` : v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** file:line of the assertion: the frame of the evaluated test file that the
 *  mocha `it` body runs in (so an assertion made by a helper such as
 *  `equal(match(..), [..])` gets the line of the helper's call). */
function location() {
  let found = null;
  for (const frame of new Error().stack.split("\n")) {
    if (/\brunIt\b/.test(frame)) break;
    const m = frame.match(/\((test\/[^:]+):(\d+):\d+\)$/) ?? frame.match(/at (test\/[^:]+):(\d+):\d+$/);
    if (m && m[1] === current) found = `${m[1]}:${m[2]}`;
  }
  return found ?? `${current}:?`;
}

function callLib(fn) {
  try {
    return { result: fn() };
  } catch (e) {
    return { result: false, error: String(e.message ?? e).slice(0, 120) };
  }
}

function recordIsMatch(kind, input, pattern, options) {
  const { result, error } = callLib(() => realPm.isMatch(input, pattern, options));
  pending.push({ kind, input, pattern, options: cleanOptions(options), result: Boolean(result), libError: error });
  return Boolean(result);
}

function fakeMatch(list, pattern, options = {}) {
  const items = [...new Set([].concat(list))];
  const outputs = new Map();
  const { result: matcher } = callLib(() => realPm(pattern, options, true));
  const found = new Set();
  for (const item of items) {
    const r = matcher ? callLib(() => matcher(item, true)).result : null;
    if (r && r.output !== undefined) outputs.set(item, r.output);
    if (r && r.output && r.isMatch === true) found.add(r.output);
  }
  const result = [...found];
  pending.push({ kind: "match", items, outputs, pattern, options: cleanOptions(options), result });
  return result;
}

function fakePicomatch(pattern, options, returnState) {
  const real = callLib(() => realPm(pattern, options, returnState)).result;
  const matcher = (input, returnObject) => {
    if (returnObject) return real ? real(input, returnObject) : { isMatch: false };
    const { result, error } = callLib(() => real(input));
    pending.push({ kind: "matcher", input, pattern, options: cleanOptions(options), result: Boolean(result), libError: error });
    return Boolean(result);
  };
  if (real) matcher.state = real.state;
  return matcher;
}
for (const key of Object.keys(realPm)) if (!(key in fakePicomatch)) fakePicomatch[key] = realPm[key];
fakePicomatch.isMatch = (input, pattern, options) => recordIsMatch("isMatch", input, pattern, options);
const fakePosix = (pattern, options, returnState) => fakePicomatch(pattern, { windows: false, ...options }, returnState);
for (const key of Object.keys(realPosix)) if (!(key in fakePosix)) fakePosix[key] = realPosix[key];
fakePosix.isMatch = (input, pattern, options) => recordIsMatch("isMatch", input, pattern, { windows: false, ...options });

function stat(key) {
  perFile[current][key] = (perFile[current][key] ?? 0) + 1;
}

function emit(call, expected, at) {
  const base = { file: at, api: call.kind, pattern: call.pattern };
  if (call.options) base.options = call.options;
  if (call.kind === "match") {
    // match() lists picomatch's output for an item (`a\\b` -> `a/b` with
    // {windows: true}): an item is expected to match when its output is
    // listed; an item whose output another item also has is ambiguous when
    // that output is listed (one of them matched, the test does not say
    // which), and expected not to match when it is not (none of them did).
    const key = (item) => call.outputs.get(item) ?? item;
    for (const item of call.items) {
      const out = call.outputs.get(item);
      if (expected.includes(key(item)) && call.items.some((other) => other !== item && key(other) === key(item))) {
        stat("ambiguousItems");
        continue;
      }
      const row = { ...base, input: item, expected: expected.includes(key(item)) };
      if (out !== undefined && out !== item) row.output = out;
      rows.push(row);
      stat("rows");
    }
    return;
  }
  const row = { ...base, input: call.input, expected };
  if (call.libError) row.libraryError = call.libError;
  rows.push(row);
  stat("rows");
}

/** Consumes the pending calls for one assertion; `decide(call)` -> expected or undefined. */
function consume(decide) {
  const calls = pending;
  pending = [];
  if (calls.length === 0) return;
  if (insideThrows) {
    stat("insideThrows");
    return;
  }
  const at = location();
  if (calls.length !== 1) {
    stat("unresolved");
    return;
  }
  const expected = decide(calls[0]);
  if (expected === undefined) stat("unresolved");
  else emit(calls[0], expected, at);
}

const fakeAssert = (value) => consume((c) => (c.kind === "match" ? undefined : value === c.result));
fakeAssert.ok = fakeAssert;
fakeAssert.equal = fakeAssert.strictEqual = (actual, expected) =>
  consume((c) => (c.kind !== "match" && actual === c.result && typeof expected === "boolean" ? expected : undefined));
fakeAssert.notEqual = fakeAssert.notStrictEqual = (actual, other) =>
  consume((c) => (c.kind !== "match" && actual === c.result && typeof other === "boolean" ? !other : undefined));
fakeAssert.deepEqual = fakeAssert.deepStrictEqual = (actual, expected) =>
  consume((c) => (c.kind === "match" && sameItems(actual, c.result) && Array.isArray(expected) ? expected : undefined));
/** The recorded result, or a sorted copy of it (`equal` helpers sort both sides). */
const sameItems = (actual, result) =>
  actual === result ||
  (Array.isArray(actual) && actual.length === result.length && [...actual].sort().join("\0") === [...result].sort().join("\0"));
// Inside `assert.throws(() => ...)` an assertion states that picomatch
// THROWS (malicious.js: too long), not what it answers: no rows from there.
let insideThrows = 0;
fakeAssert.throws = (fn) => {
  pending = [];
  insideThrows++;
  try {
    fn();
  } catch {}
  insideThrows--;
  pending = [];
};
fakeAssert.doesNotThrow = fakeAssert.throws;
fakeAssert.match = fakeAssert.notDeepStrictEqual = fakeAssert.notDeepEqual = () => void (pending = []);

// A minimal fill-range (not installed): used only inside `expandRange` option
// functions, whose rows are outside our dialect anyway.
function fakeFill(a, b) {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isInteger(x) && Number.isInteger(y)) {
    const out = [];
    for (let i = Math.min(x, y); i <= Math.max(x, y); i++) out.push(i);
    return out.join("|");
  }
  return `[${a}-${b}]`;
}

function fakeRequire(spec) {
  if (spec === "assert") return fakeAssert;
  if (spec === ".." || spec === "../.." || spec === "../index") return fakePicomatch;
  if (spec === "../posix") return fakePosix;
  if (spec === "./support/match") return fakeMatch;
  if (spec === "fill-range") return fakeFill;
  if (spec.startsWith("../lib/")) return require(`picomatch/lib/${spec.slice(7)}`);
  return require(spec);
}

// ------------------------------------------------------------------ mocha

let failures = 0;
function runIt(name, fn) {
  pending = [];
  const ctx = { timeout() {}, slow() {}, skip() {} };
  try {
    if (fn) fn.call(ctx, () => {});
  } catch (e) {
    failures++;
    stat("itErrors");
    if (process.env.VERBOSE) console.error(current, name, e);
  }
  if (pending.length) stat("unconsumedCalls");
  pending = [];
}
const describe = (name, fn) => fn && fn.call({ timeout() {} });
const it = runIt;
// Upstream-disabled tests are not vendored (none at 4.0.5).
describe.skip = it.skip = () => stat("skippedTests");
describe.only = describe;
it.only = runIt;
const hook = (fn) => fn && fn.call({ timeout() {} }, () => {});

for (const file of files) {
  current = file;
  perFile[file] = { rows: 0 };
  const source = git("show", `${commit}:${file}`);
  const fn = vm.compileFunction(
    source,
    ["require", "module", "exports", "__filename", "__dirname", "describe", "it", "before", "after", "beforeEach", "afterEach"],
    { filename: file },
  );
  const module = { exports: {} };
  try {
    fn(fakeRequire, module, module.exports, file, "test", describe, it, hook, hook, hook, hook);
  } catch (e) {
    perFile[file].loadError = String(e.message ?? e);
  }
}

const out = {
  upstream: "https://github.com/micromatch/picomatch",
  commit,
  version: upstreamVersion,
  license: "MIT, Copyright (c) 2017-present, Jon Schlinkert (see README.md)",
  evaluatedWith: `picomatch ${installed} (node_modules) as the library the stubs call`,
  generatedBy: "tests/foreign/extract-picomatch.mjs",
  perFile,
  rows,
};
const target = join(here, "picomatch", "cases.json");
writeFileSync(target, JSON.stringify(out, null, 0).replace(/\},\{"file"/g, '},\n{"file"') + "\n");
console.log(`${rows.length} rows from ${files.length} files at ${commit} (${upstreamVersion}) -> ${target}`);
for (const [f, s] of Object.entries(perFile)) console.log(`  ${f}: ${JSON.stringify(s)}`);
