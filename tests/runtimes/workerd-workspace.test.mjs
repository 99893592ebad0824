// workerd serves a worker on 127.0.0.1 that ships a 10,000-group Baseten
// workspace as snapshot bytes (a data module, as a deploy bundle or a KV
// value would hold it), loads it with Workspace.fromBytes and answers
// previews (issue 17). Timing is reported (round trips over 127.0.0.1, since
// workerd freezes clocks inside a request), never asserted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Workspace } from "groupgate";
import { installTarball, bin, freePort, waitFor } from "./helpers.mjs";
import { bigState } from "../js/fixtures/baseten-big.mjs";

let project, child, base, logs = "";

before(async () => {
  project = installTarball("workerd-workspace");
  const dir = project.dir;
  writeFileSync(join(dir, "ws.bin"), Workspace.from(bigState(10000)).toBytes());
  writeFileSync(join(dir, "worker.js"), `import { initSync, Workspace } from "groupgate";
import wasm from "groupgate/groupgate.wasm";
import snapshot from "./ws.bin";
initSync({ module: wasm });

let warm;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== "POST") return new Response("POST /preview[?cold]\\n", { status: 404 });
    // ?cold loads the snapshot for this request alone (a cold isolate's work).
    const cold = url.searchParams.has("cold");
    const ws = cold ? Workspace.fromBytes(new Uint8Array(snapshot)) : (warm ??= Workspace.fromBytes(new Uint8Array(snapshot)));
    const verdict = ws.preview(await request.json(), undefined, { summary: 20 });
    if (cold) ws.free();
    return Response.json(verdict, { status: verdict.status });
  },
};
`);
  execFileSync(bin("esbuild"), ["worker.js", "--bundle", "--format=esm", "--conditions=workerd,worker,browser",
    "--external:*.wasm", "--external:./ws.bin", "--outfile=dist/worker.js", "--log-level=warning"], { cwd: dir });
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "groupgate/groupgate.wasm", wasm = embed "node_modules/groupgate/wasm/groupgate_bg.wasm"),
    (name = "./ws.bin", data = embed "ws.bin"),
  ],
  compatibilityDate = "2024-09-23",
);
`);
  child = spawn(bin("workerd"), ["serve", "config.capnp", "--verbose"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => (logs += d));
  child.stderr.on("data", (d) => (logs += d));
  base = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}: ${logs.slice(-2000)}`);
    return (await fetch(`${base}/preview`, { method: "POST", body: "{}", signal: AbortSignal.timeout(5000) })).status === 400;
  }, 60_000, "workerd");
});

after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  project?.dispose();
});

const post = (path, body) => fetch(base + path, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  signal: AbortSignal.timeout(30_000),
});

async function median(path, body, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const res = await post(path, body);
    last = { status: res.status, verdict: await res.json() };
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[runs >> 1], ...last };
}

test("workerd: a 10,000-group snapshot loads and answers previews over 127.0.0.1", async () => {
  const leaf = { op: "update", params: { group_id: "r.8.9.9.8" }, body: { models: [{ slug: "org/a" }, { slug: "org/b", rate_limits: [{ type: "REQUEST", unit: "SECOND", threshold: 5 }] }, { slug: "org/c" }] } };
  const root = { op: "update", params: { group_id: "r" }, body: { models: [] } };
  const warm = await median("/preview", leaf, 21);
  assert.equal(warm.status, 200, JSON.stringify(warm.verdict));
  assert.deepEqual(warm.verdict.changes.groups.map((g) => g.id), ["r.8.9.9.8"]);
  const cold = await median("/preview?cold", leaf, 7);
  assert.deepEqual(cold.verdict, warm.verdict);
  const all = await median("/preview", root, 7);
  assert.equal(all.verdict.changes.summary.groups, 10000);
  assert.equal(all.verdict.changes.groups.length, 20);
  assert.equal(all.verdict.changes.truncated, true);
  console.log(`workerd, 10,000 groups, median round trip over 127.0.0.1: leaf preview ${warm.ms.toFixed(2)} ms (warm), ` +
    `snapshot load + leaf preview ${cold.ms.toFixed(2)} ms (cold), root models: [] with summary 20 ${all.ms.toFixed(2)} ms`);
});
