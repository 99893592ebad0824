// Node benchmark of Baseten previews (SPEC §5: ≤ 5 ms in a 10,000-group
// workspace). Prints medians; run with `node benches/preview.mjs` after
// `./dev build`. Not a test: timings are reported, never asserted.
import { Workspace } from "groupgate";
import { bigState } from "../tests/js/fixtures/baseten-big.mjs";

const limit = (type, unit, threshold) => ({ type, unit, threshold });
const update = (id, body) => ({ op: "update", params: { group_id: id }, body });



function median(f, runs) {
  for (let i = 0; i < 5; i++) f();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  return times[runs >> 1];
}

const state = bigState();
let t0 = performance.now();
const ws = Workspace.from(state);
const build = performance.now() - t0;
const cases = [
  ["leaf update (1 group re-bound)", update("r.8.9.9.8", { models: [{ slug: "org/a" }, { slug: "org/b", rate_limits: [limit("REQUEST", "SECOND", 5)] }, { slug: "org/c" }] }), 101],
  ["root update, same models (no change)", update("r", { models: state.groups[0].models }), 101],
  ["level-2 update re-binding 1,011 groups", update("r.3", { models: [{ slug: "org/a", rate_limits: [limit("TOKEN", "MINUTE", 40000)] }, { slug: "org/b" }, { slug: "org/c" }] }), 21],
  ["root models: [] (all 10,000 groups and keys lose access)", update("r", { models: [] }), 5],
];
console.log(`Workspace.from(${state.groups.length} groups, ${state.keys.length} keys): ${build.toFixed(1)} ms`);
for (const [label, req, runs] of cases) {
  const v = ws.preview(req);
  if (!v.ok) throw new Error(`${label}: ${JSON.stringify(v.errors)}`);
  console.log(`preview, ${label}: median ${median(() => ws.preview(req), runs).toFixed(3)} ms`);
}
