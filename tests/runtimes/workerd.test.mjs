// workerd (npm package `workerd`) serves a worker on 127.0.0.1 that validates
// POSTed Baseten group updates. The worker is bundled the way wrangler does it
// (esbuild, conditions workerd/worker/browser, the .wasm kept as a module), and
// uses the documented one-liner: initSync({ module }) with groupgate/groupgate.wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { installTarball, serveWorkerd, basetenState } from "./helpers.mjs";

let project, child, base;

before(async () => {
  project = installTarball("workerd");
  const dir = project.dir;
  writeFileSync(join(dir, "worker.js"), `import { initSync, validate, version } from "groupgate";
import wasm from "groupgate/groupgate.wasm";
initSync({ module: wasm });

const state = ${JSON.stringify(basetenState)};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/version") return new Response(version());
    const m = url.pathname.match(/^\\/groups\\/([^/]+)$/);
    if (request.method !== "POST" || !m) return new Response("POST /groups/:id\\n", { status: 404 });
    let body;
    try { body = await request.json(); } catch { return new Response("body: not JSON\\n", { status: 415 }); }
    const caller = { scope: request.headers.get("x-scope") ?? undefined };
    const verdict = validate("baseten", { op: "update", params: { group_id: decodeURIComponent(m[1]) }, body }, { state, caller });
    return Response.json(verdict, { status: verdict.status });
  },
};
`);
  ({ base, child } = await serveWorkerd(dir, {
    ready: async (url) => (await fetch(`${url}/version`, { signal: AbortSignal.timeout(2000) })).ok,
  }));
});

after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  project?.dispose();
});

const post = (path, body, headers = {}) => fetch(base + path, {
  method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body),
  signal: AbortSignal.timeout(10_000),
});

test("workerd: a valid update is accepted with its changes", async () => {
  const res = await post("/groups/root", { models: [] }, { "x-scope": "management" });
  const v = await res.json();
  assert.equal(res.status, 200, JSON.stringify(v));
  assert.equal(v.ok, true);
  assert.deepEqual(v.changes.keys, [{ prefix: "abc", group_id: "team", gained: [], lost: ["meta/llama"] }]);
});

test("workerd: invalid updates get the server's status and every error at its pointer", async () => {
  const above = await post("/groups/team",
    { models: [{ slug: "meta/llama", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 5000 }] }] },
    { "x-scope": "management" });
  const v = await above.json();
  assert.equal(above.status, 400);
  assert.deepEqual(v.errors.map((e) => [e.code, e.path]), [["cascade.above_ancestor", "/body/models/0/rate_limits/0/threshold"]]);

  const empty = await post("/groups/team", {}, { "x-scope": "management" });
  assert.equal(empty.status, 400);
  assert.equal((await empty.json()).errors[0].code, "required");

  const missing = await post("/groups/nope", { models: [] }, { "x-scope": "management" });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).errors[0].code, "not_found");

  const forbidden = await post("/groups/team", { models: [] }, { "x-scope": "read" });
  assert.equal(forbidden.status, 403);
  assert.equal((await forbidden.json()).errors[0].code, "forbidden");
});
