//! `validate` for each dialect. Input: one byte choosing the dialect, then
//! JSON: `{"request": ..., "context": ...}` (or any value, taken as the
//! request). Also runs `permissions_of` on the request as a subject.
//!
//! Invariants: an unusable dialect or context is an error whose issues have
//! pointers; otherwise `ok` iff status is 200/201 and there are no errors; a
//! non-2xx status has at least one error; every path is a JSON Pointer; the
//! verdict serializes.
#![no_main]

use groupgate::{permissions_of, validate};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const DIALECTS: [&str; 6] = [
    "baseten",
    "frontier",
    "apinizer",
    "conductor",
    "gorules",
    "nope",
];

fuzz_target!(|data: &[u8]| {
    let Some((&d, json)) = data.split_first() else {
        return;
    };
    let dialect = DIALECTS[d as usize % DIALECTS.len()];
    let Ok(v) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let (request, context) = match &v {
        Value::Object(o) if o.contains_key("request") => (
            o.get("request").unwrap_or(&Value::Null),
            o.get("context").unwrap_or(&Value::Null),
        ),
        other => (other, &Value::Null),
    };
    // The dialect and context are the engine's own input: unusable ones are
    // an error with at least one issue, each at a JSON Pointer.
    let verdict = match validate(dialect, request, context) {
        Ok(v) => v,
        Err(e) => {
            assert!(!e.issues.is_empty());
            for i in &e.issues {
                assert!(i.path.is_empty() || i.path.starts_with('/'), "{i:?}");
            }
            let _ = permissions_of(dialect, request, context);
            return;
        }
    };
    assert_eq!(verdict.ok, verdict.errors.is_empty(), "{verdict:?}");
    assert_eq!(
        verdict.ok,
        matches!(verdict.status, 200 | 201),
        "{verdict:?}"
    );
    for i in verdict.errors.iter().chain(&verdict.warnings) {
        assert!(i.path.is_empty() || i.path.starts_with('/'), "{i:?}");
    }
    serde_json::to_string(&verdict).expect("verdict serializes");
    let _ = permissions_of(dialect, request, context);
});
