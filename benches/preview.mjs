// Node benchmark of Baseten previews (SPEC §5: ≤ 5 ms in a 10,000-group
// workspace). Prints medians; run with `node benches/preview.mjs` after
// `./dev build`. Not a test: timings are reported, never asserted.
import { Workspace } from "groupgate";

const limit = (type, unit, threshold) => ({ type, unit, threshold });
const update = (id, body) => ({ op: "update", params: { group_id: id }, body });


function bigState() {
  const groups = [];
  const keys = [];
  const add = (id, parent, level) => {
    const a = level === 1
      ? { slug: "org/a", rate_limits: [limit("TOKEN", "MINUTE", 100000)], usage_limits: [limit("TOKEN", "DAY", 1000000000)] }
      : level === 2 ? { slug: "org/a", rate_limits: [limit("TOKEN", "MINUTE", 50000)] } : { slug: "org/a" };
    const b = level === 5 ? { slug: "org/b", rate_limits: [limit("REQUEST", "SECOND", 10)] } : { slug: "org/b" };
    groups.push({
      id,
      metadata: { external_entity_id: `ext-${id}` },
      models: [a, b, { slug: "org/c" }],
      hierarchy: { limit_enforcement: "CASCADING", parent_group_id: parent },
    });
    keys.push({ prefix: `k-${id}`, group_id: id });
  };
  add("r", null, 1);
  outer: for (let a = 0; a < 10; a++) {
    add(`r.${a}`, "r", 2);
    for (let b = 0; b < 10; b++) {
      if (groups.length === 10000) break outer;
      add(`r.${a}.${b}`, `r.${a}`, 3);
      for (let c = 0; c < 10; c++) {
        if (groups.length === 10000) break outer;
        add(`r.${a}.${b}.${c}`, `r.${a}.${b}`, 4);
        for (let d = 0; d < 9; d++) {
          if (groups.length === 10000) break outer;
          add(`r.${a}.${b}.${c}.${d}`, `r.${a}.${b}.${c}`, 5);
        }
      }
    }
  }
  return { groups, keys };
}

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
