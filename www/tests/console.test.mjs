// The console in a real browser (Debian's Chromium through playwright-core):
// live errors under the right fields for every dialect, the GoRules file
// explorer and the Baseten blast radius. Screenshots go to
// tests/out/screenshots/ (and the README's to www/screenshot.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start, SHOTS } from "./harness.mjs";

let b;
before(async () => {
  b = await start();
});
after(async () => {
  await b?.close();
});

const field = (ptr) => `[data-pointer="${ptr}"]`;
const ctl = (ptr) => `[data-ctl="${ptr}"]`;

/** [code, message] of the issues shown directly under the field at `ptr`. */
async function shown(page, ptr, severity = "error") {
  return page.$$eval(`${field(ptr)} > .msgs > li.${severity}`, (lis) => lis.map((li) => [li.dataset.code, li.querySelector(".text").textContent]));
}
const codes = async (page, ptr) => (await shown(page, ptr)).map(([c]) => c);
const status = (page) => page.getAttribute("#status", "data-status").then((x) => (x === "" ? null : Number(x)));
const submitDisabled = (page) => page.isDisabled("#submit");

async function shot(page, name, { asIs = false } = {}) {
  if (!asIs) await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The common shape: valid sample → invalid value → error under the field, 4xx, no submit → fixed → all clear. */
async function typeAndFix(page, { input, value, at, code, message, fixed, status: bad = 400 }) {
  assert.equal(await status(page), await status(page));
  assert.equal(await submitDisabled(page), false, "the sample request is valid");
  await page.fill(input, value);
  const errs = await shown(page, at);
  assert.ok(errs.some(([c]) => c === code), `expected ${code} under ${at}, got ${JSON.stringify(errs)}`);
  if (message) assert.ok(errs.some(([, m]) => m.includes(message)), `expected message ${message}, got ${JSON.stringify(errs)}`);
  assert.equal(await status(page), bad);
  assert.equal(await submitDisabled(page), true, "submit is disabled while the verdict is not ok");
  assert.equal(await page.getAttribute(input, "aria-invalid"), "true");
  // No other field claims the error.
  const elsewhere = await page.$$eval(`.msgs > li.error[data-code="${code}"]`, (lis) => lis.map((li) => li.closest("[data-pointer]").dataset.pointer));
  assert.deepEqual(elsewhere, [at]);
  await page.fill(input, fixed);
  assert.deepEqual(await shown(page, at), []);
  assert.equal(await page.$$eval(".msgs > li.error", (l) => l.length), 0);
  assert.equal(await submitDisabled(page), false);
  assert.equal(await status(page), 200);
}

test("server: the console, the package and its .wasm from 127.0.0.1; no traversal", async () => {
  const wasm = await fetch(`${b.url}pkg/wasm/groupgate_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  const html = await fetch(b.url);
  assert.match(await html.text(), /groupgate console/);
  for (const p of ["%2e%2e/package.json", "..%2f..%2fCargo.toml", "node_modules/playwright-core/package.json", "tests/harness.mjs", "pkg/../../dev"]) {
    assert.equal((await fetch(`${b.url}${p}`)).status, 404, p);
  }
});

test("baseten: a limit above the ancestor's shows cascade.above_ancestor under that threshold; fixing clears it", async () => {
  const page = await b.open("baseten");
  await page.click(`[data-group="research-nlp"] > .node button.link`);
  assert.equal(await page.inputValue(ctl("/params/group_id")), "research-nlp");
  const at = "/body/models/0/rate_limits/0/threshold";
  await typeAndFix(page, { input: ctl(at), value: "500000", at, code: "cascade.above_ancestor", message: "research", fixed: "30000" });
  // A limit change shows in the tree and in the changes panel.
  assert.equal(await page.getAttribute(`[data-group="research-nlp"]`, "data-impact"), "limits");
  await page.fill(ctl(at), "abc");
  assert.deepEqual(await codes(page, at), ["type"]);
  await page.fill(ctl(at), "60000");
  await shot(page, "baseten");
  await page.close();
});

test("baseten: models: [] on the root highlights every descendant and their keys", async () => {
  const page = await b.open("baseten");
  assert.equal(await page.inputValue(ctl("/params/group_id")), "org");
  assert.equal(await page.$$eval(`[data-impact="loses"]`, (l) => l.length), 0);
  while (await page.$(`${field("/body/models/0")} > .item-head button`)) {
    await page.click(`${field("/body/models/0")} > .item-head button`);
  }
  assert.equal(await page.$$eval(`${field("/body/models")} li.item`, (l) => l.length), 0);
  assert.equal(await status(page), 200);
  const all = await page.$$eval("[data-group]", (l) => l.map((e) => e.dataset.group));
  const impact = await page.$$eval("[data-group]", (l) => Object.fromEntries(l.map((e) => [e.dataset.group, e.dataset.impact])));
  const descendants = await page.$$eval(`[data-group="org"] [data-group]`, (l) => l.map((e) => e.dataset.group));
  assert.deepEqual(descendants.sort(), all.filter((g) => g !== "org").sort());
  assert.equal(descendants.length, 5);
  for (const g of all) assert.equal(impact[g], "loses", g);
  const keys = await page.$$eval("[data-key][data-impact]", (l) => l.map((e) => e.dataset.impact));
  assert.equal(keys.length, 5);
  assert.ok(keys.every((k) => k === "loses"));
  assert.match(await page.textContent("#blast"), /6 groups and 5 API keys lose access/);
  // The changes panel lists them too.
  assert.equal(await page.$$eval(`#changes [data-key="groups"] tbody tr`, (l) => l.length), 6);
  await shot(page, "baseten-models-cleared");
  await page.close();
});

test("frontier: a name with a space shows pattern under Name; fixing clears it", async () => {
  const page = await b.open("frontier");
  await typeAndFix(page, { input: ctl("/body/name"), value: "data team", at: "/body/name", code: "pattern", fixed: "data-team",
    message: "name: only letters, digits, dashes and underscores, at least one" });
  // Metadata is checked against the metaschema, to the key.
  await page.fill(ctl("/body/metadata"), '{"label": "x"}');
  assert.deepEqual(await shown(page, "/body/metadata").then((e) => e.map(([c]) => c)), ["schema.type"]);
  // In words: no "schema.type" in the text (the code is behind the codes switch).
  const [[, text]] = await shown(page, "/body/metadata");
  assert.match(text, /^label: the organization's metadata schema says: expected object/);
  assert.doesNotMatch(text, /schema\.type/);
  assert.equal(await page.isVisible(`${field("/body/metadata")} .msgs .tech`), false);
  await page.check("#show-tech");
  assert.equal(await page.isVisible(`${field("/body/metadata")} .msgs .tech`), true);
  assert.match(await page.textContent(`${field("/body/metadata")} .msgs .tech`), /schema\.type at \/body\/metadata/);
  await page.uncheck("#show-tech");
  await page.fill(ctl("/body/metadata"), '{"label": {"team": "data"}}');
  assert.deepEqual(await shown(page, "/body/metadata"), []);
  // A caller without rights: 403, on the form as a whole.
  await page.fill(ctl("/context/caller/orgRoles/0"), "app_organization_viewer");
  assert.equal(await status(page), 403);
  assert.deepEqual(await codes(page, ""), ["forbidden"]);
  await page.fill(ctl("/context/caller/orgRoles/0"), "app_organization_owner");
  assert.equal(await status(page), 200);
  await shot(page, "frontier");
  await page.close();
});

test("apinizer: an empty relative path shows Apinizer's message under that path; fixing clears it", async () => {
  const page = await b.open("apinizer");
  const at = "/body/clientRoute/relativePathList/1";
  await typeAndFix(page, { input: ctl(at), value: "", at, code: "required",
    message: "relativePath value in clientRoute object can not be empty!", fixed: "/carts" });
  // Header names compare case-insensitively.
  await page.click(ctl("/body/clientRoute/headerList#add"));
  await page.fill(ctl("/body/clientRoute/headerList/1/name"), "x-tenant");
  assert.deepEqual(await codes(page, "/body/clientRoute/headerList/1/name"), ["duplicate"]);
  await page.fill(ctl("/body/clientRoute/headerList/1/name"), "X-Request-Id");
  assert.deepEqual(await codes(page, "/body/clientRoute/headerList/1/name"), []);
  assert.equal(await submitDisabled(page), false);
  await shot(page, "apinizer");
  await page.close();
});

test("conductor: an unknown role shows unknown_role under that role; fixing clears it", async () => {
  const page = await b.open("conductor");
  await page.click(ctl("/body/roles#add"));
  const at = "/body/roles/2";
  await typeAndFix(page, { input: ctl(at), value: "SUPERHERO", at, code: "unknown_role", fixed: "WORKER" });
  const gained = await page.$$eval(`#changes [data-key="permissions"] .chip.gain`, (l) => l.map((e) => e.textContent));
  assert.ok(gained.length > 0, "the changes panel lists gained permissions");
  await shot(page, "conductor");
  await page.close();
});

test("gorules: a negated glob shows glob.negation under its rule's patterns; fixing clears it", async () => {
  const page = await b.open("gorules");
  const at = "/body/filePermissions/1/patterns";
  await typeAndFix(page, { input: ctl(at), value: "!secrets/**", at, code: "glob.negation", fixed: "secrets/**" });
  await shot(page, "gorules");
  await page.close();
});

test("gorules: toggling a deny rule flips the file rows; hovering explains the decision", async () => {
  const page = await b.open("gorules");
  await page.selectOption("#member", "bob");
  const cell = (file, action) => `tr[data-path="${file}"] [data-action="${action}"]`;
  const allowed = (file, action) => page.getAttribute(cell(file, action), "data-allowed");
  assert.equal(await allowed("secrets/.env", "visible"), "false");
  assert.equal(await allowed("app/.env", "visible"), "false");
  assert.equal(await allowed("rules/pricing.json", "visible"), "true");
  await page.hover(cell("secrets/.env", "visible"));
  await page.waitForSelector("#why:not([hidden])");
  assert.equal(await page.textContent(`#why [data-why="group"]`), "authors");
  assert.equal(await page.textContent(`#why [data-why="rule"]`), "deny rule 2 (hide-secrets)");
  assert.equal(await page.textContent(`#why [data-why="pattern"]`), "secrets/**");
  // The same words in the tooltip and in the cell.
  const words = "deny by authors, rule 2 (hide-secrets), pattern secrets/**";
  assert.equal(await page.textContent(`#why [data-why="text"]`), words);
  assert.equal(await page.textContent(`${cell("secrets/.env", "visible")} .why`), words);
  await page.screenshot({ path: path.join(SHOTS, "gorules-explain.png") });

  await page.uncheck(`[data-rule="hide-secrets"]`);
  for (const f of ["secrets/.env", "secrets/stripe.key", "app/.env"]) assert.equal(await allowed(f, "visible"), "true", f);
  // Rule 3 keeps its number in the state while rule 2 is off (the engine is given two rules).
  assert.equal(await page.textContent(`${cell("rules/eu/tax.json", "modify")} .why`), "deny by authors, rule 3 (eu-read-only), pattern rules/eu/**");
  assert.equal(await allowed("rules/eu/tax.json", "modify"), "false");
  await page.uncheck(`[data-rule="eu-read-only"]`);
  assert.equal(await allowed("rules/eu/tax.json", "modify"), "true");
  await page.check(`[data-rule="hide-secrets"]`);
  assert.equal(await allowed("secrets/.env", "visible"), "false");
  assert.equal(await allowed("secrets/.env", "modify"), "false", "modify needs visible");
  // Keyboard: focusing a cell explains it as well.
  await page.focus(cell("rules/eu/tax.json", "modify"));
  assert.match(await page.textContent("#why"), /modify allowed/);
  await page.close();
});

test("accessibility: every control is labelled; the dialect picker works from the keyboard", async () => {
  const page = await b.open("baseten");
  for (const d of ["baseten", "frontier", "apinizer", "conductor", "gorules"]) {
    await page.check(`#dialect-${d}`);
    await page.waitForSelector(`body[data-dialect="${d}"]`);
    const unlabelled = await page.$$eval("input, select, textarea", (els) => els
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label")))
      .map((e) => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, [], d);
  }
  for (const panel of ["#io-json", "#io-share"]) {
    await page.click(panel);
    const unlabelled = await page.$$eval("#io-panel :is(input, select, textarea)", (els) => els
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label"))).map((e) => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, [], panel);
  }
  await page.focus("#dialect-baseten");
  await page.keyboard.press("ArrowRight");
  await page.waitForSelector(`body[data-dialect="frontier"]`);
  // Error summary links move the focus to the field.
  await page.fill(ctl("/body/name"), "bad name");
  await page.click("#verdict .summary a");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.ctl), "/body/name");
  await page.close();
});

test("no page errors, no requests outside the server", async () => {
  const page = await b.open("baseten");
  await page.click(`[data-group="research"] > .node button.link`);
  await page.close();
  assert.deepEqual(b.problems, []);
  assert.deepEqual(b.outside, []);
});
