// The native build and the WASM build give identical answers (SPEC: "the
// native and WASM builds give identical answers"; issue 8). The corpus is
// generated natively with a fixed seed by `native_corpus` in
// tests/properties.rs into tests/out/corpus.json (./dev test runs cargo test
// before the JS tests); this test asks the package every question of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { FilePolicy, GroupgateError, Workspace, globMatch, validate } from "groupgate";

const file = new URL("../out/corpus.json", import.meta.url);
if (!existsSync(file)) {
  throw new Error("tests/out/corpus.json is missing: run `cargo test --test properties` first (./dev test does)");
}
const corpus = JSON.parse(readFileSync(file, "utf8"));

/** The answer in the corpus's form: {ok: value} or {error: code}. */
function answer(f) {
  try {
    return { ok: f() };
  } catch (e) {
    if (!(e instanceof GroupgateError)) throw e;
    return { error: e.code };
  }
}

test("file policies: every explain and lint is the native one", () => {
  let queries = 0;
  for (const [i, p] of corpus.policies.entries()) {
    const policy = new FilePolicy(p.groups, p.options);
    for (const q of p.queries) {
      const got = answer(() => policy.explain(q.member, q.path, q.action));
      assert.deepEqual(got, q.explain, `policy ${i}: explain(${JSON.stringify(q.member)}, ${JSON.stringify(q.path)}, ${q.action})`);
      if (got.ok) assert.equal(policy.check(q.member, q.path, q.action), got.ok.allowed);
      queries++;
    }
    assert.deepEqual(policy.lint(["a", "a/b.js", "a/c/d.js", "a/c", "b/x", "b/a", ".env", "secrets/.env", "x", "x.bak", "A/b", "a/b", "q/r/x", "c.js", "/a/./b.js", "b//bb"]), p.lint, `policy ${i}: lint`);
    policy.free();
  }
  assert.ok(queries >= 10000, `${queries} queries`);
});

test("globs: every globMatch is the native one", () => {
  for (const g of corpus.globs) {
    assert.deepEqual(answer(() => globMatch(g.pattern, g.path)), g.match, `globMatch(${JSON.stringify(g.pattern)}, ${JSON.stringify(g.path)})`);
  }
});

test("dialects: every verdict is the native one, whole", () => {
  for (const v of corpus.verdicts) {
    assert.deepEqual(validate(v.dialect, v.request, v.context), v.verdict, `${v.dialect}: ${JSON.stringify(v.request).slice(0, 200)}`);
  }
  assert.ok(corpus.verdicts.length > 400);
});

test("workspaces: previews and effective models are the native ones", () => {
  for (const w of corpus.workspaces) {
    const ws = Workspace.from(w.state);
    assert.deepEqual(ws.preview(w.request), w.preview);
    for (const m of w.models) assert.deepEqual(answer(() => ws.effectiveModels(m.group)), m.models, m.group);
    ws.free();
  }
  assert.ok(corpus.workspaces.length > 50);
});
