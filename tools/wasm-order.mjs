// node tools/wasm-order.mjs IN.wasm OUT.wasm [WINDOW]
//
// Renames the functions of a .wasm (its name section) so that wasm-opt's
// --reorder-functions-by-name lays them out with similar bodies side by side.
// gzip finds repeats only within its last 32 KB, and the many copies of one
// generic function (Vec::from_iter, Map::fold, hashbrown's reserve_rehash, …)
// are spread over the whole module by rustc; next to each other they compress
// as repeats. The order changes nothing a runtime does (README "Package
// size"; BENCHMARKS.md, session 18).
//
// The order: a chain from the first function, each next the unplaced function
// whose body shares the most 4-byte runs with one of the last WINDOW placed,
// the share estimated by MinHash (K minimums of seeded hashes of the runs).
// Pure integer arithmetic: the same input gives the same order everywhere.
import { readFileSync, writeFileSync } from "node:fs";

const K = 256;

// WINDOW: the chain's memory (default 8). The layout is chaotic (one changed
// body re-orders about half the module), so ./dev build lays the optimized
// module out with several windows and ships the smallest.
const [input, output, window = "8"] = process.argv.slice(2);
const WINDOW = Number(window);
if (!(Number.isInteger(WINDOW) && WINDOW >= 1 && WINDOW <= 64)) throw new Error(`window ${window}: an integer 1-64`);
const wasm = readFileSync(input);

let pos = 8;
const uleb = () => {
  let n = 0, shift = 0, byte;
  do {
    byte = wasm[pos++];
    n += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return n;
};
const leb = (n) => {
  const out = [];
  do {
    let byte = n & 127;
    n = Math.floor(n / 128);
    if (n) byte |= 128;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
};
const vec = (bytes) => Buffer.concat([leb(bytes.length), bytes]);

// The sections, the imported functions' count and the defined functions' bodies.
const sections = [];
let imported = 0;
const bodies = [];
while (pos < wasm.length) {
  const start = pos;
  const id = wasm[pos++];
  const end = uleb() + pos;
  if (id === 2) {
    for (let n = uleb(); n > 0; n--) {
      for (let strings = 0; strings < 2; strings++) {
        const size = uleb(); // module, then name
        pos += size;
      }
      const kind = wasm[pos++];
      if (kind === 0) imported++, uleb();
      else if (kind === 1) pos++, wasm[pos++] & 1 ? (uleb(), uleb()) : uleb();
      else if (kind === 2) wasm[pos++] & 1 ? (uleb(), uleb()) : uleb();
      else if (kind === 3) pos += 2;
      else throw new Error(`import kind ${kind}`);
    }
  } else if (id === 10) {
    for (let n = uleb(); n > 0; n--) {
      const size = uleb();
      bodies.push(wasm.subarray(pos, pos + size));
      pos += size;
    }
  }
  sections.push({ id, start, end });
  pos = end;
}

// Each body's MinHash signature over its 4-byte runs.
const seeds = Array.from({ length: K }, (_, k) => Math.imul(k + 1, 0x9e3779b1) >>> 0);
const signatures = bodies.map((body) => {
  const sig = new Uint32Array(K).fill(0xffffffff);
  for (let i = 0; i + 4 <= body.length; i++) {
    const run = (body[i] | (body[i + 1] << 8) | (body[i + 2] << 16) | (body[i + 3] << 24)) >>> 0;
    for (let k = 0; k < K; k++) {
      let h = Math.imul(run ^ seeds[k], 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
      if (h < sig[k]) sig[k] = h;
    }
  }
  return sig;
});

// The chain. recent[j * WINDOW + t]: body j's share with the t-th of the last WINDOW placed.
const n = bodies.length;
const placed = new Uint8Array(n);
const recent = new Uint16Array(n * WINDOW);
const rank = new Uint32Array(n);
let current = 0;
for (let step = 0; step < n; step++) {
  placed[current] = 1;
  rank[current] = step;
  const a = signatures[current], slot = step % WINDOW;
  let best = -1, bestShare = -1;
  for (let j = 0; j < n; j++) {
    if (placed[j]) continue;
    const b = signatures[j];
    let same = 0;
    for (let k = 0; k < K; k++) if (a[k] === b[k]) same++;
    recent[j * WINDOW + slot] = same;
    let share = 0;
    for (let t = 0; t < WINDOW; t++) share = Math.max(share, recent[j * WINDOW + t]);
    if (share > bestShare) bestShare = share, best = j;
  }
  current = best;
}

// The name section with each defined function named by its rank (imports keep their names).
const width = String(n).length;
const named = (index) => Buffer.from(`f${String(rank[index - imported]).padStart(width, "0")}`);
const parts = [wasm.subarray(0, 8)];
let renamed = false;
for (const { id, start, end } of sections) {
  pos = start + 1;
  uleb();
  if (id === 0 && wasm.subarray(pos + 1, pos + 1 + wasm[pos]).toString() === "name" && wasm[pos] === 4) {
    pos += 5;
    const subs = [vec(Buffer.from("name"))];
    while (pos < end) {
      const subStart = pos;
      const sub = wasm[pos++];
      const subEnd = uleb() + pos;
      if (sub === 1) {
        // Every function gets a name (a nameless one would sort by binaryen's own name for it).
        const importNames = new Map();
        for (let m = uleb(); m > 0; m--) {
          const index = uleb();
          const size = uleb();
          if (index < imported) importNames.set(index, wasm.subarray(pos, pos + size));
          pos += size;
        }
        const entries = [];
        for (const [index, name] of importNames) entries.push(leb(index), vec(name));
        for (let index = imported; index < imported + n; index++) entries.push(leb(index), vec(named(index)));
        subs.push(Buffer.from([1]), vec(Buffer.concat([leb(importNames.size + n), ...entries])));
        renamed = true;
      } else {
        subs.push(wasm.subarray(subStart, subEnd));
      }
      pos = subEnd;
    }
    parts.push(Buffer.from([0]), vec(Buffer.concat(subs)));
  } else {
    parts.push(wasm.subarray(start, end));
  }
}
if (!renamed) throw new Error(`${input}: no function names to rewrite`);
writeFileSync(output, Buffer.concat(parts));
