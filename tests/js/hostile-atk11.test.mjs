// Findings of atk11 (session 17), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = (files, args, timeout) => {
  const dir = mkdtempSync(join(tmpdir(), "gg-atk11-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const bin = fileURLToPath(new URL("../../pkg/bin/groupgate.mjs", import.meta.url));
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", timeout, maxBuffer: 1 << 26 });
};

// The CLI read files with JSON.parse, which keeps -0, and handed the value
// to the engine through JSON.stringify, which writes 0. Frontier reads the
// body's -0 (protojson, a Struct's float64) and its metaschema compares
// numbers as Go's json.Marshal writes them (gojsonschema v1.2.0
// validation.go:408-441 const and enum, :517-535 uniqueItems, through
// utils.go:84-104 marshalWithoutNumber; Go writes -0 as "-0"): `const: 0`
// refuses -0, so a 200 from the CLI was a wrong grant (and [0, -0] a false
// 400 under uniqueItems). The CLI now refuses a negative zero, as it
// refuses 1e400 (exit 2, at its place).
test("CLI: a negative zero is bad input, never read as 0 (Frontier's const 0 refuses -0)", () => {
  const state = JSON.stringify({ org: { id: "acme" }, groups: [], metaschema: { type: "object", properties: { x: { const: 0 } } } });
  const caller = JSON.stringify({ orgRoles: ["app_organization_owner"] });
  const req = (x) => `{"op":"create","params":{"org_id":"acme"},"body":{"name":"g",\n"metadata":{"x":${x}}}}`;
  const run = (x) => cli({ "r.json": req(x), "s.json": state, "c.json": caller }, ["validate", "frontier", "r.json", "--state", "s.json", "--caller", "c.json"], 20_000);
  assert.equal(run("0").status, 0, "control: 0 is the const");
  for (const x of ["-0", "-0.0", "-0e3", "-1e-400"]) {
    const r = run(x);
    assert.equal(r.status, 2, `${x}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /negative zero/);
    assert.match(r.stderr, /r\.json:2:/);
  }
  // Elsewhere a zero with a minus in its exponent or a positive zero is a number like any other.
  assert.equal(run("0e-5").status, 0);
  assert.equal(run("0.0").status, 0);
});
