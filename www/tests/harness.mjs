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
    /** A new page at the console (optionally #dialect), once the engine has loaded. */
    async open(dialect = "") {
      const page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      await page.goto(`${url}${dialect ? `#${dialect}` : ""}`);
      await page.waitForSelector("body.ready", { timeout: 15000 }).catch((e) => { throw new Error(`${e.message}\n${problems.join("\n")}`); });
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
