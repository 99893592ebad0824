// workerd serves a worker on 127.0.0.1 that ships a 10,000-group Baseten
// workspace as snapshot bytes (a data module, as a deploy bundle or a KV
// value would hold it), loads it with Workspace.fromBytes and answers
// previews (issue 17). Timing is reported (round trips over 127.0.0.1, since
// workerd freezes clocks inside a request), never asserted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Workspace } from "groupgate";
import { installTarball, serveWorkerd } from "./helpers.mjs";
import { bigState } from "../js/fixtures/baseten-big.mjs";

let project, child, base;

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
  ({ base, child } = await serveWorkerd(dir, {
    modules: ['(name = "./ws.bin", data = embed "ws.bin")'],
    external: ["./ws.bin"],
    ready: async (url) => (await fetch(`${url}/preview`, { method: "POST", body: "{}", signal: AbortSignal.timeout(5000) })).status === 400,
  }));
});

after(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  project?.dispose();
});

const post = (path, body) => fetch(base + path, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  signal: AbortSignal.timeout(30_000),
});

// CPU time of workerd's threads (ns in /proc/PID/task/*/schedstat): on a
// loaded machine the round trip mostly measures the wait for a core.
function cpuOf(pid) {
  let ns = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]); } catch { /* the thread ended */ }
  }
  return ns / 1e6;
}

async function median(path, body, runs) {
  const times = [];
  const cpu = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const c = cpuOf(child.pid);
    const t = performance.now();
    const res = await post(path, body);
    last = { status: res.status, verdict: await res.json() };
    times.push(performance.now() - t);
    cpu.push(cpuOf(child.pid) - c);
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[runs >> 1];
  return { ms: mid(times), cpu: mid(cpu), ...last };
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
  const f = (r) => `${r.ms.toFixed(2)} ms (workerd CPU ${r.cpu.toFixed(2)} ms)`;
  console.log(`workerd, 10,000 groups, median round trip over 127.0.0.1: leaf preview ${f(warm)} (warm), ` +
    `snapshot load + leaf preview ${f(cold)} (cold), root models: [] with summary 20 ${f(all)}`);
});
