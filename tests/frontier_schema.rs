//! The JSON Schema keyword table (`tests/schema/keywords.json`) through the
//! public API: each row's schema becomes the Frontier group metaschema
//! (`{"type": "object", "properties": {"v": SCHEMA}}`, with the row's
//! `draft` as `$schema` and its `definitions`), each value the metadata
//! member `v`. A valid value answers 200 with no error; an invalid one 400
//! with the row's code at `/body/metadata/v` or below.
//! `tests/js/frontier-schema.test.mjs` runs the same table through the package.

use groupgate::validate;
use serde_json::{json, Value};

fn rows() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema/keywords.json");
    let text = std::fs::read_to_string(path).expect("keywords.json");
    serde_json::from_str::<Vec<Value>>(&text).expect("an array of rows")
}

fn context(row: &Value) -> Value {
    let mut ms = json!({"type": "object", "properties": {"v": row["schema"]}});
    if let Some(d) = row.get("draft") {
        ms["$schema"] = d.clone();
    }
    if let Some(d) = row.get("definitions") {
        ms["definitions"] = d.clone();
    }
    json!({"state": {"org": {"id": "acme"}, "metaschema": ms}})
}

fn request(value: &Value) -> Value {
    json!({"op": "create", "params": {"org_id": "acme"}, "body": {"name": "x", "metadata": {"v": value}}})
}

#[test]
fn every_keyword_row_answers_as_gojsonschema() {
    let mut failures = Vec::new();
    let rows = rows();
    assert!(
        rows.len() >= 50,
        "the table covers every keyword and format"
    );
    for row in &rows {
        let name = row["name"].as_str().unwrap_or("?");
        if row["source"].as_str().is_none_or(|s| s.trim().is_empty()) {
            failures.push(format!("{name}: no source"));
        }
        let ctx = context(row);
        for v in row["valid"].as_array().into_iter().flatten() {
            let got = validate("frontier", &request(v), &ctx).expect("a usable context");
            if got.status != 200 || !got.errors.is_empty() || !got.warnings.is_empty() {
                failures.push(format!(
                    "{name}: {v} should pass, got {}",
                    serde_json::to_string(&got).unwrap_or_default()
                ));
            }
        }
        for case in row["invalid"].as_array().into_iter().flatten() {
            let (v, code) = (&case[0], case[1].as_str().unwrap_or(""));
            let got = validate("frontier", &request(v), &ctx).expect("a usable context");
            let hit = got
                .errors
                .iter()
                .any(|e| e.code == code && e.path.starts_with("/body/metadata/v"));
            if got.status != 400 || !hit {
                failures.push(format!(
                    "{name}: {v} should fail with {code}, got {}",
                    serde_json::to_string(&got).unwrap_or_default()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_invalid_metaschema_refuses_every_request() {
    // gojsonschema fails to compile it; the handler answers 400 (group.go).
    for (ms, path) in [
        (json!({"type": "thing"}), "/context/state/metaschema/type"),
        (
            json!({"properties": {"a": {"pattern": "("}}}),
            "/context/state/metaschema/properties/a/pattern",
        ),
        (
            json!({"$ref": "#/definitions/missing"}),
            "/context/state/metaschema/$ref",
        ),
        (json!({"enum": [1, 1]}), "/context/state/metaschema/enum"),
    ] {
        let got = validate(
            "frontier",
            &request(&json!(1)),
            &json!({"state": {"metaschema": ms}}),
        )
        .expect("a usable context");
        assert_eq!(got.status, 400, "{ms}");
        assert!(
            got.errors
                .iter()
                .any(|e| e.path == path && e.code == "schema.invalid"),
            "{ms}: {got:?}"
        );
    }
}
