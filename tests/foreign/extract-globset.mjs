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

import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
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

const count = (k) => rows.filter((r) => r.kind === k).length;
const out = {
  upstream: {
    crate: `globset ${VERSION}`,
    repository: 'https://github.com/BurntSushi/ripgrep',
    commit: vcs.git.sha1,
    path: `${vcs.path_in_vcs}/${file}`,
    sha256: createHash('sha256').update(text).digest('hex'),
    license: 'Unlicense OR MIT (see README.md in this folder)',
  },
  defaults: {
    note: "GlobBuilder defaults when an option is null (globset 0.4.21 GlobOptions::default, on unix)",
    casei: false,
    litsep: false,
    bsesc: true,
    ealtre: false,
  },
  counts: { matches: count('matches'), nmatches: count('nmatches'), syntaxerr: count('syntaxerr') },
  rows,
};
const dest = join(here, 'globset', 'cases.json');
writeFileSync(dest, JSON.stringify(out, null, 1) + '\n');
console.log(`${dest}: ${rows.length} rows`, out.counts);
