// One cold start, in a fresh Node process (spawned by benches/run.mjs):
// import the engine (for the WASM engines that compiles and instantiates the
// .wasm), then build the policy of the corpus in argv[3] (JSON, read before
// the clock starts). Prints {load, compile} in ms.
import { readFileSync } from "node:fs";
import * as P from "./peers.mjs";

const [peer, file] = process.argv.slice(2);
const c = JSON.parse(readFileSync(file, "utf8"));
const build = { groupgate: P.groupgate, picomatch: P.picomatchPeer, casbin: P.casbinPeer, cedar: P.cedarPeer }[peer];
const t0 = performance.now();
await P.load(peer);
const t1 = performance.now();
await build(c);
const t2 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, compile: t2 - t1 }));
