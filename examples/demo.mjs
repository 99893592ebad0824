// The demo of `./dev demo`: compiles a GoRules-style file policy with
// embedded sample data and prints each member's decisions, explained.
import { FilePolicy, validate, version } from "groupgate";

const groups = [
  { id: "admins", permissions: ["owner"] },
  {
    id: "authors",
    permissions: ["documents"],
    filePermissions: [
      { id: "everything", effect: "allow", actions: ["visible", "modify", "write", "delete"], patterns: "**" },
      { id: "hide-secrets", effect: "deny", actions: ["visible"], patterns: "secrets/**, **/.env" },
    ],
  },
  {
    id: "reviewers",
    permissions: ["documents:view-content"],
    filePermissions: [{ id: "rules-only", effect: "allow", actions: ["visible"], patterns: "rules/**/*.json" }],
  },
  { id: "viewers", permissions: ["documents:view-content"] },
];
const files = ["rules/pricing.json", "rules/eu/tax.json", "secrets/.env", "app/.env", "README.md"];
const members = { ada: ["admins"], bob: ["authors"], cy: ["reviewers"], dee: ["viewers"], eve: ["authors", "reviewers"] };

const policy = new FilePolicy(groups);
console.log(`groupgate ${version()}: ${groups.length} groups, ${files.length} files\n`);
for (const [name, ids] of Object.entries(members)) {
  console.log(`${name} (${ids.join(", ")})`);
  for (const file of files) {
    const actions = ["visible", "modify", "write", "delete"].filter((a) => policy.check(ids, file, a));
    const why = policy.explain(ids, file, "visible");
    console.log(`  ${file.padEnd(20)} ${(actions.join(" ") || "-").padEnd(28)} ${why.message}`);
  }
}

const lint = policy.lint(files);
console.log(`\nlint: ${lint.length ? lint.map((i) => `${i.path} ${i.code}`).join("; ") : "clean"}`);

const verdict = validate("gorules", {
  op: "update",
  params: { projectId: "6f1c2a7e-4b1d-4a8e-9c3f-0d2b5e7a9c11", groupId: "0b9d4e2f-7a6c-4f1e-8d3b-5c2a1e9f7d44" },
  body: { name: "", permissions: ["documents", "superpowers"], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "!x" }] },
});
console.log(`\nvalidate("gorules", …): status ${verdict.status}`);
for (const e of verdict.errors) console.log(`  ${e.path}  ${e.code}  ${e.message}`);
