// node tools/wasm-split.mjs IN.wasm HOT.txt OUT_DIR
//
// Splits a .wasm in two for groupgate/files' Node entries (README "Cold start"; issue 12). V8
// validates every function of a module when it compiles it, and a fresh import of the files
// module spent 2.8 ms of its ≈ 10.5 ms cold start on that, for 1,178 functions of which a build
// and checks call 456. The primary keeps the functions a training run called
// (tools/wasm-split-train.mjs: the build, checks, snapshot loads) and, for every other function
// still referenced, a stub; the secondary holds those functions' bodies and shares the primary's
// memory, tables and globals. A stub loads the secondary on first use (import `gg.load`, which
// the glue provides: tools/wasm-split-glue.mjs; it sets the exported global `gg_loaded`) and calls
// the real body through a slot of the function table, which the secondary's element segment fills
// when it is instantiated. Which functions are hot decides only speed: a cold function still runs,
// after one load of the secondary (lint, explain, errors, toBytes, globMatch).
// IN.wasm: wasm-bindgen's module after wasm-opt, HOT.txt its hot function indexes, one per line;
// writes OUT_DIR/primary.wasm and OUT_DIR/secondary.wasm, wasm-opt'd and stripped.
import binaryen from "binaryen";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const [input, hotFile, out] = process.argv.slice(2);
const F = binaryen.Features;
const FEATURES = F.BulkMemory | (F.BulkMemoryOpt ?? 0) | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals |
  F.Multivalue | F.ReferenceTypes;
const WASM_OPT = new URL("../node_modules/binaryen/bin/wasm-opt", import.meta.url).pathname;
const OPT_FLAGS = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types", "--strip-debug", "--strip-producers"];
const bytes = readFileSync(input);
const read = (b = bytes) => { const m = binaryen.readBinary(b); m.setFeatures(FEATURES); return m; };
const each = (n, get, info) => Array.from({ length: n }, (_, i) => info(get(i)));
const hot = new Set(readFileSync(hotFile, "utf8").trim().split("\n").map(Number));

const p = read(), s = read();
const fns = each(p.getNumFunctions(), (i) => p.getFunctionByIndex(i), binaryen.getFunctionInfo).map((f, i) => ({ i, ...f }));
const defined = fns.filter((f) => !f.module);
const cold = defined.filter((f) => !hot.has(f.i)), warm = defined.filter((f) => hot.has(f.i));
const tables = each(p.getNumTables(), (i) => p.getTableByIndex(i), binaryen.getTableInfo);
const globals = each(p.getNumGlobals(), (i) => p.getGlobalByIndex(i), binaryen.getGlobalInfo);
const exports = each(p.getNumExports(), (i) => p.getExportByIndex(i), binaryen.getExportInfo);
const exportOf = (kind, name) => exports.find((e) => e.kind === kind && e.value === name)?.name;
const base = tables[0].initial, size = base + cold.length;
const resize = (m) => {
  binaryen._BinaryenTableSetInitial(m.getTable(tables[0].name), size);
  binaryen._BinaryenTableSetMax(m.getTable(tables[0].name), size);
};

// The secondary: the cold bodies; functions, globals, tables and memory come from the primary ("p").
for (const f of warm) { s.removeFunction(f.name); s.addFunctionImport(f.name, "p", `f${f.i}`, f.params, f.results); }
for (const g of globals) {
  g.as = exportOf(binaryen.ExternalGlobal, g.name) ?? `g${globals.indexOf(g)}`;
  s.removeGlobal(g.name);
  s.addGlobalImport(g.name, "p", g.as, g.type, g.mutable);
}
for (const t of tables) t.as = exportOf(binaryen.ExternalTable, t.name) ?? `t${tables.indexOf(t)}`;
for (const e of each(s.getNumElementSegments(), (i) => s.getElementSegmentByIndex(i), binaryen.getElementSegmentInfo)) s.removeElementSegment(e.name);
for (const t of tables) s.addTableImport(t.name, "p", t.as);
resize(s);
s.addMemoryImport("0", "p", "memory");
s.addActiveElementSegment(tables[0].name, "cold", cold.map((f) => f.name), s.i32.const(base));
for (const e of exports) s.removeExport(e.name);
if (!s.validate()) throw new Error("the secondary does not validate");

// The primary: a stub in place of each cold body.
p.addGlobal("gg_loaded", binaryen.i32, true, p.i32.const(0));
p.addGlobalExport("gg_loaded", "gg_loaded");
p.addFunctionImport("gg_load", "gg", "load", binaryen.none, binaryen.none);
cold.forEach((f, j) => {
  const args = binaryen.expandType(f.params).map((t, k) => p.local.get(k, t));
  const body = p.block(null, [
    p.if(p.i32.eqz(p.global.get("gg_loaded", binaryen.i32)), p.call("gg_load", [], binaryen.none)),
    p.call_indirect(tables[0].name, p.i32.const(base + j), args, f.params, f.results),
  ], f.results);
  p.removeFunction(f.name);
  p.addFunction(f.name, f.params, f.results, [], body);
});
resize(p);
for (const t of tables) if (!exportOf(binaryen.ExternalTable, t.name)) p.addTableExport(t.name, t.as);
for (const g of globals) if (!exportOf(binaryen.ExternalGlobal, g.name)) p.addGlobalExport(g.name, g.as);

// Optimize the secondary first (unused imports go), then export from the primary what it imports.
const opt = (m, file, extra) => {
  writeFileSync(`${file}.raw`, m.emitBinary());
  execFileSync(WASM_OPT, [`${file}.raw`, ...extra, "--remove-unused-module-elements", ...OPT_FLAGS, "-o", file]);
  execFileSync("rm", [`${file}.raw`]);
};
opt(s, `${out}/secondary.wasm`, ["--remove-memory-init"]);
const needed = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(`${out}/secondary.wasm`)))
  .filter((i) => i.module === "p").map((i) => i.name));
for (const f of warm) if (needed.has(`f${f.i}`)) p.addFunctionExport(f.name, `f${f.i}`);
if (!p.validate()) throw new Error("the primary does not validate");
opt(p, `${out}/primary.wasm`, []);
console.log(`functions ${defined.length}: ${warm.length} hot, ${cold.length} cold; ` +
  `the primary exports ${[...needed].filter((n) => /^f\d/.test(n)).length} functions to the secondary`);
