// One cold start, in a fresh Node process (spawned by benches/run.mjs):
// import the engine (for the WASM engines that compiles and instantiates the
// .wasm), then build the policy of the corpus in argv[3] (JSON, read before
// the clock starts). Prints {load, compile, again} in ms (again: a second
// build in the same process) and, for groupgate, the WASM memory around the first build.
import { readFileSync } from "node:fs";
import * as P from "./peers.mjs";

const [peer, file] = process.argv.slice(2);
const c = JSON.parse(readFileSync(file, "utf8"));
const build = { groupgate: P.groupgate, picomatch: P.picomatchPeer, casbin: P.casbinPeer, cedar: P.cedarPeer }[peer];
const t0 = performance.now();
await P.load(peer);
const t1 = performance.now();
const memory = peer === "groupgate" ? (await import("groupgate")).initSync().memory : null;
const memBefore = memory?.buffer.byteLength;
await build(c);
const t2 = performance.now();
const memAfter = memory?.buffer.byteLength;
// The same rules again in this process: JIT warm, memory already grown.
const t3 = performance.now();
await build(c);
const again = performance.now() - t3;
console.log(JSON.stringify({ load: t1 - t0, compile: t2 - t1, again, memBefore, memAfter }));
