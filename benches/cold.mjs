// One cold start, in a fresh Node process (spawned by benches/run.mjs).
// Every step reports wall time and CPU time (process.cpuUsage: user + system
// of every thread, V8's background compilers included): on a loaded machine
// the wall time mostly measures the wait for a core, the CPU time the work.
//   node benches/cold.mjs PEER CORPUS.json   import the engine (for the WASM engines that compiles and
//       instantiates the .wasm), then build the policy of the corpus (JSON, read before the clock starts).
//       Prints {load, compile, again} in ms (again: a second build in the same process) and, for
//       groupgate, the WASM memory around the first build.
//   node benches/cold.mjs snapshot SNAPSHOT.bin   import groupgate, then FilePolicy.fromBytes of the
//       bytes (read before the clock starts). Prints {load, compile: the first fromBytes, again: the median of 9 more}.
import { readFileSync } from "node:fs";
import * as P from "./peers.mjs";

const [peer, file] = process.argv.slice(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** [wall ms, cpu ms] since the mark `m`. */
const mark = () => [performance.now(), process.cpuUsage()];
const since = ([t, c]) => { const d = process.cpuUsage(c); return [performance.now() - t, (d.user + d.system) / 1000]; };
if (peer === "snapshot") {
  const bytes = new Uint8Array(readFileSync(file));
  let m = mark();
  const { FilePolicy } = await import("groupgate");
  const [load, loadCpu] = since(m);
  m = mark();
  FilePolicy.fromBytes(bytes);
  const [compile, compileCpu] = since(m);
  const again = [], againCpu = [];
  for (let k = 0; k < 9; k++) { m = mark(); FilePolicy.fromBytes(bytes).free(); const [w, c] = since(m); again.push(w); againCpu.push(c); }
  console.log(JSON.stringify({ load, loadCpu, compile, compileCpu, again: median(again), againCpu: median(againCpu) }));
} else {
  const c = JSON.parse(readFileSync(file, "utf8"));
  const build = { groupgate: P.groupgate, picomatch: P.picomatchPeer, casbin: P.casbinPeer, cedar: P.cedarPeer }[peer];
  let m = mark();
  await P.load(peer);
  const [load, loadCpu] = since(m);
  const memory = peer === "groupgate" ? (await import("groupgate")).initSync().memory : null;
  const memBefore = memory?.buffer.byteLength;
  m = mark();
  await build(c);
  const [compile, compileCpu] = since(m);
  const memAfter = memory?.buffer.byteLength;
  // The same rules again in this process: JIT warm, memory already grown.
  m = mark();
  await build(c);
  const [again, againCpu] = since(m);
  console.log(JSON.stringify({ load, loadCpu, compile, compileCpu, again, againCpu, memBefore, memAfter }));
}
