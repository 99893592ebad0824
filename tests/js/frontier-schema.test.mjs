// The JSON Schema keyword table (tests/schema/keywords.json) through the npm
// package, exactly as tests/frontier_schema.rs runs it through the Rust API:
// each row's schema is the Frontier group metaschema's property "v", each
// value the metadata member "v"; valid → 200 without issues, invalid → 400
// with the row's code at /body/metadata/v or below.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { validate } from "groupgate";

const rows = JSON.parse(readFileSync(new URL("../schema/keywords.json", import.meta.url), "utf8"));

const context = (row) => {
  const ms = { type: "object", properties: { v: row.schema } };
  if (row.draft) ms.$schema = row.draft;
  if (row.definitions) ms.definitions = row.definitions;
  return { state: { org: { id: "acme" }, metaschema: ms } };
};
const request = (v) => ({ op: "create", params: { org_id: "acme" }, body: { name: "x", metadata: { v } } });

test("keyword table: gojsonschema v1.2.0's answers through the package", async (t) => {
  assert.ok(rows.length >= 50);
  for (const row of rows) {
    await t.test(row.name, () => {
      assert.ok(row.source?.trim(), "source");
      const ctx = context(row);
      for (const v of row.valid) {
        const got = validate("frontier", request(v), ctx);
        assert.deepEqual([got.status, got.errors, got.warnings], [200, [], []], `${JSON.stringify(v)} passes`);
      }
      for (const [v, code] of row.invalid) {
        const got = validate("frontier", request(v), ctx);
        assert.equal(got.status, 400, `${JSON.stringify(v)}: ${JSON.stringify(got)}`);
        assert.ok(got.errors.some((e) => e.code === code && e.path.startsWith("/body/metadata/v")), `${JSON.stringify(v)} fails with ${code}: ${JSON.stringify(got)}`);
      }
    });
  }
});
