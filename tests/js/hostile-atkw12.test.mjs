// Findings of atkw12 (session 18), each failing before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cli } from "./fixtures/cli.mjs";

// The CLI read files with JSON.parse, which rounds an integer past 2^53 to
// the nearest double, and JSON.stringify handed the rounded number to the
// engine. Baseten's server reads an integer literal of any size exactly
// (pydantic-core@383eb95a src/input/input_json.rs:179-180, README baseten
// "a threshold's size and spelling"): a child's 9007199254740993 under its
// CASCADING ancestor's 9007199254740992 is above it, 400
// cascade.above_ancestor, but the CLI compared 9007199254740992 with itself
// and answered exit 0 / status 200 (a wrong grant). The CLI now refuses an
// integer JSON.parse cannot hold exactly (exit 2, at its place), as it
// refuses 1e400 and -0.
test("CLI: an integer JSON.parse would round is bad input, never read as its neighbour (Baseten reads it exactly)", () => {
  const state = (parent) => `{"groups":[
{"id":"root","metadata":{"external_entity_id":"r"},"hierarchy":{"limit_enforcement":"CASCADING","parent_group_id":null},
 "models":[{"slug":"meta/llama","rate_limits":[{"type":"TOKEN","unit":"MINUTE","threshold":${parent}}]}]},
{"id":"team","metadata":{"external_entity_id":"t"},"hierarchy":{"limit_enforcement":"CASCADING","parent_group_id":"root"},"models":[{"slug":"meta/llama"}]}]}`;
  const req = (child) => `{"op":"update","params":{"group_id":"team"},"body":{"models":[{"slug":"meta/llama",\n"rate_limits":[{"type":"TOKEN","unit":"MINUTE","threshold":${child}}]}]}}`;
  const run = (parent, child) => cli({ "r.json": req(child), "s.json": state(parent), "c.json": '{"scope":"management"}' },
    ["validate", "baseten", "r.json", "--state", "s.json", "--caller", "c.json"], 20_000);
  // Controls: exact integers past 2^53 (2^60, 1e18 written out) are numbers like any other.
  assert.equal(run("9007199254740992", "9007199254740992").status, 0);
  assert.equal(run("1152921504606846976", "1000000000000000000").status, 0);
  assert.equal(run("9007199254740992", "9007199254740994").status, 1, "control: above the ancestor");
  // The request's child above its ancestor by one, and the state's ancestor below its child by one.
  for (const [parent, child, file, line] of [["9007199254740992", "9007199254740993", "r.json", 2], ["9007199254740995", "9007199254740996", "s.json", 3], ["9007199254740992", "-9007199254740993", "r.json", 2]]) {
    const r = run(parent, child);
    assert.equal(r.status, 2, `${parent} over ${child}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /cannot hold exactly/);
    assert.match(r.stderr, new RegExp(`${file.replace(".", "\\.")}:${line}:`));
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
