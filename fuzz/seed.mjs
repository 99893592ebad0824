// Seeds the fuzz corpora (fuzz/corpus/<target>/) from the tests: the glob
// tables of src/glob.rs and tests/js/glob-conformance.test.mjs, the foreign
// suites' cases (tests/foreign/), the shared
// case tables tests/cases/<dialect>.json (requests, contexts, states and the
// GoRules groups with file rules in them). Run by `./dev fuzz`; idempotent.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIALECTS = ["baseten", "frontier", "apinizer", "conductor", "gorules"];
const TINY = { maxDepth: 2, maxGroups: 2, maxRules: 2, maxGlobBytes: 6, maxPathBytes: 6, maxStringBytes: 8 };

function put(target, bytes) {
  const dir = join(root, "fuzz", "corpus", target);
  mkdirSync(dir, { recursive: true });
  const buf = Buffer.from(bytes);
  writeFileSync(join(dir, "seed-" + createHash("sha1").update(buf).digest("hex").slice(0, 16)), buf);
}
const withByte = (b, s) => Buffer.concat([Buffer.from([b]), Buffer.from(s)]);
const glob = (pattern, path) => Buffer.concat([Buffer.from(pattern), Buffer.from([0xff]), Buffer.from(path)]);

// Glob tables: ("pattern", "path", bool) in Rust, ["pattern", "path", bool] in JS,
// wherever they are in src/ (modules move) and in the glob tests.
const sources = readdirSync(join(root, "src"), { recursive: true })
  .filter((f) => f.endsWith(".rs"))
  .map((f) => join("src", f))
  .concat(["tests/js/glob-conformance.test.mjs", "tests/files.rs", "tests/fuzz_findings.rs"])
  .filter((f) => existsSync(join(root, f)));
let globs = 0;
for (const file of sources) {
  const text = readFileSync(join(root, file), "utf8");
  for (const m of text.matchAll(/[([]\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*(?:true|false)\s*[)\]]/g)) {
    let pattern, path;
    try {
      pattern = JSON.parse(`"${m[1]}"`);
      path = JSON.parse(`"${m[2]}"`);
    } catch {
      continue;
    }
    put("glob", glob(pattern, path));
    globs++;
  }
}

// Other projects' own glob test suites (tests/foreign/<suite>/cases.json):
// every (pattern, path) pair, whatever its expected answer or options. Rows
// over the fuzz input size (the suites' ReDoS patterns) are left out.
for (const suite of ["picomatch", "minimatch", "globset"]) {
  const file = join(root, "tests", "foreign", suite, "cases.json");
  if (!existsSync(file)) continue;
  for (const row of JSON.parse(readFileSync(file, "utf8")).rows ?? []) {
    const path = row.path ?? row.input;
    for (const pattern of [row.pattern].flat()) {
      if (typeof pattern !== "string" || typeof path !== "string" || pattern.length + path.length > 4096) continue;
      put("glob", glob(pattern, path));
      globs++;
    }
  }
}

let cases = 0;
for (const [d, dialect] of DIALECTS.entries()) {
  const table = JSON.parse(readFileSync(join(root, "tests", "cases", `${dialect}.json`), "utf8"));
  for (const c of table) {
    cases++;
    put("validate", withByte(d, JSON.stringify({ request: c.request, context: c.context ?? null })));
    // The same under tiny limits, so that every limit check is reachable.
    put("validate", withByte(d, JSON.stringify({ request: c.request, context: { ...(c.context ?? {}), limits: TINY } })));
    const state = c.context?.state;
    if (dialect === "baseten" && state) {
      put("workspace", JSON.stringify({ state, request: c.request, caller: c.context.caller ?? null }));
    }
    if (dialect === "gorules") {
      const groups = [...(state?.groups ?? [])];
      if (c.request?.body) groups.push({ id: "body", ...c.request.body });
      put("file_policy", withByte(0, JSON.stringify(groups)));
      put("file_policy", withByte(1, JSON.stringify({ groups, paths: c.context?.files ?? [] })));
      const rules = c.request?.body?.filePermissions;
      for (const rule of Array.isArray(rules) ? rules : []) {
        for (const p of [rule?.patterns].flat()) if (typeof p === "string") put("glob", glob(p, "rules/a.json"));
      }
    }
  }
}
console.log(`fuzz seeds: ${globs} glob pairs, ${cases} cases`);

// from_bytes: the payloads of real snapshots (mode byte 1: re-sealed by the
// target), so that mutations start inside the format; from the package
// built from this tree, when there is one (a stale package seeds an older
// format: harmless, just less useful).
try {
  const { FilePolicy } = await import(join(root, "pkg", "node.mjs"));
  const fp = (groups, options) => new FilePolicy(groups, options).toBytes().subarray(24);
  const rule = (effect, patterns, extra = {}) => ({ effect, actions: ["visible", "modify"], patterns, ...extra });
  const shapes = "src/**, *.md, **/*secret*, */x/y, docs/[a-m]*/t/**, a/b.txt, **/.env, src/**/*.test.ts, config/*.{yml,yaml}";
  const policies = [
    [[{ id: "a", permissions: ["documents"], filePermissions: [rule("allow", shapes, { id: "r0" }), rule("deny", ["src/private/**", "secrets/", "x,y"])] }], {}],
    [[{ id: "a", filePermissions: [rule("allow", shapes)] }, { id: "b", permissions: ["owner"] }], { caseInsensitive: true }],
    [[{ id: "g", filePermissions: [rule("allow", "a/**, a/b/**, a/b/c.d, **/n, a/*.x, a/**/*.y, **/*.{x,y}")] }], {}],
  ];
  for (const [groups, options] of policies) put("from_bytes", Buffer.concat([Buffer.from([1]), fp(groups, options)]));
  console.log(`fuzz seeds: ${policies.length} snapshots`);
} catch (e) {
  console.log(`fuzz seeds: no snapshots (${e.message})`);
}
