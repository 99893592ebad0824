// Findings of atk7 (session 13), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = (files, ...args) => {
  const dir = mkdtempSync(join(tmpdir(), "gg-atk7-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return spawnSync(process.execPath, [fileURLToPath(new URL("../../pkg/bin/groupgate.mjs", import.meta.url)), ...args], { cwd: dir, encoding: "utf8" });
};

const POLICY = [
  { id: "authors", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible", "modify"], patterns: "**" }] },
  { id: "restricted", permissions: [], filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] },
];

// `--groups restricted --groups authors` kept the last list only (node's
// parseArgs: a repeated single-valued option overwrites), so restricted's
// deny did not apply: "allowed", exit 0, for a member of both groups, whom
// `--groups authors,restricted` denies. A repeated --state or --caller
// likewise validated against the last file alone, and `--param id=a --param
// id=b` against the last value.
test("CLI: a single-valued option given twice is bad input, never the last one's answer", () => {
  const files = { "p.json": JSON.stringify(POLICY), "b.json": JSON.stringify({ description: "d" }), "s.json": "{}", "c.json": JSON.stringify({ admin: true }) };
  assert.equal(cli(files, "check", "p.json", "--groups", "authors,restricted", "secrets/x").status, 1);
  for (const args of [
    ["check", "p.json", "--groups", "restricted", "--groups", "authors", "secrets/x"],
    ["explain", "p.json", "--groups=restricted", "--groups", "authors", "secrets/x"],
    ["check", "p.json", "--groups", "authors", "--groups", "authors", "secrets/x"],
    ["validate", "conductor", "b.json", "--op", "update", "--param", "id=a", "--caller", "c.json", "--caller", "s.json"],
    ["validate", "conductor", "b.json", "--op", "update", "--op", "create", "--param", "id=a", "--caller", "c.json"],
    ["validate", "conductor", "b.json", "--op", "update", "--param", "id=a", "--param", "id=b", "--caller", "c.json"],
    ["lint", "p.json", "--format", "json", "--format", "text"],
  ]) {
    const r = cli(files, ...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /given twice/, args.join(" "));
  }
  // One of each still answers; --param stays repeatable for distinct keys.
  assert.equal(cli(files, "validate", "conductor", "b.json", "--op", "update", "--param", "id=a", "--param", "x=y", "--caller", "c.json").status, 0);
});

// A policy file holding its groups as a JSON string (`"[{…}]"`, or
// `{"groups": "[{…}]"}`) compiled (new FilePolicy takes JSON text), but the
// CLI's guards on --groups read the ids from the file's array only: with
// none, `--groups authors,a,b` against a group `a,b` and `--groups
// authors,Restricted` against `restricted` answered "allowed", exit 0,
// where the array form is bad input (exit 2).
test("CLI: a policy file whose groups are a JSON string is bad input (the --groups guards could not see its ids)", () => {
  const groups = [...POLICY, { id: "a,b", filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] }];
  const forms = { "arr.json": JSON.stringify(groups), "str.json": JSON.stringify(JSON.stringify(groups)), "obj.json": JSON.stringify({ groups: JSON.stringify(groups) }) };
  for (const list of ["authors,a,b", "authors,Restricted"]) assert.equal(cli(forms, "check", "arr.json", "--groups", list, "secrets/x").status, 2, list);
  for (const file of ["str.json", "obj.json"]) {
    for (const command of ["check", "explain", "lint"]) {
      const args = command === "lint" ? [command, file] : [command, file, "--groups", "authors,a,b", "secrets/x"];
      const r = cli(forms, ...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /JSON string/);
    }
  }
});

// The near-miss guard folded white space and case but not Unicode
// normalization: a group "café" (NFC, as most editors write it) named on a
// command line in NFD (as macOS file names and some terminals give it) is
// another id to the engine, contributed nothing, and its deny did not apply.
test("CLI: a --groups id equal to a policy id up to Unicode normalization is bad input", () => {
  const groups = [POLICY[0], { ...POLICY[1], id: "caf\u00e9" }];
  const files = { "p.json": JSON.stringify(groups) };
  assert.equal(cli(files, "check", "p.json", "--groups", "authors,caf\u00e9", "secrets/x").status, 1);
  const r = cli(files, "check", "p.json", "--groups", "authors,cafe\u0301", "secrets/x");
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /group ids are exact/);
});

// JSON.parse keeps the last of a member given twice, and so do the engine's
// text readers; RFC 8259 §4 leaves such an object "unpredictable" (Go's
// protojson, Frontier's decoder, refuses it: "duplicate field"). In a file
// kept in git a reviewer reads the first: a group with its deny rule and a
// later `"filePermissions": []` (or a rule with a later `"actions": []`)
// was checked without the deny, "allowed", exit 0, and lint found nothing.
test("CLI: a JSON file with a member given twice is bad input, located at the second", () => {
  const deny = '{"effect":"deny","actions":["visible"],"patterns":"secrets/**"}';
  const allow = '{"effect":"allow","actions":["visible"],"patterns":"**"}';
  const files = {
    "groups.json": `[{"id":"r","permissions":["documents"],"filePermissions":[${deny},${allow}],\n  "filePermissions":[]}]`,
    "rule.json": `[{"id":"r","permissions":["documents"],"filePermissions":[{"effect":"deny","actions":["visible"],"patterns":"secrets/**",\n "actions":[]},${allow}]}]`,
    "ok.json": `[{"id":"r","permissions":["documents"],"filePermissions":[${deny},${allow}]}]`,
    "body.json": '{"name":"eng","name":"bad name"}',
    "caller.json": '{"superuser":true}',
  };
  assert.equal(cli(files, "check", "ok.json", "--groups", "r", "secrets/x").status, 1);
  for (const args of [["check", "groups.json", "--groups", "r", "secrets/x"], ["explain", "rule.json", "--groups", "r", "secrets/x"],
    ["lint", "groups.json"], ["validate", "frontier", "body.json", "--op", "update", "--param", "id=g", "--caller", "caller.json"]]) {
    const r = cli(files, ...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /given twice/, args.join(" "));
  }
  assert.match(cli(files, "check", "groups.json", "--groups", "r", "secrets/x").stderr, /groups\.json:2:3: /);
  assert.match(cli(files, "lint", "rule.json", "--format", "github").stdout, /^::error file=rule\.json,line=2,col=2,/m);
  // The same name in two objects, or as a value, is not a repeat.
  assert.equal(cli({ ...files, "two.json": `[{"id":"a","permissions":["owner"]},{"id":"b","permissions":["documents"],"x":{"id":1}}]` }, "check", "two.json", "--groups", "a", "x").status, 0);
});

// A policy file `{groups, options}` read no other member: a misspelled
// `"option": {"caseInsensitive": true}` compiled the policy case-sensitive,
// so a deny of `SECRETS/**` did not apply to `secrets/x`: "allowed", exit
// 0, and lint found nothing (the API refuses unknown option keys, and a
// Map of options since atk5; the file's own members were not checked).
test("CLI: a policy file object with a member other than groups and options is bad input", () => {
  const groups = [{ id: "a", permissions: ["documents"], filePermissions: [
    { effect: "allow", actions: ["visible"], patterns: "**" }, { effect: "deny", actions: ["visible"], patterns: "SECRETS/**" }] }];
  const files = {
    "right.json": JSON.stringify({ groups, options: { caseInsensitive: true } }),
    "typo.json": JSON.stringify({ groups, option: { caseInsensitive: true } }),
    "case.json": JSON.stringify({ Groups: groups, options: { caseInsensitive: true } }),
    "limits.json": JSON.stringify({ groups, limits: { maxPathBytes: 8 } }),
  };
  assert.equal(cli(files, "check", "right.json", "--groups", "a", "secrets/x").status, 1);
  for (const [file, member] of [["typo.json", "option"], ["case.json", "Groups"], ["limits.json", "limits"]]) {
    for (const args of [["check", file, "--groups", "a", "secrets/x"], ["explain", file, "--groups", "a", "secrets/x"], ["lint", file]]) {
      const r = cli(files, ...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`"${member}"`), args.join(" "));
    }
  }
});

// `lint --files` over 20,000 files lints in chunks and keeps the
// lint.matches_nothing issues every chunk reports. A chunk lists 100 issues
// of a code and then one summary with the count of the rest, and the
// summaries were intersected like issues: 150 rules of which one (f120)
// matches a file of the second chunk were reported as 100 + "50 more"
// (150 rules matching nothing); one lint call says 100 + 49.
test("CLI: lint --files in chunks counts the rules that match nothing as one lint call does", () => {
  const rules = Array.from({ length: 150 }, (_, i) => ({ effect: "allow", actions: ["visible"], patterns: `f${i}` }));
  const files = [...Array.from({ length: 20_005 }, (_, i) => `filler/${i}`), "f120"];
  const r = cli({ "p.json": JSON.stringify([{ id: "a", permissions: ["documents"], filePermissions: rules }]), "files.txt": files.join("\n") },
    "lint", "p.json", "--files", "files.txt", "--format", "json");
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const nothing = (out.issues ?? out).filter((i) => i.code === "lint.matches_nothing");
  assert.equal(nothing.filter((i) => i.omitted === undefined).length, 100);
  assert.deepEqual(nothing.filter((i) => i.omitted !== undefined).map((i) => [i.path, i.omitted]), [["/0/filePermissions/100/patterns", 49]]);
  assert.ok(!nothing.some((i) => i.path === "/0/filePermissions/120/patterns"));
});

// A member no reader reads because it is misspelled (`FilePermissions`, a
// rule's `Actions`) drops that group's or rule's deny; `lint` names it
// (lint.misspelled_member), but `check` and `explain` compiled the policy
// without a word: "allowed", exit 0, for secrets/x. Bad input (exit 2),
// as a --groups id the policy has only up to case is.
test("CLI: check and explain refuse a policy with a misspelled member (its deny would not apply)", () => {
  const policy = (restricted) => JSON.stringify([
    { id: "authors", permissions: ["documents"], filePermissions: [{ effect: "allow", actions: ["visible"], patterns: "**" }] },
    { id: "restricted", permissions: ["documents"], ...restricted },
  ]);
  const files = {
    "right.json": policy({ filePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] }),
    "group.json": policy({ FilePermissions: [{ effect: "deny", actions: ["visible"], patterns: "secrets/**" }] }),
    "rule.json": policy({ filePermissions: [{ effect: "deny", Actions: ["visible"], patterns: "secrets/**" }, { effect: "allow", actions: ["visible"], patterns: "**" }] }),
  };
  assert.equal(cli(files, "check", "right.json", "--groups", "authors,restricted", "secrets/x").status, 1);
  for (const file of ["group.json", "rule.json"]) {
    for (const command of ["check", "explain"]) {
      const r = cli(files, command, file, "--groups", "authors,restricted", "secrets/x");
      assert.equal(r.status, 2, `${command} ${file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /lint\.misspelled_member/);
    }
  }
});
