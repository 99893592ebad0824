// Snapshot load of the headline corpus (issue 12: 10,000 rules load in <= 1 ms).
//   node benches/snapshot.mjs write DIR    writes DIR/mixed-10000.snapshot (`toBytes()` of
//       mixedCorpus(10000), after checking that the loaded copy answers every query alike) and
//       DIR/mixed-10000.json (the corpus, for `cargo run --release --example snapshot_load`).
//   node benches/snapshot.mjs load FILE [N]   the warm load: FilePolicy.fromBytes(bytes).free()
//       20 times unmeasured (the engine's optimizing tier compiles the hot functions), then N times
//       (default 300); prints the mean wall and CPU time (process.cpuUsage, every thread) per load.
// The first load in a fresh process: `node benches/cold.mjs snapshot FILE`.
import { readFileSync, writeFileSync } from "node:fs";
import { FilePolicy } from "groupgate";
import { mixedCorpus } from "./shapes.mjs";

const [mode, file, n = "300"] = process.argv.slice(2);
if (mode === "write") {
  const c = mixedCorpus(10000);
  const policy = new FilePolicy(c.groups);
  const bytes = policy.toBytes();
  const back = FilePolicy.fromBytes(bytes);
  for (const q of c.queries) {
    const member = c.members[q.member];
    if (back.check(member, q.path, q.action) !== policy.check(member, q.path, q.action)) {
      console.error(`FAIL: the snapshot answers ${q.path} differently`);
      process.exit(1);
    }
  }
  writeFileSync(`${file}/mixed-10000.snapshot`, bytes);
  writeFileSync(`${file}/mixed-10000.json`, JSON.stringify(c));
  console.log(`${file}/mixed-10000.snapshot: ${bytes.length} bytes`);
} else if (mode === "load") {
  const bytes = new Uint8Array(readFileSync(file));
  for (let i = 0; i < 20; i++) FilePolicy.fromBytes(bytes).free();
  const times = Number(n);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < times; i++) FilePolicy.fromBytes(bytes).free();
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / times;
  const cpu = (c.user + c.system) / 1000 / times;
  console.log(JSON.stringify({ bytes: bytes.length, loads: times, wall, cpu }));
} else {
  console.error("usage: node benches/snapshot.mjs write DIR | load FILE [N]");
  process.exit(2);
}
