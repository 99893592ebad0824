// The baseten dialect and the Workspace through the npm package: the key
// cases of tests/baseten.rs, seen from JavaScript, plus the preview timing
// answers in a 10,000-group workspace (its timing: benches/preview.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Workspace, validate, GroupgateError } from "groupgate";
import { bigState } from "./fixtures/baseten-big.mjs";

const limit = (type, unit, threshold) => ({ type, unit, threshold });

const group = (id, parent, mode, models, extra = {}) => ({
  id,
  metadata: { name: id, external_entity_id: `ext-${id}` },
  models,
  hierarchy: { limit_enforcement: mode, parent_group_id: parent },
  workspace_id: "ws-1",
  ...extra,
});

// g-root (CASCADING) → g-team → g-sub; i-root (INDEPENDENT) → i-child.
const STATE = {
  groups: [
    group("g-root", null, "CASCADING", [
      { slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 1000)], usage_limits: [limit("TOKEN", "DAY", 100000)] },
      { slug: "openai/gpt", rate_limits: [limit("REQUEST", "SECOND", 10)] },
    ]),
    group("g-team", "g-root", "CASCADING", [
      { slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 500)] },
      { slug: "openai/gpt" },
    ]),
    group("g-sub", "g-team", "CASCADING", [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 200)] }]),
    group("i-root", null, "INDEPENDENT", [{ slug: "acme/x", rate_limits: [limit("TOKEN", "MINUTE", 10)] }]),
    group("i-child", "i-root", "INDEPENDENT", [{ slug: "acme/x", rate_limits: [limit("TOKEN", "MINUTE", 50)] }, { slug: "extra/y" }]),
    group("gone", null, "INDEPENDENT", [], { deleted: true }),
    group("other", null, "INDEPENDENT", [{ slug: "a/b" }], { workspace_id: "ws-2" }),
  ],
  keys: [
    { prefix: "k-root", group_id: "g-root" },
    { prefix: "k-team", group_id: "g-team", name: "team key" },
    { prefix: "k-sub", group_id: "g-sub" },
    { prefix: "k-i", group_id: "i-child" },
  ],
};

const update = (group_id, body) => ({ op: "update", params: { group_id }, body });
const errs = (v) => v.errors.map((i) => [i.path, i.code]);

test("baseten: effective models take the smallest threshold and name its source", () => {
  const ws = Workspace.from(STATE);
  assert.deepEqual(ws.effectiveModels("g-sub"), [
    {
      slug: "meta/llama",
      rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 200, source_group: "g-sub" }],
      usage_limits: [{ type: "TOKEN", unit: "DAY", threshold: 100000, source_group: "g-root" }],
    },
  ]);
  // INDEPENDENT: the parent's 10 binds; extra/y is not effective.
  assert.deepEqual(ws.effectiveModels("i-child"), [
    { slug: "acme/x", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold: 10, source_group: "i-root" }], usage_limits: [] },
  ]);
  assert.throws(() => ws.effectiveModels("nope"), (e) => e instanceof GroupgateError && e.issues[0].code === "not_found");
});

test("baseten: models: [] on a parent → every key in its subtree loses access", () => {
  const v = Workspace.from(STATE).preview(update("g-root", { models: [] }));
  assert.equal(v.ok, true, JSON.stringify(v.errors));
  assert.equal(v.status, 200);
  assert.deepEqual(v.changes.keys, [
    { prefix: "k-root", group_id: "g-root", gained: [], lost: ["meta/llama", "openai/gpt"] },
    { prefix: "k-team", group_id: "g-team", gained: [], lost: ["meta/llama", "openai/gpt"] },
    { prefix: "k-sub", group_id: "g-sub", gained: [], lost: ["meta/llama"] },
  ]);
  assert.deepEqual(v.changes.groups.map((g) => g.id), ["g-root", "g-team", "g-sub"]);
  assert.deepEqual(v.next.effective_models, []);
});

test("baseten: a limit change lists every group whose binding limit moves", () => {
  const v = Workspace.from(STATE).preview(
    update("g-root", {
      models: [
        { slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 1000)], usage_limits: [limit("TOKEN", "DAY", 50000)] },
        { slug: "openai/gpt", rate_limits: [limit("REQUEST", "SECOND", 10)] },
      ],
    }),
  );
  assert.equal(v.ok, true);
  for (const g of v.changes.groups) {
    assert.deepEqual(g.limits, [
      {
        slug: "meta/llama", kind: "usage", type: "TOKEN", unit: "DAY",
        old: { threshold: 100000, source_group: "g-root" },
        new: { threshold: 50000, source_group: "g-root" },
      },
    ]);
  }
  assert.equal(v.changes.groups.length, 3);
  assert.deepEqual(v.changes.keys, []);
});

test("baseten: request rules (status, path, code)", () => {
  const ws = Workspace.from(STATE);
  const cases = [
    [update("g-team", {}), 400, [["/body", "required"]]],
    // Immutable members are ignored with a warning (the OpenAPI's UpdateGroupRequestV1 does not forbid unknown members).
    [update("g-team", { metadata: { external_entity_id: "x" } }), 200, []],
    [update("g-team", { hierarchy: {} }), 400, [["/body", "required"]]],
    [update("g-team", { metadata: { name: "x".repeat(256) } }), 400, [["/body/metadata/name", "max_length"]]],
    [update("i-root", { models: [{ slug: "nope" }] }), 400, [["/body/models/0/slug", "pattern"]]],
    [update("i-root", { models: [{ slug: "a/b" }, { slug: "a/b" }] }), 400, [["/body/models/1/slug", "duplicate"]]],
    [
      // OpenAPI minimum 0 (the docs say >= 1): accepted with a warning.
      update("i-root", { models: [{ slug: "a/b" }, { slug: "c/d" }, { slug: "e/f", rate_limits: [limit("TOKEN", "MINUTE", -1)] }] }),
      400,
      [["/body/models/2/rate_limits/0/threshold", "minimum"]],
    ],
    [update("i-root", { models: [{ slug: "a/b", rate_limits: [limit("TOKEN", "DAY", 5)] }] }), 400, [["/body/models/0/rate_limits/0/unit", "enum"]]],
    [
      update("g-team", { models: [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 1001)] }] }),
      400,
      [["/body/models/0/rate_limits/0/threshold", "cascade.above_ancestor"]],
    ],
    [
      update("g-team", { models: [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 199)] }] }),
      400,
      [["/body/models/0/rate_limits/0/threshold", "cascade.below_descendant"]],
    ],
    [update("i-child", { models: [{ slug: "acme/x", rate_limits: [limit("TOKEN", "MINUTE", 99999)] }] }), 200, []],
    [update("nope", { models: [] }), 404, [["/params/group_id", "not_found"]]],
    [update("gone", { models: [] }), 404, [["/params/group_id", "not_found"]]],
    [
      { op: "create", body: { metadata: { external_entity_id: "ext-g-team" }, models: [{ slug: "a/b" }], hierarchy: {} } },
      400,
      [["/body/metadata/external_entity_id", "already_exists"]],
    ],
    [{ op: "create", body: { metadata: { external_entity_id: "n" }, models: [], hierarchy: {} } }, 400, [["/body/models", "min_items"]]],
    [{ op: "create", body: { metadata: { external_entity_id: "n" }, models: [{ slug: "a/b" }] } }, 400, [["/body/hierarchy", "required"]]],
    [update("i-root", { models: [{ slug: "a/b", rate_limits: [limit("TOKEN", "MINUTE", 0)] }] }), 200, []],
    [{ op: "delete", params: { group_id: "g-team" } }, 200, []],
  ];
  for (const [req, status, want] of cases) {
    const v = ws.preview(req);
    assert.equal(v.status, status, JSON.stringify([req, v.errors]));
    assert.deepEqual(errs(v), want, JSON.stringify(req));
    // preview(request) = validate("baseten", request, {state})
    assert.deepEqual(validate("baseten", req, { state: STATE }), v);
  }
});

test("baseten: caller scope and workspace", () => {
  const req = update("g-team", { metadata: { name: "x" } });
  const v = validate("baseten", req, { state: STATE, caller: { scope: "inference", workspace_id: "ws-1" } });
  assert.deepEqual([v.status, errs(v)], [403, [["", "forbidden"]]]);
  const w = validate("baseten", req, { state: STATE, caller: { scope: "management", workspace_id: "ws-9" } });
  assert.deepEqual([w.status, errs(w)], [403, [["/params/group_id", "other_workspace"]]]);
  const ok = validate("baseten", req, { state: STATE, caller: { scope: "management", workspace_id: "ws-1" } });
  assert.equal(ok.status, 200);
  const noState = validate("baseten", req);
  assert.deepEqual([noState.ok, noState.skipped], [true, ["state", "caller"]]);
});

test("baseten: delete lists the subtree and revokes its keys", () => {
  const v = Workspace.from(STATE).preview({ op: "delete", params: { group_id: "g-root" } });
  assert.deepEqual(v.changes, { removed_groups: ["g-root", "g-team", "g-sub"], revoked_keys: ["k-root", "k-team", "k-sub"] });
});

test("baseten: Workspace.from throws GroupgateError with issues for a bad state", () => {
  const cyc = { groups: [group("a", "b", "INDEPENDENT", []), group("b", "a", "INDEPENDENT", [])] };
  assert.throws(
    () => Workspace.from(cyc),
    (e) => e instanceof GroupgateError && e.issues[0].code === "state.cycle" && /a → b → a|b → a → b/.test(e.issues[0].message),
  );
  const dangling = { groups: [group("a", "zzz", "INDEPENDENT", [])] };
  assert.throws(
    () => Workspace.from(dangling),
    (e) => e.issues[0].path === "/groups/0/hierarchy/parent_group_id" && e.issues[0].code === "state.dangling_parent",
  );
  assert.throws(() => Workspace.from(42), GroupgateError);
  assert.throws(() => Workspace.from({ groups: [null] }), GroupgateError);
});

// ------------------------------------------------------------------ scale
// Timing is measured by benches/preview.mjs (it prints numbers); this test
// checks the answers in the same 10,000-group workspace.

// ------------------------------------------------------------------ timing


test("baseten: previews in a 10,000-group depth-5 workspace", () => {
  const state = bigState();
  assert.equal(state.groups.length, 10000);
  const ws = Workspace.from(state);
  const leaf = update("r.8.9.9.8", {
    models: [{ slug: "org/a" }, { slug: "org/b", rate_limits: [limit("REQUEST", "SECOND", 5)] }, { slug: "org/c" }],
  });
  const v = ws.preview(leaf);
  assert.equal(v.ok, true, JSON.stringify(v.errors));
  assert.equal(v.changes.groups.length, 1);
  // Near the root, with a change that re-binds its 1,000-group subtree.
  const mid = update("r.3", { models: [{ slug: "org/a", rate_limits: [limit("TOKEN", "MINUTE", 40000)] }, { slug: "org/b" }, { slug: "org/c" }] });
  assert.equal(ws.preview(mid).ok, true);
  // The root, same models: nothing to report.
  const root = update("r", { models: state.groups[0].models });
  assert.equal(ws.preview(root).changes.groups.length, 0);
});

test("baseten: Workspace.from reads JSON text as it reads the object", () => {
  const a = Workspace.from(STATE);
  const b = Workspace.from(JSON.stringify(STATE));
  assert.deepEqual(b.effectiveModels("g-sub"), a.effectiveModels("g-sub"));
  assert.throws(() => Workspace.from("{not json"), (e) => e instanceof GroupgateError && e.code === "type");
  assert.throws(() => Workspace.from(JSON.stringify({ groups: [{ id: "" }] })), GroupgateError);
});

test("baseten: Workspace.from text with non-ASCII anywhere (UTF-8 written straight into the module)", () => {
  // The package writes one byte per UTF-16 unit first, then makes room for
  // the rest when a character needs more: at the start, the middle and the
  // very end, 2-, 3- and 4-byte characters.
  for (const name of ["é", "Équipe ✓ 🚀", "名前".repeat(100)]) {
    const st = { groups: [group("g-root", null, "CASCADING", [{ slug: "meta/llama" }], { metadata: { name, external_entity_id: "e" } })] };
    for (const text of [JSON.stringify(st), `${JSON.stringify(st)} `, ` ${JSON.stringify(st)}`]) {
      const ws = Workspace.from(text);
      const v = ws.preview({ op: "update", params: { group_id: "g-root" }, body: { models: [] } }, { scope: "management" });
      assert.ok(v.ok, JSON.stringify(v));
      assert.equal(v.next.metadata.name, name);
    }
  }
});

test("baseten: toBytes/fromBytes round trip; bad bytes throw GroupgateError", () => {
  const ws = Workspace.from(STATE);
  const bytes = ws.toBytes();
  assert.ok(bytes instanceof Uint8Array);
  const back = Workspace.fromBytes(bytes);
  const req = { op: "update", params: { group_id: "g-root" }, body: { models: [] } };
  assert.deepEqual(back.preview(req), ws.preview(req));
  assert.deepEqual(back.effectiveModels("i-child"), ws.effectiveModels("i-child"));
  const code = (b) => {
    try {
      Workspace.fromBytes(b);
    } catch (e) {
      assert.ok(e instanceof GroupgateError);
      return e.code;
    }
    return "loaded";
  };
  assert.equal(code(new Uint8Array([1, 2, 3])), "snapshot.foreign");
  assert.equal(code(bytes.slice(0, bytes.length - 1)), "snapshot.truncated");
  const flipped = bytes.slice();
  flipped[bytes.length - 5] ^= 0xff;
  assert.equal(code(flipped), "snapshot.corrupt");
  assert.throws(() => Workspace.fromBytes([1, 2]), (e) => e instanceof GroupgateError && e.issues[0].path === "/bytes");
});

test("baseten: apply updates in place and answers as a fresh Workspace.from", () => {
  const ws = Workspace.from(STATE);
  const state = structuredClone(STATE);
  // A rejected request changes nothing.
  const bad = ws.apply({ op: "update", params: { group_id: "g-sub" }, body: { models: [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 999)] }] } });
  assert.equal(bad.ok, false);
  // Update, then create under the updated group, then delete a subtree.
  const up = ws.apply({ op: "update", params: { group_id: "g-team" }, body: { models: [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 300)] }] } });
  assert.equal(up.ok, true);
  state.groups.find((g) => g.id === "g-team").models = up.next.models;
  const created = ws.apply(
    { op: "create", body: { metadata: { external_entity_id: "fresh" }, models: [{ slug: "meta/llama" }], hierarchy: { parent_group_id: "g-team" } } },
    { id: "g-new", caller: { scope: "management", workspace_id: "ws-1" } },
  );
  assert.equal(created.status, 200);
  assert.equal(created.next.id, "g-new");
  const { effective_models, created_at, ...g } = created.next;
  state.groups.push(g);
  const del = ws.apply({ op: "delete", params: { group_id: "i-root" } });
  for (const g of state.groups) if (del.changes.removed_groups.includes(g.id)) g.deleted = true;
  const fresh = Workspace.from(state);
  for (const g of state.groups.filter((g) => !g.deleted)) {
    assert.deepEqual(ws.effectiveModels(g.id), fresh.effectiveModels(g.id), g.id);
    const probe = { op: "update", params: { group_id: g.id }, body: { models: [] } };
    assert.deepEqual(ws.preview(probe), fresh.preview(probe), g.id);
  }
  assert.equal(ws.preview({ op: "delete", params: { group_id: "i-child" } }).status, 404);
  assert.throws(() => ws.apply({ op: "create", body: {} }, { id: "g-root" }), (e) => e instanceof GroupgateError && e.code === "invalid_id");
});

test("baseten: the summary form of changes", () => {
  const ws = Workspace.from(bigState());
  const req = { op: "update", params: { group_id: "r" }, body: { models: [] } };
  const v = ws.preview(req, undefined, { summary: 5 });
  assert.equal(v.ok, true);
  assert.equal(v.changes.groups.length, 5);
  assert.equal(v.changes.keys.length, 5);
  assert.equal(v.changes.summary.groups, 10000);
  assert.equal(v.changes.summary.keys, 10000);
  assert.equal(v.changes.summary.lost, 10000);
  assert.equal(v.changes.truncated, true);
  const full = ws.preview(req);
  assert.deepEqual(v.changes.groups, full.changes.groups.slice(0, 5));
  assert.equal(full.changes.summary, undefined);
  const d = ws.preview({ op: "delete", params: { group_id: "r.1" } }, undefined, { summary: true });
  assert.equal(d.changes.removed_groups.length, 100);
  assert.equal(d.changes.summary.removed_groups, 1011);
  // Engine options throw (as in apply), README Errors and types.
  assert.throws(() => ws.preview(req, undefined, { summary: -1 }), (e) => e instanceof GroupgateError && e.issues[0].path === "/options/summary");
});

test("baseten: a caller that is not an object throws the same GroupgateError in validate, preview and apply", () => {
  const req = update("g-root", { models: [] });
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof GroupgateError, String(e));
      return { code: e.code, path: e.issues[0].path, message: e.issues[0].message };
    }
    assert.fail("did not throw");
  };
  for (const caller of ["x", 7, true, ["management"]]) {
    const fromValidate = thrown(() => validate("baseten", req, { state: STATE, caller }));
    const ws = Workspace.from(STATE);
    const fromPreview = thrown(() => ws.preview(req, caller));
    assert.deepEqual(fromPreview, fromValidate, JSON.stringify(caller));
    const fromApply = thrown(() => ws.apply(req, { caller }));
    assert.deepEqual(fromApply, { ...fromValidate, path: "/options/caller" });
    // Nothing was applied: the root still has its models.
    assert.notEqual(ws.effectiveModels("g-root").length, 0);
    ws.free();
  }
  // null is no caller, in all three.
  assert.equal(Workspace.from(STATE).preview(req, null).ok, validate("baseten", req, { state: STATE, caller: null }).ok);
});

// Session 22 (atk21's open bounds, decided): a Baseten group id holds at
// most 256 bytes (each effective limit repeats it as `source_group`), and the
// full form of `changes` stops at 1 MiB + 8 bytes a byte of the state,
// saying so as the summary form does.
test("baseten: ids over 256 bytes are refused; a full form past its budget is cut and says so", () => {
  const root = (id) => group(id, null, "INDEPENDENT", []);
  const e = (() => { try { Workspace.from({ groups: [root("i".repeat(256)), root("i".repeat(257))] }); } catch (err) { return err; } })();
  assert.ok(e instanceof GroupgateError);
  assert.deepEqual(e.issues.map((i) => [i.path, i.code]), [["/groups/1/id", "max_length"]]);
  const ws = Workspace.from({ groups: [root("a")] });
  assert.throws(() => ws.apply({ op: "create", body: {} }, { id: "n".repeat(257) }), (err) => err.code === "invalid_id");
  const models = Array.from({ length: 2000 }, (_, m) => ({ slug: `org/a-model-of-a-long-name-${m}` }));
  const state = (keys) => ({ groups: [group("r", null, "CASCADING", models), group("c", "r", "CASCADING", models)],
    keys: Array.from({ length: keys }, (_, k) => ({ prefix: `k${k}`, group_id: "c" })) });
  const small = Workspace.from(state(10)).preview(update("r", { models: [] }));
  assert.equal(small.changes.keys.length, 10);
  assert.equal(small.changes.truncated, undefined);
  const big = Workspace.from(state(1000)).preview(update("r", { models: [] }));
  assert.equal(big.ok, true);
  assert.ok(big.changes.keys.length > 0 && big.changes.keys.length < 1000, `${big.changes.keys.length} keys`);
  assert.deepEqual([big.changes.summary.keys, big.changes.truncated], [1000, true]);
  assert.ok(JSON.stringify(big.changes).length < 4 << 20);
});

// The package gives a Baseten context's state apart, as its own JSON text,
// when both are plain objects (js/core.js; README "Security"): every
// answer is the one of the whole context, which a context of a null
// prototype still takes; each member is read once.
test("baseten: a state given apart answers as in the context, each member read once", () => {
  const caller = { scope: "management", workspace_id: "ws-1" };
  const req = update("g-team", { models: [{ slug: "meta/llama", rate_limits: [limit("TOKEN", "MINUTE", 2000)] }] });
  const bad = { groups: [{ ...STATE.groups[0], models: [{ slug: 5 }] }] };
  class Box { constructor() { this.groups = STATE.groups; } }
  const states = [STATE, bad, { groups: 3 }, [], null, 5, "s", new Box(), { toJSON: () => STATE }, new Date(0), undefined];
  const answer = (ctx) => { try { return validate("baseten", req, ctx); } catch (e) { return [e.code, e.issues]; } };
  for (const state of states) {
    for (const extra of [{}, { caler: 1 }, { limits: { maxGroups: 1 } }]) {
      const ctx = { caller, ...extra, state };
      const whole = Object.assign(Object.create(null), ctx);
      assert.deepEqual(answer(ctx), answer(whole), `${JSON.stringify(state)} ${JSON.stringify(extra)}`);
    }
  }
  let reads = 0;
  const counted = { caller, get state() { reads++; return STATE; } };
  assert.equal(validate("baseten", req, counted).ok, validate("baseten", req, { caller, state: STATE }).ok);
  assert.equal(reads, 1);
  // An unreadable request: still a 400, the context checked first.
  assert.equal(validate("baseten", { op: 1n }, { caller, state: STATE }).status, 400);
  assert.throws(() => validate("baseten", { op: 1n }, { caller, state: { groups: [], caler: 1 }, caler: 2 }), GroupgateError);
});
