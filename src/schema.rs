//! A small JSON Schema subset, enough for Frontier's group *metaschema*
//! (SPEC §1.2). No regex engine, no network, no `$ref`.
//!
//! Supported keywords (draft-07 meaning):
//!
//! | keyword | notes |
//! |---|---|
//! | `true` / `false` schemas | `false` rejects everything |
//! | `type` | a name or an array of names: `null boolean object array number integer string` (`integer` = a number without fraction) |
//! | `enum`, `const` | JSON equality (numbers compare by value: `1` = `1.0`) |
//! | `properties`, `required`, `additionalProperties` | `additionalProperties` is a boolean or a schema; it applies to members not in `properties` |
//! | `minProperties`, `maxProperties` | |
//! | `items` | a schema (every item) or an array of schemas (tuple form; extra items are unchecked) |
//! | `minItems`, `maxItems`, `uniqueItems` | |
//! | `minLength`, `maxLength` | counted in Unicode code points, as JSON Schema says |
//! | `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` | number form (draft-06+) and boolean form (draft-04) |
//! | `allOf`, `anyOf`, `oneOf`, `not` | |
//!
//! Annotations are ignored silently: `$schema $id id title description
//! default examples $comment readOnly writeOnly format deprecated`.
//! Every other keyword (`pattern`, `$ref`, `patternProperties`,
//! `if`/`then`/`else`, `dependencies`, `multipleOf`, …) is *not checked*:
//! [`check_schema`] reports it as a warning (`schema.unsupported`) so that a
//! caller knows the server may still reject what groupgate accepted.
//!
//! Schemas nest at most [`MAX_DEPTH`] levels (deeper: a `limit` error), so a
//! hostile schema cannot exhaust the stack.

use serde_json::{Map, Value};

use crate::input::type_name;
use crate::verdict::{ptr, Issue};

/// How deep schemas may nest.
pub const MAX_DEPTH: usize = 64;

const TYPES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "integer", "string",
];

const ANNOTATIONS: [&str; 13] = [
    "$schema",
    "$id",
    "id",
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "readOnly",
    "writeOnly",
    "format",
    "deprecated",
    "definitions",
];

/// One failed assertion: where in the instance (`path`, a JSON Pointer
/// under the base given to [`validate`]), which keyword (`code`,
/// `schema.<keyword>`) and a short human explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub path: String,
    pub code: &'static str,
    pub detail: String,
}

/// Checks that `schema` is a schema this module understands. Returns
/// `(errors, warnings)`, both at pointers under `base` (for example
/// `/context/state/metaschema`). Errors: malformed keywords (code
/// `schema.invalid`) and nesting over [`MAX_DEPTH`] (`limit`). Warnings:
/// keywords that are not checked (`schema.unsupported`).
pub fn check_schema(schema: &Value, base: &str) -> (Vec<Issue>, Vec<Issue>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    check_at(schema, base, 0, &mut errors, &mut warnings);
    (errors, warnings)
}

fn invalid(errors: &mut Vec<Issue>, path: String, msg: impl Into<String>) {
    errors.push(Issue::new(path, "schema.invalid", msg));
}

fn is_non_negative_int(v: &Value) -> bool {
    v.as_u64().is_some()
}

fn check_at(
    schema: &Value,
    path: &str,
    depth: usize,
    errors: &mut Vec<Issue>,
    warnings: &mut Vec<Issue>,
) {
    if depth >= MAX_DEPTH {
        errors.push(Issue::new(
            path,
            "limit",
            format!("schema nests deeper than the limit ({MAX_DEPTH} levels)"),
        ));
        return;
    }
    let map = match schema {
        Value::Bool(_) => return,
        Value::Object(m) => m,
        other => {
            invalid(
                errors,
                path.to_string(),
                format!(
                    "a schema is an object or a boolean, got {}",
                    type_name(other)
                ),
            );
            return;
        }
    };
    for (key, v) in map {
        let at = ptr(path, key);
        match key.as_str() {
            "type" => {
                let ok = |t: &Value| t.as_str().is_some_and(|s| TYPES.contains(&s));
                let valid = match v {
                    Value::Array(list) => !list.is_empty() && list.iter().all(ok),
                    one => ok(one),
                };
                if !valid {
                    invalid(errors, at, format!("type must be one of {} or an array of them", TYPES.join(", ")));
                }
            }
            "enum" => {
                if !v.is_array() {
                    invalid(errors, at, "enum must be an array");
                }
            }
            "const" => {}
            "properties" => match v {
                Value::Object(props) => {
                    for (name, sub) in props {
                        check_at(sub, &ptr(&at, name), depth + 1, errors, warnings);
                    }
                }
                _ => invalid(errors, at, "properties must be an object of schemas"),
            },
            "required" => {
                let ok = v
                    .as_array()
                    .is_some_and(|l| l.iter().all(Value::is_string));
                if !ok {
                    invalid(errors, at, "required must be an array of strings");
                }
            }
            "additionalProperties" | "not" => check_at(v, &at, depth + 1, errors, warnings),
            "items" => match v {
                Value::Array(list) => {
                    for (i, sub) in list.iter().enumerate() {
                        check_at(sub, &ptr(&at, i), depth + 1, errors, warnings);
                    }
                }
                one => check_at(one, &at, depth + 1, errors, warnings),
            },
            "allOf" | "anyOf" | "oneOf" => match v {
                Value::Array(list) if !list.is_empty() => {
                    for (i, sub) in list.iter().enumerate() {
                        check_at(sub, &ptr(&at, i), depth + 1, errors, warnings);
                    }
                }
                _ => invalid(errors, at, format!("{key} must be a non-empty array of schemas")),
            },
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => {
                if !is_non_negative_int(v) {
                    invalid(errors, at, format!("{key} must be a non-negative integer"));
                }
            }
            "uniqueItems" => {
                if !v.is_boolean() {
                    invalid(errors, at, "uniqueItems must be a boolean");
                }
            }
            "minimum" | "maximum" => {
                if !v.is_number() {
                    invalid(errors, at, format!("{key} must be a number"));
                }
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                if !v.is_number() && !v.is_boolean() {
                    invalid(errors, at, format!("{key} must be a number (or a boolean, draft-04)"));
                }
            }
            k if ANNOTATIONS.contains(&k) => {}
            _ => warnings.push(Issue::new(
                at,
                "schema.unsupported",
                format!("schema keyword {key} is not checked by groupgate; the server may still reject the value"),
            )),
        }
    }
}

/// Validates `instance` against `schema`; every failure, at pointers under
/// `base` (for example `/body/metadata`). Malformed keywords are ignored
/// here (report them with [`check_schema`]).
pub fn validate(schema: &Value, instance: &Value, base: &str) -> Vec<SchemaError> {
    let mut out = Vec::new();
    validate_at(schema, instance, base, 0, &mut out);
    out
}

/// True when `instance` satisfies `schema`.
pub fn is_valid(schema: &Value, instance: &Value) -> bool {
    validate(schema, instance, "").is_empty()
}

fn fail(out: &mut Vec<SchemaError>, path: &str, code: &'static str, detail: impl Into<String>) {
    out.push(SchemaError {
        path: path.to_string(),
        code,
        detail: detail.into(),
    });
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        other => type_name(v) == other,
    }
}

/// JSON equality with numbers compared by value.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(37).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn validate_at(schema: &Value, v: &Value, path: &str, depth: usize, out: &mut Vec<SchemaError>) {
    if depth >= MAX_DEPTH {
        fail(
            out,
            path,
            "limit",
            format!("schema nests deeper than the limit ({MAX_DEPTH} levels)"),
        );
        return;
    }
    let s: &Map<String, Value> = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            fail(out, path, "schema.false", "no value is allowed here");
            return;
        }
        Value::Object(m) => m,
        _ => return,
    };

    if let Some(t) = s.get("type") {
        let names: Vec<&str> = match t {
            Value::String(one) => vec![one.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() && !names.iter().any(|n| has_type(v, n)) {
            fail(
                out,
                path,
                "schema.type",
                format!("expected {}, got {}", names.join(" or "), type_name(v)),
            );
            // Other keywords would only add noise about the same value.
            return;
        }
    }
    if let Some(Value::Array(options)) = s.get("enum") {
        if !options.iter().any(|o| json_eq(o, v)) {
            let list: Vec<String> = options.iter().map(short).collect();
            fail(
                out,
                path,
                "schema.enum",
                format!("must be one of {}", list.join(", ")),
            );
        }
    }
    if let Some(c) = s.get("const") {
        if !json_eq(c, v) {
            fail(out, path, "schema.const", format!("must be {}", short(c)));
        }
    }

    match v {
        Value::Object(obj) => validate_object(s, obj, path, depth, out),
        Value::Array(items) => validate_array(s, items, path, depth, out),
        Value::String(text) => {
            let len = text.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    fail(
                        out,
                        path,
                        "schema.min_length",
                        format!("must be at least {min} characters"),
                    );
                }
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    fail(
                        out,
                        path,
                        "schema.max_length",
                        format!("must be at most {max} characters"),
                    );
                }
            }
        }
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                validate_number(s, x, path, out);
            }
        }
        _ => {}
    }

    if let Some(Value::Array(all)) = s.get("allOf") {
        for sub in all {
            validate_at(sub, v, path, depth + 1, out);
        }
    }
    if let Some(Value::Array(any)) = s.get("anyOf") {
        if !any.iter().any(|sub| passes(sub, v, depth + 1)) {
            fail(
                out,
                path,
                "schema.any_of",
                "matches none of the anyOf schemas",
            );
        }
    }
    if let Some(Value::Array(one)) = s.get("oneOf") {
        let n = one.iter().filter(|sub| passes(sub, v, depth + 1)).count();
        if n != 1 {
            fail(
                out,
                path,
                "schema.one_of",
                format!("must match exactly one of the oneOf schemas, matches {n}"),
            );
        }
    }
    if let Some(not) = s.get("not") {
        if passes(not, v, depth + 1) {
            fail(
                out,
                path,
                "schema.not",
                "must not match the schema under not",
            );
        }
    }
}

fn passes(schema: &Value, v: &Value, depth: usize) -> bool {
    let mut sub = Vec::new();
    validate_at(schema, v, "", depth, &mut sub);
    sub.is_empty()
}

fn validate_object(
    s: &Map<String, Value>,
    obj: &Map<String, Value>,
    path: &str,
    depth: usize,
    out: &mut Vec<SchemaError>,
) {
    if let Some(Value::Array(req)) = s.get("required") {
        for name in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(name) {
                fail(
                    out,
                    &ptr(path, name),
                    "schema.required",
                    format!("{name} is required"),
                );
            }
        }
    }
    let n = obj.len() as u64;
    if let Some(min) = s.get("minProperties").and_then(Value::as_u64) {
        if n < min {
            fail(
                out,
                path,
                "schema.min_properties",
                format!("must have at least {min} members"),
            );
        }
    }
    if let Some(max) = s.get("maxProperties").and_then(Value::as_u64) {
        if n > max {
            fail(
                out,
                path,
                "schema.max_properties",
                format!("must have at most {max} members"),
            );
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    let additional = s.get("additionalProperties");
    for (key, value) in obj {
        let at = ptr(path, key);
        match props.and_then(|p| p.get(key)) {
            Some(sub) => validate_at(sub, value, &at, depth + 1, out),
            None => match additional {
                Some(Value::Bool(false)) => fail(
                    out,
                    &at,
                    "schema.additional_properties",
                    format!("{key} is not allowed (additionalProperties is false)"),
                ),
                Some(sub @ Value::Object(_)) => validate_at(sub, value, &at, depth + 1, out),
                _ => {}
            },
        }
    }
}

fn validate_array(
    s: &Map<String, Value>,
    items: &[Value],
    path: &str,
    depth: usize,
    out: &mut Vec<SchemaError>,
) {
    let n = items.len() as u64;
    if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
        if n < min {
            fail(
                out,
                path,
                "schema.min_items",
                format!("must have at least {min} items"),
            );
        }
    }
    if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
        if n > max {
            fail(
                out,
                path,
                "schema.max_items",
                format!("must have at most {max} items"),
            );
        }
    }
    if s.get("uniqueItems") == Some(&Value::Bool(true)) {
        'outer: for (i, a) in items.iter().enumerate() {
            for b in items.iter().skip(i + 1) {
                if json_eq(a, b) {
                    fail(
                        out,
                        path,
                        "schema.unique_items",
                        format!("items must be unique; {} repeats", short(a)),
                    );
                    break 'outer;
                }
            }
        }
    }
    match s.get("items") {
        Some(Value::Array(tuple)) => {
            for (i, (sub, item)) in tuple.iter().zip(items).enumerate() {
                validate_at(sub, item, &ptr(path, i), depth + 1, out);
            }
        }
        Some(one @ (Value::Object(_) | Value::Bool(_))) => {
            for (i, item) in items.iter().enumerate() {
                validate_at(one, item, &ptr(path, i), depth + 1, out);
            }
        }
        _ => {}
    }
}

fn validate_number(s: &Map<String, Value>, x: f64, path: &str, out: &mut Vec<SchemaError>) {
    let bound = |k: &str| s.get(k).and_then(Value::as_f64);
    let draft4 = |k: &str| s.get(k) == Some(&Value::Bool(true));
    if let Some(min) = bound("minimum") {
        if draft4("exclusiveMinimum") {
            if x <= min {
                fail(
                    out,
                    path,
                    "schema.minimum",
                    format!("must be greater than {min}"),
                );
            }
        } else if x < min {
            fail(
                out,
                path,
                "schema.minimum",
                format!("must be at least {min}"),
            );
        }
    }
    if let Some(max) = bound("maximum") {
        if draft4("exclusiveMaximum") {
            if x >= max {
                fail(
                    out,
                    path,
                    "schema.maximum",
                    format!("must be less than {max}"),
                );
            }
        } else if x > max {
            fail(
                out,
                path,
                "schema.maximum",
                format!("must be at most {max}"),
            );
        }
    }
    if let Some(min) = bound("exclusiveMinimum") {
        if x <= min {
            fail(
                out,
                path,
                "schema.minimum",
                format!("must be greater than {min}"),
            );
        }
    }
    if let Some(max) = bound("exclusiveMaximum") {
        if x >= max {
            fail(
                out,
                path,
                "schema.maximum",
                format!("must be less than {max}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(schema: Value, v: Value) -> Vec<(String, &'static str)> {
        validate(&schema, &v, "/m")
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect()
    }

    #[test]
    fn each_keyword_passes_and_fails() {
        // (schema, passing instance, failing instance, failing path, code)
        let cases: Vec<(Value, Value, Value, &str, &str)> = vec![
            (
                json!({"type": "string"}),
                json!("a"),
                json!(1),
                "/m",
                "schema.type",
            ),
            (
                json!({"type": ["string", "null"]}),
                json!(null),
                json!([]),
                "/m",
                "schema.type",
            ),
            (
                json!({"type": "integer"}),
                json!(2.0),
                json!(2.5),
                "/m",
                "schema.type",
            ),
            (
                json!({"enum": ["a", 1]}),
                json!(1.0),
                json!("b"),
                "/m",
                "schema.enum",
            ),
            (
                json!({"const": {"a": [1]}}),
                json!({"a": [1]}),
                json!({"a": [2]}),
                "/m",
                "schema.const",
            ),
            (
                json!({"required": ["x"]}),
                json!({"x": 1}),
                json!({}),
                "/m/x",
                "schema.required",
            ),
            (
                json!({"properties": {"a": {"type": "object"}}}),
                json!({"a": {}}),
                json!({"a": "s"}),
                "/m/a",
                "schema.type",
            ),
            (
                json!({"properties": {"a": {}}, "additionalProperties": false}),
                json!({"a": 1}),
                json!({"a": 1, "b/c": 2}),
                "/m/b~1c",
                "schema.additional_properties",
            ),
            (
                json!({"additionalProperties": {"type": "string"}}),
                json!({"k": "v"}),
                json!({"k": 1}),
                "/m/k",
                "schema.type",
            ),
            (
                json!({"minProperties": 1}),
                json!({"a": 1}),
                json!({}),
                "/m",
                "schema.min_properties",
            ),
            (
                json!({"maxProperties": 0}),
                json!({}),
                json!({"a": 1}),
                "/m",
                "schema.max_properties",
            ),
            (
                json!({"items": {"type": "string"}}),
                json!(["a"]),
                json!(["a", 2]),
                "/m/1",
                "schema.type",
            ),
            (
                json!({"items": [{"const": 1}]}),
                json!([1, "x"]),
                json!([2]),
                "/m/0",
                "schema.const",
            ),
            (
                json!({"minItems": 1}),
                json!([1]),
                json!([]),
                "/m",
                "schema.min_items",
            ),
            (
                json!({"maxItems": 1}),
                json!([1]),
                json!([1, 2]),
                "/m",
                "schema.max_items",
            ),
            (
                json!({"uniqueItems": true}),
                json!([1, 2]),
                json!([1, 1.0]),
                "/m",
                "schema.unique_items",
            ),
            (
                json!({"minLength": 2}),
                json!("éé"),
                json!("é"),
                "/m",
                "schema.min_length",
            ),
            (
                json!({"maxLength": 2}),
                json!("éé"),
                json!("abc"),
                "/m",
                "schema.max_length",
            ),
            (
                json!({"minimum": 1}),
                json!(1),
                json!(0.5),
                "/m",
                "schema.minimum",
            ),
            (
                json!({"maximum": 1}),
                json!(1),
                json!(2),
                "/m",
                "schema.maximum",
            ),
            (
                json!({"exclusiveMinimum": 1}),
                json!(2),
                json!(1),
                "/m",
                "schema.minimum",
            ),
            (
                json!({"exclusiveMaximum": 1}),
                json!(0),
                json!(1),
                "/m",
                "schema.maximum",
            ),
            (
                json!({"maximum": 1, "exclusiveMaximum": true}),
                json!(0),
                json!(1),
                "/m",
                "schema.maximum",
            ),
            (
                json!({"allOf": [{"type": "number"}, {"minimum": 3}]}),
                json!(3),
                json!(2),
                "/m",
                "schema.minimum",
            ),
            (
                json!({"anyOf": [{"type": "string"}, {"minimum": 3}]}),
                json!("x"),
                json!(2),
                "/m",
                "schema.any_of",
            ),
            (
                json!({"oneOf": [{"type": "number"}, {"minimum": 3}]}),
                json!(2),
                json!(4),
                "/m",
                "schema.one_of",
            ),
            (
                json!({"not": {"type": "null"}}),
                json!(0),
                json!(null),
                "/m",
                "schema.not",
            ),
        ];
        for (schema, good, bad, path, code) in cases {
            assert_eq!(
                codes(schema.clone(), good.clone()),
                [],
                "{schema} accepts {good}"
            );
            assert_eq!(
                codes(schema.clone(), bad.clone()),
                [(path.to_string(), code)],
                "{schema} rejects {bad}"
            );
        }
        let never = json!({"properties": {"x": false}});
        assert_eq!(codes(never.clone(), json!({})), []);
        assert_eq!(
            codes(never, json!({"x": 1})),
            [("/m/x".to_string(), "schema.false")]
        );
    }

    #[test]
    fn frontier_default_metaschema() {
        let s = json!({
            "type": "object",
            "properties": {"label": {"type": "object"}, "description": {"type": "string"}},
            "additionalProperties": true
        });
        assert!(is_valid(&s, &json!({"label": {"k": "v"}, "other": 1})));
        assert_eq!(
            codes(s, json!({"label": "x", "description": 2})),
            [
                ("/m/description".to_string(), "schema.type"),
                ("/m/label".to_string(), "schema.type")
            ]
        );
    }

    #[test]
    fn schema_check_reports_malformed_and_unsupported_keywords() {
        let (errors, warnings) = check_schema(
            &json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "t",
                "type": "thing",
                "required": "x",
                "properties": {"a": {"pattern": "^a$", "minLength": -1}},
            }),
            "/context/state/metaschema",
        );
        let e: Vec<_> = errors.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            e,
            [
                (
                    "/context/state/metaschema/properties/a/minLength",
                    "schema.invalid"
                ),
                ("/context/state/metaschema/required", "schema.invalid"),
                ("/context/state/metaschema/type", "schema.invalid"),
            ]
        );
        let w: Vec<_> = warnings.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            w,
            [(
                "/context/state/metaschema/properties/a/pattern",
                "schema.unsupported"
            )]
        );
        assert_eq!(check_schema(&json!(3), "/s").0[0].code, "schema.invalid");
    }

    #[test]
    fn deep_schemas_hit_the_limit_instead_of_the_stack() {
        let mut s = json!({"type": "object"});
        for _ in 0..200 {
            s = json!({"properties": {"a": s}});
        }
        let (errors, _) = check_schema(&s, "");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "limit");
        let mut v = json!(1);
        for _ in 0..200 {
            v = json!({"a": v});
        }
        let got = validate(&s, &v, "");
        assert!(got.iter().any(|e| e.code == "limit"));
    }
}
