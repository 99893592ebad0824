// node tools/wasm-split.mjs IN.wasm HOT.txt OUT_DIR
//
// Splits a .wasm in two for the Node entries (README "Cold start"; issue 12). V8 validates every
// function of a module when it compiles it: a fresh import of the files module spent 2.8 ms of
// its ≈ 10.4 ms cold start on that, for 1,178 functions of which builds, checks and snapshot
// loads of every size call 603 (tools/wasm-split-train.mjs); the full module has 2,659, of
// which they call 693. The primary keeps those and, for every other function it still
// references, a stub; the secondary holds the other bodies and shares the primary's memory,
// tables and globals. A stub loads the secondary on
// first use (import `gg.load`, provided by the glue: tools/wasm-split-glue.mjs; it sets the
// exported global `gg_loaded`) and calls the real body through a slot of the function table,
// which the secondary's element segment fills. Which functions are hot decides only speed: a
// cold function still runs, after one load of the secondary (lint, explain, errors, toBytes).
// IN.wasm: wasm-bindgen's module after wasm-opt, HOT.txt its hot function indexes, one per line;
// writes OUT_DIR/primary.wasm and OUT_DIR/secondary.wasm, wasm-opt'd, with the function names
// kept for `./dev build` to lay each out for gzip (and strip).
import binaryen from "binaryen";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [input, hotFile, out] = process.argv.slice(2);
const F = binaryen.Features;
const FEATURES = F.BulkMemory | (F.BulkMemoryOpt ?? 0) | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals |
  F.Multivalue | F.ReferenceTypes;
const WASM_OPT = new URL("../node_modules/binaryen/bin/wasm-opt", import.meta.url).pathname;
const OPT_FLAGS = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types", "-g"];
binaryen.setDebugInfo(true); // the names, for the layout
const bytes = readFileSync(input);
// Which stubs the primary keeps is read back by function name (below): the names must be the
// module's own (wasm-opt -g), never the indexes a module without names gets, which the removal
// of unused functions renumbers.
if (!WebAssembly.Module.customSections(new WebAssembly.Module(bytes), "name").length) {
  throw new Error(`${input}: no name section (optimize with wasm-opt -g)`);
}
const read = (b = bytes) => { const m = binaryen.readBinary(b); m.setFeatures(FEATURES); return m; };
const each = (n, get, info) => Array.from({ length: n }, (_, i) => info(get(i)));
const hot = new Set(readFileSync(hotFile, "utf8").trim().split("\n").map(Number));

const p = read();
const fns = each(p.getNumFunctions(), (i) => p.getFunctionByIndex(i), binaryen.getFunctionInfo).map((f, i) => ({ i, ...f }));
const defined = fns.filter((f) => !f.module);
const cold = defined.filter((f) => !hot.has(f.i)), warm = defined.filter((f) => hot.has(f.i));
const tables = each(p.getNumTables(), (i) => p.getTableByIndex(i), binaryen.getTableInfo);
const globals = each(p.getNumGlobals(), (i) => p.getGlobalByIndex(i), binaryen.getGlobalInfo);
const exports = each(p.getNumExports(), (i) => p.getExportByIndex(i), binaryen.getExportInfo);
const exportOf = (kind, name) => exports.find((e) => e.kind === kind && e.value === name)?.name;
for (const g of globals) g.as = exportOf(binaryen.ExternalGlobal, g.name) ?? `g${globals.indexOf(g)}`;
for (const t of tables) t.as = exportOf(binaryen.ExternalTable, t.name) ?? `t${tables.indexOf(t)}`;
// Table 0's slots: the module's own, then the stubbed cold functions' (the secondary fills
// them), then the hot functions the secondary calls (the primary fills them).
const base = tables[0].initial;
const resize = (m, size) => {
  binaryen._BinaryenTableSetInitial(m.getTable(tables[0].name), size);
  binaryen._BinaryenTableSetMax(m.getTable(tables[0].name), size);
};
const indirect = (m, f, slot) => m.call_indirect(tables[0].name, m.i32.const(slot),
  binaryen.expandType(f.params).map((t, k) => m.local.get(k, t)), f.params, f.results);
const opt = (m, file, extra) => {
  writeFileSync(`${file}.raw`, m.emitBinary());
  execFileSync(WASM_OPT, [`${file}.raw`, ...extra, "--remove-unused-module-elements", ...OPT_FLAGS, "-o", file]);
  execFileSync("rm", [`${file}.raw`]);
};

// The primary: a stub in place of each cold body it references (`stubbed`: a cold function the
// secondary alone calls needs no slot); the hot functions the secondary calls in their slots.
const primary = (stubbed, called, file) => {
  const p = read();
  p.addGlobal("gg_loaded", binaryen.i32, true, p.i32.const(0));
  p.addGlobalExport("gg_loaded", "gg_loaded");
  p.addFunctionImport("gg_load", "gg", "load", binaryen.none, binaryen.none);
  const slot = new Map(stubbed.map((f, j) => [f.name, base + j]));
  for (const f of cold) {
    p.removeFunction(f.name);
    // Every cold function gets a stub: those the primary does not reference, the optimizer
    // drops. Before the slots are known (and for any stub a slot was not given) the slot is -1,
    // out of the table: a trap, never another function's body; the check below refuses it.
    const body = p.block(null, [
      p.if(p.i32.eqz(p.global.get("gg_loaded", binaryen.i32)), p.call("gg_load", [], binaryen.none)),
      indirect(p, f, slot.get(f.name) ?? -1),
    ], f.results);
    p.addFunction(f.name, f.params, f.results, [], body);
  }
  resize(p, base + stubbed.length + called.length);
  const byIndex = new Map(warm.map((f) => [f.i, f.name]));
  p.addActiveElementSegment(tables[0].name, "called", called.map((i) => byIndex.get(i)), p.i32.const(base + stubbed.length));
  for (const t of tables) if (!exportOf(binaryen.ExternalTable, t.name)) p.addTableExport(t.name, t.as);
  for (const g of globals) if (!exportOf(binaryen.ExternalGlobal, g.name)) p.addGlobalExport(g.name, g.as);
  if (!p.validate()) throw new Error("the primary does not validate");
  opt(p, file, []);
};
// The names of the functions a built part keeps.
const kept = (file) => {
  const m = read(readFileSync(file));
  return new Set(each(m.getNumFunctions(), (i) => m.getFunctionByIndex(i), (f) => binaryen.getFunctionInfo(f).name));
};
// Which stubs the primary keeps: a first build, with every name kept.
primary([], [], `${out}/primary.wasm`);
const stubbed = cold.filter((f) => kept(`${out}/primary.wasm`).has(f.name));

// The secondary: the cold bodies; globals, tables and memory imported from the primary ("p").
// A hot function it calls is a thunk through the table (a slot costs the primary's instantiation
// less than an export would); built once with every hot function an import to learn which ones
// it calls (the optimizer drops the others).
const secondary = (called) => {
  const s = read();
  const slots = new Map([...called].map((i, k) => [i, base + stubbed.length + k]));
  for (const f of warm) {
    s.removeFunction(f.name);
    if (slots.has(f.i)) s.addFunction(f.name, f.params, f.results, [], indirect(s, f, slots.get(f.i)));
    else s.addFunctionImport(f.name, "p", `f${f.i}`, f.params, f.results);
  }
  for (const g of globals) { s.removeGlobal(g.name); s.addGlobalImport(g.name, "p", g.as, g.type, g.mutable); }
  for (const e of each(s.getNumElementSegments(), (i) => s.getElementSegmentByIndex(i), binaryen.getElementSegmentInfo)) s.removeElementSegment(e.name);
  for (const t of tables) s.addTableImport(t.name, "p", t.as);
  resize(s, base + stubbed.length + called.length);
  s.addMemoryImport("0", "p", "memory");
  s.addActiveElementSegment(tables[0].name, "cold", stubbed.map((f) => f.name), s.i32.const(base));
  for (const e of exports) s.removeExport(e.name);
  if (!s.validate()) throw new Error("the secondary does not validate");
  opt(s, `${out}/secondary.wasm`, ["--remove-memory-init"]);
};
secondary([]);
const called = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(`${out}/secondary.wasm`)))
  .filter((i) => i.module === "p" && /^f\d+$/.test(i.name)).map((i) => Number(i.name.slice(1)));
secondary(called);
const left = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(`${out}/secondary.wasm`))).filter((i) => /^f\d+$/.test(i.name));
if (left.length) throw new Error(`the secondary still imports ${left.length} functions`);
primary(stubbed, called, `${out}/primary.wasm`);
const final = kept(`${out}/primary.wasm`), slotted = new Set(stubbed.map((f) => f.name));
const unslotted = cold.filter((f) => final.has(f.name) !== slotted.has(f.name));
if (unslotted.length) throw new Error(`the primary's stubs and their slots differ: ${unslotted.map((f) => f.name).slice(0, 5).join(", ")}`);

console.log(`functions ${defined.length}: ${warm.length} hot, ${cold.length} cold (${stubbed.length} stubbed in the primary); the secondary calls ${called.length} hot ones`);
