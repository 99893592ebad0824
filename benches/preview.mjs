// Node benchmark of the Baseten Workspace (issue 17): Workspace.from (object
// and JSON text), snapshot load (fromBytes), apply, and previews by number
// of groups changed (1, ≈100, ≈1,000, all), with and without the summary
// form, at 1,000 and 10,000 groups. Run with `node benches/preview.mjs
// [size…]` after `./dev build`. Prints medians of wall time and of CPU
// time (process.cpuUsage, which a busy machine inflates less). Not a test:
// timings are reported, never asserted. `--json` prints the rows as JSON.
import { Workspace } from "groupgate";
import { bigState } from "../tests/js/fixtures/baseten-big.mjs";

const limit = (type, unit, threshold) => ({ type, unit, threshold });
const update = (id, models) => ({ op: "update", params: { group_id: id }, body: { models } });

export function measure(f, runs) {
  for (let i = 0; i < Math.min(runs, 3); i++) f();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const mid = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
  return { wall: mid(wall), cpu: mid(cpu) };
}

export function benchWorkspace(size) {
  const state = bigState(size);
  const text = JSON.stringify(state);
  const rows = [];
  const row = (name, f, runs) => rows.push({ name, ...measure(f, runs) });
  const big = size >= 10000 ? 11 : 31;
  row("Workspace.from(object)", () => Workspace.from(state).free(), big);
  row(`Workspace.from(JSON text, ${(text.length / 1e6).toFixed(1)} MB)`, () => Workspace.from(text).free(), big);
  const ws = Workspace.from(text);
  const bytes = ws.toBytes();
  row(`toBytes (${(bytes.length / 1e6).toFixed(2)} MB)`, () => ws.toBytes(), big);
  row("Workspace.fromBytes (snapshot load)", () => Workspace.fromBytes(bytes).free(), big);
  const leaf = state.groups[state.groups.length - 1].id;
  const leafModels = (n) => [{ slug: "org/a" }, { slug: "org/b", rate_limits: [limit("REQUEST", "SECOND", n)] }, { slug: "org/c" }];
  const level2 = (n) => [{ slug: "org/a", rate_limits: [limit("TOKEN", "MINUTE", n)] }, { slug: "org/b" }, { slug: "org/c" }];
  for (const [name, id, a, b] of [
    ["apply: leaf limit change (1 group)", leaf, leafModels(5), leafModels(6)],
    ["apply: level-2 limit change (its subtree)", "r.0", level2(40000), level2(45000)],
  ]) {
    const w = Workspace.fromBytes(bytes);
    let flip = false;
    row(name, () => {
      flip = !flip;
      const v = w.apply(update(id, flip ? a : b));
      if (!v.ok) throw new Error(`${name}: ${JSON.stringify(v.errors)}`);
    }, 21);
    w.free();
  }
  const dropB = [{ slug: "org/a" }, { slug: "org/c" }];
  for (const id of [leaf, "r.0.0", "r.0", "r"]) {
    const req = id === leaf ? update(id, leafModels(5)) : update(id, dropB);
    const changed = ws.preview(req).changes.groups.length;
    for (const [form, options] of [["full", undefined], ["summary 100", { summary: 100 }]]) {
      row(`preview, ${changed} groups changed (${form})`, () => ws.preview(req, undefined, options), changed >= 10000 ? 7 : changed >= 1000 ? 21 : 101);
    }
  }
  ws.free();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const out = {};
  for (const size of sizes.length ? sizes : [1000, 10000]) {
    out[size] = benchWorkspace(size);
    if (!process.argv.includes("--json")) {
      for (const r of out[size]) console.log(`${size} groups, ${r.name}: wall ${r.wall.toFixed(3)} ms, cpu ${r.cpu.toFixed(3)} ms`);
    }
  }
  if (process.argv.includes("--json")) console.log(JSON.stringify(out));
}
