// One cold start, in a fresh Node process (spawned by benches/run.mjs).
// Every step reports wall time and CPU time (process.cpuUsage: user + system
// of every thread, V8's background compilers included): on a loaded machine
// the wall time mostly measures the wait for a core, the CPU time the work.
//   node benches/cold.mjs PEER CORPUS.json   import the engine (for the WASM engines that compiles and
//       instantiates the .wasm), then build the policy of the corpus (JSON, read before the clock starts).
//       Prints {load, compile, again} in ms (again: a second build in the same process) and, for
//       groupgate, the WASM memory around the first build. PEER groupgate-text: groupgate given the groups as
//       JSON text (stringified before the clock), as a worker reading them from KV or a request body would.
//       PEER groupgate-files: the `groupgate/files` entry (file permissions only, its own smaller .wasm);
//       groupgate-files-text: that entry given the groups as JSON text.
//       On Linux each step also reports its CPU split by thread (from /proc/self/task/*/schedstat, in ns):
//       *Main (the JS thread: the WASM engine's baseline tier, lazy compiles, the run itself) and *Bg (every
//       other thread: V8's optimizing-tier compiles of hot WASM functions, GC helpers); `settleBg` is the
//       background CPU of the 300 ms after the second build (compiles still running when a build returns).
//   node benches/cold.mjs snapshot SNAPSHOT.bin   import groupgate, then FilePolicy.fromBytes of the
//       bytes (read before the clock starts). Prints {load, compile: the first fromBytes, again: the median of 9 more}.
// GROUPGATE_PKG=DIR times that package's Node entry (DIR/node.mjs) instead of the installed one, for fresh
// runs alternating with another tree's package (e.g. main's), as the Cold start figures are taken.
import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as P from "./peers.mjs";

const [peer, file] = process.argv.slice(2);
const PKG = process.env.GROUPGATE_PKG;
const FILES = peer.startsWith("groupgate-files");
const groupgate = () => import(PKG ? pathToFileURL(`${PKG}/${FILES ? "files/" : ""}node.mjs`).href : FILES ? "groupgate/files" : "groupgate");
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** CPU ms of [the main thread, every other thread], or null off Linux. */
const threads = () => {
  try {
    let main = 0, bg = 0;
    for (const t of readdirSync("/proc/self/task")) {
      const ns = Number(readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ")[0]);
      if (Number(t) === process.pid) main += ns / 1e6; else bg += ns / 1e6;
    }
    return [main, bg];
  } catch { return null; }
};
/** [wall ms, cpu ms, main-thread cpu ms, background cpu ms] since the mark `m`. The thread
 * split is read before the clocks start (and after they stop, in `since`): reading /proc costs
 * 0.1 ms, 0.4 ms the first time in a process, which a step must not be charged. */
const mark = () => {
  const th = threads();
  return [performance.now(), process.cpuUsage(), th];
};
const since = ([t, c, th]) => {
  const wall = performance.now() - t, d = process.cpuUsage(c), now = threads();
  return [wall, (d.user + d.system) / 1000, th && now ? now[0] - th[0] : null, th && now ? now[1] - th[1] : null];
};
if (peer === "snapshot") {
  const bytes = new Uint8Array(readFileSync(file));
  let m = mark();
  const { FilePolicy } = await groupgate();
  const [load, loadCpu] = since(m);
  m = mark();
  FilePolicy.fromBytes(bytes);
  const [compile, compileCpu] = since(m);
  const again = [], againCpu = [];
  for (let k = 0; k < 9; k++) { m = mark(); FilePolicy.fromBytes(bytes).free(); const [w, c] = since(m); again.push(w); againCpu.push(c); }
  console.log(JSON.stringify({ load, loadCpu, compile, compileCpu, again: median(again), againCpu: median(againCpu) }));
} else {
  const c = JSON.parse(readFileSync(file, "utf8"));
  // groupgate-text: the groups as JSON text (as a worker gets them from KV or a request), read before the clock.
  const text = peer.startsWith("groupgate") && peer.endsWith("-text") ? JSON.stringify(c.groups) : null;
  let build = { groupgate: P.groupgate, picomatch: P.picomatchPeer, casbin: P.casbinPeer, cedar: P.cedarPeer }[peer];
  // Holds the event loop while the engine loads: Node 24 ends a process whose
  // only pending work is a WebAssembly.compile running on V8's background
  // threads (every function compiled at load, the `groupgate-opt` row) with
  // "unsettled top-level await" (exit 13; nodejs/node#36616). Lazy compiles,
  // the default, settle without it.
  const hold = setInterval(() => {}, 1 << 30);
  console.error("T load-start", performance.now().toFixed(1));
  let m = mark();
  if (peer.startsWith("groupgate") && (PKG || text || FILES)) {
    const { FilePolicy } = await groupgate();
    build = (corpus) => new FilePolicy(text ?? corpus.groups);
  } else await P.load(peer);
  const [load, loadCpu, loadMain, loadBg] = since(m);
  console.error("T load-end", performance.now().toFixed(1));
  clearInterval(hold);
  const memory = peer.startsWith("groupgate") ? (await groupgate()).initSync().memory : null;
  const memBefore = memory?.buffer.byteLength;
  m = mark();
  await build(c);
  const [compile, compileCpu, compileMain, compileBg] = since(m);
  console.error("T build-end", performance.now().toFixed(1));
  const memAfter = memory?.buffer.byteLength;
  // The same rules again in this process: JIT warm, memory already grown.
  m = mark();
  await build(c);
  const [again, againCpu] = since(m);
  m = mark();
  await new Promise((r) => setTimeout(r, 300));
  const settleBg = since(m)[3];
  console.log(JSON.stringify({ load, loadCpu, loadMain, loadBg, compile, compileCpu, compileMain, compileBg, again, againCpu, settleBg, memBefore, memAfter }));
}
