// Vercel's edge runtime (npm package `edge-runtime`): a fetch handler bundled
// with the `edge-light` condition (web.js) and the documented one-liner
// initSync({ module }) over groupgate/groupgate.wasm, run by EdgeRuntime in a
// child process serving on 127.0.0.1; the test sends real HTTP requests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { installTarball, bin, root, basetenState } from "./helpers.mjs";

let project, child, base, logs = "";

before(async () => {
  project = installTarball("edge");
  const dir = project.dir;
  writeFileSync(join(dir, "handler.js"), `import { initSync, validate, FilePolicy, version } from "groupgate";
// On Vercel: import wasm from "groupgate/groupgate.wasm?module" (a WebAssembly.Module).
import wasm from "groupgate/groupgate.wasm";
initSync({ module: wasm });

const state = ${JSON.stringify(basetenState)};
const policy = new FilePolicy([{ id: "authors", permissions: ["documents"], filePermissions: [
  { effect: "allow", actions: ["visible"], patterns: "**" }, { effect: "deny", actions: ["visible"], patterns: "secrets/*" }] }]);

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname === "/check") {
    return Response.json({ runtime: typeof EdgeRuntime === "string" ? EdgeRuntime : null, version: version(),
      allowed: policy.check(["authors"], url.searchParams.get("path"), "visible") });
  }
  const verdict = validate("baseten", { op: "update", params: { group_id: url.pathname.slice(1) }, body: await request.json() },
    { state, caller: { scope: "management" } });
  return Response.json(verdict, { status: verdict.status });
}
addEventListener("fetch", (event) => event.respondWith(handle(event.request)));
`);
  execFileSync(bin("esbuild"), ["handler.js", "--bundle", "--format=iife", "--conditions=edge-light,worker,browser",
    "--loader:.wasm=binary", "--target=es2022", "--outfile=dist/handler.js", "--log-level=warning"], { cwd: dir });
  // The runtime comes from this repository's devDependencies, the handler from the fresh project.
  const edgeRuntime = createRequire(join(root, "package.json")).resolve("edge-runtime");
  writeFileSync(join(dir, "serve.cjs"), `const { EdgeRuntime, runServer } = require(${JSON.stringify(edgeRuntime)});
const { readFileSync } = require("node:fs");
const runtime = new EdgeRuntime({ initialCode: readFileSync("dist/handler.js", "utf8") });
runServer({ runtime, host: "127.0.0.1", port: 0 }).then((server) => console.log(server.url));
`);
  child = spawn(process.execPath, ["serve.cjs"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`edge-runtime: no URL after 30 s\n${logs.slice(-2000)}`)), 30_000);
    child.stderr.on("data", (d) => (logs += d));
    child.stdout.on("data", (d) => {
      logs += d;
      const m = logs.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`edge-runtime exited ${code}\n${logs.slice(-2000)}`)); });
  });
});

after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  project?.dispose();
});

const call = (path, body) => fetch(base + path, {
  method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body),
  headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(10_000),
});

test("edge runtime: the handler runs the package (file policy)", async () => {
  const secret = await (await call("/check?path=secrets/.env")).json();
  const src = await (await call("/check?path=src/a.rs")).json();
  assert.equal(secret.runtime, "edge-runtime");
  assert.match(secret.version, /^\d+\.\d+\.\d+/);
  assert.equal(secret.allowed, false);
  assert.equal(src.allowed, true);
});

test("edge runtime: valid and invalid group updates", async () => {
  const ok = await call("/root", { models: [] });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).ok, true);
  const bad = await call("/team", { models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 5000 }] }] });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).errors[0].code, "cascade.above_ancestor");
  // The hierarchy is immutable: a PATCH naming it is ignored with a warning
  // (tryAGI/Baseten@5f7d802 openapi.yaml UpdateGroupRequestV1: no such
  // member, no additionalProperties: false), and a body left with nothing
  // to change is 400 required (update-a-group: "At least one field").
  const immutable = await call("/team", { hierarchy: { limit_enforcement: "INDEPENDENT" } });
  assert.equal(immutable.status, 400);
  const v = await immutable.json();
  assert.equal(v.errors[0].code, "required");
  assert.deepEqual(v.warnings.map((w) => w.code), ["immutable"]);
});
