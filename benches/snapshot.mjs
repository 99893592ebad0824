// Snapshot load of the headline corpus (issue 12: 10,000 rules load in <= 1 ms).
//   node benches/snapshot.mjs write DIR    writes DIR/mixed-10000.snapshot (`toBytes()` of
//       mixedCorpus(10000), after checking that the loaded copy answers every query alike) and
//       DIR/mixed-10000.json (the corpus, for `cargo run --release --example snapshot_load`).
//   node benches/snapshot.mjs load FILE [N]   the warm load: FilePolicy.fromBytes(bytes).free()
//       20 times unmeasured (the engine's optimizing tier compiles the hot functions), then N times
//       (default 300); prints the mean wall and CPU time (process.cpuUsage, every thread) per load.
//   node benches/snapshot.mjs ab CORPUS.json DIR_A DIR_B [ROUNDS]   two builds of the package
//       side by side in one process (DIR/node.mjs each, e.g. pkg/files and a branch's): each
//       compiles CORPUS.json's groups (a `write` corpus) and saves them with its own code, loads
//       its snapshot 30 times, then both are timed in ROUNDS (default 15) alternating blocks of
//       40 loads; prints each one's median and lowest CPU time a load. One process and
//       alternating blocks: the machine's phase moves both alike (session 30).
// The first load in a fresh process: `node benches/cold.mjs snapshot FILE`.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
} else if (mode === "ab") {
  const groups = JSON.parse(readFileSync(file, "utf8")).groups;
  const [rounds = "15"] = process.argv.slice(6);
  const engines = [];
  for (const [i, dir] of [n, process.argv[5]].entries()) {
    const url = `${pathToFileURL(resolve(dir, "node.mjs")).href}?${i}`;
    const { FilePolicy: Policy } = await import(url);
    const p = new Policy(groups);
    const bytes = p.toBytes();
    p.free();
    for (let k = 0; k < 30; k++) Policy.fromBytes(bytes).free();
    engines.push({ dir, Policy, bytes, cpu: [] });
  }
  for (let r = 0; r < Number(rounds); r++) {
    for (const e of engines) {
      const c0 = process.cpuUsage();
      for (let k = 0; k < 40; k++) e.Policy.fromBytes(e.bytes).free();
      const c = process.cpuUsage(c0);
      e.cpu.push((c.user + c.system) / 1000 / 40);
    }
  }
  for (const e of engines) {
    const v = e.cpu.sort((a, b) => a - b);
    const ms = (x) => x.toFixed(3);
    console.log(`${e.dir}: ${e.bytes.length} bytes, ${ms(v[v.length >> 1])} ms CPU a load (lowest ${ms(v[0])})`);
  }
} else {
  console.error("usage: node benches/snapshot.mjs write DIR | load FILE [N] | ab CORPUS.json DIR_A DIR_B [ROUNDS]");
  process.exit(2);
}
