#!/usr/bin/env node
// Extracts globset's own hand-written glob cases into data
// (tests/foreign/globset/cases.json), read by tests/foreign_globset.rs.
//
// Run by hand, not in CI:
//   node tests/foreign/extract-globset.mjs [path/to/globset-0.4.21]
// Default source: the crate cargo already unpacked for the dev-dependency
// (~/.cargo/registry/src/*/globset-0.4.21), the version Cargo.toml pins.
//
// Rows: every `matches!` / `nmatches!` invocation (name, pattern, path,
// options, expected) and every `syntaxerr!` invocation (name, pattern,
// error kind) of src/glob.rs's test module, each with its source line and
// the `#[cfg(...)]` attribute in front of it, if any. Options are resolved
// from the `const NAME: Options = Options { ... }` definitions of the same
// file: `null` is "not set" (the builder's default).
//
// Set rows: every `is_match` / `matches` / `matches_all` call of
// src/lib.rs's test module, RECORDED rather than parsed (the sets are
// built in loops and builder chains): the module is compiled, with its
// line numbers kept, against a thin wrapper of the real globset 0.4.21
// that logs each call's globs (pattern and options as set), path, and the
// answer the test then asserts (cargo, offline). A row is kept only when
// the test that made it passes; `escape` and `debug` test no matching.

import { readFileSync, readdirSync, writeFileSync, existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '0.4.21';
const here = dirname(fileURLToPath(import.meta.url));

function defaultSource() {
  const reg = join(homedir(), '.cargo', 'registry', 'src');
  for (const d of existsSync(reg) ? readdirSync(reg) : []) {
    const p = join(reg, d, `globset-${VERSION}`);
    if (existsSync(join(p, 'src', 'glob.rs'))) return p;
  }
  throw new Error(`globset-${VERSION} not found under ${reg}; pass its directory`);
}

const root = process.argv[2] ?? defaultSource();
const file = 'src/glob.rs';
const text = readFileSync(join(root, file), 'utf8');
const vcs = JSON.parse(readFileSync(join(root, '.cargo_vcs_info.json'), 'utf8'));
const manifest = readFileSync(join(root, 'Cargo.toml.orig'), 'utf8');
if (!manifest.includes(`version = "${VERSION}"`)) throw new Error(`${root} is not globset ${VERSION}`);

const lineOf = (offset) => text.slice(0, offset).split('\n').length;

// A Rust string literal at `i`: "..." with escapes, or r"..." / r#"..."#.
function stringAt(i) {
  if (text[i] === 'r') {
    let j = i + 1;
    let hashes = 0;
    while (text[j] === '#') { hashes++; j++; }
    if (text[j] !== '"') return null;
    const close = '"' + '#'.repeat(hashes);
    const end = text.indexOf(close, j + 1);
    return { value: text.slice(j + 1, end), end: end + close.length };
  }
  if (text[i] !== '"') return null;
  let out = '';
  let j = i + 1;
  for (;;) {
    const c = text[j];
    if (c === '"') return { value: out, end: j + 1 };
    if (c !== '\\') { out += c; j++; continue; }
    const e = text[j + 1];
    const simple = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };
    if (e in simple) { out += simple[e]; j += 2; continue; }
    if (e === 'u') {
      const close = text.indexOf('}', j);
      out += String.fromCodePoint(parseInt(text.slice(j + 3, close), 16));
      j = close + 1;
      continue;
    }
    if (e === 'x') { out += String.fromCharCode(parseInt(text.slice(j + 2, j + 4), 16)); j += 4; continue; }
    throw new Error(`unknown escape \\${e} at line ${lineOf(j)}`);
  }
}

// The arguments of a macro call whose `(` is at `open`: top-level comma
// separated, strings decoded, everything else kept as trimmed source text.
function args(open) {
  const out = [];
  let cur = '';
  let depth = 0;
  let i = open + 1;
  const push = () => { if (typeof cur === 'string' ? cur.trim() !== '' : true) out.push(typeof cur === 'string' ? cur.trim() : cur); cur = ''; };
  for (;;) {
    const c = text[i];
    if ((c === '"' || (c === 'r' && /["#]/.test(text[i + 1]) && !/\w/.test(text[i - 1]))) && depth === 0) {
      const s = stringAt(i);
      if (s) { cur = { str: s.value }; i = s.end; continue; }
    }
    if (c === "'" && text[i + 2] === "'") { cur += text.slice(i, i + 3); i += 3; continue; } // a char literal: ']' is no bracket
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) { push(); return { args: out, end: i + 1 }; }
      depth--;
    }
    if (c === ',' && depth === 0) { push(); i++; continue; }
    if (typeof cur === 'string') cur += c;
    i++;
  }
}

const testsAt = text.indexOf('mod tests {');
if (testsAt < 0) throw new Error('no test module');

// `const NAME: Options = Options { casei: Some(true), litsep: None, ... };`
const options = { '': {} };
for (const m of text.slice(testsAt).matchAll(/const (\w+): Options = Options \{([^}]*)\}/g)) {
  const o = {};
  for (const f of m[2].matchAll(/(\w+):\s*(None|Some\((true|false)\))/g)) {
    o[f[1]] = f[2] === 'None' ? null : f[3] === 'true';
  }
  options[m[1]] = o;
}

const FIELDS = ['casei', 'litsep', 'bsesc', 'ealtre'];
const rows = [];
const re = /^[ \t]*(matches|nmatches|syntaxerr)!\(/gm;
re.lastIndex = testsAt;
for (let m; (m = re.exec(text));) {
  const open = m.index + m[0].length - 1;
  const { args: a, end } = args(open);
  re.lastIndex = end;
  if (typeof a[0] !== 'string' || a[0].startsWith('$')) continue; // the macros' own bodies
  const line = lineOf(m.index + m[0].indexOf(m[1]));
  const before = text.slice(0, m.index).trimEnd().split('\n').pop().trim();
  const cfg = before.startsWith('#[cfg(') ? before.slice(6, -2) : null;
  const row = { name: a[0], kind: m[1], source: `${file}:${line}`, cfg };
  for (const [k, v] of [['pattern', a[1]], ['path', a[2]]]) {
    if (m[1] === 'syntaxerr' && k === 'path') continue;
    if (!v || typeof v.str !== 'string') throw new Error(`${row.source}: ${k} is not a string literal`);
    row[k] = v.str;
  }
  if (m[1] === 'syntaxerr') {
    const kind = String(a[2]);
    if (!kind.startsWith('ErrorKind::')) throw new Error(`${row.source}: error ${kind}`);
    row.error = kind.slice('ErrorKind::'.length).replace(/\(.*$/, '');
    row.error_source = kind;
  } else {
    const name = a[3] === undefined ? '' : String(a[3]).replace(/^&/, '');
    if (!(name in options)) throw new Error(`${row.source}: unknown options ${name}`);
    row.options_name = name || null;
    row.options = Object.fromEntries(FIELDS.map((f) => [f, options[name][f] ?? null]));
    row.expected = m[1] === 'matches';
  }
  rows.push(row);
}

/** Each invocation of `macro!(...)` in the test module (not the macros'
 *  own bodies): its decoded arguments and its source line. */
function* invocations(macro) {
  const re = new RegExp(`^[ \\t]*${macro}!\\(`, 'gm');
  re.lastIndex = testsAt;
  for (let m; (m = re.exec(text));) {
    const { args: a, end } = args(m.index + m[0].length - 1);
    re.lastIndex = end;
    if (typeof a[0] !== 'string' || a[0].startsWith('$')) continue;
    yield { a, source: `${file}:${lineOf(m.index + m[0].indexOf(macro))}` };
  }
}

// Class rows: every `syntax!` row whose tokens are one class (`class`,
// `classn`, `rclass`, `rclassn` of the test module: negated or not, and its
// ranges as (start, end) chars). What the class holds is upstream's answer
// for every one-character path: `]` first, `-` at either end, `[!!]`.
// (The other `syntax!` rows state token kinds, not matches.)
const classes = [];
for (const { a, source } of invocations('syntax')) {
  const tokens = String(a[2]).replace(/\s+/g, ' ');
  const one = /^vec!\[ ?(r?)class(n?)\((.*)\),? ?\]$/.exec(tokens);
  if (!one) continue;
  const pairs = [...one[3].matchAll(/\(?'(.)', '(.)'\)?/g)].map((p) => [p[1], p[2]]);
  if (!pairs.length || (!one[1] && pairs.length !== 1)) throw new Error(`${source}: tokens ${tokens}`);
  if (typeof a[1]?.str !== 'string') throw new Error(`${source}: pattern is not a string literal`);
  classes.push({ name: a[0], source, pattern: a[1].str, negated: one[2] === 'n', ranges: pairs, tokens });
}

// Regex rows: every `toregex!` row (name, pattern, the regex upstream
// asserts after its `(?-u)`, options with `unccls` too). Rows asserting one
// regex for several globs state that those globs match alike.
const regexes = [];
for (const { a, source } of invocations('toregex')) {
  if (typeof a[1]?.str !== 'string' || typeof a[2]?.str !== 'string') throw new Error(`${source}: not string literals`);
  const name = a[3] === undefined ? '' : String(a[3]).replace(/^&/, '');
  if (!(name in options)) throw new Error(`${source}: unknown options ${name}`);
  const opts = Object.fromEntries([...FIELDS, 'unccls'].map((f) => [f, options[name][f] ?? null]));
  regexes.push({ name: a[0], source, pattern: a[1].str, regex: a[2].str, options_name: name || null, options: opts });
}

const sets = recordSets();

const count = (k) => rows.filter((r) => r.kind === k).length;
const out = {
  upstream: {
    crate: `globset ${VERSION}`,
    repository: 'https://github.com/BurntSushi/ripgrep',
    commit: vcs.git.sha1,
    path: vcs.path_in_vcs,
    sha256: Object.fromEntries(['src/glob.rs', 'src/lib.rs'].map((f) => [f, createHash('sha256').update(readFileSync(join(root, f))).digest('hex')])),
    license: 'Unlicense OR MIT (see README.md in this folder)',
  },
  defaults: {
    note: "GlobBuilder defaults when an option is null (globset 0.4.21 GlobOptions::default, on unix)",
    casei: false,
    litsep: false,
    bsesc: true,
    ealtre: false,
  },
  counts: { matches: count('matches'), nmatches: count('nmatches'), syntaxerr: count('syntaxerr'), classes: classes.length, regexes: regexes.length, sets: sets.length },
  rows,
  classes,
  regexes,
  sets,
};
const dest = join(here, 'globset', 'cases.json');
// One row a line: diffs of a regenerated file show the rows that changed.
const lines = (xs) => xs.map((r) => '  ' + JSON.stringify(r)).join(',\n');
const { rows: _r, classes: _c, regexes: _x, sets: _s, ...head } = out;
const body = `,\n "rows": [\n${lines(rows)}\n ],\n "classes": [\n${lines(classes)}\n ],\n "regexes": [\n${lines(regexes)}\n ],\n "sets": [\n${lines(sets)}\n ]\n}\n`;
const json = JSON.stringify(head, null, 1).replace(/\n}$/, () => body);
JSON.parse(json);
writeFileSync(dest, json);
console.log(`${dest}: ${rows.length} rows, ${classes.length} classes, ${regexes.length} regexes`, out.counts);

// The wrapper the lib.rs tests compile against: globset's names, each call
// logged as one JSON line to $GLOBSET_LOG (test name, caller line).
function shim() {
  return String.raw`#![allow(dead_code)]
use std::borrow::Borrow;
use std::io::Write;
use std::path::Path;

#[derive(Clone, Copy, Debug, Default)]
pub struct Opts { casei: Option<bool>, litsep: Option<bool>, bsesc: Option<bool>, ealtre: Option<bool> }

#[derive(Clone, Debug)]
pub struct Glob { pattern: String, opts: Opts, real: ::globset::Glob }
impl Glob {
    pub fn new(p: &str) -> Result<Glob, ::globset::Error> { GlobBuilder::new(p).build() }
}

pub struct GlobBuilder<'a> { pattern: &'a str, opts: Opts, real: ::globset::GlobBuilder<'a> }
impl<'a> GlobBuilder<'a> {
    pub fn new(p: &'a str) -> Self { GlobBuilder { pattern: p, opts: Opts::default(), real: ::globset::GlobBuilder::new(p) } }
    pub fn case_insensitive(&mut self, y: bool) -> &mut Self { self.opts.casei = Some(y); self.real.case_insensitive(y); self }
    pub fn literal_separator(&mut self, y: bool) -> &mut Self { self.opts.litsep = Some(y); self.real.literal_separator(y); self }
    pub fn backslash_escape(&mut self, y: bool) -> &mut Self { self.opts.bsesc = Some(y); self.real.backslash_escape(y); self }
    pub fn empty_alternates(&mut self, y: bool) -> &mut Self { self.opts.ealtre = Some(y); self.real.empty_alternates(y); self }
    pub fn build(&self) -> Result<Glob, ::globset::Error> {
        Ok(Glob { pattern: self.pattern.to_string(), opts: self.opts, real: self.real.build()? })
    }
}

#[derive(Debug, Default)]
pub struct GlobSetBuilder { globs: Vec<Glob> }
impl GlobSetBuilder {
    pub fn new() -> Self { Self::default() }
    pub fn add(&mut self, g: Glob) -> &mut Self { self.globs.push(g); self }
    pub fn build(&self) -> Result<GlobSet, ::globset::Error> { GlobSet::new(self.globs.iter()) }
}

#[derive(Default)]
pub struct GlobSet { globs: Vec<Glob>, real: ::globset::GlobSet }
impl GlobSet {
    pub fn new<I: IntoIterator<Item = G>, G: Borrow<Glob>>(it: I) -> Result<GlobSet, ::globset::Error> {
        let globs: Vec<Glob> = it.into_iter().map(|g| g.borrow().clone()).collect();
        let real = ::globset::GlobSet::new(globs.iter().map(|g| &g.real))?;
        Ok(GlobSet { globs, real })
    }
    #[track_caller]
    pub fn is_match<P: AsRef<Path>>(&self, p: P) -> bool {
        let r = self.real.is_match(p.as_ref());
        self.log("is_match", p.as_ref(), &r.to_string());
        r
    }
    #[track_caller]
    pub fn matches_all<P: AsRef<Path>>(&self, p: P) -> bool {
        let r = self.real.matches_all(p.as_ref());
        self.log("matches_all", p.as_ref(), &r.to_string());
        r
    }
    #[track_caller]
    pub fn matches<P: AsRef<Path>>(&self, p: P) -> Vec<usize> {
        let r = self.real.matches(p.as_ref());
        self.log("matches", p.as_ref(), &format!("{r:?}"));
        r
    }
    #[track_caller]
    fn log(&self, api: &str, path: &Path, answer: &str) {
        let o = |v: Option<bool>| v.map_or("null".to_string(), |b| b.to_string());
        let globs: Vec<String> = self.globs.iter().map(|g| format!(
            "{{\"pattern\":{},\"options\":{{\"casei\":{},\"litsep\":{},\"bsesc\":{},\"ealtre\":{}}}}}",
            json(&g.pattern), o(g.opts.casei), o(g.opts.litsep), o(g.opts.bsesc), o(g.opts.ealtre))).collect();
        let line = format!(
            "{{\"test\":{},\"line\":{},\"api\":\"{api}\",\"globs\":[{}],\"path\":{},\"expected\":{answer}}}\n",
            json(std::thread::current().name().unwrap_or("?")), std::panic::Location::caller().line(),
            globs.join(","), json(path.to_str().expect("UTF-8 paths")));
        let log = std::env::var("GLOBSET_LOG").expect("GLOBSET_LOG");
        let mut f = std::fs::OpenOptions::new().append(true).create(true).open(log).unwrap();
        f.write_all(line.as_bytes()).unwrap();
    }
}

pub fn escape(s: &str) -> String { ::globset::escape(s) }

fn json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
`;
}

function recordSets() {
  const lib = readFileSync(join(root, 'src/lib.rs'), 'utf8');
  const at = lib.indexOf('#[cfg(test)]\nmod tests {');
  if (at < 0) throw new Error('no test module in src/lib.rs');
  // Everything before the test module blanked, line for line, so that the
  // caller lines the wrapper logs are src/lib.rs's own.
  const before = lib.slice(0, at).split('\n').length - 1;
  const head = ['mod shim; pub use shim::{escape, GlobSet, GlobSetBuilder}; pub mod glob { pub use crate::shim::{Glob, GlobBuilder}; }'];
  const body = head.concat(Array(before - 1).fill('')).join('\n') + '\n' + lib.slice(at);
  const dir = mkdtempSync(join(tmpdir(), 'globset-sets-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "globset-sets"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nglobset = { version = "=${VERSION}", default-features = false }\n\n[workspace]\n`);
  writeFileSync(join(dir, 'src', 'lib.rs'), body);
  writeFileSync(join(dir, 'src', 'shim.rs'), shim());
  const log = join(dir, 'calls.jsonl');
  let report;
  try {
    report = execFileSync('cargo', ['test', '--offline', '--lib', '--', '--test-threads=1', '--skip', 'tests::escape', '--skip', 'tests::debug'],
      { cwd: dir, env: { ...process.env, GLOBSET_LOG: log }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    throw new Error(`the lib.rs tests failed against the recorder:\n${e.stdout}`);
  }
  const passed = new Set([...report.matchAll(/^test (\S+) \.\.\. ok$/gm)].map((m) => m[1]));
  const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  rmSync(dir, { recursive: true });
  return calls
    .filter((c) => passed.has(c.test))
    .map((c) => ({ name: c.test.replace(/^tests::/, ''), source: `src/lib.rs:${c.line}`, api: c.api, globs: c.globs, path: c.path, expected: c.expected }));
}
