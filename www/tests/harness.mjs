// Shared set-up of the browser tests: the console's server on 127.0.0.1 (a
// free port) and Debian's Chromium driven by playwright-core.
import { mkdtemp, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHOTS = path.join(ROOT, "tests", "out", "screenshots");
export const DIALECT_IDS = ["baseten", "frontier", "apinizer", "conductor", "gorules"];

export const field = (ptr) => `[data-pointer="${ptr}"]`;
export const ctl = (ptr) => `[data-ctl="${ptr}"]`;
export const status = (page) => page.getAttribute("#status", "data-status").then((s) => (s === "" ? null : Number(s)));
export const submitDisabled = (page) => page.isDisabled("#submit");

/** The request document the console holds ({dialect, request, context}), through its export panel. */
export async function exportDoc(page) {
  if (await page.$("#io-panel:not([hidden])[data-mode=\"json\"]")) await page.click("#io-json");
  await page.click("#io-json");
  const doc = JSON.parse(await page.inputValue("#io-text"));
  await page.click("#io-json");
  return doc;
}

/** Types `text` into the server state editor (opening it first). */
export async function setState(page, text) {
  await page.evaluate(() => document.querySelector("details.state").setAttribute("open", ""));
  await page.fill("#state-json", text);
}

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Starts the server and the browser; returns { url, browser, page(), close() }. */
export async function start() {
  const server = await serve({ host: "127.0.0.1", port: 0 });
  const url = server.url.replace("localhost", "127.0.0.1");
  const profile = await mkdtemp(path.join(tmpdir(), "groupgate-chromium-"));
  await mkdir(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 1000 },
  });
  const problems = [];
  const outside = [];
  context.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(url) && !u.startsWith("data:")) outside.push(u);
  });
  return {
    url,
    problems,
    outside,
    /**
     * A new page at the console (optionally #dialect), once the engine has loaded.
     * One retry: pkg/wasm/ is rewritten by every `./dev build`, and a load that
     * races a concurrent build reads a half-written .wasm.
     */
    async open(dialect = "", attempt = 1, { fresh = true } = {}) {
      const page = await context.newPage();
      // Each page starts from the sample data: the console keeps edits in
      // localStorage, shared by the context. Cleared once per tab (a reload keeps them).
      if (fresh) {
        await page.addInitScript(() => {
          if (!sessionStorage.getItem("groupgate-test-tab")) {
            localStorage.clear();
            sessionStorage.setItem("groupgate-test-tab", "1");
          }
        });
      }
      const mine = [];
      page.on("pageerror", (e) => mine.push(`pageerror: ${e.message}`));
      page.on("console", (m) => { if (m.type() === "error") mine.push(`console: ${m.text()}`); });
      await page.goto(`${url}${dialect ? `#${dialect}` : ""}`);
      try {
        await page.waitForSelector("body.ready", { timeout: 15000 });
      } catch (e) {
        await page.close();
        if (attempt < 2) {
          await new Promise((r) => setTimeout(r, 3000));
          return this.open(dialect, attempt + 1, { fresh });
        }
        throw new Error(`${e.message}\n${mine.join("\n")}`);
      }
      page.on("close", () => problems.push(...mine));
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
