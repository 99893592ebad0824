//! Reading untyped JSON input while reporting every problem at its JSON
//! Pointer. Validators use [`Obj`] so that type, required and length errors
//! have one wording and one code everywhere; [`enum_list`] reads a list of
//! names from a fixed set, warning about a name listed twice.
//!
//! `null` counts as absent: an optional field set to `null` is accepted and a
//! required one is reported as `required`.

use serde_json::{Map, Value};

use super::pointer::ptr;
use crate::verdict::Report;

/// A JSON type name for messages: "object", "array", "string", …
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Absent (or `null`) is a `required` error.
    Required,
    /// Absent (or `null`) is fine.
    Optional,
    /// Absent is fine; `null` is a `type` error (an optional member whose
    /// schema is not `nullable`, as OpenAPI 3.0 distinguishes them).
    NonNull,
}
pub use Need::{NonNull, Optional, Required};

/// Reports a type error at `path`.
pub fn type_error(r: &mut Report, path: &str, expected: &str, got: &Value) {
    r.bad(
        path,
        "type",
        format!("expected {expected}, got {}", type_name(got)),
    );
}

/// `v` as an object, or a `type` error at `path`.
pub fn object<'a>(v: &'a Value, path: &str, r: &mut Report) -> Option<Obj<'a>> {
    match v {
        Value::Object(map) => Some(Obj {
            map,
            path: path.to_string(),
        }),
        other => {
            type_error(r, path, "an object", other);
            None
        }
    }
}

/// `v` as a string within the string-length limit, or an error at `path`.
pub fn string<'a>(v: &'a Value, path: &str, r: &mut Report) -> Option<&'a str> {
    match v {
        Value::String(s) => {
            let max = r.limits().max_string_bytes;
            if s.len() > max {
                r.bad(
                    path,
                    "max_length",
                    format!(
                        "string is {} bytes, over the limit max_string_bytes ({max})",
                        s.len()
                    ),
                );
                return None;
            }
            Some(s)
        }
        other => {
            type_error(r, path, "a string", other);
            None
        }
    }
}

/// An object being read, with its JSON Pointer.
#[derive(Debug, Clone)]
pub struct Obj<'a> {
    /// The object's members.
    pub map: &'a Map<String, Value>,
    /// The object's JSON Pointer.
    pub path: String,
}

impl<'a> Obj<'a> {
    /// The pointer of a member.
    pub fn at(&self, key: &str) -> String {
        ptr(&self.path, key)
    }

    /// The member's value; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// True when the key is present with a non-null value.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn present(&self, key: &str, need: Need, r: &mut Report) -> Option<&'a Value> {
        if need == NonNull {
            // `null` goes on to the typed reader, whose `type` error names
            // what was expected.
            return self.map.get(key);
        }
        let v = self.get(key);
        if v.is_none() && need == Required {
            r.bad(self.at(key), "required", format!("{key} is required"));
        }
        v
    }

    /// A string member within `max_string_bytes`.
    pub fn string(&self, key: &str, need: Need, r: &mut Report) -> Option<&'a str> {
        let v = self.present(key, need, r)?;
        // The pointer is built only when there is something to report.
        match v {
            Value::String(s) if s.len() <= r.limits().max_string_bytes => Some(s),
            _ => string(v, &self.at(key), r),
        }
    }

    /// A boolean member.
    pub fn boolean(&self, key: &str, need: Need, r: &mut Report) -> Option<bool> {
        match self.present(key, need, r)? {
            Value::Bool(b) => Some(*b),
            other => {
                type_error(r, &self.at(key), "a boolean", other);
                None
            }
        }
    }

    /// An array member.
    pub fn array(&self, key: &str, need: Need, r: &mut Report) -> Option<&'a Vec<Value>> {
        match self.present(key, need, r)? {
            Value::Array(a) => Some(a),
            other => {
                type_error(r, &self.at(key), "an array", other);
                None
            }
        }
    }

    /// An object member, read at its pointer.
    pub fn object(&self, key: &str, need: Need, r: &mut Report) -> Option<Obj<'a>> {
        let v = self.present(key, need, r)?;
        object(v, &self.at(key), r)
    }

    /// An integer (a JSON number with no fraction, of 64 bits: [`integer`]).
    pub fn integer(&self, key: &str, need: Need, r: &mut Report) -> Option<i64> {
        let v = self.present(key, need, r)?;
        v.as_i64().or_else(|| integer(v, &self.at(key), r))
    }

    /// Warns about members not in `known` (servers ignore them; forms
    /// usually have a typo).
    pub fn warn_unknown(&self, known: &[&str], r: &mut Report) {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                r.warn(
                    self.at(key),
                    "unknown_field",
                    format!("unknown field {key}; the server ignores it"),
                );
            }
        }
    }

    /// An error at each member whose name is a near miss of one the reader
    /// reads ([`near_miss`]): readers that skip unknown members (a saved
    /// API response carries more) would otherwise drop a misspelled
    /// `workspaceId` or `parentGroupId` without a word, and answer as if
    /// the group had none.
    pub fn refuse_near_misses(&self, known: &[&str], r: &mut Report) {
        for key in self.map.keys() {
            if let Some(meant) = near_miss(key, known) {
                r.bad(
                    self.at(key),
                    "unknown_field",
                    format!(
                        "{key:?} is not read (members are case-sensitive): did you mean {meant:?}?"
                    ),
                );
            }
        }
    }
}

/// The member of `known` that `key` misspells: not one of them, but the
/// same without case, `_`, `-`, spaces or a final `s` (`FilePermissions`,
/// `workspaceId`, `parent-group-id`).
pub fn near_miss<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if known.contains(&key) {
        return None;
    }
    let f = folded(key);
    known.iter().copied().find(|k| folded(k) == f)
}

fn folded(name: &str) -> String {
    let mut f: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if f.ends_with('s') {
        f.pop();
    }
    f
}

/// `v` as an integer, or an error at `path`. A JSON number is an integer
/// by its value, not its spelling (JSON Schema's `integer`; `JSON.parse`):
/// `100.0`, `1e2` and `-0` are 100, 100 and 0. Read as floats, they were
/// refused in a state's text and accepted in the same state as an object.
/// Its one reader is Baseten's threshold: pydantic takes an integer
/// literal of any size and a float when whole and inside ±2^63 (README
/// Baseten); 64 bits hold either.
pub fn integer(v: &Value, path: &str, r: &mut Report) -> Option<i64> {
    match v {
        Value::Number(n) => match n.as_i64().or_else(|| whole(n.as_f64()?)) {
            Some(i) => Some(i),
            _ => {
                r.bad(
                    path,
                    "integer",
                    format!("expected an integer of 64 bits, got {n}"),
                );
                None
            }
        },
        other => {
            type_error(r, path, "an integer", other);
            None
        }
    }
}

/// A float with no fraction strictly inside ±2^63 as that integer (`-0.0`
/// is 0): pydantic-core's `float_as_int`.
fn whole(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9_223_372_036_854_775_808.0).then_some(x as i64)
}

/// Each string of an array, with its pointer; non-strings are reported.
/// A pointer is written only when an issue names it ([`Item::path`]):
/// 100,000 items under a 60 KB member name kept 6 GB of pointers (a trap
/// after 8 s).
pub fn strings<'a, 'p>(
    items: &'a [Value],
    path: &'p str,
    r: &mut Report,
) -> Vec<(Item<'p>, &'a str)> {
    let max = r.limits().max_string_bytes;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let at = Item(path, Some(i));
        match v {
            Value::String(s) if s.len() <= max => out.push((at, s.as_str())),
            // Reported there, at its pointer.
            _ => _ = string(v, &at.path(), r),
        }
    }
    out
}

/// The pointer of an item of [`strings`] (or of a whole value).
#[derive(Debug, Clone, Copy)]
pub struct Item<'p>(pub &'p str, pub Option<usize>);

impl Item<'_> {
    /// The pointer, written.
    pub fn path(self) -> String {
        match self.1 {
            Some(i) => ptr(self.0, i),
            None => self.0.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use serde_json::json;

    #[test]
    fn reads_fields_and_reports_each_problem_at_its_pointer() {
        let v = json!({"name": 3, "desc": null, "n": 1.5, "list": {}, "ok": "x"});
        let mut r = Report::new();
        let o = object(&v, "/body", &mut r).unwrap();
        assert_eq!(o.string("name", Required, &mut r), None);
        assert_eq!(o.string("desc", Optional, &mut r), None);
        assert_eq!(o.string("missing", Required, &mut r), None);
        assert_eq!(o.integer("n", Required, &mut r), None);
        assert_eq!(o.array("list", Required, &mut r), None);
        assert_eq!(o.string("ok", Required, &mut r), Some("x"));
        let got: Vec<_> = r.errors().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(
            got,
            [
                ("/body/name", "type"),
                ("/body/missing", "required"),
                ("/body/n", "integer"),
                ("/body/list", "type"),
            ]
        );
    }

    #[test]
    fn non_null_members_may_be_absent_but_not_null() {
        let v = json!({"desc": null, "list": null, "ok": "x"});
        let mut r = Report::new();
        let o = object(&v, "/body", &mut r).unwrap();
        assert_eq!(o.string("desc", NonNull, &mut r), None);
        assert_eq!(o.array("list", NonNull, &mut r), None);
        assert_eq!(o.string("missing", NonNull, &mut r), None);
        assert_eq!(o.string("ok", NonNull, &mut r), Some("x"));
        let got: Vec<_> = r
            .errors()
            .map(|i| (i.path.as_str(), i.code, i.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/body/desc", "type", "expected a string, got null"),
                ("/body/list", "type", "expected an array, got null"),
            ]
        );
    }

    #[test]
    fn an_integer_is_read_by_its_value_not_its_spelling() {
        // Past 2^53 too, as pydantic-core reads an `int` (README Baseten):
        // a literal of 64 bits; a float when whole and strictly inside ±2^63.
        let v: Value = serde_json::from_str(
            r#"{"a": 100.0, "b": 1e2, "c": -0, "d": -0.0, "e": 1e15, "f": 9007199254740992.0, "g": 0.5, "h": 1e300,
                "i": 9223372036854775807, "j": 9223372036854775808, "k": 9.2233720368547748e18, "l": -9.223372036854775808e18}"#,
        )
        .unwrap();
        let mut r = Report::new();
        let o = object(&v, "", &mut r).unwrap();
        let got: Vec<_> = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
            .iter()
            .map(|k| o.integer(k, Required, &mut r))
            .collect();
        let e = 1_000_000_000_000_000;
        assert_eq!(
            got,
            [
                Some(100),
                Some(100),
                Some(0),
                Some(0),
                Some(e),
                Some(1 << 53),
                None,
                None,
                Some(i64::MAX),
                None,
                Some(9_223_372_036_854_774_784),
                None
            ]
        );
        let bad: Vec<_> = r.errors().map(|i| i.path.as_str()).collect();
        assert_eq!(bad, ["/g", "/h", "/j", "/l"]);
    }

    #[test]
    fn over_long_strings_name_the_limit() {
        let v = Value::String("x".repeat(Limits::DEFAULT.max_string_bytes + 1));
        let mut r = Report::new();
        assert_eq!(string(&v, "/s", &mut r), None);
        let issue = r.errors().next().unwrap();
        assert_eq!(issue.code, "max_length");
        assert!(issue.message.contains("max_string_bytes"));
    }
}
