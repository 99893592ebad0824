// The console's product features in Chromium: targets loaded from the state
// (and the question before edits are discarded), undo/redo, JSON
// import/export, curl and fetch (run against a local server), persistence
// and share links, the GoRules "why" of every file cell against the engine's
// explain, Baseten limit changes in words, and human messages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as engine from "../../pkg/node.mjs";
import { start, field, ctl, status, submitDisabled, exportDoc, setState } from "./harness.mjs";

const { FilePolicy } = engine;
let b;
before(async () => {
  b = await start();
});
after(async () => {
  await b?.close();
});

const G = {
  admins: "1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
  authors: "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44",
  reviewers: "7c8d9e0f-1a2b-4c3d-9e5f-6a7b8c9d0e1f",
  viewers: "3a4b5c6d-7e8f-4a0b-8c2d-3e4f5a6b7c8d",
};
const mark = (page) => page.textContent("[data-target-mark]");
/** Types a target id and leaves the field (the change event), as picking from the list does. */
async function pickTarget(page, ptr, id) {
  await page.fill(ctl(ptr), id);
  await page.$eval(ctl(ptr), (e) => e.blur());
}

test("gorules: picking a group loads it from the state; unsaved edits are discarded only when confirmed", async () => {
  const page = await b.open("gorules");
  assert.match(await mark(page), /^Loaded from state: authors · unchanged/);
  // Clean: no question, the reviewers' settings replace the authors'.
  let asked = 0;
  page.on("dialog", (d) => {
    asked++;
    return d.message().includes("load viewers") && asked === 2 ? d.accept() : d.dismiss();
  });
  await pickTarget(page, "/params/groupId", G.reviewers);
  assert.equal(asked, 0);
  assert.equal(await page.inputValue(ctl("/body/name")), "reviewers");
  assert.equal(await page.inputValue(ctl("/body/filePermissions/0/patterns")), "rules/**/*.json\ntests/**");
  assert.match(await mark(page), /^Loaded from state: reviewers · unchanged/);
  // An edit, then another target: asked; dismissed, the target goes back and the edit stays.
  await page.fill(ctl("/body/name"), "reviewers-2");
  assert.match(await mark(page), /edited \(unsaved\)/);
  await page.fill(ctl("/params/groupId"), G.viewers);
  assert.match(await mark(page), /still holds the settings of reviewers, not of 3a4b/, "typing another id warns before it loads");
  await page.$eval(ctl("/params/groupId"), (e) => e.blur());
  assert.equal(asked, 1);
  assert.equal(await page.inputValue(ctl("/params/groupId")), G.reviewers);
  assert.equal(await page.inputValue(ctl("/body/name")), "reviewers-2");
  // Asked again and accepted: the viewers are loaded.
  await pickTarget(page, "/params/groupId", G.viewers);
  assert.equal(asked, 2);
  assert.equal(await page.inputValue(ctl("/body/name")), "viewers");
  assert.match(await mark(page), /^Loaded from state: viewers · unchanged/);
  assert.equal(await status(page), 200);
  await page.close();
});

test("baseten: picking a group id loads it; Edit on the tree asks before discarding edits", async () => {
  const page = await b.open("baseten");
  await pickTarget(page, "/params/group_id", "research");
  assert.equal(await page.inputValue(ctl("/body/metadata/name")), "Research");
  assert.equal(await page.inputValue(ctl("/body/models/1/slug")), "qwen/qwen2-72b");
  assert.match(await mark(page), /^Loaded from state: Research · unchanged/);
  await page.fill(ctl("/body/models/0/rate_limits/0/threshold"), "100000");
  const questions = [];
  page.once("dialog", (d) => {
    questions.push(d.message());
    d.dismiss();
  });
  await page.click(`[data-group="product"] > .node button.link`);
  assert.equal(questions.length, 1);
  assert.match(questions[0], /Discard your unsaved edits to Research and load Product/);
  assert.equal(await page.inputValue(ctl("/params/group_id")), "research");
  assert.equal(await page.inputValue(ctl("/body/models/0/rate_limits/0/threshold")), "100000");
  page.once("dialog", (d) => d.accept());
  await page.click(`[data-group="product"] > .node button.link`);
  assert.equal(await page.inputValue(ctl("/params/group_id")), "product");
  assert.equal(await page.inputValue(ctl("/body/metadata/name")), "Product");
  await page.close();
});

test("baseten: a limit change reads in words in the changes panel and the tree (no [object Object])", async () => {
  const page = await b.open("baseten");
  await page.click(`[data-group="research-nlp"] > .node button.link`);
  await page.fill(ctl("/body/models/0/rate_limits/0/threshold"), "30000");
  assert.equal(await status(page), 200);
  const panel = await page.textContent("#changes");
  const tree = await page.textContent(`[data-group="research-nlp"]`);
  for (const t of [panel, tree]) assert.doesNotMatch(t, /object Object/);
  const expected = "rate limit, tokens per min: 60,000 (from research-nlp) → 30,000 (from research-nlp)";
  assert.ok(panel.includes(expected), panel);
  assert.ok(tree.includes(expected), tree);
  await page.close();
});

test("undo and redo: each step restores the request and the verdict", async () => {
  const page = await b.open("gorules");
  // A blank name: 200 with a blank_name warning (GoRules' OpenAPI sets no
  // minLength, README GoRules), gone again once the name is back.
  const blank = () => page.locator('[data-code="blank_name"]').count();
  assert.equal(await page.isDisabled("#undo"), true);
  await page.fill(ctl("/body/name"), "");
  assert.equal(await status(page), 200);
  assert.ok((await blank()) > 0);
  await page.check(ctl("/body/permissions=documents:full"));
  await setState(page, "{");
  assert.equal(await status(page), null);
  await page.click("#undo");
  assert.equal(await page.inputValue("#state-json").then((t) => JSON.parse(t).groups.length), 4);
  assert.equal(await page.isChecked(ctl("/body/permissions=documents:full")), true);
  await page.click("#undo");
  assert.equal(await page.isChecked(ctl("/body/permissions=documents:full")), false);
  await page.click("#undo");
  assert.equal(await page.inputValue(ctl("/body/name")), "authors");
  assert.equal(await status(page), 200);
  assert.equal(await blank(), 0);
  assert.equal(await page.isDisabled("#undo"), true);
  await page.click("#redo");
  assert.equal(await page.inputValue(ctl("/body/name")), "");
  assert.equal(await status(page), 200);
  assert.ok((await blank()) > 0);
  // Keyboard, outside a text field.
  await page.focus(ctl("/body/permissions=owner"));
  await page.keyboard.press("Control+z");
  assert.equal(await page.inputValue(ctl("/body/name")), "authors");
  await page.keyboard.press("Control+Shift+z");
  assert.equal(await page.inputValue(ctl("/body/name")), "");
  await page.close();
});

test("export and import JSON: the document round-trips; bad input says why, in words", async () => {
  const page = await b.open("conductor");
  const doc = await exportDoc(page);
  assert.equal(doc.dialect, "conductor");
  assert.deepEqual(Object.keys(doc.context).sort(), ["caller", "state"]);
  assert.equal(doc.request.params.id, "TechWriters");
  // The download link carries the same document.
  await page.click("#io-json");
  const href = await page.getAttribute("#io-download", "href");
  assert.deepEqual(JSON.parse(decodeURIComponent(href.split(",").slice(1).join(","))), doc);
  // Import a changed document: the form and the verdict follow (the engine's answer for it).
  const next = structuredClone(doc);
  next.request.body.roles = ["SUPERHERO"];
  await page.fill("#io-text", JSON.stringify(next));
  await page.click("#io-import");
  assert.equal(await page.textContent("#io-msg"), "Imported.");
  assert.equal(await page.inputValue(ctl("/body/roles/0")), "SUPERHERO");
  assert.equal(await status(page), engine.validate("conductor", next.request, next.context).status);
  assert.equal(await submitDisabled(page), true);
  // A bare request imports too, keeping the context.
  await page.fill("#io-text", JSON.stringify({ op: "delete", params: { id: "Operators" } }));
  await page.click("#io-import");
  assert.equal(await page.isChecked("#op-delete"), true);
  // Broken JSON: where, as a line and column; nothing changes.
  await page.fill("#io-text", '{\n  "request": {\n    "op": "update",,\n  }\n}');
  await page.click("#io-import");
  assert.match(await page.textContent("#io-msg"), /^Not valid JSON: .* at line 3, column 20\.$/);
  assert.equal(await page.isChecked("#op-delete"), true);
  await page.fill("#io-text", JSON.stringify({ dialect: "nope", request: { op: "update" } }));
  await page.click("#io-import");
  assert.match(await page.textContent("#io-msg"), /Unknown dialect "nope"/);
  // Into another dialect: the document names it.
  await page.fill("#io-text", JSON.stringify({ dialect: "frontier", request: { op: "create", params: { org_id: "acme" }, body: { name: "imported" } } }));
  await page.click("#io-import");
  await page.waitForSelector(`body[data-dialect="frontier"]`);
  assert.equal(await page.inputValue(ctl("/body/name")), "imported");
  await page.close();
});

/** A local server that records one request. */
async function recorder() {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.end("{}");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { got, base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

test("copy as curl and as fetch: run against a local server, they send the dialect's method, path, credential and body", async () => {
  const page = await b.open("gorules");
  await page.fill(ctl("/body/description"), "it's \"quoted\" $HOME `x`");
  const doc = await exportDoc(page);
  const path = `/api/projects/${doc.request.params.projectId}/groups/${G.authors}`;
  const rec = await recorder();
  try {
    await page.click("#io-curl");
    const curl = await page.textContent("#snippet");
    assert.match(curl, /^curl -X PUT "\$GORULES_URL\/api\/projects\//);
    await promisify(execFile)("bash", ["-c", curl], { env: { ...process.env, GORULES_URL: rec.base, GORULES_TOKEN: "t0k" } });
    await page.click("#io-fetch");
    const code = await page.textContent("#snippet");
    const AsyncFunction = (async () => {}).constructor;
    await new AsyncFunction("GORULES_URL", "GORULES_TOKEN", code)(rec.base, "t0k");
    assert.equal(rec.got.length, 2);
    for (const r of rec.got) {
      assert.equal(r.method, "PUT");
      assert.equal(r.url, path);
      assert.equal(r.headers.authorization, "Bearer t0k");
      assert.equal(r.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(r.body), doc.request.body);
    }
    // Baseten: its real host, PATCH and the Api-Key scheme; a delete sends no body.
    await page.check("#dialect-baseten");
    await page.click("#io-curl");
    assert.match(await page.textContent("#snippet"), /^curl -X PATCH "https:\/\/api\.baseten\.co\/v1\/gateway\/groups\/org" \\\n {2}-H "Authorization: Api-Key \$BASETEN_API_KEY"/);
    await page.check("#op-delete");
    assert.doesNotMatch(await page.textContent("#snippet"), /data-raw/, "the open panel follows the request");
  } finally {
    await rec.close();
  }
  await page.close();
});

test("persistence: edits survive a reload; a share link restores them in a fresh browser tab", async () => {
  const page = await b.open("apinizer");
  await page.fill(ctl("/body/description"), "kept across reloads");
  await page.reload();
  await page.waitForSelector("body.ready");
  assert.equal(await page.inputValue(ctl("/body/description")), "kept across reloads");
  await page.click("#io-share");
  const url = await page.inputValue("#share-url");
  assert.match(url, /#apinizer=[A-Za-z0-9_-]+$/);
  await page.close();

  const other = await b.open("frontier"); // fresh storage
  await other.goto(url);
  await other.waitForSelector(`body.ready[data-dialect="apinizer"]`);
  assert.equal(await other.inputValue(ctl("/body/description")), "kept across reloads");
  assert.equal(new URL(other.url()).hash, "#apinizer", "the payload leaves the address bar once loaded");
  // A broken link is ignored: the edits kept so far stay.
  await other.goto(url.replace(/=[^=]*$/, "=bm90IGpzb24"));
  await other.waitForFunction(() => location.hash === "#apinizer");
  assert.equal(await other.inputValue(ctl("/body/description")), "kept across reloads");
  // Reset (confirmed) forgets the edits.
  other.once("dialog", (d) => d.accept());
  await other.click("#reset");
  assert.equal(await other.inputValue(ctl("/body/description")), "Order APIs");
  await other.reload();
  await other.waitForSelector("body.ready");
  assert.equal(await other.inputValue(ctl("/body/description")), "Order APIs");
  await other.close();
});

test("gorules: every file cell says why, in agreement with the engine's explain", async () => {
  const page = await b.open("gorules");
  const doc = await exportDoc(page);
  const groups = doc.context.state.groups;
  const name = Object.fromEntries(groups.map((g) => [g.id, g.name]));
  const policy = new FilePolicy(groups.map(({ id, permissions, filePermissions }) => ({ id, permissions, filePermissions })));
  const actions = await page.$$eval("table.files thead th", (t) => t.slice(1).map((x) => x.textContent));
  let checked = 0;
  for (const m of doc.context.state.members) {
    await page.selectOption("#member", m.id);
    const cells = await page.$$eval("tr.file [data-action]", (l) => l.map((e) => ({
      file: e.closest("tr").dataset.path, action: e.dataset.action, allowed: e.dataset.allowed === "true",
      why: e.querySelector(".why").textContent, label: e.getAttribute("aria-label"),
    })));
    assert.equal(cells.length, doc.context.files.length * actions.length);
    for (const c of cells) {
      const e = policy.explain(m.groups, c.file, c.action);
      const at = `${m.id} ${c.file} ${c.action}`;
      assert.equal(c.allowed, e.allowed, at);
      assert.ok(c.why.length > 0, at);
      assert.ok(c.label.endsWith(c.why), `${at}: the label reads the same words`);
      if (e.ruleIndex !== undefined) {
        assert.ok(c.why.includes(` by ${name[e.groupId]},`), `${at}: group name in "${c.why}"`);
        assert.ok(c.why.includes(`rule ${e.ruleIndex + 1}`), `${at}: 1-based rule in "${c.why}"`);
        if (e.ruleId) assert.ok(c.why.includes(`(${e.ruleId})`), at);
        assert.ok(c.why.endsWith(`pattern ${e.pattern}`), `${at}: pattern in "${c.why}"`);
        assert.doesNotMatch(c.why, /[0-9a-f]{8}-[0-9a-f]{4}/, `${at}: no group UUID`);
      } else if (e.permission) {
        assert.ok(c.why.includes(e.permission), `${at}: permission in "${c.why}"`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 200, `${checked} cells`);
  policy.free();
  await page.close();
});

test("glob errors say line and column, not bytes", async () => {
  const page = await b.open("gorules");
  // "[" is the 14th character of line 2.
  await page.fill(ctl("/body/filePermissions/1/patterns"), "secrets/**\n**/.env, app/[x");
  const text = await page.textContent(`${field("/body/filePermissions/1/patterns")} > .msgs .text`);
  assert.match(text, /\(line 2, column 14\)/);
  assert.doesNotMatch(text, /byte/);
  await page.close();
});

test("enums come from the engine's catalog", async () => {
  const page = await b.open("gorules");
  const values = (sel) => page.$$eval(sel, (l) => l.map((e) => e.value));
  const suggested = (ptr) => page.$eval(`${field(ptr)} datalist`, (dl) => [...dl.options].map((o) => o.value));
  assert.deepEqual(await values(`${field("/body/permissions")} .checks input`), engine.catalog("gorules").permissions);
  const acts = await page.$$eval("table.files thead th", (th) => th.slice(1).map((x) => x.textContent));
  assert.deepEqual(acts, engine.catalog("gorules").enums.fileAction);
  assert.deepEqual(await values(`${ctl("/body/filePermissions/0/effect")} option`), engine.catalog("gorules").enums.effect);
  await page.check("#dialect-apinizer");
  assert.deepEqual(await values(`${field("/body/clientRoute/methodList")} .checks input`), engine.catalog("apinizer").enums.method);
  await page.check("#dialect-baseten");
  const bt = engine.catalog("baseten").enums;
  assert.deepEqual(await values(`${ctl("/body/models/0/rate_limits/0/type")} option`), bt.rateLimitType);
  assert.deepEqual(await values(`${ctl("/body/models/0/rate_limits/0/unit")} option`), bt.rateLimitUnit);
  assert.deepEqual(await suggested("/context/caller/scope"), bt.scope);
  await page.check("#dialect-conductor");
  assert.deepEqual(await suggested("/body/roles"), engine.catalog("conductor").roles.map((r) => r.name));
  await page.close();
});

test("a JSON field that does not parse: not checked, Send disabled, the text kept; leaving the field out revalidates", async () => {
  const page = await b.open("frontier");
  await page.fill(ctl("/body/metadata"), '{"label": ');
  assert.equal(await status(page), null);
  assert.equal(await submitDisabled(page), true);
  assert.match(await page.textContent("#status"), /Not checked/);
  assert.match(await page.textContent(`${field("/body/metadata")} > .msgs .text`), /^Not valid JSON: .* at line 1, column 11\.$/);
  // A re-render (adding a caller role) keeps the text and its error.
  await page.check(ctl("/context/caller/permissions#send"));
  assert.equal(await page.inputValue(ctl("/body/metadata")), '{"label": ');
  assert.equal(await status(page), null);
  // Not sending the field: the engine's verdict again.
  await page.uncheck(ctl("/body/metadata#send"));
  const doc = await exportDoc(page);
  assert.equal(doc.request.body.metadata, undefined);
  assert.equal(await status(page), engine.validate("frontier", doc.request, doc.context).status);
  await page.close();
});

test("frontier, apinizer, conductor: picking a group loads it from the state too", async () => {
  const cases = [
    ["frontier", "/params/id", "a17e5c2d-9f3b-4e8a-b6c1-0d9e8f7a6b5c", "/body/name", "data-platform", "Data platform"],
    ["apinizer", "/body/name", "payments", "/body/clientRoute/relativePathList/0", "/payments", "payments"],
    ["conductor", "/params/id", "Operators", "/body/description", "On-call operators", "Operators"],
  ];
  const page = await b.open("frontier");
  page.on("dialog", (d) => d.accept()); // the Apinizer and Conductor samples carry edits: discard them
  for (const [d, target, id, ptr, value, label] of cases) {
    await page.check(`#dialect-${d}`);
    await page.waitForSelector(`body[data-dialect="${d}"]`);
    await pickTarget(page, target, id);
    assert.equal(await page.inputValue(ctl(ptr)), value, d);
    assert.equal(await mark(page), `Loaded from state: ${label} · unchanged`, d);
    const doc = await exportDoc(page);
    assert.equal(await status(page), engine.validate(d, doc.request, doc.context).status, d);
  }
  await page.close();
});

test("the server's own response body is shown where the engine gives one", async () => {
  const page = await b.open("apinizer");
  const doc = await exportDoc(page);
  const v = engine.validate("apinizer", doc.request, doc.context);
  assert.ok(v.response !== undefined, "the engine answers with Apinizer's response body");
  await page.click("#changes details.response > summary");
  assert.deepEqual(JSON.parse(await page.textContent("#changes details.response pre")), v.response);
  await page.close();
});
