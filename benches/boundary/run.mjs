// The JS boundary measured once (issue 12): JSON text, as the package does
// today, vs serde-wasm-bindgen, for `validate` and FilePolicy construction,
// small and large inputs, over the same core (benches/boundary/lib.rs).
// Builds the scratch crate twice (without and with serde-wasm-bindgen) for
// the size delta, then times both crossings in one process from the second
// build, after checking they give equal answers. Writes target/bench/boundary.json.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { timeCalls, kb, loadNow } from "../lib.mjs";
import { mixedCorpus } from "../shapes.mjs";
import { bigState } from "../../tests/js/fixtures/baseten-big.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TARGET = process.env.CARGO_TARGET_DIR || `${ROOT}target`;
const OUT = `${TARGET}/boundary`;
const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } });

// --reuse: keep the scratch packages of an earlier run (each build links with LTO: minutes on a loaded machine).
const REUSE = process.argv.includes("--reuse");

function build(features) {
  const dir = `${OUT}/pkg-${features || "json"}`;
  const done = () => {
    // The repository's package.json says "type": "module"; wasm-bindgen's nodejs glue is CommonJS.
    writeFileSync(`${dir}/package.json`, JSON.stringify({ type: "commonjs" }));
    const files = [`${dir}/boundary_bg.wasm`, `${dir}/boundary.js`].map((f) => readFileSync(f));
    return { dir, gz: gzipSync(Buffer.concat(files), { level: 9 }).length, raw: files.reduce((s, f) => s + f.length, 0) };
  };
  if (REUSE && existsSync(`${dir}/boundary_bg.wasm`)) return done();
  rmSync(dir, { recursive: true, force: true });
  sh("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path", "benches/boundary/Cargo.toml", ...(features ? ["--features", features] : [])],
    { CARGO_TARGET_DIR: OUT });
  sh("wasm-bindgen", ["--target", "nodejs", "--no-typescript", "--out-dir", dir, "--out-name", "boundary", `${OUT}/wasm32-unknown-unknown/release/groupgate_boundary_bench.wasm`]);
  sh(`${ROOT}node_modules/binaryen/bin/wasm-opt`, ["-O3", "--strip-debug", "--strip-producers", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
    "--enable-sign-ext", "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types", `${dir}/boundary_bg.wasm`, "-o", `${dir}/boundary_bg.wasm`]);
  return done();
}

mkdirSync(OUT, { recursive: true });
mkdirSync(`${TARGET}/bench`, { recursive: true });
const plain = build("");
const swb = build("swb");
const b = createRequire(import.meta.url)(`${swb.dir}/boundary.js`);

const update = (state) => ({ op: "update", params: { group_id: state.groups.at(-1).id }, body: { models: [{ slug: "org/a" }, { slug: "org/b" }] } });
const cases = [];
for (const [label, size] of [["small: Baseten update, 10-group state", 10], ["large: Baseten update, 2,000-group state", 2000]]) {
  const state = bigState(size);
  const req = update(state), ctx = { state };
  cases.push({ call: "validate", input: label, bytes: JSON.stringify(ctx).length,
    json: () => JSON.parse(b.validate_json("baseten", JSON.stringify(req), JSON.stringify(ctx))), swb: () => b.validate_swb("baseten", req, ctx) });
}
for (const n of [10, 10000]) {
  const groups = mixedCorpus(n).groups;
  const label = `${n === 10 ? "small" : "large"}: ${n.toLocaleString("en-US")} mixed rules`;
  cases.push({ call: "new FilePolicy", input: label, bytes: JSON.stringify(groups).length, json: () => b.policy_json(JSON.stringify(groups)), swb: () => b.policy_swb(groups) });
  cases.push({ call: "reading the groups only", input: label, bytes: JSON.stringify(groups).length, json: () => b.read_json(JSON.stringify(groups)), swb: () => b.read_swb(groups) });
}
const rows = [];
for (const c of cases) {
  const a = c.json(), s = c.swb();
  if (!isDeepStrictEqual(a, s)) { console.error(`FAIL: ${c.call} (${c.input}): the two crossings answer differently`, JSON.stringify(a).slice(0, 300), JSON.stringify(s).slice(0, 300)); process.exit(1); }
  const t0 = performance.now(); c.json(); const est = (performance.now() - t0) * 1000;
  const json = await timeCalls(`json ${c.call}`, () => c.json(), est, { time: 400 });
  const v = await timeCalls(`swb ${c.call}`, () => c.swb(), est, { time: 400 });
  rows.push({ call: `\`${c.call}\``, input: `${c.input} (${kb(c.bytes)} of JSON)`, json: json.median, swb: v.median, jsonCpu: json.cpu, swbCpu: v.cpu, load: loadNow() });
  console.log(`boundary, ${c.call}, ${c.input}: JSON ${json.median.toFixed(1)} µs, serde-wasm-bindgen ${v.median.toFixed(1)} µs`);
}
const delta = swb.gz - plain.gz;
const result = {
  intro: "A scratch crate (`benches/boundary/`, not shipped) exports the same core calls twice: `*_json` crosses as the package does today " +
    "(JSON.stringify in JS, `serde_json::from_str` in Rust, and back as text for `JSON.parse`), `*_swb` with serde-wasm-bindgen 0.6 " +
    "(`from_value` into the same `serde_json::Value`, the verdict written with `Serializer::json_compatible()`), both timed in one Node process on one build, " +
    "after checking they answer the same. *reading the groups only* is the crossing alone (the input read into a `Value` and dropped).",
  rows,
  size: `Size: the scratch build with serde-wasm-bindgen (and the js-sys glue it brings) is ${kb(swb.gz)} gzipped (.wasm + JS glue), without it ${kb(plain.gz)}: ` +
    `${delta >= 0 ? "+" : ""}${kb(delta)} for the swb entry points.`,
  gz: { json: plain.gz, swb: swb.gz, delta },
};
writeFileSync(`${TARGET}/bench/boundary.json`, JSON.stringify(result, null, 1));
console.log(result.size);
