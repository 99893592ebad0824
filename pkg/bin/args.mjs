// Command-line arguments and help texts of the groupgate CLI.
import { parseArgs as nodeParseArgs } from "node:util";

/** A wrong command line: exit 2 with the command's help. */
export class UsageError extends Error {}

const FORMATS = ["text", "json", "github"];

/** The options each command reads, beside COMMON. */
const APPLIES = {
  validate: ["state", "caller", "catalog", "files", "op", "param", "strict"],
  check: ["groups"],
  explain: ["groups"],
  lint: ["files"],
  effective: [],
};
const COMMON = ["format", "help", "version"];

const OPTIONS = {
  state: { type: "string" },
  caller: { type: "string" },
  catalog: { type: "string" },
  files: { type: "string" },
  op: { type: "string" },
  param: { type: "string", multiple: true },
  groups: { type: "string" },
  format: { type: "string" },
  strict: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/** `{ command, positionals, params, format, …options }`; throws UsageError. */
export function parseArgs(argv) {
  let parsed;
  try {
    parsed = nodeParseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const { values, positionals, tokens } = parsed;
  // node's parseArgs keeps the last of a repeated single-valued option:
  // `--groups restricted --groups authors` checked for authors alone, and
  // restricted's denies did not apply (an "allowed", exit 0, for a member
  // both lists name). Bad input instead, as a stray positional is.
  const seen = new Set();
  for (const t of tokens) {
    if (t.kind !== "option" || OPTIONS[t.name].multiple || OPTIONS[t.name].type === "boolean") continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice; give it once`);
    seen.add(t.name);
  }
  const [command, ...rest] = positionals;
  if (command !== undefined && command !== "help" && !Object.hasOwn(HELP, command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  // An option the command does not read was ignored: `check --files list.txt`
  // or `lint --groups authors` answered as without it, and `effective --state
  // s.json` ran on the positional file alone. Bad input, as a stray
  // positional is.
  const takes = APPLIES[command];
  const stray = takes && tokens.find((t) => t.kind === "option" && !COMMON.includes(t.name) && !takes.includes(t.name));
  if (stray) throw new UsageError(`--${stray.name} does not apply to ${command}; see groupgate ${command} --help`);
  // A bare body's op is the CLI's own input, like --format: `--op upsert`
  // was sent as the request's op and reported as the server's 400 (exit 1).
  if (values.op !== undefined && !["create", "update", "delete"].includes(values.op)) {
    throw new UsageError(`--op is create, update or delete, got ${JSON.stringify(values.op)}`);
  }
  const format = values.format ?? "text";
  if (!FORMATS.includes(format)) throw new UsageError(`--format is text, json or github, got ${JSON.stringify(format)}`);
  const params = {};
  for (const p of values.param ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param takes key=value, got ${JSON.stringify(p)}`);
    if (Object.hasOwn(params, p.slice(0, eq))) throw new UsageError(`--param ${p.slice(0, eq)} is given twice; give it once`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  if (command === "help") return { ...values, command: rest[0], help: true, positionals: [], params, format };
  return { ...values, command, positionals: rest, params, format };
}

export const HELP = {
  main: `groupgate: permission checks and group-update validation for five group APIs.

Usage:
  groupgate validate <dialect> <request.json> [options]   would the server accept this request?
  groupgate check <policy.json> --groups a,b <path> [action]   may a member do this to a file?
  groupgate explain <policy.json> --groups a,b <path> [action] why (group, rule, pattern)
  groupgate lint <policy.json> [--files <list or ->]       rules that do not do what they seem to
  groupgate effective <state.json> <groupId>               a Baseten group's effective models

  groupgate <command> --help    the command's options
  groupgate --version

Exit codes: 0 accepted/allowed/clean, 1 refused/denied/findings, 2 bad input.
Output: --format text (default), json, or github (workflow annotations).
`,
  validate: `groupgate validate <dialect> <request.json> [options]

Validates a request as the product's server would: prints the verdict, every
error and warning with file:line:column into the JSON files.

  <dialect>          baseten, frontier, apinizer, conductor or gorules
  <request.json>     the request envelope {"op", "params", "body"} (- reads stdin)
  --op <op>          the file is a bare body; create, update or delete
  --param k=v        a path parameter (with --op; repeatable)
  --state <file>     what the server knows (context.state)
  --caller <file>    who asks (context.caller)
  --catalog <file>   extra roles and permissions (context.catalog)
  --files <list|->   gorules: project paths, one per line, to report decisions a change flips
  --strict           exit 1 also when checks were skipped for lack of context
  --format <f>       text, json or github

Exit: 0 accepted, 1 refused (or incomplete with --strict), 2 bad input.
Example (CI): groupgate validate gorules group.json --state project.json --caller ci.json --format github
`,
  check: `groupgate check <policy.json> --groups a,b <path> [action]

May a member of the groups perform the action (visible, modify, write,
delete; default visible) on the path? <policy.json> is an array of groups
{id, permissions, filePermissions}, or {"groups": [...], "options": {...}}.

  --groups a,b       the member's group ids, comma-separated (exact)
  --format <f>       text, json (the explanation) or github

Exit: 0 allowed, 1 denied, 2 bad input.
`,
  explain: `groupgate explain <policy.json> --groups a,b <path> [action]

The decision with its reason and the deciding group, rule and pattern.

  --groups a,b       the member's group ids, comma-separated (exact)
  --format <f>       text, json or github

Exit: 0 allowed, 1 denied, 2 bad input.
`,
  lint: `groupgate lint <policy.json> [--files <list|->] [--format text|json|github]

Dead, shadowed and duplicate rules; with --files (one path per line, - for
stdin), rules that match none of the files:
  git ls-files | groupgate lint rules.json --files -
Invalid rules are reported too. Progress goes to stderr on long file lists.

Exit: 0 clean, 1 findings, 2 bad input.
`,
  effective: `groupgate effective <state.json> <groupId> [--format text|json|github]

The Baseten group's effective models: slugs intersected down the tree, the
binding limit per key with the group that sets it.

Exit: 0, or 2 for a bad state or an unknown group.
`,
};
