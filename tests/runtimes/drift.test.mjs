// Types that cannot drift (issue #14): every case of tests/cases/*.json goes
// through the package, and each runtime value is written into a .ts file as
// `<value> satisfies <its declared type>`, compiled with `tsc --strict`
// against the packed tarball's index.d.ts. A field the runtime gives but the
// types lack (excess property), a field typed wrongly (`kind: "rate"` vs
// "rate_limits", an object typed number) or a required field the runtime
// omits fails the test, naming the case. The same for accepted requests and
// their contexts (types must not refuse what the engine accepts),
// explanations, lint issues, thrown issues and effective models.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as groupgate from "groupgate";

const { FilePolicy, Workspace, validate, globMatch } = groupgate;
import { installTarball, run, bin, root } from "./helpers.mjs";

const DIALECTS = ["baseten", "frontier", "apinizer", "conductor", "gorules"];
const load = (d) => JSON.parse(readFileSync(join(root, "tests", "cases", `${d}.json`), "utf8"));

let project;
before(() => { project = installTarball("drift", { type: "module" }); });
after(() => project?.dispose());

/** Lines of `export const vN = <json> satisfies <type>;`, each named for the report. */
function assertions() {
  const lines = [`import type { VerdictOf, RequestOf, ContextOf, Explanation, Issue, EffectiveModel } from "groupgate";`];
  const names = [];
  const add = (name, value, type) => {
    names.push(name);
    lines.push(`export const v${names.length - 1} = ${JSON.stringify(value)} satisfies ${type};`);
  };
  for (const d of DIALECTS) {
    for (const c of load(d)) {
      let v;
      try {
        v = c.context === undefined ? validate(d, c.request) : validate(d, c.request, c.context);
      } catch (e) {
        add(`${d}: ${c.name} (thrown)`, e.issues, "Issue[]");
        continue;
      }
      add(`${d}: ${c.name} (verdict)`, v, `VerdictOf<"${d}">`);
      // A request the engine accepts while warning that a member is unknown
      // (`unknown_field`: left out, as the server does) is one the types
      // rightly refuse: a misspelled member is a compile error there.
      if (v.ok) {
        if (!v.warnings.some((w) => w.code === "unknown_field" && w.path.startsWith("/body"))) {
          add(`${d}: ${c.name} (request)`, c.request, `RequestOf<"${d}">`);
        }
        if (c.context !== undefined) add(`${d}: ${c.name} (context)`, c.context, `ContextOf<"${d}">`);
      }
      if (d === "baseten" && c.context?.state) {
        let ws;
        try {
          ws = Workspace.from(c.context.state);
        } catch {
          continue;
        }
        for (const g of (c.context.state.groups ?? []).filter((g) => !g.deleted)) {
          add(`${d}: ${c.name} (effective models of ${g.id})`, ws.effectiveModels(g.id), "EffectiveModel[]");
        }
        ws.free();
      }
      if (d === "gorules" && c.context?.state?.groups) {
        try {
          const policy = new FilePolicy(c.context.state.groups);
          const ids = c.context.state.groups.map((g) => g.id);
          for (const action of ["visible", "modify", "write", "delete"]) {
            add(`${d}: ${c.name} (explain ${action})`, policy.explain([...ids, "nobody"], "rules/a.json", action), "Explanation");
          }
          add(`${d}: ${c.name} (lint)`, policy.lint(["rules/a.json"]), "Issue[]");
          policy.free();
        } catch (e) {
          add(`${d}: ${c.name} (policy error)`, e.issues, "Issue[]");
        }
      }
    }
  }
  try {
    globMatch("a{b", "x");
  } catch (e) {
    add("globMatch error", e.issues, "Issue[]");
  }
  return { source: lines.join("\n") + "\n", names };
}

test("every runtime value of the case tables type-checks against index.d.ts (tsc --strict)", async () => {
  const { source, names } = assertions();
  assert.ok(names.length > 300, `only ${names.length} values`);
  writeFileSync(join(project.dir, "drift.ts"), source);
  writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext",
      lib: ["es2022"], types: [], skipLibCheck: false },
    files: ["drift.ts"],
  }));
  const r = await run(bin("tsc"), ["-p", "."], { cwd: project.dir, timeoutMs: 300_000 });
  // Name the case of each error: line N holds value N - 2.
  const report = (r.stdout + r.stderr).split("\n").filter((l) => l.trim()).map((l) => {
    const m = l.match(/^drift\.ts\((\d+),/);
    return m ? `${names[Number(m[1]) - 2]}: ${l.replace(/^drift\.ts\(\d+,\d+\): /, "")}` : l;
  });
  assert.equal(r.code, 0, `${report.length} type errors:\n${report.slice(0, 40).join("\n")}`);
  console.log(`${names.length} runtime values satisfy their declared types`);
});

// The enums of index.d.ts against the runtime catalog (`catalog(dialect)`):
// a name the engine knows and the types lack (or the reverse) fails.
const ENUMS = [
  ["GoRulesPermission", (c) => c.gorules.permissions],
  ["FileAction", (c) => c.gorules.enums.fileAction],
  ['FileRule["effect"]', (c) => c.gorules.enums.effect],
  ['BasetenLimit["type"]', (c) => c.baseten.enums.rateLimitType],
  ['BasetenLimit["unit"]', (c) => [...c.baseten.enums.rateLimitUnit, ...c.baseten.enums.usageLimitUnit]],
  ['BasetenRateLimit["unit"]', (c) => c.baseten.enums.rateLimitUnit],
  ['BasetenUsageLimit["unit"]', (c) => c.baseten.enums.usageLimitUnit],
  ["BasetenScope", (c) => c.baseten.enums.scope],
  ["FrontierRole", (c) => c.frontier.roles.map((r) => r.name)],
  ["ConductorAccessTarget", (c) => c.conductor.enums.accessTarget],
  ["ConductorAccessKind", (c) => c.conductor.enums.accessKind],
  ['BasetenGroup["hierarchy"]["limit_enforcement"]', (c) => c.baseten.enums.limitEnforcement],
  ["ConductorRole", (c) => c.conductor.roles.map((r) => r.name)],
  ["ApinizerMethod", (c) => c.apinizer.enums.method],
];

test("the enums of index.d.ts are the runtime catalog's (tsc --strict)", async () => {
  const catalogs = Object.fromEntries(DIALECTS.map((d) => [d, groupgate.catalog(d)]));
  const names = ENUMS.map(([type]) => type.split("[")[0]);
  const lines = [`import type { ${[...new Set(names)].join(", ")} } from "groupgate";`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;"];
  for (const [i, [type, values]] of ENUMS.entries()) {
    const list = [...new Set(values(catalogs))];
    assert.ok(list.length > 0, `${type}: the catalog has no values`);
    lines.push(`export const e${i}: Same<${type}, ${list.map((v) => JSON.stringify(v)).join(" | ")}> = true;`);
  }
  writeFileSync(join(project.dir, "enums.ts"), lines.join("\n") + "\n");
  writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: [] },
    files: ["enums.ts"],
  }));
  const r = await run(bin("tsc"), ["-p", "."], { cwd: project.dir, timeoutMs: 120_000 });
  const report = (r.stdout + r.stderr).replace(/enums\.ts\((\d+),\d+\)/g, (_, line) => ENUMS[Number(line) - 3]?.[0] ?? `line ${line}`);
  assert.equal(r.code, 0, report);
});

// Calls the runtime accepts must compile (types must not refuse what the
// engine takes). README "Errors and types": "`undefined` and `null` mean no
// options (as `context: null` does in `validate`)", and a `null` caller is no
// caller; validate's and permissionsOf's context and its members were typed
// without `null`, so each call below was a compile error (session 21, dx21).
const NULL_CALLS = [
  `validate("conductor", { op: "delete", params: { id: "x" } }, null)`,
  `validate("baseten", { op: "delete", params: { group_id: "x" } }, { state: null, caller: null, catalog: null, files: null, limits: null })`,
  `validate("gorules", JSON.parse('{"op":"delete"}') as unknown, null)`,
  `permissionsOf("gorules", { permissions: ["owner"] }, null)`,
  `permissionsOf("conductor", { roles: ["ADMIN"] }, { state: null, caller: null, catalog: null, limits: null })`,
  // README Baseten: apply "with no caller (options omitted or null, caller omitted, undefined or null)".
  `Workspace.from({ groups: [] }).apply({ op: "delete", params: { group_id: "x" } }, { caller: null })`,
];

test("null context and null context members: accepted at runtime, and by index.d.ts (tsc --strict)", async () => {
  for (const call of NULL_CALLS) {
    const js = call.replace(" as unknown", "");
    assert.doesNotThrow(() => new Function("validate", "permissionsOf", "Workspace", `return ${js};`)(validate, groupgate.permissionsOf, Workspace), call);
  }
  writeFileSync(join(project.dir, "nulls.ts"), `import { validate, permissionsOf, Workspace } from "groupgate";\n${NULL_CALLS.map((c, i) => `export const n${i} = ${c};`).join("\n")}\n`);
  writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: [] },
    files: ["nulls.ts"],
  }));
  const r = await run(bin("tsc"), ["-p", "."], { cwd: project.dir, timeoutMs: 120_000 });
  assert.equal(r.code, 0, (r.stdout + r.stderr).replace(/nulls\.ts\((\d+),\d+\)/g, (_, line) => NULL_CALLS[Number(line) - 2]));
});
