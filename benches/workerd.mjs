// Cold start in workerd (Cloudflare's runtime, npm `workerd`): a fresh
// workerd process, so a fresh isolate, per run. Inside a worker the clock
// does not advance while code runs (workerd's timing side-channel
// mitigation), so the time is taken outside, two ways: the CPU time workerd's
// threads spent on the request (/proc/PID/task/*/schedstat, in ns), and the
// round trip; each minus the median of empty requests to the same, already
// warm, isolate. `coldMain` is the CPU of the thread that ran the request
// (the busiest one), the rest of `coldCpu` V8's background threads. On a loaded machine the CPU time is the figure; the round
// trip mostly measures the wait for a core.
//   /cold   initSync({ module }) + new FilePolicy(groups) (1,000 mixed rules)
//   /first  the policy's first check (after /cold, same isolate)
//   /again  new FilePolicy(groups) again in the same isolate
//   /coldtext (another fresh process) /cold with the groups as JSON text (a text module: as from KV)
//   /snap   (another fresh process) initSync + FilePolicy.fromBytes (10,000 rules)
// The .wasm module, the groups (a JSON module) and the snapshot (a data
// module) are loaded by workerd at start-up, before any request; the worker
// is bundled the way wrangler does (esbuild, conditions workerd/worker/browser).
import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { median } from "./lib.mjs";
import { serveWorkerd } from "../tests/runtimes/helpers.mjs";

const WORKER = `import { initSync, FilePolicy } from "groupgate";
import wasm from "groupgate/groupgate.wasm";
import groups from "groups.json";
import groupsText from "groups.txt";
import snapshot from "snapshot.bin";
let ready = false;
let policy = null;
const init = () => { if (!ready) { initSync({ module: wasm }); ready = true; } };
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    // The cold start is instantiate + build, as in Node; the first check
    // (its own first-call compiles) is its own request, /first.
    if (path === "/cold" || path === "/again") { init(); policy?.free(); policy = new FilePolicy(groups); return new Response("ok"); }
    if (path === "/coldtext") { init(); policy = new FilePolicy(groupsText); return new Response("ok"); }
    if (path === "/first") return new Response(String(policy.check([groups[0].id], "x", "visible")));
    if (path === "/snap") { init(); const p = FilePolicy.fromBytes(new Uint8Array(snapshot)); p.free(); return new Response("ok"); }
    return new Response("noop");
  },
};
`;

/** CPU time (ms) each thread of process `pid` has run so far, by thread id. */
function threadsOf(pid) {
  const out = new Map();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try { out.set(t, Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]) / 1e6); } catch { /* the thread ended */ }
  }
  return out;
}

/** [wall ms, workerd CPU ms, CPU ms of its busiest thread] of one request. The
 * busiest thread is the one that ran the request (the isolate's); the rest is
 * V8's background work (optimizing-tier compiles, GC helpers). */
async function get(url, pid) {
  const c = pid ? threadsOf(pid) : new Map();
  const t = performance.now();
  const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  const body = await r.text();
  if (!r.ok) throw new Error(`${url}: ${r.status} ${body.slice(0, 300)}`);
  const wall = performance.now() - t;
  let cpu = 0, top = 0;
  for (const [tid, ms] of pid ? threadsOf(pid) : []) {
    const d = ms - (c.get(tid) ?? 0);
    cpu += d;
    top = Math.max(top, d);
  }
  return [wall, cpu, top];
}

/** One fresh workerd (tests/runtimes/helpers.mjs serves it); `route` is /cold (then /again) or /snap. */
async function once(dir, route, files) {
  const { base, child } = await serveWorkerd(dir, {
    modules: ['(name = "groups.json", json = embed "groups.json")', '(name = "groups.txt", text = embed "groups.json")', '(name = "snapshot.bin", data = embed "snapshot.bin")',
      ...(files ? ['(name = "groupgate/files/groupgate.wasm", wasm = embed "node_modules/groupgate/files/wasm/groupgate_bg.wasm")'] : [])],
    external: ["groups.json", "groups.txt", "snapshot.bin"],
    ready: async (b) => (await fetch(`${b}/noop`, { signal: AbortSignal.timeout(5000) })).ok,
  });
  try {
    const noop = [];
    for (let k = 0; k < 5; k++) noop.push(await get(`${base}/noop`, child.pid));
    const rt = median(noop.map((x) => x[0])), rtCpu = median(noop.map((x) => x[1])), rtMain = median(noop.map((x) => x[2]));
    const [w, c, main] = await get(`${base}${route}`, child.pid);
    const first = route === "/cold" ? await get(`${base}/first`, child.pid) : null;
    const again = route === "/cold" ? await get(`${base}/again`, child.pid) : null;
    return { cold: w - rt, coldCpu: c - rtCpu, coldMain: main - rtMain, first: first && first[0] - rt, firstCpu: first && first[1] - rtCpu, firstMain: first && first[2] - rtMain,
      again: again && again[0] - rt, againCpu: again && again[1] - rtCpu, roundTrip: rt, roundTripCpu: rtCpu };
  } finally {
    child.kill("SIGKILL");
  }
}

/** Medians over `runs` fresh workerd processes per route; null when workerd is missing.
 * `files`: the worker imports `groupgate/files` (file permissions only, its own .wasm). */
export async function workerdCold({ root, out, groups, snapshot, runs = 5, pkg = join(root, "pkg"), files = false }) {
  if (!existsSync(join(root, "node_modules/.bin/workerd"))) return null;
  const dir = join(out, files ? "workerd-files" : "workerd");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  // The worker imports the package as a user would: node_modules/groupgate is `pkg` (this tree's pkg/).
  symlinkSync(pkg, join(dir, "node_modules/groupgate"));
  writeFileSync(join(dir, "worker.js"), files ? WORKER.replaceAll('"groupgate', '"groupgate/files') : WORKER);
  writeFileSync(join(dir, "groups.json"), JSON.stringify(groups));
  writeFileSync(join(dir, "snapshot.bin"), snapshot ?? new Uint8Array(0));
  const rs = [], snaps = [], texts = [];
  for (let k = 0; k < runs; k++) {
    rs.push(await once(dir, "/cold", files));
    texts.push(await once(dir, "/coldtext", files));
    if (snapshot) snaps.push(await once(dir, "/snap", files));
  }
  const m = (xs, f) => median(xs.map(f));
  return { cold: m(rs, (r) => r.cold), coldCpu: m(rs, (r) => r.coldCpu), coldMain: m(rs, (r) => r.coldMain), firstCpu: m(rs, (r) => r.firstCpu), firstMain: m(rs, (r) => r.firstMain),
    again: m(rs, (r) => r.again), againCpu: m(rs, (r) => r.againCpu),
    text: m(texts, (r) => r.cold), textCpu: m(texts, (r) => r.coldCpu), textMain: m(texts, (r) => r.coldMain),
    snap: snapshot ? m(snaps, (r) => r.cold) : null, snapCpu: snapshot ? m(snaps, (r) => r.coldCpu) : null,
    roundTrip: m(rs, (r) => r.roundTrip), roundTripCpu: m(rs, (r) => r.roundTripCpu), runs };
}
