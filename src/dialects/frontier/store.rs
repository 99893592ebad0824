//! What Postgres cannot store. The server writes `title` into a `text`
//! column and the metadata into a `jsonb` one
//! (internal/store/postgres/migrations/20230507191406_create_base_tables.up.sql:35-46);
//! neither holds U+0000 (PostgreSQL: "text … cannot contain NUL", jsonb
//! "unsupported Unicode escape sequence"). The insert or update fails with
//! an error `checkPostgresError` does not map
//! (internal/store/postgres/postgres.go:61-78), so the handler answers 500
//! "internal server error" (group.go:176-177, 259-260). Decided (README
//! `frontier`, as for a blank id): a form needs the input error, so
//! groupgate answers 400 at the value. The name cannot hold it (its pattern).

use serde_json::Value;

use crate::json::pointer::ptr;

const WHY: &str = "contains U+0000, which PostgreSQL cannot store in text or jsonb: the server's write fails and it answers 500 internal server error";

/// The pointers of the title and of every metadata string or key that
/// holds U+0000, each with its message.
pub(super) fn unstorable(title: Option<&str>, metadata: Option<&Value>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    if title.is_some_and(|t| t.as_bytes().contains(&b'\0')) {
        found.push(("/body/title".to_string(), format!("title {WHY}")));
    }
    // Iterative: the metadata may nest deeper than the stack allows.
    let mut stack: Vec<(String, &Value)> = metadata
        .map(|m| ("/body/metadata".to_string(), m))
        .into_iter()
        .collect();
    while let Some((at, v)) = stack.pop() {
        match v {
            Value::String(s) if s.as_bytes().contains(&b'\0') => {
                found.push((at, format!("the metadata value {WHY}")));
            }
            Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, x)| (ptr(&at, i), x)),
                );
            }
            Value::Object(map) => {
                for (k, x) in map.iter().rev() {
                    let here = ptr(&at, k);
                    if k.as_bytes().contains(&b'\0') {
                        found.push((here.clone(), format!("the metadata key {WHY}")));
                    }
                    stack.push((here, x));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nul_in_title_values_and_keys() {
        let md = json!({"a": ["x", "y\u{0}"], "k\u{0}": 1, "b": {"c": "\u{0}"}});
        let mut paths: Vec<String> = unstorable(Some("t\u{0}"), Some(&md))
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                "/body/metadata/a/1",
                "/body/metadata/b/c",
                "/body/metadata/k\u{0}",
                "/body/title"
            ]
        );
        assert!(unstorable(Some("fine"), Some(&json!({"a": "b"}))).is_empty());
        assert!(unstorable(None, None).is_empty());
    }
}
