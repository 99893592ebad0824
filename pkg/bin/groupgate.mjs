#!/usr/bin/env node
// The groupgate command line (Node only): validate requests, check and lint
// file rules, print effective models. Exit codes: 0 accepted / allowed /
// clean, 1 refused / denied / findings, 2 bad input (a file that cannot be
// read, text that is not JSON, an unknown dialect or option).
import { readFileSync } from "node:fs";
import { FilePolicy, GroupgateError, Workspace, validate, version } from "../node.mjs";
import { readJson, JsonSyntaxError } from "./json-locations.mjs";
import { HELP, parseArgs, UsageError } from "./args.mjs";
import { oneLine, report } from "./report.mjs";

/** Bad input: exit 2 with this message (and a location when it has one). */
class InputError extends Error {
  constructor(message, location) {
    super(message);
    this.location = location;
  }
}

// A leading byte order mark (editors on Windows write one) is not part of
// the text: RFC 8259 §8.1 lets a parser ignore it, and JSON.parse would not.
const withoutBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

// Stdin can be read once: a second `-` (a request and `--files -`) read
// nothing, so the file list was silently empty.
let stdinTaken = false;
function read(file) {
  if (file !== "-") return utf8(readFileSync(file), file);
  if (stdinTaken) throw new UsageError("only one input can be - (stdin); give the others as files");
  stdinTaken = true;
  return utf8(readFileSync(0), file);
}

// Read with replacement, a byte that is not UTF-8 became U+FFFD and the
// engine checked a text the file does not hold, which the servers refuse
// (Frontier's protojson: "invalid UTF-8 in string", protobuf-go
// internal/encoding/json/decode_string.go:29-30). Refused at its place.
function utf8(bytes, file) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = badSequence(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
    const column = new TextDecoder().decode(bytes.subarray(lineStart, at)).length + 1;
    throw new InputError(`${file}:${line}:${column}: not UTF-8 (byte ${at}); the server would refuse it`, { file, line, column });
  }
}

// Where the first ill-formed sequence starts (Unicode 15, Table 3-7).
function badSequence(b) {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (!(d >= (k === 1 ? lo : 0x80) && d <= (k === 1 ? hi : 0xbf))) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/** Reads a JSON file (`-` is stdin) as `{ file, value, at(pointer) }`. */
function load(file) {
  let text;
  try {
    text = withoutBom(read(file));
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) throw e;
    throw new InputError(`cannot read ${file}: ${e.code ?? e.message}`);
  }
  try {
    return { file, ...readJson(text) };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const { line, column } = e;
    throw new InputError(`${file}:${line}:${column}: ${e.json ? "" : "not JSON: "}${e.message}`, { file, line, column });
  }
}

/** Paths, one per line, from a file or stdin (`-`). */
function lines(file) {
  try {
    return withoutBom(read(file)).split(/\r?\n/).filter((l) => l !== "");
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) throw e;
    throw new InputError(`cannot read ${file}: ${e.code ?? e.message}`);
  }
}

// A positional argument past the command's last one was ignored: `lint
// rules.json files.txt` (without --files) linted no files and exited 0.
function positionals(args, usage, max) {
  const extra = args.positionals[max];
  if (extra !== undefined) throw new UsageError(`${usage}; unexpected argument ${JSON.stringify(extra)}`);
  return args.positionals;
}

// A request file: the envelope {op, params, body}, or (with --op) a bare body.
function requestOf(args) {
  const src = load(args.positionals[1]);
  if (args.op === undefined) {
    if (Object.keys(args.params).length > 0) throw new UsageError("--param needs --op (the file is then the bare body)");
    return { request: src.value, sources: [{ prefix: "", src }] };
  }
  return { request: { op: args.op, params: args.params, body: src.value }, sources: [{ prefix: "/body", src }] };
}

function validateCommand(args) {
  const [dialect, file] = positionals(args, "validate needs <dialect> <request.json>", 2);
  if (dialect === undefined || file === undefined) throw new UsageError("validate needs <dialect> <request.json>");
  const { request, sources } = requestOf(args);
  const context = {};
  for (const [key, option] of [["state", "state"], ["caller", "caller"], ["catalog", "catalog"]]) {
    if (args[option] === undefined) continue;
    const src = load(args[option]);
    context[key] = src.value;
    sources.push({ prefix: `/context/${key}`, src });
  }
  if (args.files !== undefined) context.files = lines(args.files);
  const verdict = validate(dialect, request, context);
  const incomplete = args.strict && !verdict.complete;
  report.verdict(args.format, verdict, sources, { incomplete });
  return verdict.ok && !incomplete ? 0 : 1;
}

// A policy file: an array of groups, or { groups, options }.
function policyOf(file) {
  const src = load(file);
  const v = src.value;
  const isObject = v !== null && typeof v === "object" && !Array.isArray(v);
  // Members the file form does not have were skipped: a misspelled
  // `"option": {"caseInsensitive": true}` compiled case-sensitive, and a
  // deny written in another case than the path did not apply.
  const other = isObject ? Object.keys(v).find((k) => k !== "groups" && k !== "options") : undefined;
  if (other !== undefined) {
    const { line, column } = src.at(`/${other.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    throw new InputError(`${file}:${line}:${column}: unknown member ${JSON.stringify(other)} of a policy file; it holds "groups" and "options"`, { file, line, column });
  }
  // new FilePolicy takes JSON text too, but the --groups guards below read
  // the ids from the file's array: groups written as a JSON string hid them
  // (a group "a,b" or "Restricted" let `--groups authors,a,b` answer).
  if (typeof (isObject ? v.groups : v) === "string") {
    throw new InputError(`${file}: the groups are a JSON string; write the array of groups itself`);
  }
  return {
    groups: isObject ? v.groups : v,
    options: isObject ? v.options : undefined,
    sources: [{ prefix: "", src: isObject ? { ...src, at: (p) => src.at(`/groups${p}`) } : src }],
  };
}

function decisionCommand(args, name) {
  const [policyFile, path, action = "visible"] = positionals(args, `${name} needs <policy.json> <path> [action]`, 3);
  if (policyFile === undefined || path === undefined) throw new UsageError(`${name} needs <policy.json> <path> [action]`);
  if (args.groups === undefined) throw new UsageError(`${name} needs --groups a,b`);
  const { groups, options, sources } = policyOf(policyFile);
  let policy;
  try {
    policy = new FilePolicy(groups, options);
  } catch (e) {
    if (!(e instanceof GroupgateError)) throw e;
    report.issues(args.format, e.issues, sources);
    return 2;
  }
  // A misspelled member (`FilePermissions`, a rule's `Actions`) is read by
  // no reader: its group's or rule's deny did not apply, and the answer was
  // "allowed", exit 0. Lint names it; here it is bad input.
  const missed = FilePolicy.lint(groups, options).filter((i) => i.code === "lint.misspelled_member");
  if (missed.length > 0) {
    report.issues(args.format, missed, sources);
    process.stderr.write(`groupgate ${name}: the policy has members no reader reads (lint.misspelled_member); fix them first\n`);
    return 2;
  }
  const ids = args.groups.split(",").filter((g) => g !== "");
  // A group id holding a comma cannot be named in the list: `--groups a,b`
  // would read as the groups a and b, whose rules may allow what a,b's deny.
  const listed = `,${args.groups},`;
  const odd = (Array.isArray(groups) ? groups : []).find((g) => typeof g?.id === "string" && g.id.includes(",") && listed.includes(`,${g.id},`));
  if (odd) throw new UsageError(`--groups ${JSON.stringify(args.groups)} is ambiguous: the policy has the group id ${JSON.stringify(odd.id)}, which holds a comma (check it through the API)`);
  // An id the policy lacks but has up to white space, case or Unicode
  // normalization (`a, b`, `Reviewers`, `cafe\u0301` for `café`), or up to
  // characters a terminal does not show (`reviewers\u200b`, a soft hyphen)
  // or compatibility forms (fullwidth letters), contributed nothing, so
  // that group's denies did not apply: allowed, exit 0. Group ids are
  // exact; such a list is bad input.
  const fold = (id) => id.normalize("NFKC").replace(/\p{Default_Ignorable_Code_Point}/gu, "").trim().toLowerCase().normalize("NFKC");
  const exact = new Set();
  const folded = new Map();
  for (const g of Array.isArray(groups) ? groups : []) {
    if (typeof g?.id === "string") exact.add(g.id), folded.set(fold(g.id), g.id);
  }
  const near = ids.find((id) => !exact.has(id) && folded.has(fold(id)));
  if (near !== undefined) {
    throw new UsageError(`--groups names ${JSON.stringify(near)}, which the policy does not have; it has ${JSON.stringify(folded.get(fold(near)))} (group ids are exact)`);
  }
  const explanation = policy.explain(ids, path, action);
  report.decision(args.format, explanation, name === "explain");
  return explanation.allowed ? 0 : 1;
}

/** Files per lint call: progress is reported between chunks. */
const CHUNK = 20_000;

function lintCommand(args) {
  const [policyFile] = positionals(args, "lint needs <policy.json> (project files go to --files)", 1);
  if (policyFile === undefined) throw new UsageError("lint needs <policy.json>");
  const { groups, options, sources } = policyOf(policyFile);
  const files = args.files === undefined ? undefined : lines(args.files);
  let issues;
  if (files === undefined || files.length <= CHUNK) {
    issues = FilePolicy.lint(groups, options, files);
  } else {
    issues = lintInChunks(groups, options, files);
  }
  report.issues(args.format, issues, sources);
  return issues.some((i) => i.severity !== "warning") ? 1 : 0;
}

// A rule matches nothing when it matches nothing in every chunk; every
// other finding does not depend on the files.
function lintInChunks(groups, options, files) {
  let policy;
  try {
    policy = new FilePolicy(groups, options);
  } catch (e) {
    // A policy that does not compile: its errors as findings, as one lint
    // call with the files answers them (no file can change them).
    if (e instanceof GroupgateError) return FilePolicy.lint(groups, options);
    throw e;
  }
  const key = (i) => `${i.path}\0${i.code}`;
  let nothing = null;
  // Past 100 issues a chunk lists a summary with the count of the rest:
  // counts of different chunks do not intersect (150 rules, one matching
  // in the second chunk, were "50 more" for 49), so then one call answers.
  let capped = false;
  const chunks = Math.ceil(files.length / CHUNK);
  for (let c = 0; c < chunks; c++) {
    const found = policy.lint(files.slice(c * CHUNK, (c + 1) * CHUNK)).filter((i) => i.code === "lint.matches_nothing");
    capped ||= found.some((i) => i.omitted !== undefined);
    const keys = new Set(found.map(key));
    nothing = nothing === null ? found : nothing.filter((i) => keys.has(key(i)));
    process.stderr.write(`groupgate lint: ${Math.min((c + 1) * CHUNK, files.length)} of ${files.length} files\n`);
  }
  if (capped) nothing = policy.lint(files).filter((i) => i.code === "lint.matches_nothing");
  const issues = [...policy.lint(), ...nothing];
  policy.free();
  return issues;
}

function effectiveCommand(args) {
  const [stateFile, groupId] = positionals(args, "effective needs <state.json> <groupId>", 2);
  if (stateFile === undefined || groupId === undefined) throw new UsageError("effective needs <state.json> <groupId>");
  const src = load(stateFile);
  let ws;
  try {
    ws = Workspace.from(src.value);
  } catch (e) {
    if (!(e instanceof GroupgateError)) throw e;
    report.issues(args.format, e.issues, [{ prefix: "", src }]);
    return 2;
  }
  report.models(args.format, ws.effectiveModels(groupId));
  return 0;
}

const COMMANDS = { validate: validateCommand, check: (a) => decisionCommand(a, "check"), explain: (a) => decisionCommand(a, "explain"),
  lint: lintCommand, effective: effectiveCommand };

function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`groupgate: ${e.message}\n\n${HELP.main}`);
    return 2;
  }
  if (args.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (args.command === undefined || args.help) {
    process.stdout.write(HELP[args.command] ?? HELP.main);
    return args.command === undefined && !args.help ? 2 : 0;
  }
  try {
    return COMMANDS[args.command](args);
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError || e instanceof GroupgateError) {
      if (e.location && args.format === "github") report.githubError(e.location, e.message);
      process.stderr.write(`groupgate ${args.command}: ${oneLine(e.message)}\n`);
      if (e instanceof UsageError) process.stderr.write(`\n${HELP[args.command]}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
