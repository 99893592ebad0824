// Hostile input in every view: random and malformed server state, members
// and imported documents. The console must never throw an uncaught page
// error, and the verdict it shows must be the engine's own for the inputs it
// holds (computed here through the built package), or an error state with
// Send disabled. Seeded, so a failure names its seed and step.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { validate } from "../../pkg/node.mjs";
import { start, DIALECT_IDS, status, submitDisabled, exportDoc, setState } from "./harness.mjs";

let b;
before(async () => {
  b = await start();
});
after(async () => {
  await b?.close();
});

const SEED = Number(process.env.HOSTILE_SEED ?? 20261130);
const STEPS = Number(process.env.HOSTILE_STEPS ?? 14);

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deep = (n) => {
  let v = "bottom";
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { x: v };
  return v;
};

/** Values that break assumptions: wrong types, empty shapes, deep nesting, odd strings. */
const POOL = [
  "x", "", 0, -1, 1.5, 2 ** 53, null, true, false, [], {}, ["x"], [1, null], { groups: "x" }, { id: 5 },
  { id: "x", groups: "x" }, [{ id: "m", groups: "x" }], "\u0000\u202e", "💥".repeat(40), "a".repeat(5000), deep(60),
  [{}], [[]], { filePermissions: "x" }, { models: [{ slug: 1 }] }, { hierarchy: { parent_group_id: "nowhere" } },
];

/** Every [parent, key] in the JSON tree, to replace one at random. */
function slots(v, out = []) {
  if (v && typeof v === "object") {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      slots(v[k], out);
    }
  }
  return out;
}

/** A mutation of `base`: 1 to 3 subtrees replaced, sometimes the whole, sometimes members in particular. */
function mutate(base, r) {
  const v = structuredClone(base);
  const pick = (a) => a[Math.floor(r() * a.length)];
  if (r() < 0.08) return pick(POOL);
  if (Array.isArray(v?.members) && r() < 0.3) {
    const m = v.members;
    const i = Math.floor(r() * m.length);
    const choice = Math.floor(r() * 4);
    if (choice === 0) m[i] = { ...m[i], groups: pick(POOL) };
    else if (choice === 1) m[i] = pick(POOL);
    else if (choice === 2) v.members = pick(POOL);
    else m.push({ id: m[i]?.id ?? "dup", groups: [pick(["x", "", v.groups?.[0]?.id ?? "g"])] });
    return v;
  }
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const all = slots(v);
    if (!all.length) break;
    const [parent, key] = pick(all);
    parent[key] = structuredClone(pick(POOL));
  }
  return v;
}

/** A text to type: JSON of a mutation, or broken JSON (truncated, a stray character). */
function stateText(base, r) {
  const text = JSON.stringify(mutate(base, r), null, r() < 0.5 ? 2 : 0);
  const x = r();
  if (x < 0.12) return text.slice(0, Math.floor(r() * text.length));
  if (x < 0.18) return `${text.slice(0, 10)}}${text.slice(10)}`;
  return text;
}

/** The engine's verdict, or { refused } when it throws GroupgateError for input it cannot read. */
function engineAnswer(dialect, request, context) {
  try {
    return validate(dialect, request, context);
  } catch (e) {
    if (e?.name !== "GroupgateError") throw e;
    return { refused: e.message };
  }
}

/** The console shows the engine's verdict for what it holds, or an error state. */
async function agrees(page, dialect, typed, where) {
  const shown = await status(page);
  const disabled = await submitDisabled(page);
  // Whatever the input, the messages are in words: no byte offsets, no raw codes in the text.
  const texts = await page.$$eval(".msgs .text, .summary .text, #policy-error .text", (l) => l.map((e) => e.textContent));
  for (const t of texts) assert.doesNotMatch(t, /at byte \d|\b(schema|glob)\.[a-z_]+\b/, `${where}: "${t}"`);
  let parsed;
  try {
    parsed = JSON.parse(typed);
  } catch {
    assert.equal(shown, null, `${where}: state is not JSON, yet a status ${shown} is shown`);
    assert.equal(disabled, true, `${where}: Send enabled in an error state`);
    return;
  }
  const doc = await exportDoc(page);
  assert.equal(doc.dialect, dialect);
  assert.deepEqual(doc.context.state, parsed, `${where}: the console holds another state than the one typed`);
  const engine = engineAnswer(dialect, doc.request, doc.context);
  if (engine.refused) {
    assert.equal(shown, null, `${where}: the engine refuses the input (${engine.refused}), yet a status ${shown} is shown`);
    assert.equal(disabled, true, `${where}: Send enabled although the engine refuses the input`);
    return;
  }
  assert.equal(shown, engine.status, `${where}: shown ${shown}, engine ${engine.status} (${JSON.stringify(engine.errors.slice(0, 2))})`);
  assert.equal(disabled, !engine.ok, `${where}: Send ${disabled ? "disabled" : "enabled"} for ok=${engine.ok}`);
}

/** Pokes the view of the dialect with whatever the state now holds. */
async function poke(page, r) {
  const options = await page.$$eval("#member option", (o) => o.map((x) => x.value)).catch(() => []);
  if (options.length) await page.selectOption("#member", options[Math.floor(r() * options.length)]);
  const cell = await page.$("[data-action]");
  if (cell) await cell.focus();
  const edit = await page.$("[data-group] button.link");
  if (edit && r() < 0.3) {
    page.once("dialog", (d) => d.dismiss());
    await edit.click();
  }
}

for (const [n, dialect] of DIALECT_IDS.entries()) {
  test(`hostile state and members: ${dialect}`, async () => {
    const page = await b.open(dialect);
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const r = rng(SEED + n);
    const base = (await exportDoc(page)).context.state;
    const fixed = dialect === "gorules"
      ? [JSON.stringify({ ...base, groups: "x" }), JSON.stringify({ ...base, members: [{ id: "m", groups: "x" }] })]
      : [JSON.stringify({ groups: "x" })];
    for (let step = 0; step < STEPS + fixed.length; step++) {
      const typed = step < fixed.length ? fixed[step] : stateText(base, r);
      const where = `${dialect} seed ${SEED + n} step ${step}`;
      await setState(page, typed);
      assert.deepEqual(errors, [], `${where}: page error`);
      await agrees(page, dialect, typed, where);
      await poke(page, r);
      assert.deepEqual(errors, [], `${where}: page error after using the view`);
      await agrees(page, dialect, typed, `${where} (after the view)`);
    }
    await page.close();
  });
}

test("the issue's case: GoRules state {groups: \"x\"} is a 400 with Send disabled, never the previous 200", async () => {
  const page = await b.open("gorules");
  assert.equal(await status(page), 200);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const doc = await exportDoc(page);
  await setState(page, JSON.stringify({ ...doc.context.state, groups: "x" }));
  assert.deepEqual(errors, []);
  assert.equal(await status(page), 400);
  assert.equal(await submitDisabled(page), true);
  await setState(page, JSON.stringify({ ...doc.context.state, members: [{ id: "m", groups: "x" }] }));
  assert.deepEqual(errors, []);
  assert.equal(await status(page), validate("gorules", doc.request, { ...doc.context, state: { ...doc.context.state, members: [{ id: "m", groups: "x" }] } }).status);
  assert.match(await page.textContent("#ignored-members"), /1 member of the state ignored/);
  await page.close();
});

test("hostile imports: random documents either import (and agree with the engine) or say why not", async () => {
  const page = await b.open("gorules");
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const r = rng(SEED + 99);
  const base = await exportDoc(page);
  for (let step = 0; step < STEPS; step++) {
    const where = `import seed ${SEED + 99} step ${step}`;
    const doc = mutate(base, r);
    let text = JSON.stringify(doc);
    if (r() < 0.15) text = text.slice(0, Math.floor(r() * text.length));
    if (!(await page.$("#io-panel:not([hidden])[data-mode=\"json\"]"))) await page.click("#io-json");
    await page.fill("#io-text", text);
    await page.click("#io-import");
    assert.deepEqual(errors, [], `${where}: page error`);
    const msg = await page.getAttribute("#io-msg", "class");
    const d = (await page.evaluate(() => document.body.dataset.dialect));
    if (msg.includes("bad")) {
      assert.match(await page.textContent("#io-msg"), /\S/);
    }
    await page.waitForSelector(`body[data-dialect="${d}"] #status`);
    const held = await exportDoc(page);
    const engine = engineAnswer(held.dialect, held.request, held.context);
    const shown = await status(page);
    assert.equal(shown, engine.refused ? null : engine.status, `${where}: shown ${shown}, engine ${engine.status ?? engine.refused}`);
    assert.equal(await submitDisabled(page), !engine.ok, where);
    if (d !== "gorules") await page.check("#dialect-gorules");
  }
  await page.close();
});

test("any uncaught error turns the verdict into an error state with Send disabled; the next input revalidates", async () => {
  const page = await b.open("gorules");
  assert.equal(await status(page), 200);
  assert.equal(await submitDisabled(page), false);
  await page.evaluate(() => setTimeout(() => { throw new Error("boom from a view"); }));
  await page.waitForSelector(`#verdict[data-state="error"]`);
  assert.equal(await status(page), null);
  assert.equal(await submitDisabled(page), true);
  assert.match(await page.textContent("#status"), /Console error.*boom from a view/);
  await page.fill('[data-ctl="/body/name"]', "authors");
  assert.equal(await status(page), 200);
  await page.close();
});

test("input the engine refuses to read (GroupgateError): an error state with its issue under the field", async () => {
  const page = await b.open("gorules");
  await setState(page, '"x"');
  assert.throws(() => validate("gorules", { op: "update" }, { state: "x" }), { name: "GroupgateError" });
  assert.equal(await status(page), null);
  assert.equal(await submitDisabled(page), true);
  assert.match(await page.textContent("#status"), /Not checked.*cannot read this input/);
  assert.deepEqual(await page.$$eval(`[data-pointer="/context/state"] > .msgs > li`, (l) => l.map((e) => e.dataset.code)), ["type"]);
  // Baseten: a caller that is not an object, imported.
  await page.check("#dialect-baseten");
  const doc = await exportDoc(page);
  await page.click("#io-json");
  await page.fill("#io-text", JSON.stringify({ ...doc, context: { ...doc.context, caller: "x" } }));
  await page.click("#io-import");
  assert.throws(() => validate("baseten", doc.request, { ...doc.context, caller: "x" }), { name: "GroupgateError" });
  assert.equal(await status(page), null);
  assert.equal(await submitDisabled(page), true);
  assert.match(await page.textContent("#verdict .summary"), /expected an object, got string/);
  await page.close();
});
