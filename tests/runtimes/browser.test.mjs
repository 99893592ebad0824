// Headless Debian Chromium (through playwright-core) loads
//  1. a page bundled by Vite from a fresh project with the packed tarball
//     (the `import` condition: bundler.js, no init call), and
//  2. the installed package with no bundler at all: an import map and web.js
//     with `await init()`, and bundler.js imported as a plain ES module,
// each calling the package and reporting its answers. Served on 127.0.0.1 only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { chromium } from "playwright-core";
import { installTarball, run, root, probeBody, checkAnswers } from "./helpers.mjs";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
  ".json": "application/json", ".css": "text/css" };

let project, server, base, context, profile;

// Serves `dir` read-only; requests outside it get 404.
function serve(dir) {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      const path = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
      const file = path.endsWith(sep) ? join(path, "index.html") : path;
      if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    });
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

const page = (title, script) => `<!doctype html><meta charset="utf-8"><title>${title}</title>
<pre id="out">running</pre>
${script}`;

// The probe, run in the page: answers (or the error) go to #out as JSON.
const report = `const probe = (g) => {${probeBody}};
try { document.getElementById("out").textContent = JSON.stringify(probe(g)); }
catch (e) { document.getElementById("out").textContent = JSON.stringify({ error: String(e && e.stack || e) }); }`;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: ./dev test installs it (setup_chromium)`);
  project = installTarball("browser");
  const dir = project.dir;
  // 1. Vite: a bundled app.
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "app", "index.html"), page("vite", `<script type="module" src="./main.js"></script>`));
  writeFileSync(join(dir, "app", "main.js"), `import * as g from "groupgate";\n${report}\n`);
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  const built = await run(process.execPath, [vite, "build", "app", "--outDir", "../public/vite", "--emptyOutDir",
    "--base", "./", "--logLevel", "warn"], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(built.code, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);
  // 2. No bundler: pages beside node_modules, importing the installed files.
  writeFileSync(join(dir, "web.html"), page("web.js", `<script type="importmap">{"imports": {"groupgate": "./node_modules/groupgate/web.js"}}</script>
<script type="module">import * as g from "groupgate";\nawait g.init();\n${report}</script>`));
  writeFileSync(join(dir, "esm.html"), page("bundler.js unbundled",
    `<script type="module">import * as g from "./node_modules/groupgate/bundler.js";\n${report}</script>`));
  server = await serve(dir);
  base = `http://127.0.0.1:${server.address().port}`;
  profile = mkdtempSync(join(tmpdir(), "groupgate-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  project?.dispose();
});

async function answersOf(path) {
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  try {
    await p.goto(base + path, { timeout: 30_000 });
    await p.waitForFunction(() => document.getElementById("out")?.textContent !== "running", null, { timeout: 30_000 });
    const out = JSON.parse(await p.textContent("#out"));
    assert.equal(out.error, undefined, out.error);
    assert.deepEqual(errors, []);
    return out;
  } finally {
    await p.close();
  }
}

test("Chromium: a Vite-bundled page calls the package with no init call", async () => {
  const html = readFileSync(join(project.dir, "public", "vite", "index.html"), "utf8");
  assert.match(html, /<script type="module"/);
  const assets = readdirSync(join(project.dir, "public", "vite", "assets"));
  assert.equal(assets.filter((n) => n.endsWith(".wasm")).length, 1, `one .wasm asset emitted: ${assets}`);
  checkAnswers(assert, await answersOf("/public/vite/"));
});

test("Chromium without a bundler: import map + web.js with await init()", async () => {
  checkAnswers(assert, await answersOf("/web.html"));
});

test("Chromium without a bundler: bundler.js as a plain ES module (top-level await)", async () => {
  checkAnswers(assert, await answersOf("/esm.html"));
});
