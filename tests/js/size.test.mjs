// The shipped size: the one .wasm plus the JS a runtime loads (glue, core, one
// entry), gzipped at level 9. SPEC §5: at most 250 KB is the goal, never above 300 KB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const pkg = new URL("../../pkg/", import.meta.url);
const LIMIT = 300_000;
const GOAL = 250_000;

const files = ["wasm/groupgate_bg.wasm", "wasm/groupgate.js", "core.js", "node.mjs"];
const parts = files.map((f) => readFileSync(new URL(f, pkg)));
const gz = (b) => gzipSync(b, { level: 9 }).length;
const total = gz(Buffer.concat(parts));
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

test(`wasm + JS glue gzipped is at most ${kb(LIMIT)}`, () => {
  const detail = files.map((f, i) => `${f} ${parts[i].length} B raw, ${gz(parts[i])} B gzipped`).join("; ");
  console.log(`wasm + glue gzipped: ${total} bytes (${kb(total)}; limit ${kb(LIMIT)}, goal ${kb(GOAL)}) — ${detail}`);
  assert.ok(total <= LIMIT, `${kb(total)} gzipped is above ${kb(LIMIT)}`);
});
