// Findings of atkw12 (session 18), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cli } from "./fixtures/cli.mjs";
import { validate, Workspace } from "groupgate";
import { assertWithin } from "./support/speed.mjs";

// The CLI read files with JSON.parse, which rounds an integer past 2^53 to
// the nearest double, and JSON.stringify handed the rounded number to the
// engine. Baseten's server reads an integer literal of any size exactly
// (pydantic-core@383eb95a src/input/input_json.rs:179-180, README baseten
// "a threshold's size and spelling"): a child's 9007199254740993 under its
// CASCADING ancestor's 9007199254740992 is above it, 400
// cascade.above_ancestor, but the CLI compared 9007199254740992 with itself
// and answered exit 0 / status 200 (a wrong grant). The CLI now refuses a
// number that JSON.stringify would not write back as the same decimal (exit
// 2, at its place), as it refuses 1e400 and -0.
test("CLI: an integer JSON.parse would round is bad input, never read as its neighbour (Baseten reads it exactly)", () => {
  const state = (parent) => `{"groups":[
{"id":"root","metadata":{"external_entity_id":"r"},"hierarchy":{"limit_enforcement":"CASCADING","parent_group_id":null},
 "models":[{"slug":"meta/llama","rate_limits":[{"type":"TOKEN","unit":"MINUTE","threshold":${parent}}]}]},
{"id":"team","metadata":{"external_entity_id":"t"},"hierarchy":{"limit_enforcement":"CASCADING","parent_group_id":"root"},"models":[{"slug":"meta/llama"}]}]}`;
  const req = (child) => `{"op":"update","params":{"group_id":"team"},"body":{"models":[{"slug":"meta/llama",\n"rate_limits":[{"type":"TOKEN","unit":"MINUTE","threshold":${child}}]}]}}`;
  const run = (parent, child) => cli({ "r.json": req(child), "s.json": state(parent), "c.json": '{"scope":"management"}' },
    ["validate", "baseten", "r.json", "--state", "s.json", "--caller", "c.json"], 20_000);
  // Controls: integers past 2^53 that JSON.stringify writes back as they are (1e18 written out) are numbers like any other.
  assert.equal(run("9007199254740992", "9007199254740992").status, 0);
  assert.equal(run("1152921504606847000", "1000000000000000000").status, 0);
  assert.equal(run("9007199254740992", "9007199254740994").status, 1, "control: above the ancestor");
  // The request's child above its ancestor by one, and the state's ancestor below its child by one.
  for (const [parent, child, file, line] of [["9007199254740992", "9007199254740993", "r.json", 2], ["9007199254740995", "9007199254740996", "s.json", 3], ["9007199254740992", "-9007199254740993", "r.json", 2],
    // 2^60 is a double, but JSON.stringify writes it 1152921504606847000: the engine got another integer.
    ["1152921504606846976", "1000000000000000000", "s.json", 3]]) {
    const r = run(parent, child);
    assert.equal(r.status, 2, `${parent} over ${child}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /cannot hold exactly/);
    assert.match(r.stderr, new RegExp(`${file.replace(".", "\\.")}:${line}:`));
  }
});

// The same for a decimal: JSON.parse reads `maximum: 0.09999999999999999999`
// as 0.1, but Frontier's gojsonschema reads a schema number as the big.Rat
// of its text (xeipuuv/gojsonschema@v1.2.0 validation.go validateNumber;
// tests/schema/keywords.json cites it), so metadata 0.1 is above it there
// (400) and the CLI answered exit 0 / status 200.
test("CLI: a decimal JSON.parse would round is bad input (Frontier's metaschema reads it exactly)", () => {
  const state = (max) => `{"org":{"id":"acme"},"groups":[],\n"metaschema":{"type":"object","properties":{"x":{"maximum":${max}}}}}`;
  const run = (max, x) => cli({ "r.json": `{"op":"create","params":{"org_id":"acme"},"body":{"name":"g","metadata":{"x":${x}}}}`, "s.json": state(max), "c.json": '{"orgRoles":["app_organization_owner"]}' },
    ["validate", "frontier", "r.json", "--state", "s.json", "--caller", "c.json"], 20_000);
  // Controls: spellings of the double's own decimal are numbers like any other.
  for (const max of ["0.1", "0.10", "1e-1", "0.30000000000000004", "1.0e21", "100000000000000000000"]) assert.equal(run(max, "0.1").status, 0, max);
  assert.equal(run("0.05", "0.1").status, 1, "control: above the maximum");
  for (const max of ["0.09999999999999999999", "0.1000000000000000000001", "1e-400", "9.9999999999999999e-2"]) {
    const r = run(max, "0.1");
    assert.equal(r.status, 2, `${max}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /s\.json:2:\d+: not JSON: a number JSON\.parse cannot hold exactly/);
  }
});

// The CLI read its files as UTF-8 with replacement: a byte that is not
// UTF-8 became U+FFFD, and the engine checked a text the file does not
// hold. Frontier's decoder refuses such a string (protojson,
// protocolbuffers/protobuf-go@7a9098f internal/encoding/json/decode_string.go:29-30
// "invalid UTF-8 in string", 400 invalid_argument), so a title holding
// 0xFF was exit 0 / status 200 where the server answers 400 (a wrong
// grant). A file that is not UTF-8 is now bad input (exit 2, at its place).
test("CLI: a file that is not UTF-8 is bad input, never read with U+FFFD in place of its bytes", () => {
  const state = JSON.stringify({ org: { id: "acme" }, groups: [] });
  const caller = JSON.stringify({ orgRoles: ["app_organization_owner"] });
  const req = (title) => Buffer.concat([Buffer.from('{"op":"create","params":{"org_id":"acme"},\n"body":{"name":"g","title":"'), title, Buffer.from('"}}')]);
  const run = (title, args = []) => cli({ "r.json": req(title), "s.json": state, "c.json": caller }, ["validate", "frontier", "r.json", "--state", "s.json", "--caller", "c.json", ...args], 20_000);
  assert.equal(run(Buffer.from("caf\u00e9 \ufffd")).status, 0, "control: UTF-8, U+FFFD itself included");
  for (const bytes of [[0xff], [0x63, 0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe9, 0x74, 0xe9]]) {
    const r = run(Buffer.from(bytes));
    assert.equal(r.status, 2, `${bytes}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /r\.json:2:\d+: not UTF-8/);
  }
  assert.match(run(Buffer.from([0x63, 0xc3])).stderr, /r\.json:2:30: not UTF-8/, "at the sequence the bad byte cut short");
});

// The name check (row 4: unique per org) asked, for every state group of
// the requested name, which org its org_id names, and each answer scanned
// every org: 10,000 groups named "eng" (the same team in 10,000 of 20,000
// orgs), a create of "eng" took 2.5-8 s CPU; all in the last of 100,000 orgs 128 s (README
// Security: validate("frontier") of 10,000 groups ≤ 2 s). The one other key
// naming the org is now found once.
test("frontier: the unique-name check reads each org once, not once per group of that name", () => {
  const uuid = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  // 20,000 orgs, the second half each holding an "eng" (its org_id the org's
  // name); maxGroups, which caps a state's orgs since session 19, raised to let them in.
  const n = 10_000;
  const orgs = Array.from({ length: 2 * n }, (_, i) => ({ id: uuid(i), name: `org${i}` }));
  const groups = Array.from({ length: n }, (_, i) => ({ id: uuid(1e9 + i), name: "eng", org_id: `org${n + i}` }));
  const run = (org) => validate("frontier", { op: "create", params: { org_id: org }, body: { name: "eng" } },
    { caller: { orgRoles: { [org]: ["app_organization_owner"] } }, state: { orgs, groups }, limits: { maxGroups: 2 * n } });
  const t0 = process.cpuUsage();
  const v = run(uuid(0));
  const t = process.cpuUsage(t0);
  assert.deepEqual([v.status, v.errors], [200, []]);
  assert.deepEqual(run(uuid(n + 7)).errors.map((e) => e.code), ["already_exists"], "org 10007 holds an eng, by its name");
  assertWithin((t.user + t.system) / 1000, 2000, "validate");
  // The same answers as the per-group lookup: a name an earlier org also bears names that org.
  const twin = { orgs: [{ id: uuid(1), name: "dup" }, { id: uuid(2), name: "dup" }], groups: [{ id: uuid(9), name: "eng", org_id: "dup" }] };
  const in2 = (org) => validate("frontier", { op: "create", params: { org_id: org }, body: { name: "eng" } }, { caller: { superuser: true, orgRoles: { [org]: ["app_organization_owner"] } }, state: twin }).status;
  assert.deepEqual([in2(uuid(1)), in2(uuid(2))], [409, 200]);
});

// Fixed by src/json/exact.rs (a float of such a text read again, at its place,
// by core's correctly rounded parser: +X B gzipped). serde_json without
// its `float_roundtrip` feature parses a decimal whose significand reaches
// 2^53, or whose exponent passes 22, with two roundings (serde_json 1.0.154
// src/de.rs:639-672, `f64_from_parts`): about one double in five that
// JSON.stringify writes comes back one unit in the last place off
// (948.1254568373223 is read as 948.1254568373224). Frontier's metaschema
// then compares the wrong numbers: gojsonschema reads a schema number as the
// exact decimal of its text and an instance number as Go's shortest decimal
// of its float64 (README frontier, "Numbers are compared as the server sees
// them"), so `maximum: 948.1254568373223` refuses 948.1254568373224 there
// (400) and groupgate answered 200; `const` and `enum` alike. serde_json's
// `float_roundtrip` would cost 9,661 B gzipped (wasm + glue 247,696 -> 257,357).
test("frontier metaschema: a number is compared as written, not as serde_json's default parser rounds it", () => {
  const run = (schema, x) => validate("frontier", { op: "create", params: { org_id: "acme" }, body: { name: "g", metadata: { x } } },
    { caller: { orgRoles: ["app_organization_owner"] }, state: { org: { id: "acme" }, groups: [], metaschema: { type: "object", properties: { x: schema } } } });
  // Pairs of distinct doubles, each pair's first read by the default parser as its second.
  for (const [a, b] of [[948.1254568373223, 948.1254568373224], [42.540444399191244, 42.54044439919125], [196.44876157931134, 196.44876157931137]]) {
    assert.ok(a < b);
    assert.equal(run({ maximum: a }, a).status, 200, "control");
    for (const schema of [{ maximum: a }, { const: a }, { enum: [a] }]) {
      const v = run(schema, b);
      assert.equal(v.status, 400, `${JSON.stringify(schema)} against ${b}`);
    }
  }
});

// The same cause, fixed the same way. Baseten's pydantic takes a float for an int only when
// it is whole (pydantic-core@383eb95a src/input/shared.rs:202-212, README
// baseten "a threshold's size and spelling"): 94.00000000000001 is refused
// there, but the default parser reads it as 94.0, which groupgate takes as
// the threshold 94 (200, and `next` says 94). About half of the doubles next
// to a whole number below 2^53 are read as that number.
test("baseten: a threshold next to a whole number is not read as that number", () => {
  const state = { groups: [{ id: "g", metadata: { external_entity_id: "e" }, hierarchy: { limit_enforcement: "INDEPENDENT", parent_group_id: null }, models: [{ slug: "m/a" }] }] };
  const req = (threshold) => ({ op: "update", params: { group_id: "g" }, body: { models: [{ slug: "m/a", rate_limits: [{ type: "TOKEN", unit: "MINUTE", threshold }] }] } });
  const ws = Workspace.from(state);
  assert.equal(validate("baseten", req(94), { state, caller: { scope: "management" } }).status, 200, "control");
  assert.equal(validate("baseten", req(94.5), { state, caller: { scope: "management" } }).status, 400, "control");
  for (const t of [94.00000000000001, 93.99999999999999, 0.9999999999999999, 956.0000000000001]) {
    assert.deepEqual(validate("baseten", req(t), { state, caller: { scope: "management" } }).errors.map((e) => e.code), ["integer"], String(t));
    assert.deepEqual(ws.preview(req(t), { scope: "management" }).errors.map((e) => e.code), ["integer"], String(t));
  }
  ws.free();
});
