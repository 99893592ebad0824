// Layout in Chromium: every dialect on a desktop and on a 390×844 phone, in
// light and dark colour schemes. Nothing overflows horizontally, the verdict
// is on screen wherever the page is scrolled (a bar at the bottom on the
// phone, sticky on the desktop), and colours follow prefers-color-scheme.
// Writes the README screenshots (www/screenshot*.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start, ROOT, DIALECT_IDS, ctl, field, status } from "./harness.mjs";

let b;
before(async () => {
  b = await start();
});
after(async () => {
  await b?.close();
});

const VIEWPORTS = { desktop: { width: 1440, height: 1000 }, mobile: { width: 390, height: 844 } };

/** Elements that stick out of the viewport on the right (outside scroll containers), and the page's own overflow. */
function overflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") return true;
      }
      return false;
    };
    const out = [...document.querySelectorAll("body *")]
      .filter((el) => el.getClientRects().length && !scrolls(el))
      .filter((el) => el.getBoundingClientRect().right > w + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`);
    return { page: document.documentElement.scrollWidth - w, out: out.slice(0, 5) };
  });
}

/** Is the verdict's status on screen, at the top and at the bottom of the page? */
async function verdictOnScreen(page) {
  const seen = [];
  for (const y of [0, 1e6]) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    seen.push(await page.$eval("#status", (el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.width > 0;
    }));
  }
  return seen;
}

for (const [vp, size] of Object.entries(VIEWPORTS)) {
  for (const scheme of ["light", "dark"]) {
    test(`${vp} ${scheme}: no horizontal overflow, verdict on screen, in every dialect`, async () => {
      const page = await b.open("baseten");
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      for (const d of DIALECT_IDS) {
        await page.check(`#dialect-${d}`);
        await page.waitForSelector(`body[data-dialect="${d}"]`);
        await page.evaluate(() => document.querySelector("details.state").setAttribute("open", ""));
        for (const mode of ["io-json", "io-curl"]) {
          await page.click(`#${mode}`);
          const o = await overflow(page);
          assert.equal(o.page, 0, `${d} ${mode}: page ${o.page}px wider than the viewport: ${o.out}`);
          assert.deepEqual(o.out, [], `${d} ${mode}`);
        }
        await page.click("#io-curl");
        assert.deepEqual(await verdictOnScreen(page), [true, true], `${d}: verdict reachable`);
      }
      // The verdict does not cover what it is about: on the phone the page leaves room for the bar.
      if (vp === "mobile") {
        await page.evaluate(() => window.scrollTo(0, 1e6));
        const [bar, lastRow] = await page.evaluate(() => [
          document.querySelector("#verdict").getBoundingClientRect().top,
          document.querySelector("tr.file:last-child").getBoundingClientRect().bottom,
        ]);
        assert.ok(lastRow <= bar, `the last file row (${lastRow}) ends above the verdict bar (${bar})`);
      }
      // Colours follow the scheme.
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".card")).backgroundColor);
      const lum = bg.match(/\d+/g).slice(0, 3).reduce((a, x) => a + Number(x), 0) / 3;
      assert.ok(scheme === "dark" ? lum < 80 : lum > 200, `${scheme}: card background ${bg}`);
      await page.close();
    });
  }
}

test("mobile: an error is reachable from the verdict bar", async () => {
  const page = await b.open("frontier");
  await page.setViewportSize(VIEWPORTS.mobile);
  await page.fill(ctl("/body/name"), "bad name");
  assert.equal(await status(page), 400);
  await page.click("#verdict .summary-box > summary");
  await page.click("#verdict .summary a");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.ctl), "/body/name");
  const r = await page.$eval(field("/body/name"), (el) => el.getBoundingClientRect().top);
  assert.ok(r >= 0 && r < 844, "the field is scrolled into view");
  await page.close();
});

test("README screenshots: desktop light, desktop dark, mobile", async () => {
  const page = await b.open("baseten");
  await page.click(`[data-group="research"] > .node button.link`);
  await page.click(`${field("/body/models/1")} > .item-head button`);
  assert.equal(await page.getAttribute(`[data-group="research-vision"]`, "data-impact"), "loses");
  await page.setViewportSize({ width: 1440, height: 1300 });
  const still = () => page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await still();
  await page.screenshot({ path: path.join(ROOT, "www", "screenshot.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.check("#dialect-gorules");
  await page.selectOption("#member", "eve");
  await still();
  await page.screenshot({ path: path.join(ROOT, "www", "screenshot-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(VIEWPORTS.mobile);
  await page.evaluate(() => document.querySelector("#view").scrollIntoView());
  await page.screenshot({ path: path.join(ROOT, "www", "screenshot-mobile.png") });
  await page.close();
  assert.deepEqual(b.problems, []);
  assert.deepEqual(b.outside, []);
});
