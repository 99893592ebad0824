// Runs every `js example` block of README.md against the package: the
// README's examples are exactly what groupgate answers.
import { test } from "node:test";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```js example\n([\s\S]*?)```/g)].map((m) => m[1]);
const out = new URL("../out/", import.meta.url);
mkdirSync(out, { recursive: true });

test("README has an example per dialect", (t) => {
  if (blocks.length < 5) throw new Error(`only ${blocks.length} examples`);
});

blocks.forEach((code, i) => {
  const heading = readme.slice(0, readme.indexOf(code)).match(/### (.*)\n[^#]*$/)?.[1] ?? `block ${i}`;
  test(`README example: ${heading}`, () => {
    const file = new URL(`readme-${i}.mjs`, out);
    writeFileSync(file, code);
    execFileSync("node", [file.pathname], { stdio: "pipe" });
  });
});
