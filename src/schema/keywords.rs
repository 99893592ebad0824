//! The compiled form of a schema: one [`Node`] per (sub)schema, keywords
//! already checked and parsed (regular expressions compiled, numbers exact,
//! `enum`/`const` values in canonical form).

use crate::keyed::HashMap;
use std::fmt::Write;

use serde_json::Value;

use super::number::Decimal;
use super::regex::GoRegex;

/// Which draft's keywords apply (gojsonschema: `$schema`, else hybrid =
/// every keyword of drafts 4, 6 and 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Draft {
    Draft4,
    Draft6,
    Draft7,
    Hybrid,
}

#[derive(Debug)]
pub enum Node {
    Bool(bool),
    /// `$ref`: validate against another node instead.
    Ref(usize),
    Keywords(Box<Kw>),
}

/// A set of JSON types, one bit each.
#[derive(Debug, Default, Clone, Copy)]
pub struct TypeSet(pub u8);

const NAMES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

impl TypeSet {
    pub fn bit(name: &str) -> Option<u8> {
        NAMES.iter().position(|n| *n == name).map(|i| 1 << i)
    }

    pub fn has(self, name: &str) -> bool {
        Self::bit(name).is_some_and(|b| self.0 & b != 0)
    }

    pub fn names(self) -> String {
        let v: Vec<&str> = NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        crate::substr::join(&v, " or ")
    }
}

#[derive(Debug, Default)]
pub enum Additional {
    #[default]
    Any,
    Never,
    Schema(usize),
}

#[derive(Debug, Default)]
pub enum Items {
    #[default]
    Any,
    All(usize),
    Tuple(Vec<usize>),
}

#[derive(Debug)]
pub enum Dep {
    Keys(Vec<String>),
    Schema(usize),
}

/// The keywords of one schema object.
#[derive(Debug, Default)]
pub struct Kw {
    pub types: Option<TypeSet>,
    /// In name order (a `Map`'s, serde_json without `preserve_order`), so
    /// a member is found by binary search: a scan of 4,000 names of 1 KB
    /// sharing a prefix for each of 4,000 members took 7.1 s in the package.
    pub properties: Vec<(String, usize)>,
    pub pattern_properties: Vec<(GoRegex, usize)>,
    /// A `patternProperties` pattern that could not be compiled here.
    pub unchecked_patterns: bool,
    pub additional_properties: Additional,
    pub property_names: Option<usize>,
    pub dependencies: Vec<(String, Dep)>,
    pub required: Vec<String>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub items: Items,
    pub additional_items: Additional,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub contains: Option<usize>,
    pub multiple_of: Option<Decimal>,
    pub minimum: Option<Decimal>,
    pub maximum: Option<Decimal>,
    pub exclusive_minimum: Option<Decimal>,
    pub exclusive_maximum: Option<Decimal>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<GoRegex>,
    pub format: Option<String>,
    /// The canonical form of the value and the value as messages show it.
    pub const_: Option<(String, String)>,
    /// The canonical forms of the values (a map with unused values: the
    /// crate's `String` to `u32` table type, one hash table less in the WASM),
    /// and the first ten as messages show them: written once, not per
    /// failing item (100,000 items against an enum of 1 KB objects wrote
    /// 10 KB each: 9.5 s).
    pub enum_: Option<(HashMap<String, u32>, String)>,
    pub all_of: Vec<usize>,
    pub any_of: Vec<usize>,
    pub one_of: Vec<usize>,
    pub not: Option<usize>,
    pub if_: Option<usize>,
    pub then: Option<usize>,
    pub else_: Option<usize>,
}

/// A canonical text of a JSON value for equality as gojsonschema decides
/// it (`marshalWithoutNumber`: numbers as `float64`, keys sorted): equal
/// values, and only those, have equal texts. Linear in the value's size.
/// A value as messages show it: its JSON, cut to 40 characters.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(37).collect::<String>())
    } else {
        s
    }
}

pub fn canon(v: &Value) -> String {
    let mut out = String::new();
    write_canon(v, &mut out);
    out
}

fn write_canon(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => {
            let bits = n.as_f64().map_or(0, f64::to_bits);
            let _ = write!(out, "#{bits:x};");
        }
        Value::String(s) => {
            let _ = write!(out, "s{}:{s}", s.len());
        }
        Value::Array(items) => {
            out.push('[');
            for i in items {
                write_canon(i, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<(&String, &Value)> = m.iter().collect();
            crate::sort::sort_by(&mut keys, |a, b| a.0.cmp(b.0));
            for (k, v) in keys {
                let _ = write!(out, "{}:{k}", k.len());
                write_canon(v, out);
            }
            out.push('}');
        }
    }
}
