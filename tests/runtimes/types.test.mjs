// A TypeScript consumer of the packed tarball compiled with `tsc --strict
// --noEmit` (typescript from npm): ESM (`import`) and CommonJS (`require`)
// files, with an ES2022 lib alone and with the DOM lib; `@ts-expect-error`
// lines prove the types reject what the engine rejects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, run, bin, pkgDir } from "./helpers.mjs";

let project;
before(() => { project = installTarball("tsc", { type: "module" }); });
after(() => project?.dispose());

const consumer = `import {
  FilePolicy, Workspace, GroupgateError, validate, permissionsOf, globMatch, version, initSync, init,
  type Verdict, type Issue, type FileRule, type Explanation, type BasetenRequest, type BasetenState,
  type GoRulesContext, type RequestOf, type EffectiveModel, type InitOutput, type WasmSource,
  type Request as LegacyRequest, type RequestEnvelope, type VerdictOf, type BasetenLimitChange, pointerToPath,
} from "groupgate";

const rules: FileRule[] = [
  { effect: "allow", actions: ["visible", "modify"], patterns: "**" },
  { effect: "deny", actions: ["visible"], patterns: ["secrets/*"] },
];
const policy = new FilePolicy([{ id: "authors", permissions: ["documents"], filePermissions: rules }], { caseInsensitive: false });
const allowed: boolean = policy.check(["authors"], "secrets/.env", "visible");
const many: boolean[] = policy.checkMany(["authors"], ["a", "b"], "write");
const why: Explanation = policy.explain(["authors"], "secrets/.env", "modify");
const reason: "owner" | "not visible" | "missing permission" | "permission" | "deny" | "allow" | "default deny" = why.reason;
const lint: Issue[] = policy.lint(["src/a.rs"]);
const lintStatic: Issue[] = FilePolicy.lint([{ id: "g", filePermissions: [{ effect: "deny", patterns: "!x" }] }]);
policy.free();
policy[Symbol.dispose]();

// @ts-expect-error: not an action
policy.check(["authors"], "a", "read");
// @ts-expect-error: group ids are strings
policy.check([1], "a", "visible");
// @ts-expect-error: not a GoRules permission
new FilePolicy([{ id: "g", permissions: ["documents:everything"] }]);
// @ts-expect-error: effect is allow or deny
const badRule: FileRule = { effect: "permit", patterns: "**" };

const state: BasetenState = { groups: [
  { id: "root", metadata: { external_entity_id: "r" }, hierarchy: { limit_enforcement: "CASCADING", parent_group_id: null },
    models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 1000 }] }] },
], keys: [{ prefix: "abc", group_id: "root" }] };
const ws = Workspace.from(state);
const fromText: Workspace = Workspace.from(JSON.stringify(state));
fromText.free();
const create: BasetenRequest = { op: "create", body: { metadata: { external_entity_id: "e" }, models: [{ slug: "a/b" }],
  hierarchy: { parent_group_id: "root" } } };
// @ts-expect-error: hierarchy is required on create
const noHierarchy: BasetenRequest = { op: "create", body: { metadata: { external_entity_id: "e" }, models: [] } };
const models: EffectiveModel[] = ws.effectiveModels("root");
const source: string | null = models[0].rate_limits[0].source_group;
const request: BasetenRequest = { op: "update", params: { group_id: "root" }, body: { models: [] } };
const preview = ws.preview(request, { scope: ["management"] });
const lost: string[] | undefined = preview.changes?.keys?.[0].lost;
ws.free();

// Typed per dialect: next and changes are the dialect's shapes.
const v = validate("baseten", request, { state, caller: { scope: "management", workspace_id: "w" } });
const nextId: string | null | undefined = v.next?.id;

// A discriminated union on ok, like zod's safeParse.
if (v.ok) {
  const status: 200 = v.status;
  const none: [] = v.errors;
  const complete: boolean = v.complete;
} else {
  const first: Issue = v.errors[0];
  const status: 400 | 403 | 404 | 409 = v.status;
  const severity: "error" | "warning" | "lint" = first.severity;
  const nothing: undefined = v.next;
}
const limit: BasetenLimitChange | undefined = v.changes?.groups?.[0]?.limits[0];
const oldThreshold: number | undefined = limit?.old?.threshold;
const kind: "rate" | "usage" | undefined = limit?.kind;

// Requests built ahead: \`satisfies\` and \`as const\` keep the typed overload.
const built = { op: "update", params: { group_id: "root" },
  body: { models: [{ slug: "a/b", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 5 }] }] } } satisfies BasetenRequest;
const fromBuilt: VerdictOf<"baseten"> = validate("baseten", built);
const frozen = { op: "update", params: { id: "T" }, body: { description: "d", roles: ["ADMIN"] } } as const;
const fromFrozen = validate("conductor", frozen, { caller: { roles: ["ADMIN"] } } as const);
const frozenGained: string[] | undefined = fromFrozen.changes?.permissions.gained;
const typo = { op: "update", params: { group_id: "root" },
  body: { models: [{ slug: "a/b", rate_limits: [{ type: "TOKENS", unit: "MINUTE", threshold: 5 }] }] } };
// @ts-expect-error: a typed request with a mistake never falls back to the untyped overload
validate("baseten", typo);
// @ts-expect-error: a typo in the context (caler) is an error, not a skipped check
validate("conductor", { op: "delete", params: { id: "x" } }, { caler: { admin: true } });
const envelope: RequestEnvelope = { op: "create" };
const legacy: LegacyRequest = envelope;
const where: (string | number)[] = pointerToPath("/body/models/0/slug");
const g = validate("gorules", { op: "create", params: { projectId: "p" }, body: { name: "authors", permissions: ["documents"] } },
  { caller: { permissions: ["project:manage"] }, files: ["a.json"] } satisfies GoRulesContext);
const flips = g.changes?.files?.map((f) => f.before !== f.after);
const c = validate("conductor", { op: "create", params: { id: "T" }, body: { description: "d", roles: ["METADATA_MANAGER", "CUSTOM"] } }, { caller: { admin: true } });
const gained: string[] | undefined = c.changes?.permissions.gained;
validate("frontier", { op: "create", params: { org_id: "acme" }, body: { name: "team", metadata: { label: {} } } }, { state: { org: { id: "acme" } }, caller: { orgRoles: ["app_organization_owner"] } });
validate("apinizer", { op: "update", params: { projectName: "shop" }, body: { name: "orders", clientRoute: { relativePathList: ["/o"], methodList: ["GET"] } } });
// @ts-expect-error: not a dialect
validate("okta", { op: "create" });
// @ts-expect-error: not an op
const badOp: BasetenRequest = { op: "patch" };

// Plain objects (e.g. parsed JSON) are accepted as they are: the engine checks them.
const parsed: Record<string, unknown> = JSON.parse('{"op":"update","params":{"group_id":"x"},"body":{}}');
const plain: Verdict = validate("baseten", parsed);
const untypedContext: Record<string, unknown> = { state: { anything: 1 } };
validate("frontier", parsed, untypedContext);
const fromUnknown: unknown = JSON.parse("{}");
validate("gorules", fromUnknown);
const loose = { op: "delete" as string, params: { whatever: "x" } };
// @ts-expect-error: an object with known keys is checked as the dialect's request, even when wrong
validate("frontier", loose);
const generic: RequestOf<"conductor"> = { op: "delete", params: { id: "T" } };

const perms: string[] = permissionsOf("gorules", { permissions: ["documents:full"] });
const matched: boolean = globMatch("a/**", "a");
const ver: string = version();
try { globMatch("!x", "x"); } catch (e) { if (e instanceof GroupgateError) { const code: string | undefined = e.code; const issues: Issue[] = e.issues; } }

const out: InitOutput = initSync();
const bytes: number = out.memory.buffer.byteLength;
const again: Promise<InitOutput> = init();
const src: WasmSource = new Uint8Array(8);
initSync({ module: src });

export { allowed, many, reason, lint, lintStatic, badRule, source, lost, nextId, flips, gained, badOp, plain, generic, perms, matched, ver, bytes, again,
  oldThreshold, kind, fromBuilt, frozenGained, legacy, where };
`;

const cjsConsumer = `import groupgate = require("groupgate");
const p = new groupgate.FilePolicy([{ id: "g", permissions: ["owner"] }]);
const ok: boolean = p.check(["g"], "a", "delete");
const v: groupgate.Verdict = groupgate.validate("conductor", { op: "delete", params: { id: "x" } });
// @ts-expect-error: not an action
p.check(["g"], "a", "read");
export = { ok, v };
`;

// `groupgate/files`: the file API with the same declarations, and nothing else.
const filesConsumer = `import { FilePolicy, globMatch, GroupgateError, initSync, version, type FileRule, type Explanation, type Issue } from "groupgate/files";
// @ts-expect-error: the files entry has no validators
import { validate } from "groupgate/files";
const rules: FileRule[] = [{ effect: "allow", actions: ["visible"], patterns: "src/**" }];
const p = new FilePolicy([{ id: "g", permissions: ["documents"], filePermissions: rules }]);
const why: Explanation = p.explain(["g"], "src/a", "visible");
const ok: boolean = p.check(["g"], "src/a", "visible") && globMatch("a/*", "a/b");
try { globMatch("!x", "x"); } catch (e) { if (e instanceof GroupgateError) { const issues: Issue[] = e.issues; } }
// @ts-expect-error: not an action
p.check(["g"], "a", "read");
initSync();
export { why, ok, validate };
`;
const filesCjsConsumer = `import files = require("groupgate/files");
const p = new files.FilePolicy([{ id: "g", permissions: ["owner"] }]);
const ok: boolean = p.check(["g"], "a", "delete");
export = { ok, v: files.version() };
`;

async function tsc(lib) {
  writeFileSync(join(project.dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext",
      lib, types: [], skipLibCheck: false, noUnusedLocals: false, exactOptionalPropertyTypes: false },
    files: ["consumer.ts", "consumer-cjs.cts", "consumer-files.ts", "consumer-files-cjs.cts"],
  }));
  return run(bin("tsc"), ["-p", ".", "--strict", "--noEmit"], { cwd: project.dir, timeoutMs: 120_000 });
}

test("tsc --strict --noEmit: ESM and CommonJS consumers (groupgate and groupgate/files), ES2022 lib alone and with the DOM lib", async () => {
  writeFileSync(join(project.dir, "consumer.ts"), consumer);
  writeFileSync(join(project.dir, "consumer-cjs.cts"), cjsConsumer);
  writeFileSync(join(project.dir, "consumer-files.ts"), filesConsumer);
  writeFileSync(join(project.dir, "consumer-files-cjs.cts"), filesCjsConsumer);
  for (const lib of [["es2022"], ["es2022", "dom"]]) {
    const r = await tsc(lib);
    assert.equal(r.code, 0, `tsc with lib ${lib}:\n${r.stdout}${r.stderr}`);
  }
});

test("the public declarations hold no `any`", () => {
  const code = readFileSync(join(pkgDir, "index.d.ts"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(code, /\bany\b/);
});
