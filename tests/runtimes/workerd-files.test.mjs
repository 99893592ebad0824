// workerd serving file checks with `groupgate/files` (file permissions only,
// its own smaller .wasm): the worker is bundled the way wrangler does it and
// initializes with `initSync({ module })` of `groupgate/files/groupgate.wasm`.
// The bundle must hold none of the dialect code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, serveWorkerd } from "./helpers.mjs";

let project, child, base;

const groups = [
  { id: "eng", permissions: ["documents"], filePermissions: [
    { effect: "allow", actions: ["visible", "modify"], patterns: ["src/**", "docs/*.md"] },
    { effect: "deny", actions: ["modify"], patterns: ["src/**/*.lock"] },
  ] },
  { id: "ops", permissions: ["documents"], filePermissions: [
    { effect: "allow", actions: ["visible"], patterns: ["**/*.{yaml,yml}"] },
    { effect: "deny", actions: ["visible"], patterns: ["secrets/**"] },
  ] },
];

before(async () => {
  project = installTarball("workerd-files");
  const dir = project.dir;
  writeFileSync(join(dir, "worker.js"), `import { initSync, FilePolicy, GroupgateError, version } from "groupgate/files";
import wasm from "groupgate/files/groupgate.wasm";
initSync({ module: wasm });

const policy = new FilePolicy(${JSON.stringify(JSON.stringify(groups))});

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/version") return new Response(version());
    try {
      if (url.pathname === "/check") {
        const q = url.searchParams;
        return Response.json({ allowed: policy.check(q.getAll("group"), q.get("path"), q.get("action")) });
      }
      if (url.pathname === "/compile") return Response.json({ rules: new FilePolicy(await request.text()).lint().length });
    } catch (e) {
      if (e instanceof GroupgateError) return Response.json({ code: e.code, issues: e.issues }, { status: 400 });
      throw e;
    }
    return new Response("not found", { status: 404 });
  },
};
`);
  ({ base, child } = await serveWorkerd(dir, {
    modules: ['(name = "groupgate/files/groupgate.wasm", wasm = embed "node_modules/groupgate/files/wasm/groupgate_bg.wasm")'],
    ready: async (url) => (await fetch(`${url}/version`, { signal: AbortSignal.timeout(2000) })).ok,
  }));
});

after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  project?.dispose();
});

const check = async (gs, path, action) => {
  const q = new URLSearchParams([...gs.map((g) => ["group", g]), ["path", path], ["action", action]]);
  const r = await fetch(`${base}/check?${q}`, { signal: AbortSignal.timeout(10_000) });
  return (await r.json()).allowed;
};

test("workerd + groupgate/files: file checks answer as the rules say", async () => {
  assert.equal(await check(["eng"], "src/lib/a.rs", "modify"), true);
  assert.equal(await check(["eng"], "src/Cargo.lock", "modify"), false);
  assert.equal(await check(["eng"], "src/Cargo.lock", "visible"), true);
  assert.equal(await check(["eng"], "docs/a/b.md", "visible"), false);
  assert.equal(await check(["ops"], "deploy/app.yaml", "visible"), true);
  assert.equal(await check(["ops"], "secrets/db.yaml", "visible"), false);
  assert.equal(await check(["eng", "ops"], "secrets/db.yaml", "visible"), false);
  assert.equal(await check(["nobody"], "src/a.rs", "visible"), false);
});

test("workerd + groupgate/files: a bad policy is a structured GroupgateError", async () => {
  const r = await fetch(`${base}/compile`, {
    method: "POST", signal: AbortSignal.timeout(10_000),
    body: JSON.stringify([{ id: "g", filePermissions: [{ effect: "allow", actions: ["visible"], patterns: ["a/***"] }] }]),
  });
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.code, "glob.star_run");
  assert.equal(body.issues[0].path, "/0/filePermissions/0/patterns/0");
});

test("the worker bundle holds no dialect code", () => {
  const bundle = readFileSync(join(project.dir, "dist/worker.js"), "utf8");
  for (const name of ["RawWorkspace", "permissionsOf", "validate("]) assert.ok(!bundle.includes(name), name);
});
