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
//!
//! The name is also a key of the unique index `UNIQUE(org_id, name)` (same
//! migration). A B-tree entry holds at most 2704 bytes on PostgreSQL's 8 KB
//! pages (`BTMaxItemSize`, src/include/access/nbtree.h); the entry is an
//! 8-byte header, the 16-byte uuid and the name with its 4-byte varlena
//! header, so a name over [`MAX_INDEXED_NAME_BYTES`] fails the write with
//! "index row size … exceeds btree version 4 maximum 2704" (SQLSTATE 54000,
//! not mapped either: 500). PostgreSQL first tries to compress a value
//! over about 510 bytes (pglz, TOAST_INDEX_TARGET), so a very repetitive
//! longer name can fit; groupgate does not run pglz and refuses every name
//! over the bound.

use serde_json::Value;

use crate::json::pointer::push;
use crate::verdict::ISSUES_PER_CODE;

use super::common::NUL_UNSTORABLE as WHY;

/// The longest name the unique index holds uncompressed: 2704 bytes less
/// the entry's 8-byte header, 16-byte org uuid and 4-byte varlena header.
pub const MAX_INDEXED_NAME_BYTES: usize = 2704 - 8 - 16 - 4;

/// The pointers of a name too long for the unique index, of the title and
/// of every metadata string or key that holds U+0000, each with its code
/// and message.
pub(super) fn unstorable(
    name: Option<&str>,
    title: Option<&str>,
    metadata: Option<&Value>,
) -> Vec<(String, &'static str, String)> {
    let mut found = Vec::new();
    if let Some(n) = name.map(str::len).filter(|&n| n > MAX_INDEXED_NAME_BYTES) {
        found.push(("/body/name".to_string(), "max_length", format!("name is {n} bytes, over the {MAX_INDEXED_NAME_BYTES} the unique index (org_id, name) holds: the server's write fails (500)")));
    }
    if title.is_some_and(|t| t.as_bytes().contains(&b'\0')) {
        found.push((
            "/body/title".to_string(),
            "pattern",
            format!("title {WHY} (500)"),
        ));
    }
    // Iterative: the metadata may nest deeper than the stack allows. The
    // walk keeps one pointer, `at`, cut back to the parent's length for
    // each value: a pointer per value cost its length, so a 60 KB member
    // name over 100,000 items was 6 GB (a trap). An issue takes a copy,
    // none past the verdict's listed issues and summary (it only counts
    // them; at most one issue before is not a `pattern`, the name's).
    let mut stack: Vec<(usize, Option<&str>, usize, &Value)> =
        metadata.map(|m| (0, None, 0, m)).into_iter().collect();
    let mut at = String::from("/body/metadata");
    let base = at.len();
    while let Some((parent, key, index, v)) = stack.pop() {
        at.truncate(parent.max(base));
        if parent > 0 {
            push(&mut at, key.unwrap_or(&index.to_string()));
        }
        let copy = |at: &String, n: usize| {
            if n <= ISSUES_PER_CODE + 1 {
                at.clone()
            } else {
                String::new()
            }
        };
        match v {
            Value::String(s) if s.as_bytes().contains(&b'\0') => {
                found.push((
                    copy(&at, found.len()),
                    "pattern",
                    format!("the metadata value {WHY} (500)"),
                ));
            }
            Value::Array(items) => {
                let here = at.len();
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, x)| (here, None, i, x)),
                );
            }
            Value::Object(map) => {
                let here = at.len();
                for (k, x) in map.iter().rev() {
                    if k.as_bytes().contains(&b'\0') {
                        push(&mut at, k);
                        found.push((
                            copy(&at, found.len()),
                            "pattern",
                            format!("the metadata key {WHY} (500)"),
                        ));
                        at.truncate(here);
                    }
                    stack.push((here, Some(k), 0, x));
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
        let mut paths: Vec<String> = unstorable(Some("n"), Some("t\u{0}"), Some(&md))
            .into_iter()
            .map(|(p, _, _)| p)
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
        assert!(unstorable(Some("n"), Some("fine"), Some(&json!({"a": "b"}))).is_empty());
        assert!(unstorable(None, None, None).is_empty());
    }

    #[test]
    fn a_name_longer_than_the_index_holds() {
        let fits = "a".repeat(MAX_INDEXED_NAME_BYTES);
        assert!(unstorable(Some(&fits), None, None).is_empty());
        let over = format!("{fits}b");
        let found = unstorable(Some(&over), None, None);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].0.as_str(), found[0].1),
            ("/body/name", "max_length")
        );
        assert!(
            found[0].2.starts_with("name is 2677 bytes"),
            "{}",
            found[0].2
        );
    }
}
