// Writes BENCHMARKS.md, benches/chart.svg and the README headline from the
// results of benches/run.mjs (also saved as target/bench/results.json, so
// `node benches/report.mjs` alone re-renders the last run).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { SHAPES as SHAPE_DEFS, MIXED_SHAPES, MIXED_GROUPS } from "./shapes.mjs";
import { fmtTime, fmtRatio, kb, n0 } from "./lib.mjs";
import { chart } from "./chart.mjs";
import { versionOf } from "./peers.mjs";

const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: "utf8" }).trim(); } catch { return "?"; } };
const label = Object.fromEntries(SHAPE_DEFS.map((s) => [s.key, s.label]));

function machine(root, d) {
  const cpu = (() => { try { return readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m)?.[1]; } catch { return cpus()[0]?.model; } })();
  const t = d.tree ?? {};
  return {
    cpu, cores: cpus().length, mem: `${Math.round(totalmem() / 2 ** 30)} GiB`, node: process.version, rustc: sh("rustc", ["--version"]),
    load: t.loadStart ?? "?", loadEnd: t.loadEnd ?? loadavg().map((x) => x.toFixed(2)).join(", "),
    commit: t.commit ?? sh("git", ["-C", root, "rev-parse", "--short", "HEAD"]), subject: t.subject ?? "", dirty: t.dirty ?? false,
    date: t.date ?? new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    note: process.env.GROUPGATE_BENCH_NOTE ?? "",
  };
}

/** The acceptance rows: [target, measured, verdict]. */
export function targets(d) {
  const rows = [];
  const at = (r, n) => r?.[n];
  const shapeRows = d.SHAPES.map((k) => [label[k], d.shapes[k]]);
  const all = [...shapeRows, ["mixed corpus", d.mixed]];
  for (const [n, limit] of [[1000, 1], [10000, 2]]) {
    const over = all.filter(([, r]) => at(r, n) && at(r, n).groupgate.median > limit);
    const worst = all.filter(([, r]) => at(r, n)).sort((a, b) => b[1][n].groupgate.median - a[1][n].groupgate.median)[0];
    if (!worst) continue;
    rows.push([`File check ≤ ${limit} µs median at ${n0(n)} rules in Node, every shape and the mixed corpus`,
      `slowest: ${worst[0]} ${fmtTime(worst[1][n].groupgate.median)}; mixed ${fmtTime(d.mixed[n]?.groupgate.median)}`,
      over.length ? `**gap**: ${over.map(([l, r]) => `${l} ${fmtTime(r[n].groupgate.median)}`).join("; ")}` : "met"]);
  }
  const ratios = all.filter(([, r]) => r[1000]).map(([l, r]) => [l, r[1000].picomatch.median / r[1000].groupgate.median]);
  const low = ratios.filter(([, x]) => x < 10);
  const m1k = d.mixed[1000];
  if (m1k) {
    rows.push(["≥ 10× the picomatch loop (1,000 rules)", `mixed ${fmtRatio(m1k.picomatch.median / m1k.groupgate.median)}; lowest shape ${fmtRatio(Math.min(...ratios.map((x) => x[1])))}`,
      low.length ? `**gap**: ${low.map(([l, x]) => `${l} ${fmtRatio(x)}`).join("; ")}` : "met"]);
    const gs = d.native.check["mixed-1000"]?.globset, gn = d.native.check["mixed-1000"]?.groupgate;
    rows.push(["Faster than native globset on the mixed corpus (1,000 rules)", gs != null
      ? `groupgate in Node ${fmtTime(m1k.groupgate.median)} vs globset native \`matches_into\` ${fmtTime(gs)} (${fmtRatio(gs / m1k.groupgate.median)}); ` +
        `like for like in the same criterion run (both native, both inflated alike by the load): groupgate ${fmtTime(gn)}, globset ${fmtRatio(gs / gn)} slower` : "globset not measured",
      gs == null ? "not measured" : gs > m1k.groupgate.median ? "met" : "**gap**"]);
  }
  const c = d.cold.groupgate;
  const cw = (cpu, wall) => `${cpu.toFixed(cpu < 10 ? 2 : 1)} ms CPU (wall ${wall.toFixed(1)} ms)`;
  if (c) {
    const w = d.cold.workerd;
    // Judged on the whole process's CPU (V8's background compiles included); the JS thread
    // (what an edge runtime bills a request for) is given beside it, never instead (Cold start).
    const js = Number.isFinite(c.compileMain) ? `; on the JS thread ${(c.loadMain + c.compileMain).toFixed(1)} ms (load ${c.loadMain.toFixed(1)} + build ${c.compileMain.toFixed(1)})` : "";
    // The full entry and `groupgate/files` (the entry made for cold starts: README "Cold start"), each
    // judged; the idle machine's figures, change by change, are in "Cold start, by hand".
    const f = d.cold["groupgate-files"];
    const judged = (x) => (x.totalCpu <= 10 ? "met" : `**gap ${(x.totalCpu - 10).toFixed(1)} ms**`);
    rows.push(["Instantiate + compile 1,000 mixed rules ≤ 10 ms, fresh Node (judged on the CPU time of the whole process: the machine is shared; the JS thread beside it)",
      `full entry ${cw(c.totalCpu, c.total)}: load ${c.loadCpu.toFixed(1)} + build ${c.compileCpu.toFixed(1)} ms CPU${js}` +
        `${f ? `; \`groupgate/files\` ${cw(f.totalCpu, f.total)}: load ${f.loadCpu.toFixed(1)} + build ${f.compileCpu.toFixed(1)} ms CPU` : ""}. On the idle machine: "Cold start, by hand"`,
      f ? `full entry ${judged(c)}; \`groupgate/files\` ${judged(f)}` : judged(c)]);
    rows.push(["… and in workerd (fresh isolate)", w?.coldCpu != null ? `${cw(w.coldCpu, w.cold)}${w.coldMain != null ? `; ${w.coldMain.toFixed(1)} ms on the thread that ran the request` : ""}` : `not measured${w?.error ? ` (${w.error})` : ""}`,
      w?.coldCpu == null ? "not measured" : w.coldCpu <= 10 ? "met" : `**gap ${(w.coldCpu - 10).toFixed(1)} ms**`]);
  }
  // Two rows: the load in a running process (issue 12's "10,000 rules load in ≤ 1 ms", the work a
  // server or worker does as policies change), and a fresh process's first, which adds V8 compiling
  // the load's code and the kernel's first touch of the memory it fills (BENCHMARKS "Cold start").
  const s = d.cold.snapshot, sw = d.snapshot;
  rows.push(["Snapshot load (FilePolicy.fromBytes, 10,000 rules) ≤ 1 ms, in a running process", sw?.warmCpu != null ? `${sw.warmCpu.toFixed(2)} ms CPU (wall ${sw.warm.toFixed(2)} ms) a load, the mean of ${n0(sw.warmLoads)} after 20 in one process` : "not measured",
    sw?.warmCpu == null ? "not measured" : sw.warmCpu <= 1 ? "met" : `**gap ${(sw.warmCpu - 1).toFixed(2)} ms**`]);
  rows.push(["… the first load in a fresh Node process", s ? `${cw(s.compileCpu, s.compile)}, then ${s.againCpu.toFixed(2)} ms CPU (median of the next nine, V8's baseline tier); workerd (with instantiate) ${d.cold.workerd?.snapCpu != null ? cw(d.cold.workerd.snapCpu, d.cold.workerd.snap) : "–"}` : "no fromBytes in this build",
    !s ? "not measured" : s.compileCpu <= 1 ? "met" : `**gap ${(s.compileCpu - 1).toFixed(1)} ms**: V8 compiles the load's code on its first call and runs it in its baseline tier`]);
  const g = d.sizes[0].gz;
  rows.push(["WASM + JS glue ≤ 250 KB gzipped", kb(g), g <= 250_000 ? "met" : `**gap ${kb(g - 250_000)}**`]);
  // SPEC §5's Baseten targets as it words them: the build of 10,000 groups, a preview that changes
  // few groups, and one that changes n: O(n), ≤ 5 ms at n = 1,000 (read as ≤ 5 µs a changed group
  // from 1,000 changes up: the 10,000-change case is held to 50 ms).
  if (d.preview[10000]) {
    const [, from, , fromFirst] = d.preview[10000][0];
    rows.push(["Baseten `Workspace.from` of 10,000 groups ≤ 20 ms in Node", `${fmtTime(from * 1000)} (median of 5, from objects; the first in the process ${fmtTime((fromFirst ?? from) * 1000)})`, from <= 20 ? "met" : `**gap ${(from - 20).toFixed(1)} ms**`]);
    const cases = [...d.preview[1000].slice(1).map((r) => [1000, ...r]), ...d.preview[10000].slice(1).map((r) => [10000, ...r])];
    const few = cases.filter(([, , , ch]) => ch <= 10);
    const overFew = few.filter(([, , ms]) => ms > 0.1);
    rows.push(["Baseten preview that changes few groups ≤ 100 µs", few.map(([n, l, ms, ch]) => `${l}, ${n0(n)} groups (${ch} changed): ${fmtTime(ms * 1000)}`).join("; "),
      overFew.length ? `**gap**: ${overFew.map(([n, l]) => `${l} (${n0(n)} groups)`).join("; ")}` : "met"]);
    const many = cases.filter(([, , , ch]) => ch >= 1000);
    const overMany = many.filter(([, , ms, ch]) => ms > 5 * (ch / 1000));
    rows.push(["Baseten preview that changes n groups: O(n), ≤ 5 ms at n = 1,000", many.map(([n, l, ms, ch]) => `${l}, ${n0(n)} groups: ${n0(ch)} changed in ${fmtTime(ms * 1000)} (${fmtTime((ms * 1000) / ch)} a group)`).join("; "),
      overMany.length ? `**gap**: ${overMany.map(([n, l]) => `${l} (${n0(n)} groups)`).join("; ")}` : "met"]);
  }
  rows.push(["No memory growth over 1,000,000 calls", `${n0(d.memory.before)} → ${n0(d.memory.after)} bytes`, d.memory.after === d.memory.before ? "met" : "**gap**"]);
  return rows;
}

/** A globset cell: the median, or why globset has none. */
const gsCell = (d, id) => (d.native.check[id]?.globset != null ? fmtTime(d.native.check[id].globset) : d.native.globsetFailures?.[id] ? "cannot build¹" : "–");
const slope = (r, key, lo, hi) => (r?.[lo] && r?.[hi] ? fmtRatio(r[hi][key].median / r[lo][key].median) : "–");
const nslope = (ids, engine, d) => { const a = d.native.check[ids[0]]?.[engine], b = d.native.check[ids[1]]?.[engine]; return a && b ? fmtRatio(b / a) : "–"; };

function shapeTables(d, L) {
  const S = d.SIZES, lo = S[0], hi = S.at(-1);
  L.push("## Every pattern shape, 100 / 1,000 / 10,000 rules", "");
  L.push(`One corpus per shape (\`benches/shapes.mjs\`): *n* rules of that shape in one group (a fifth deny, the rest allow, action \`visible\`), ` +
    "the member holds that group; 32 paths, 16 that one rule matches and 16 of the same form that none matches. Median of one `check` in Node; " +
    `slope = median at ${n0(hi)} ÷ median at ${n0(lo)} (1× = independent of the rule count). The picomatch loop runs one compiled matcher per rule, deny first, \`{dot: true}\`. ` +
    "Medians are of wall time per call; a call that takes milliseconds (the picomatch loop at 10,000 rules) is often preempted on this loaded machine, so the ratio is also given by CPU time per call (`process.cpuUsage` over the whole timing), which the load inflates less.", "");
  L.push(`| shape | groupgate ${S.map(n0).join(" / ")} | slope | picomatch ${S.map(n0).join(" / ")} | slope | picomatch ÷ groupgate at 1,000 (by CPU time per call) | load |`, "|---|---:|---:|---:|---:|---:|---:|");
  for (const k of d.SHAPES) {
    const r = d.shapes[k];
    L.push(`| ${label[k]} | ${S.map((n) => fmtTime(r[n]?.groupgate.median)).join(" / ")} | ${slope(r, "groupgate", lo, hi)} | ` +
      `${S.map((n) => fmtTime(r[n]?.picomatch.median)).join(" / ")} | ${slope(r, "picomatch", lo, hi)} | ` +
      `${r[1000] ? `${fmtRatio(r[1000].picomatch.median / r[1000].groupgate.median)} (${fmtRatio(r[1000].picomatch.cpu / r[1000].groupgate.cpu)})` : "–"} | ${r[hi]?.groupgate.load ?? "–"} |`);
  }
  L.push("");
  L.push("Native (Rust, criterion, the same corpora read from the JSON `run.mjs --dump` writes): groupgate's `FilePolicy::check` and a globset peer — one `GlobSet` " +
    "of every pattern (`literal_separator`), `matches_into` per path, then deny > allow over the matched rules of the member's groups. Both are first checked to give the decisions groupgate gave in Node.", "");
  L.push(`| shape | groupgate native ${S.map(n0).join(" / ")} | slope | globset ${S.map(n0).join(" / ")} | slope | globset native ÷ groupgate Node at 1,000 |`, "|---|---:|---:|---:|---:|---:|");
  for (const k of [...d.SHAPES, "mixed"]) {
    const ids = S.map((n) => `${k}-${n}`);
    const node = (k === "mixed" ? d.mixed : d.shapes[k])?.[1000]?.groupgate.median;
    const gs1k = d.native.check[`${k}-1000`]?.globset;
    L.push(`| ${k === "mixed" ? "mixed corpus" : label[k]} | ${ids.map((id) => fmtTime(d.native.check[id]?.groupgate)).join(" / ")} | ${nslope([ids[0], ids.at(-1)], "groupgate", d)} | ` +
      `${ids.map((id) => gsCell(d, id)).join(" / ")} | ${nslope([ids[0], ids.at(-1)], "globset", d)} | ${node && gs1k ? fmtRatio(gs1k / node) : "–"} |`);
  }
  L.push("");
  footnote(d, L);
}

function footnote(d, L) {
  const f = Object.entries(d.native.globsetFailures ?? {});
  if (!f.length) return;
  L.push(`¹ globset's \`GlobSetBuilder::build\` fails on ${f.map(([id]) => `\`${id}\``).join(", ")}: "${f[0][1]}" — the regex set it compiles for ` +
    "the patterns its literal/extension/prefix/suffix strategies cannot take goes over the regex crate's default NFA size limit (globset does not expose the limit).", "");
}

function mixedTables(d, L) {
  const S = d.SIZES;
  L.push("## The mixed corpus (headline)", "");
  L.push("![check time per engine and rule count, mixed corpus (log scale)](benches/chart.svg)", "");
  L.push(`\`benches/shapes.mjs\` \`mixedCorpus(n)\`: *n* rules, each of one of the ${MIXED_SHAPES.length} shapes above without the session 13 ones (drawn evenly), over ${MIXED_GROUPS.length} groups, ` +
    "a quarter deny, actions `visible`, `modify` or both; 8 members of 2 to 4 groups; per member 16 paths its groups' rules match and 16 near misses, each for both actions (512 queries). " +
    "Median (p95) of one `check(member, path, action)`; every peer first gives groupgate's decision on every query. Peers implement deny > allow > default deny over the member's groups, " +
    "`modify` also needing `visible` (`benches/peers.mjs`); casbin matches through a registered picomatch `{dot: true}` function (its own `globMatch` skips dotfiles) and is left out at 10,000 rules, " +
    "where one check takes milliseconds. cedar-wasm cannot express these shapes (its `like` has one `*` that crosses `/`; no `?`, classes or braces): it is measured on the trie-friendly corpus below.", "");
  L.push("| rules | groupgate (Node) | checkMany × 1,024, per path | groupgate native | globset native | picomatch loop | casbin | picomatch ÷ groupgate (by CPU time) | globset ÷ groupgate (Node) | allowed | load |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const n of S) {
    const r = d.mixed[n], nv = d.native.check[`mixed-${n}`] ?? {};
    if (!r) continue;
    L.push(`| ${n0(n)} | ${fmtTime(r.groupgate.median)} (${fmtTime(r.groupgate.p95)}) | ${fmtTime(r.many1024?.median)} | ${fmtTime(nv.groupgate)} | ${gsCell(d, `mixed-${n}`)} | ` +
      `${fmtTime(r.picomatch.median)} (${fmtTime(r.picomatch.p95)}) | ${r.casbin ? `${fmtTime(r.casbin.median)} (${fmtTime(r.casbin.p95)})` : "–"} | ` +
      `${fmtRatio(r.picomatch.median / r.groupgate.median)} (${fmtRatio(r.picomatch.cpu / r.groupgate.cpu)}) | ${nv.globset ? fmtRatio(nv.globset / r.groupgate.median) : "–"} | ${r.allowed}/${r.queries} | ${r.groupgate.load} |`);
  }
  L.push("");
  footnote(d, L);
  L.push("Building the policy (Node: first build in the process, then the median of up to 4 more; native: criterion median):", "");
  L.push("| rules | groupgate first | warm | picomatch first | warm | casbin first | warm | groupgate native | globset `GlobSet` build |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const n of S) {
    const r = d.mixed[n], b = d.native.build[`mixed-${n}`] ?? {};
    if (!r) continue;
    const pb = (p) => (r[p] ? `${fmtTime(r[p].buildFirst)} | ${fmtTime(r[p].build)}` : "– | –");
    L.push(`| ${n0(n)} | ${pb("groupgate")} | ${pb("picomatch")} | ${pb("casbin")} | ${fmtTime(b.groupgate)} | ${fmtTime(b.globset)} |`);
  }
  L.push("");
  if (d.trie?.[1000]) {
    const r = d.trie[1000];
    L.push("### The trie-friendly corpus, with cedar-wasm", "");
    L.push("The earlier corpus (`benches/corpus.mjs`: 42% `dir/**`, 30% `dir/**/*.ext`, 25% literal paths, 3% `**/*.ext`, 10 groups), the one shape set Cedar's `like` " +
      "expresses exactly (`dir/**` → `like \"dir/*\"`, `**/*.ext` → `like \"*.ext\"`, `dir/**/*.ext` → `like \"dir/*.ext\"`, literal → `==`), 1,000 rules, 256 queries:", "");
    L.push("| engine | median (p95) | ÷ groupgate | build (first / warm) |", "|---|---:|---:|---:|");
    for (const p of r.peers) L.push(`| ${p} | ${fmtTime(r[p].median)} (${fmtTime(r[p].p95)}) | ${p === "groupgate" ? "1×" : fmtRatio(r[p].median / r.groupgate.median)} | ${fmtTime(r[p].buildFirst)} / ${fmtTime(r[p].build)} |`);
    L.push("", `Load average during this table: ${r.groupgate.load}.`, "");
  }
}

/**
 * The subsections written by hand (`### …, by hand…` up to the next heading of level 2 or 3), each
 * with the `## ` section it stands under, kept verbatim from the current file: a full run re-measures
 * the tables, not those records (the cold-start analysis change by change, the worst shapes, the globs
 * that match together).
 */
function handSubsections(root) {
  let old = "";
  try { old = readFileSync(`${root}BENCHMARKS.md`, "utf8"); } catch { return []; }
  const kept = [];
  let parent = null;
  for (const part of old.split(/^(?=##+ )/m)) {
    if (part.startsWith("## ")) parent = part.split("\n")[0];
    else if (parent && /^### .*by hand/.test(part)) kept.push([parent, part.trimEnd()]);
  }
  return kept;
}

/** `text` with each hand subsection at the end of its `## ` section (as written before it, in order). */
function withHandSubsections(text, kept) {
  for (const [parent, block] of kept) {
    const at = text.indexOf(`${parent}\n`);
    if (at < 0) continue;
    const next = text.indexOf("\n## ", at + parent.length);
    const end = next < 0 ? text.length : next + 1;
    text = `${text.slice(0, end).trimEnd()}\n\n${block}\n\n${text.slice(end)}`;
  }
  return text;
}

function coldTables(d, L) {
  const c = d.cold;
  if (!c.groupgate) return;
  L.push("## Cold start", "");
  L.push(`A fresh Node process per run (\`benches/cold.mjs\`, median of ${c.groupgate.runs}): *load* is the first import of the engine (for the WASM engines it reads, compiles and instantiates the .wasm), ` +
    "*build* compiles the 1,000-rule mixed policy (cedar-wasm: the 1,000-rule trie-friendly corpus, the one it can express). Node's own start-up is not counted. " +
    "Each figure is CPU time (`process.cpuUsage`, every thread, V8's background compilers included) with the wall time after it: on this shared machine the wall time is mostly the wait for a core.", "");
  L.push("| engine | load, CPU (wall) | build 1,000 rules, CPU (wall) | total CPU (wall) | build again, same process, CPU | load avg |", "|---|---:|---:|---:|---:|---:|");
  const rows = [["groupgate", "groupgate"], ["groupgate-text", "groupgate, the groups as JSON text (`new FilePolicy(text)`)"], ["groupgate-files", "`groupgate/files` (file permissions only: its own smaller .wasm)"], ["groupgate-opt", "groupgate, every WASM function optimized at load (`--no-wasm-lazy-compilation --no-liftoff`)"],
    ["picomatch", "picomatch (pure JS, already loaded)"], ["casbin", "casbin"], ["cedar", "cedar-wasm (trie-friendly corpus)"]];
  const f = (x) => x.toFixed(x < 10 ? 2 : 1);
  for (const [k, name] of rows) {
    const r = c[k];
    if (r) L.push(`| ${name} | ${f(r.loadCpu)} ms (${f(r.load)}) | ${f(r.compileCpu)} ms (${f(r.compile)}) | ${f(r.totalCpu)} ms (${f(r.total)}) | ${f(r.againCpu)} ms | ${r.load1} |`);
  }
  L.push("");
  const g = c.groupgate;
  if (Number.isFinite(g.compileMain)) {
    L.push(`By thread (groupgate, medians): load ${f(g.loadMain)} ms CPU on the JS thread; build ${f(g.compileMain)} ms on the JS thread (V8's baseline tier and its lazy compiles) ` +
      `and ${f(g.compileBg)} ms in background threads (V8's optimizing tier compiling the functions that got hot).`, "");
  }
  if (c.snapshot) {
    const s = c.snapshot;
    L.push(`**Snapshot load**: \`policy.toBytes()\` of the 10,000-rule mixed policy is ${kb(d.snapshot.bytes)} (${kb(d.snapshot.gz)} gzipped); in a fresh Node, ` +
      `\`FilePolicy.fromBytes\` takes ${f(s.compileCpu)} ms CPU (wall ${f(s.compile)} ms) the first time, after a ${f(s.loadCpu)} ms CPU import, and ${f(s.againCpu)} ms CPU (wall ${f(s.again)} ms) after that ` +
      `(median of ${s.runs} processes; the loaded policy was first checked to answer every query as the original; load ${s.load1}).`, "");
  }
  const w = c.workerd;
  if (w?.cold != null) {
    L.push(`**workerd** (\`benches/workerd.mjs\`, npm \`workerd\` ${versionOf("workerd")}): a fresh workerd process, so a fresh isolate, per run (median of ${w.runs}); the worker is bundled as wrangler does; ` +
      "the .wasm, the rules (a JSON module) and the snapshot (a data module) are loaded by workerd at start-up. A worker's clock stands still while it computes, so the figures are taken outside: " +
      "the CPU time of workerd's threads during the request (`/proc/PID/task/*/schedstat`) and the round trip, each minus the median of empty requests to the same isolate " +
      `(${f(w.roundTripCpu)} ms CPU, ${f(w.roundTrip)} ms round trip). Instantiate + build 1,000 mixed rules: **${f(w.coldCpu)} ms CPU** (wall ${f(w.cold)} ms` +
      `${w.coldMain != null ? `; ${f(w.coldMain)} ms CPU on the thread that ran the request` : ""}); ` +
      `${w.firstCpu != null ? `the policy's first check, its own request, ${f(w.firstCpu)} ms CPU (${f(w.firstMain)} on the request thread); ` : ""}` +
      `${w.textCpu != null ? `the groups as JSON text (a text module, as from KV) ${f(w.textCpu)} ms CPU (${f(w.textMain)} on the request thread); ` : ""}` +
      `build again in the same isolate ${f(w.againCpu)} ms CPU${w.snap != null ? `; instantiate + \`fromBytes\` of the 10,000-rule snapshot ${f(w.snapCpu)} ms CPU (wall ${f(w.snap)} ms)` : ""} (load ${w.load1}).`, "");
  } else if (w?.error) L.push(`workerd: not measured (${w.error}).`, "");
}

function boundaryTables(d, L) {
  const b = d.boundary;
  L.push("## The JS boundary: JSON text vs serde-wasm-bindgen", "");
  if (!b) { L.push("Not measured in this run (`node benches/boundary/run.mjs` writes target/bench/boundary.json).", ""); return; }
  L.push(b.intro + " CPU per call counts every thread (GC, V8's background compilers) over the whole timing: for calls of microseconds that background work dominates it, so read the medians there.", "");
  L.push("| call | input | JSON text (today), median (CPU per call) | serde-wasm-bindgen, median (CPU per call) | swb ÷ JSON (by CPU) | load |", "|---|---|---:|---:|---:|---:|");
  for (const r of b.rows) L.push(`| ${r.call} | ${r.input} | ${fmtTime(r.json)} (${fmtTime(r.jsonCpu)}) | ${fmtTime(r.swb)} (${fmtTime(r.swbCpu)}) | ${fmtRatio(r.swb / r.json)} (${fmtRatio(r.swbCpu / r.jsonCpu)}) | ${r.load} |`);
  L.push("", b.size, "");
}

export function markdown(root, d) {
  const m = machine(root, d);
  const versions = { groupgate: versionOf("groupgate"), picomatch: versionOf("picomatch"), casbin: versionOf("casbin"), "@cedar-policy/cedar-wasm": versionOf("@cedar-policy/cedar-wasm"),
    workerd: versionOf("workerd"), tinybench: versionOf("tinybench"), criterion: (readFileSync(`${root}Cargo.lock`, "utf8").match(/name = "criterion"\nversion = "([^"]+)"/) ?? [])[1] ?? "?",
    globset: (readFileSync(`${root}Cargo.lock`, "utf8").match(/name = "globset"\nversion = "([^"]+)"/) ?? [])[1] ?? "?" };
  const L = ["# Benchmarks", "", "Generated by `./dev bench` (`benches/run.mjs`, `benches/files.rs`, `benches/boundary/`); do not edit by hand.", ""];
  L.push(`Machine: ${m.cores} cores, ${m.cpu}, ${m.mem}; Node ${m.node}; ${m.rustc}. Load average at the start: ${m.load} (at the end: ${m.loadEnd}); ` +
    "the machine was shared with other builds, so absolute times carry noise — each table gives the 1-minute load beside its figures, and the ratios are measured side by side in one run. " +
    `Commit ${m.commit} (${m.subject})${m.dirty ? " with uncommitted changes in src/" : ""}, ${m.date}.${m.note ? ` ${m.note}` : ""}`, "");
  L.push(`Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`, "");
  const r = d.mixed[1000], nv = d.native.check["mixed-1000"] ?? {};
  if (r) {
    L.push("## Headline: the mixed corpus, 1,000 rules, one check", "");
    L.push("| engine | median | ÷ groupgate (Node) |", "|---|---:|---:|");
    L.push(`| groupgate (Node, WASM) | ${fmtTime(r.groupgate.median)} | 1× |`);
    L.push(`| groupgate (native Rust) | ${fmtTime(nv.groupgate)} | ${nv.groupgate ? fmtRatio(nv.groupgate / r.groupgate.median) : "–"} |`);
    L.push(`| globset (native Rust, \`GlobSet::matches_into\`) | ${fmtTime(nv.globset)} | ${nv.globset ? fmtRatio(nv.globset / r.groupgate.median) : "–"} |`);
    L.push(`| picomatch loop (Node) | ${fmtTime(r.picomatch.median)} | ${fmtRatio(r.picomatch.median / r.groupgate.median)} |`);
    if (r.casbin) L.push(`| casbin (Node) | ${fmtTime(r.casbin.median)} | ${fmtRatio(r.casbin.median / r.groupgate.median)} |`);
    L.push("", `Load average during the groupgate timing: ${r.groupgate.load}.`, "");
  }
  // Stands alone (BENCHMARKS.md and the README headline are read without the project's notes).
  L.push("## Targets", "", "The goals groupgate holds itself to, each judged on the figures of this file.", "",
    `Rows that work after this run re-measures by hand (cold start, snapshot loads, workerd, size, Baseten) name, in their row or section, the commit and the command that measured them; every other figure is from this run (${m.commit}). ` +
    "Each hand row reads against the code before that work, in the same minutes, because the machine is shared.", "",
    "| target | measured | met? |", "|---|---|---|");
  for (const [t, x, ok] of targets(d)) L.push(`| ${t} | ${x} | ${ok} |`);
  L.push("");
  mixedTables(d, L);
  shapeTables(d, L);
  coldTables(d, L);
  boundaryTables(d, L);
  L.push("## Size", "", "Gzipped at level 9 (what a runtime loads).", "", "| package | what | raw | gzipped |", "|---|---|---:|---:|");
  for (const s of d.sizes) L.push(`| ${s.name} | ${s.what} | ${kb(s.raw)} | ${kb(s.gz)} |`);
  L.push("");
  if (d.preview[1000]) {
    L.push("## Baseten preview", "");
    L.push("`Workspace.preview(update)` in a depth-5 CASCADING workspace with one key per group (`tests/js/fixtures/baseten-big.mjs`, cut at 1,000 or 10,000 groups), median; native from `cargo bench --bench preview`.", "");
    const nat = (size, name) => d.previewNative?.find((x) => x.groups === size)?.results.find((q) => q.name.startsWith(name));
    const NAMES = { "Workspace.from": "Workspace::from_json", "leaf limit change": "leaf limit change", "root, same models (no change)": "root, same models",
      "level-2 limit change (re-binds its subtree)": "level-2 limit change", "root models: [] (every group and key loses access)": "root models: []" };
    L.push("| case | 1,000 groups (Node) | 10,000 groups (Node) | groups changed at 10,000 | 10,000 groups (native) |", "|---|---:|---:|---:|---:|");
    d.preview[1000].forEach(([lbl, ms], k) => {
      const [, ms10, ch] = d.preview[10000][k];
      const x = nat(10000, NAMES[lbl]);
      L.push(`| ${lbl} | ${fmtTime(ms * 1000)} | ${fmtTime(ms10 * 1000)} | ${ch ?? "–"} | ${x ? fmtTime(x.ns / 1000) : "–"} |`);
    });
    L.push("");
  }
  L.push("## Memory", "", `WASM memory around ${n0(d.memory.calls)} \`check\` calls on the 1,000-rule mixed policy (after a warm-up): ${n0(d.memory.before)} → ${n0(d.memory.after)} bytes ` +
    `(${d.memory.after === d.memory.before ? "no growth" : `grew by ${n0(d.memory.after - d.memory.before)}`}); ${(d.memory.ms / 1000).toFixed(2)} s in all, load ${d.memory.load}.`, "");
  const total = d.tree?.total ?? null;
  L.push(`Run time: ${total != null ? `\`./dev bench\` ${total} s in all, of which ` : ""}the Node part ${d.seconds.toFixed(0)} s.`, "");
  return { text: L.join("\n"), machine: m };
}

function readme(root, d, m) {
  const file = `${root}README.md`;
  const text = readFileSync(file, "utf8");
  const open = "<!-- bench:headline (written by ./dev bench) -->", close = "<!-- /bench:headline -->";
  const i = text.indexOf(open), j = text.indexOf(close);
  const r = d.mixed[1000];
  if (i < 0 || j < i || !r) return;
  const nv = d.native.check["mixed-1000"] ?? {};
  const rows = targets(d);
  const gaps = rows.filter((x) => x[2] !== "met");
  const block = [open,
    `Headline, one file check on the 1,000-rule mixed corpus (${MIXED_SHAPES.length} pattern shapes, ${MIXED_GROUPS.length} groups, members of 2–4 groups), medians side by side on ${m.cores} shared cores (load ${r.groupgate.load}): ` +
    `groupgate in Node ${fmtTime(r.groupgate.median)}; native globset \`GlobSet::matches_into\` ${fmtTime(nv.globset)}${nv.globset ? ` (${fmtRatio(nv.globset / r.groupgate.median)})` : ""}; ` +
    `picomatch loop ${fmtTime(r.picomatch.median)} (${fmtRatio(r.picomatch.median / r.groupgate.median)})${r.casbin ? `; casbin ${fmtTime(r.casbin.median)} (${fmtRatio(r.casbin.median / r.groupgate.median)})` : ""}; ` +
    `at 10,000 rules groupgate ${fmtTime(d.mixed[10000]?.groupgate.median)}. Cold start (instantiate + 1,000 rules, CPU time) ${d.cold.groupgate ? `${d.cold.groupgate.totalCpu.toFixed(1)} ms` : "–"} in Node` +
    `${d.cold["groupgate-files"] ? ` (${d.cold["groupgate-files"].totalCpu.toFixed(1)} ms with \`groupgate/files\`)` : ""}` +
    `${d.cold.workerd?.coldCpu != null ? `, ${d.cold.workerd.coldCpu.toFixed(1)} ms in workerd` : ""}` +
    `${d.cold.snapshot ? `; snapshot load (10,000 rules) ${d.snapshot.warmCpu != null ? `${d.snapshot.warmCpu.toFixed(2)} ms in a running process, ` : ""}${d.cold.snapshot.compileCpu.toFixed(2)} ms the first time in a fresh Node` : ""}. ` +
    `Targets: ${rows.length - gaps.length} of ${rows.length} met${gaps.length ? `; open: ${gaps.map((x) => x[0].replace("… and in workerd", "the same in workerd").replace("… the first load", "snapshot: the first load").split(" (")[0]).join("; ")}` : ""}. ` +
    `Commit ${m.commit}${m.note ? ", see BENCHMARKS.md for the tree measured" : ""}.`,
    close].join("\n");
  writeFileSync(file, text.slice(0, i) + block + text.slice(j + close.length));
}

/**
 * The Baseten sections the baseten engineer writes by hand (every `## Baseten…`
 * section but the generated "Baseten preview"), kept verbatim from the current file.
 */
function keptSections(root) {
  let old = "";
  try { old = readFileSync(`${root}BENCHMARKS.md`, "utf8"); } catch { return []; }
  const parts = old.split(/^(?=## )/m);
  return parts.filter((p) => p.startsWith("## Baseten") && !p.startsWith("## Baseten preview\n"));
}

export function write(root, d) {
  const kept = keptSections(root);
  const hand = handSubsections(root);
  let { text, machine: m } = markdown(root, d);
  text = withHandSubsections(text, hand);
  if (kept.length) {
    const at = text.indexOf("## Memory");
    text = text.slice(0, at) + kept.map((k) => k.trimEnd() + "\n\n").join("") + text.slice(at);
  }
  writeFileSync(`${root}BENCHMARKS.md`, text);
  writeFileSync(`${root}benches/chart.svg`, chart(d));
  readme(root, d, m);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const target = process.env.CARGO_TARGET_DIR || `${root}target`;
  const d = JSON.parse(readFileSync(`${target}/bench/results.json`, "utf8"));
  // The boundary is measured once, by its own step; a results file from another tree may lack it.
  if (!d.boundary && existsSync(`${target}/bench/boundary.json`)) d.boundary = JSON.parse(readFileSync(`${target}/bench/boundary.json`, "utf8"));
  write(root, d);
}
