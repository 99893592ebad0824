// What `./dev bench` does not time (session 13, perf7): each shape of
// benches/shapes.mjs with its p99, explain, build and WASM memory, and the
// questions around the corpora (a member of many groups, long paths, paths
// that keep making new automaton states, checkMany, case folding).
//   node benches/stress.mjs shapes [--only=a,b] [--sizes=100,1000,10000]
//   node benches/stress.mjs groups|long|thrash|many|fold|together (groups: a member of 1/50/200 of 200
//   groups, and every group allowing `**`; together: distinct globs that all match a path, session 15)
// Timings are wall time on a shared machine: read them against each other.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SHAPES, mixedCorpus, shapeCorpus } from "./shapes.mjs";
import { rng } from "./corpus.mjs";
import * as P from "./peers.mjs";
import { median, quantile } from "./lib.mjs";

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const SELF = fileURLToPath(import.meta.url);
const MISS = 1_000_003;
const byKey = Object.fromEntries(SHAPES.map((s) => [s.key, s]));

/** Median µs per call (rounds over every path) and the p99 of single timed calls (timer cost removed). */
function timeChecks(fn, paths, ms = 300) {
  for (let k = 0; k < 2000; k++) fn(paths[k % paths.length]);
  const per = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const t = process.hrtime.bigint();
    for (let r = 0; r < 8; r++) for (const p of paths) fn(p);
    per.push(Number(process.hrtime.bigint() - t) / 1000 / (8 * paths.length));
  }
  const one = [], empty = [];
  for (let k = 0; k < 20000; k++) {
    let t = process.hrtime.bigint();
    fn(paths[k % paths.length]);
    one.push(Number(process.hrtime.bigint() - t));
    t = process.hrtime.bigint();
    empty.push(Number(process.hrtime.bigint() - t));
  }
  return { median: median(per), p99: (quantile(one, 0.99) - median(empty)) / 1000 };
}

const cpuUs = (f) => { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); return c.user + c.system; };
const g = await import("groupgate");
const memory = g.initSync().memory;
const MB = (b = memory.buffer.byteLength) => (b / 2 ** 20).toFixed(1);
const team = (rules) => [{ id: "t", permissions: ["documents:full"], filePermissions: rules }];

/** One shape at one size (a fresh process each: WASM memory starts small). */
function shapeRow(key, n) {
  const c = shapeCorpus(key, n);
  const before = memory.buffer.byteLength;
  let policy = new g.FilePolicy(c.groups);
  const builds = [];
  for (let k = 0; k < (n >= 10000 ? 3 : 7); k++) {
    policy.free();
    const t = performance.now();
    policy = new g.FilePolicy(c.groups);
    builds.push(performance.now() - t);
  }
  const member = c.members[0];
  const check = timeChecks((p) => policy.check(member, p, "visible"), c.paths);
  const explain = timeChecks((p) => policy.explain(member, p, "visible"), c.paths, 150);
  let pico = null;
  if (n <= 1000) {
    const peer = P.picomatchPeer(c);
    pico = timeChecks((p) => peer.check(0, p, "visible"), c.paths, 200);
  }
  return { key, n, check, explain, build: median(builds), before, after: memory.buffer.byteLength, pico };
}

const which = process.argv[2];
if (which === "shape-row") console.log(JSON.stringify(shapeRow(arg("key"), Number(arg("n")))));
if (which === "shapes") {
  const sizes = (arg("sizes") ?? "100,1000,10000").split(",").map(Number);
  const keys = arg("only") ? arg("only").split(",") : SHAPES.map((s) => s.key);
  console.log("| shape | rules | check median | p99 | explain | build | WASM memory | picomatch loop (÷ groupgate) |\n|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const key of keys) for (const n of sizes) {
    const out = execFileSync(process.execPath, [SELF, "shape-row", `--key=${key}`, `--n=${n}`], { encoding: "utf8", maxBuffer: 1 << 26 });
    const r = JSON.parse(out.trim().split("\n").pop());
    const pico = r.pico ? `${r.pico.median.toFixed(1)} µs (${(r.pico.median / r.check.median).toFixed(0)}×)` : "–";
    console.log(`| ${byKey[key].label} | ${n} | ${r.check.median.toFixed(2)} µs | ${r.check.p99.toFixed(2)} µs | ${r.explain.median.toFixed(2)} µs | ${r.build.toFixed(1)} ms | ${MB(r.before)} → ${MB(r.after)} MB | ${pico} |`);
  }
}
if (which === "groups") {
  // n rules of the mixed corpus's shapes over 200 groups; a member of 1, 50 or 200 of them.
  for (const n of [1000, 10000]) {
    const r = rng(n);
    const ids = Array.from({ length: 200 }, (_, k) => `g${k}`);
    const shapes = SHAPES.filter((s) => !s.extra);
    const rules = Array.from({ length: n }, (_, i) => ({ group: ids[r.int(200)], s: shapes[r.int(shapes.length)], i, effect: r.int(4) ? "allow" : "deny" }));
    const groups = ids.map((id) => ({ id, permissions: ["documents:full"],
      filePermissions: rules.filter((x) => x.group === id).map((x) => ({ effect: x.effect, actions: ["visible"], patterns: [x.s.glob(x.i)] })) }));
    const policy = new g.FilePolicy(groups);
    for (const k of [1, 50, 200]) {
      const member = ids.slice(0, k);
      const held = rules.filter((x) => member.includes(x.group));
      const paths = [];
      for (let j = 0; j < 16; j++) {
        const h = held[r.int(held.length)];
        const m = rules[r.int(n)];
        paths.push(h.s.hit(h.i), m.s.hit(MISS + m.i));
      }
      const t = timeChecks((p) => policy.check(member, p, "visible"), paths);
      console.log(`200 groups, ${n} rules, a member of ${k}: check ${t.median.toFixed(2)} µs, p99 ${t.p99.toFixed(2)} µs`);
    }
    policy.free();
  }
}
if (which === "groups") {
  // Every group allows `**` and denies its own directory and `**/*.key`: one glob many groups share.
  for (const n of [100, 1000, 10000]) {
    const groups = Array.from({ length: n }, (_, j) => ({ id: `g${j}`, permissions: ["documents:full"], filePermissions: [
      { effect: "allow", actions: ["visible"], patterns: ["**"] },
      { effect: "deny", actions: ["visible"], patterns: [`secret${j}/**`, "**/*.key"] },
    ] }));
    const policy = new g.FilePolicy(groups);
    const t = timeChecks((p) => policy.check(["g1", "g7"], p, "visible"), ["src/a/b.md", "secret7/x", "docs/readme.md", "a/b/c.key"]);
    console.log(`${n} groups each allowing **, a member of 2: check ${t.median.toFixed(2)} µs, p99 ${t.p99.toFixed(2)} µs`);
    policy.free();
  }
}
if (which === "long") {
  // The mixed corpus's query paths made 1 KB and 4 KB long by segments inserted before the name.
  for (const n of [1000, 10000]) {
    const c = mixedCorpus(n);
    const policy = new g.FilePolicy(c.groups);
    for (const len of [64, 1024, 4096]) {
      const r = rng(len);
      const paths = c.paths.slice(0, 32).map((base) => {
        const cut = base.lastIndexOf("/");
        let mid = "";
        while (base.length + mid.length < len - 12) mid += `/d${r.int(100)}x`;
        return (base.slice(0, cut) + mid + base.slice(cut)).slice(-len).replace(/^\/+/, "");
      });
      const t = timeChecks((p) => policy.check(c.members[0], p, "visible"), paths);
      console.log(`mixed ${n} rules, paths of ${len} B: check ${t.median.toFixed(2)} µs (${((t.median * 1000) / len).toFixed(1)} ns a byte), p99 ${t.p99.toFixed(2)} µs`);
    }
    policy.free();
  }
}
if (which === "thrash") {
  // Every path new, each walking the lazy DFA into states it never built (the cache fills and is cleared).
  for (const n of [1000, 10000]) {
    const kinds = [
      ["infix `**/*secretN_*`, 6 random names a path", team(Array.from({ length: n }, (_, i) => ({ effect: i % 5 ? "allow" : "deny", actions: ["visible"], patterns: [`**/*secret${i}_*`] }))),
        (r) => `ops/${Array.from({ length: 6 }, () => `secret${r.int(n)}_`).join("")}${r.int(1e9)}.txt`],
      ["multi-star `**/*aN_*b*c*`, 40 random bytes", team(Array.from({ length: n }, (_, i) => ({ effect: i % 5 ? "allow" : "deny", actions: ["visible"], patterns: [`**/*a${i}_*b*c*`] }))),
        (r) => `k/${Array.from({ length: 40 }, () => "abc_0123456789"[r.int(14)]).join("")}`],
    ];
    for (const [label, groups, path] of kinds) {
      const policy = new g.FilePolicy(groups);
      const r = rng(99);
      const paths = Array.from({ length: 50000 }, () => path(r));
      const before = MB();
      const each = paths.map((p) => cpuUs(() => { try { policy.check(["t"], p, "visible"); } catch { /* path.too_complex */ } }));
      const warm = timeChecks((p) => policy.check(["t"], p, "visible"), paths.slice(0, 32));
      console.log(`${label}, ${n} rules: 50,000 new paths ${median(each).toFixed(1)} µs CPU median, p99 ${quantile(each, 0.99).toFixed(0)} µs, max ${Math.max(...each)} µs (process CPU); the same 32 again ${warm.median.toFixed(2)} µs; WASM ${before} -> ${MB()} MB`);
      policy.free();
    }
  }
}
if (which === "many") {
  for (const n of [1000, 10000]) {
    const c = mixedCorpus(n);
    const policy = new g.FilePolicy(c.groups);
    const member = c.members[0];
    const paths = Array.from({ length: 10000 }, (_, k) => c.paths[k % c.paths.length] + (k % 3 ? "" : `.v${k}`));
    for (let k = 0; k < 5; k++) policy.checkMany(member, paths, "visible");
    const times = Array.from({ length: 30 }, () => cpuUs(() => policy.checkMany(member, paths, "visible")));
    const one = timeChecks((p) => policy.check(member, p, "visible"), c.paths.slice(0, 32));
    console.log(`mixed ${n} rules: checkMany of 10,000 paths ${(median(times) / 1000).toFixed(2)} ms CPU (${(median(times) / 10000).toFixed(3)} µs a path); check ${one.median.toFixed(3)} µs`);
    policy.free();
  }
}
if (which === "fold") {
  for (const n of [1000, 10000]) {
    const c = mixedCorpus(n);
    const exact = new g.FilePolicy(c.groups);
    const fold = new g.FilePolicy(c.groups, { caseInsensitive: true });
    const lower = c.paths.slice(0, 32);
    const upper = lower.map((p) => p.toUpperCase());
    const t = (pol, ps) => timeChecks((p) => pol.check(c.members[0], p, "visible"), ps).median.toFixed(3);
    console.log(`mixed ${n} rules: case-sensitive ${t(exact, lower)} µs; caseInsensitive, paths as written ${t(fold, lower)} µs, upper-cased ${t(fold, upper)} µs`);
  }
}
if (which === "together") {
  // Distinct globs that all match the path, 2,000 a rule, allows and denies in turn: a trie list, a run of
  // equal suffixes, one automaton state. A decision reads one per group, effect and actions of them.
  for (const shape of (arg("shapes") ?? "{**,N};**/{*.js,N};{*/**,N}").split(";")) for (const n of (arg("sizes") ?? "10000,100000,500000").split(",").map(Number)) {
    const rules = [];
    for (let i = 0; i < n; i += 2000) {
      const patterns = Array.from({ length: Math.min(2000, n - i) }, (_, k) => shape.replace("N", String(i + k))).join(",");
      rules.push({ effect: (i / 2000) % 2 ? "deny" : "allow", actions: ["visible", "modify"], patterns });
    }
    const t0 = performance.now();
    const policy = new g.FilePolicy(team(rules));
    const build = performance.now() - t0;
    const first = cpuUs(() => policy.check(["t"], "src/a/b.js", "modify"));
    const t = timeChecks((p) => policy.check(["t"], p, "modify"), ["src/a/b.js", "x.js", "d/e/f/g.js", "readme.md"]);
    console.log(`${shape} × ${n}: build ${build.toFixed(0)} ms, first check ${first} µs CPU, then ${t.median.toFixed(2)} µs (p99 ${t.p99.toFixed(2)})`);
    policy.free();
  }
}
