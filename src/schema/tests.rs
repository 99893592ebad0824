use super::*;
use crate::test_cpu as cpu;
use crate::verdict::Issue;
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

type Pairs = Vec<(String, &'static str)>;

fn compile_issues(schema: Value) -> (Pairs, Pairs) {
    let c = compile(&schema, "/s");
    let pairs = |v: &[Issue]| {
        v.iter()
            .map(|i| (i.path.clone(), i.code))
            .collect::<Vec<_>>()
    };
    (pairs(&c.errors), pairs(&c.warnings))
}

#[test]
fn malformed_keywords_are_schema_errors_as_in_gojsonschema() {
    let bad = [
        (json!({"type": "thing"}), "/s/type"),
        (json!({"type": ["string", "string"]}), "/s/type"),
        (json!({"required": "x"}), "/s/required"),
        (json!({"required": ["a", "a"]}), "/s/required"),
        (json!({"minLength": -1}), "/s/minLength"),
        (json!({"minLength": 1.5}), "/s/minLength"),
        (json!({"minLength": 3, "maxLength": 2}), "/s/minLength"),
        (
            json!({"minProperties": 3, "maxProperties": 2}),
            "/s/minProperties",
        ),
        (json!({"multipleOf": 0}), "/s/multipleOf"),
        (json!({"pattern": "("}), "/s/pattern"),
        (json!({"pattern": 1}), "/s/pattern"),
        (
            json!({"patternProperties": {"a{2000}": {}}}),
            "/s/patternProperties/a{2000}",
        ),
        (json!({"format": 1}), "/s/format"),
        (json!({"enum": [1, 1.0]}), "/s/enum"),
        (json!({"title": 1}), "/s/title"),
        (json!({"$ref": "#/definitions/nope"}), "/s/$ref"),
        (
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 3}),
            "/s/exclusiveMinimum",
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": true}),
            "/s/exclusiveMinimum",
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-04/schema#", "items": true}),
            "/s/items",
        ),
        (
            json!({"$schema": "http://json-schema.org/draft-07/schema#", "exclusiveMinimum": true, "minimum": 1}),
            "/s/exclusiveMinimum",
        ),
        (
            json!({"properties": {"a": {"pattern": "^a$", "minLength": -1}}}),
            "/s/properties/a/minLength",
        ),
        (json!({"dependencies": {"a": 1}}), "/s/dependencies/a"),
        (json!(3), "/s"),
    ];
    for (schema, path) in bad {
        let (errors, _) = compile_issues(schema.clone());
        assert!(
            errors.contains(&(path.to_string(), "schema.invalid")),
            "{schema}: {errors:?}"
        );
    }
    // gojsonschema ignores the siblings of $ref, and keywords of later drafts.
    for ok in [
        json!({"$ref": "#/definitions/a", "type": "thing", "definitions": {"a": {}}}),
        json!({"$schema": "http://json-schema.org/draft-04/schema#", "if": 3, "const": 1, "contains": 2}),
        json!({"$schema": "http://json-schema.org/draft-06/schema#", "if": 3}),
        json!({"anyOf": []}),
        json!({"x-custom": {"type": "thing"}}),
    ] {
        assert_eq!(compile_issues(ok.clone()), (vec![], vec![]), "{ok}");
    }
    let (_, w) = compile_issues(
        json!({"properties": {"a": {"pattern": "\\p{Greek}"}}, "$ref": "http://example.com/s.json"}),
    );
    assert_eq!(w, [("/s/$ref".to_string(), "schema.unsupported")]);
    let (_, w) = compile_issues(json!({"properties": {"a": {"pattern": "\\p{Greek}"}}}));
    assert_eq!(
        w,
        [("/s/properties/a/pattern".to_string(), "schema.unsupported")]
    );
}

#[test]
fn deep_schemas_hit_the_limit_instead_of_the_stack() {
    let mut s = json!({"type": "object"});
    for _ in 0..300 {
        s = json!({"properties": {"a": s}});
    }
    let c = compile(&s, "");
    assert!(c.errors.iter().any(|e| e.code == "limit"));
    let self_ref = compile(&json!({"$ref": "#"}), "").schema.unwrap();
    let got = self_ref.validate(&json!(1), "");
    assert_eq!(got[0].code, "limit");
    let tree = compile(
        &json!({"properties": {"c": {"$ref": "#"}}, "type": "object"}),
        "",
    )
    .schema
    .unwrap();
    let mut v = json!({});
    for _ in 0..40 {
        v = json!({"c": v});
    }
    assert_eq!(tree.validate(&v, ""), []);
    let mut v = json!(1);
    for _ in 0..100 {
        v = json!({"c": v});
    }
    assert!(tree.validate(&v, "").iter().any(|e| e.code == "limit"));
}

#[test]
fn hostile_values_answer_quickly() {
    let items: Vec<Value> = (0..60_000)
        .map(|i| json!({"k": i, "s": "x".repeat(i % 7)}))
        .collect();
    let mut dup = items.clone();
    dup.push(json!({"s": "x", "k": 1}));
    let (items, dup) = (Value::Array(items), Value::Array(dup));
    let s = compile(&json!({"uniqueItems": true}), "").schema.unwrap();
    let start = cpu::cpu_ms();
    assert_eq!(s.validate(&items, ""), []);
    assert_eq!(s.validate(&dup, "")[0].code, "schema.unique_items");
    let unique = cpu::since(start);
    // Exponential combinators (2^40 paths through 40 definitions) run out
    // of work, not out of time.
    let mut defs = serde_json::Map::new();
    defs.insert("d0".into(), json!({"type": "string"}));
    for i in 1..=40 {
        let prev = format!("#/definitions/d{}", i - 1);
        defs.insert(
            format!("d{i}"),
            json!({"anyOf": [{"$ref": prev}, {"allOf": [{"$ref": prev}]}]}),
        );
    }
    let bomb = json!({"definitions": defs, "$ref": "#/definitions/d40"});
    let s = compile(&bomb, "").schema.unwrap();
    let start = cpu::cpu_ms();
    assert!(s.validate(&json!(1), "").iter().any(|e| e.code == "limit"));
    let combinators = cpu::since(start);
    // A pathological pattern on long texts: a linear engine, metered.
    let s = compile(&json!({"items": {"pattern": "^(a+)+$"}}), "")
        .schema
        .unwrap();
    let texts = Value::Array(
        (0..200)
            .map(|_| json!(format!("{}b", "a".repeat(60_000))))
            .collect(),
    );
    let start = cpu::cpu_ms();
    let got = s.validate(&texts, "");
    let patterns = cpu::since(start);
    assert!(!got.is_empty());
    eprintln!("uniqueItems 60,000: {unique:?}; anyOf bomb: {combinators:?}; patterns: {patterns:?} ({:?})", got.last());
    // Debug builds are ~20x slower than the release build the package ships.
    let budget = if cfg!(debug_assertions) { 30.0 } else { 1.5 };
    for t in [unique, combinators, patterns] {
        assert!(t.as_secs_f64() < budget, "{t:?}");
    }
}

/// A keyword whose work grows with the value (a canonical form, a length
/// count, a copied member name) or with the schema (`dependencies`) is
/// charged by that size: under 2^20 `anyOf` paths each ran 500,000 times
/// on one step (in the package: a 1 MB value against an `enum` 131 s, a
/// 2 MB string against `maxLength` 68 s, 10,000 dependencies 37 s).
#[test]
fn size_dependent_keywords_under_a_bomb_are_metered_by_size() {
    let bomb = |leaf: Value| {
        let mut defs = serde_json::Map::new();
        for i in 0..20 {
            let next = format!("#/definitions/d{}", i + 1);
            defs.insert(
                format!("d{i}"),
                json!({"anyOf": [{"$ref": next}, {"$ref": next}]}),
            );
        }
        defs.insert("d20".into(), leaf);
        compile(
            &json!({"definitions": defs, "$ref": "#/definitions/d0"}),
            "",
        )
        .schema
        .unwrap()
    };
    let big = json!({"big": "x".repeat(200_000)});
    let deps: serde_json::Map<String, Value> = (0..2000)
        .map(|i| (format!("p{i}"), json!(["zz"])))
        .collect();
    let long_key: serde_json::Map<String, Value> =
        [("k".repeat(200_000), json!(1))].into_iter().collect();
    let cases = [
        ("const", json!({"const": {"never": true}}), big.clone()),
        ("enum", json!({"enum": [{"never": true}, 1]}), big),
        (
            "maxLength",
            json!({"maxLength": 1}),
            json!("é".repeat(200_000)),
        ),
        (
            "dependencies",
            json!({"dependencies": deps, "const": 1}),
            json!({"a": 1}),
        ),
        (
            "propertyNames",
            json!({"propertyNames": {"maxLength": 1}}),
            Value::Object(long_key),
        ),
    ];
    let budget = if cfg!(debug_assertions) { 20.0 } else { 1.0 };
    for (name, leaf, value) in cases {
        let s = bomb(leaf);
        let start = cpu::cpu_ms();
        let got = s.validate(&value, "");
        let t = cpu::since(start);
        assert!(
            got.iter().any(|e| e.code == "schema.any_of"),
            "{name}: {got:?}"
        );
        assert!(t.as_secs_f64() < budget, "{name}: {t:?}");
    }
    // Below the budget the answers are those of the keywords.
    let s = compile(
        &json!({"maxLength": 3, "enum": ["abc"], "dependencies": {"a": ["b"]}}),
        "",
    )
    .schema
    .unwrap();
    assert_eq!(s.validate(&json!("abc"), ""), []);
    assert_eq!(s.validate(&json!("abcd"), "").len(), 2);
    let s = compile(&json!({"dependencies": {"a": ["b"]}}), "")
        .schema
        .unwrap();
    assert_eq!(
        s.validate(&json!({"a": 1}), "")[0].code,
        "schema.dependencies"
    );
}

/// A counted repetition expands when compiled (`(a{1000}){49}`: 13 bytes,
/// 49,000 instructions): a schema's patterns share one budget
/// ([`compile::MAX_PROGRAMS`]), and a `regex`-format value is charged its
/// compiled size (1,000 such values compiled 49 million instructions, 3.8 s
/// in the package; 1,600 such patterns held 2.9 GB).
#[test]
fn expanding_patterns_are_budgeted_in_schemas_and_values() {
    let schema = |n: usize| {
        let props: serde_json::Map<String, Value> = (0..n)
            .map(|i| (format!("p{i}"), json!({"pattern": "(a{1000}){49}"})))
            .collect();
        json!({"properties": props})
    };
    let few = compile(&schema(2), "");
    assert!(
        few.errors.is_empty() && few.schema.is_some(),
        "{:?}",
        few.errors
    );
    let start = cpu::cpu_ms();
    let many = compile(&schema(400), "");
    let t = cpu::since(start);
    assert!(many.schema.is_none());
    assert_eq!(
        many.errors.len(),
        1,
        "one refusal, at the pattern that crossed"
    );
    assert_eq!(many.errors[0].code, "limit");
    assert!(many.errors[0].path.starts_with("/properties/p"));
    let s = compile(&json!({"items": {"format": "regex"}}), "")
        .schema
        .unwrap();
    let values = Value::Array((0..1000).map(|_| json!("(a{1000}){49}")).collect());
    let start = cpu::cpu_ms();
    let got = s.validate(&values, "");
    let u = cpu::since(start);
    assert!(got.iter().any(|e| e.code == "limit"), "{got:?}");
    let budget = if cfg!(debug_assertions) { 20.0 } else { 1.0 };
    for t in [t, u] {
        assert!(t.as_secs_f64() < budget, "{t:?}");
    }
    // Ordinary values and patterns are unaffected.
    assert_eq!(s.validate(&json!(["^a+$", "(x){3}"]), ""), []);
    assert_eq!(s.validate(&json!(["("]), "")[0].code, "schema.format");
}

/// Parsing a pattern reads it once: at every `{` the repeat reader scanned
/// on to the next `}` (100,000 `{` as a `regex`-format value or a
/// `pattern`: 43 s in the package, 200,000: 164 s). Only digits and commas
/// can make a repeat, so it stops at the first other character.
#[test]
fn pattern_parsing_reads_the_text_once() {
    let budget = if cfg!(debug_assertions) { 10.0 } else { 0.5 };
    for unit in [
        "{", "{1", "{1,", "a{", "{,", "(?P<", "\\Q{", "[[:", "x{1000}{",
    ] {
        let text = unit.repeat(100_000 / unit.len());
        let start = cpu::cpu_ms();
        let s = compile(&json!({"pattern": text}), "");
        let v = compile(&json!({"format": "regex"}), "").schema.unwrap();
        let _ = v.validate(&json!(text), "");
        let t = cpu::since(start);
        assert!(t.as_secs_f64() < budget, "{unit}: {t:?}");
        let _ = s;
    }
    // Repeats still parse, and a brace that is none is a literal (Go).
    let s = compile(&json!({"pattern": "^a{2,3}$"}), "").schema.unwrap();
    assert_eq!(s.validate(&json!("aa"), ""), []);
    assert_eq!(s.validate(&json!("a"), "").len(), 1);
    let s = compile(&json!({"pattern": "^a{x}$"}), "").schema.unwrap();
    assert_eq!(s.validate(&json!("a{x}"), ""), []);
    let s = compile(&json!({"pattern": "^a{1,2,3}$"}), "")
        .schema
        .unwrap();
    assert_eq!(s.validate(&json!("a{1,2,3}"), ""), []);
    assert_eq!(
        compile(&json!({"pattern": "a{1001}"}), "").errors[0].code,
        "schema.invalid"
    );
}

/// `additionalProperties` finds a member among `properties` by binary
/// search, which holds while the compiled list is in name order (a `Map`'s:
/// serde_json without `preserve_order`): names written out of order, of
/// one prefix and of several lengths, are each found.
#[test]
fn properties_written_in_any_order_are_each_found() {
    let names = ["zz", "a", "ab", "b", "", "aaa", "a/b", "é", "A", "~"];
    let props: serde_json::Map<String, Value> = names
        .iter()
        .rev()
        .map(|n| (n.to_string(), json!({})))
        .collect();
    let schema = json!({"properties": props, "additionalProperties": false});
    let all: serde_json::Map<String, Value> =
        names.iter().map(|n| (n.to_string(), json!(1))).collect();
    assert_eq!(codes(schema.clone(), Value::Object(all)), vec![]);
    assert_eq!(
        codes(schema, json!({"a": 1, "aa": 2})),
        vec![("/m/aa".to_string(), "schema.additional_properties")]
    );
}
