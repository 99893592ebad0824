// The WASM package's routes of a glob against globset's answers, on the
// fixed-seed generated globs of tests/glob_differential.rs (which checks the
// native routes and writes tests/out/glob-differential.json): globMatch, a
// policy of every glob of a batch (a group each) from objects and from JSON
// text (plain, and with every string character escaped), allow and deny, fromBytes(toBytes()), checkMany and explain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { FilePolicy, globMatch } from "groupgate";

const file = new URL("../out/glob-differential.json", import.meta.url);
if (!existsSync(file)) {
  throw new Error("tests/out/glob-differential.json is missing: run `cargo test --test glob_differential` first (./dev test does)");
}
const batches = JSON.parse(readFileSync(file, "utf8"));

const groups = (globs, deny) =>
  globs.map((g, i) => ({
    id: `g${i}`,
    permissions: ["documents"],
    filePermissions: deny
      ? [
          { effect: "allow", actions: ["visible"], patterns: ["**"] },
          { effect: "deny", actions: ["visible"], patterns: [g] },
        ]
      : [{ effect: "allow", actions: ["visible"], patterns: [g] }],
  }));

/** JSON text with every character of its strings but letters and digits a \uXXXX escape. */
const escapedText = (v) =>
  typeof v === "string"
    ? `"${[...v].map((c) => (/[A-Za-z0-9]/.test(c) ? c : c.split("").map((u) => "\\u" + u.charCodeAt(0).toString(16).padStart(4, "0")).join(""))).join("")}"`
    : Array.isArray(v)
      ? `[${v.map(escapedText).join(",")}]`
      : typeof v === "object" && v !== null
        ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${escapedText(x)}`).join(",")}}`
        : JSON.stringify(v);

test("every WASM route of a generated glob answers as globset", () => {
  let asked = 0;
  for (const b of batches) {
    const options = { caseInsensitive: b.caseInsensitive };
    const allow = new FilePolicy(groups(b.globs, false), options);
    const text = new FilePolicy(JSON.stringify(groups(b.globs, false)), options);
    const escaped = new FilePolicy(escapedText(groups(b.globs, false)), options);
    const deny = new FilePolicy(groups(b.globs, true), options);
    const reread = FilePolicy.fromBytes(allow.toBytes());
    b.globs.forEach((g, i) => {
      const id = [`g${i}`];
      const many = reread.checkMany(id, b.paths, "visible");
      b.paths.forEach((p, k) => {
        const want = b.answers[i][k];
        const at = `${JSON.stringify(g)} ${JSON.stringify(p)} caseInsensitive ${b.caseInsensitive}`;
        assert.equal(globMatch(g, p, options), want, `globMatch ${at}`);
        assert.equal(allow.check(id, p, "visible"), want, `allow ${at}`);
        assert.equal(text.check(id, p, "visible"), want, `text ${at}`);
        assert.equal(escaped.check(id, p, "visible"), want, `escaped text ${at}`);
        assert.equal(deny.check(id, p, "visible"), !want, `deny ${at}`);
        assert.equal(many[k], want, `fromBytes checkMany ${at}`);
        assert.equal(allow.explain(id, p, "visible").allowed, want, `explain ${at}`);
        asked++;
      });
    });
    for (const p of [allow, text, escaped, deny, reread]) p.free();
  }
  assert.ok(asked >= 10000, `${asked} questions`);
});
