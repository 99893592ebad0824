//! Validating an instance against a compiled [`Schema`], keyword by keyword
//! in gojsonschema's order (validation.go): a type mismatch ends the checks
//! of that schema; combinators, then the type's keywords, then
//! `const`/`enum`. Work is metered (see [`FUEL`]): a schema or value built
//! to take long ends with a `limit` error instead of running on.

use crate::keyed::HashMap;

use serde_json::Value;

use super::format;
use super::keywords::{canon, short, Additional, Dep, Items, Kw, Node};
use super::number::Decimal;
use super::{Schema, SchemaError, MAX_DEPTH};
use crate::json::read::type_name;
use crate::verdict::ptr;

/// The work one validation may do, in steps: a step is a (schema, value)
/// visit or a `dependencies` entry; a regular-expression match costs its
/// text length × pattern length / 8 more (the automaton's work); a format
/// check, a length count, a canonical form (`const`, `enum`, `uniqueItems`)
/// or a copied member name its length / 64. Well under a second at the slowest (measured in
/// `hostile_values_answer_quickly`); real metaschemas use a few hundred.
pub const FUEL: u64 = 1_000_000;

pub struct Walker<'s> {
    schema: &'s Schema,
    fuel: u64,
    pub exhausted: bool,
    /// Inside `anyOf`/`oneOf`/`not`/`if`/`contains`/`propertyNames` only
    /// pass or fail matters: no message is written.
    quiet: usize,
}

type Out = Vec<SchemaError>;

impl<'s> Walker<'s> {
    pub fn new(schema: &'s Schema) -> Self {
        Walker {
            schema,
            fuel: FUEL,
            exhausted: false,
            quiet: 0,
        }
    }

    fn spend(&mut self, steps: u64) -> bool {
        if self.fuel < steps {
            self.fuel = 0;
            self.exhausted = true;
        } else {
            self.fuel -= steps;
        }
        !self.exhausted
    }

    fn fail(&self, out: &mut Out, path: &str, code: &'static str, detail: impl FnOnce() -> String) {
        let (path, detail) = if self.quiet > 0 {
            (String::new(), String::new())
        } else {
            (path.to_string(), detail())
        };
        out.push(SchemaError { path, code, detail });
    }

    /// A member's or item's pointer, charged its parent's length like a
    /// copied name: a pointer a value cost the length of the pointer, so
    /// 100,000 items under a 60 KB member name took 9 s and trapped (6 GB).
    /// The token's length counts too (a 60 KB member name visited under
    /// 2^16 `allOf` paths built 60 KB pointers uncharged: 13.7 s).
    fn ptr(&mut self, path: &str, token: impl std::fmt::Display) -> String {
        let at = ptr(path, token);
        self.spend(path.len() as u64 / 64 + (at.len() - path.len()) as u64 / 64);
        at
    }

    /// Charges looking `name` up in an object: a name of 128 bytes or more
    /// a step a 64 bytes (a lookup may compare the whole name; shorter ones
    /// are charged with their list). 15 `required` names of 60 KB, present,
    /// visited under 2^14 `allOf` paths took 24.8 s in the package; 15
    /// absent `properties` names 2.9 s at 2^12 (atk20).
    fn spend_name(&mut self, name: &str) -> bool {
        name.len() < 128 || self.spend(name.len() as u64 / 64)
    }

    /// `required`: false once the work limit is reached.
    fn required(
        &mut self,
        kw: &Kw,
        m: &serde_json::Map<String, Value>,
        path: &str,
        out: &mut Out,
    ) -> bool {
        let required = kw.required.len() as u64 / 16;
        if required > 0 && !self.spend(required) {
            return false;
        }
        let missing = |w: &mut Self, name: &str, out: &mut Out| {
            let at = w.ptr(path, name);
            w.fail(out, &at, "schema.required", || {
                format!("{name} is required")
            });
        };
        self.each_missing(&kw.required, m, out, missing)
    }

    /// `report`s each of `names` that `m` lacks, each lookup charged
    /// ([`Walker::spend_name`]) and each missing name a step of its own: it
    /// builds a pointer and an error (n names missing from each of n items
    /// took n² unmetered steps: 6.8 s for 195 KB of JSON). False once the
    /// work limit is reached.
    fn each_missing(
        &mut self,
        names: &[String],
        m: &serde_json::Map<String, Value>,
        out: &mut Out,
        mut report: impl FnMut(&mut Self, &str, &mut Out),
    ) -> bool {
        for name in names {
            if !self.spend_name(name) {
                return false;
            }
            if m.contains_key(name) {
                continue;
            }
            if !self.spend(1) {
                return false;
            }
            report(self, name, out);
        }
        true
    }

    fn passes(&mut self, n: usize, v: &Value, path: &str, depth: usize) -> bool {
        let mut scratch = Vec::new();
        self.quiet += 1;
        self.visit(n, v, path, depth, &mut scratch);
        self.quiet -= 1;
        scratch.is_empty() && !self.exhausted
    }

    pub fn visit(&mut self, n: usize, v: &Value, path: &str, depth: usize, out: &mut Out) {
        if !self.spend(1) {
            return;
        }
        if depth > MAX_DEPTH {
            self.fail(out, path, "limit", || {
                format!("schema and value nest deeper than the limit ({MAX_DEPTH} levels)")
            });
            return;
        }
        let kw: &Kw = match &self.schema.nodes[n] {
            Node::Bool(true) => return,
            Node::Bool(false) => {
                return self.fail(out, path, "schema.false", || {
                    "no value is allowed here".to_string()
                })
            }
            Node::Ref(to) => return self.visit(*to, v, path, depth + 1, out),
            Node::Keywords(kw) => kw,
        };
        // Exact decimals only where a keyword needs them (they cost a format).
        let numeric = kw.multiple_of.is_some()
            || kw.minimum.is_some()
            || kw.maximum.is_some()
            || kw.exclusive_minimum.is_some()
            || kw.exclusive_maximum.is_some()
            || kw
                .types
                .is_some_and(|t| t.has("integer") && !t.has("number"));
        let number = match v {
            Value::Number(x) if numeric => Decimal::of_instance(x),
            _ => None,
        };
        if let Some(t) = kw.types {
            let ok = match v {
                Value::Number(_) => {
                    t.has("number") || (t.has("integer") && number.is_some_and(|d| d.is_integer()))
                }
                other => t.has(type_name(other)),
            };
            if !ok {
                return self.fail(out, path, "schema.type", || {
                    format!("expected {}, got {}", t.names(), type_name(v))
                });
            }
        }
        self.combinators(kw, v, path, depth, out);
        match v {
            Value::Number(_) => self.numbers(kw, number.as_ref(), path, out),
            Value::String(s) => self.strings(kw, s, path, out),
            Value::Object(m) => self.objects(kw, m, path, depth, out),
            Value::Array(a) => self.arrays(kw, a, path, depth, out),
            _ => {}
        }
        if kw.const_.is_none() && kw.enum_.is_none() {
            return;
        }
        // The canonical form costs its length (a 1 MB value under 2^20
        // anyOf paths was built 500,000 times on one step each: 131 s for
        // an enum), so it is charged by its length, like uniqueItems.
        let key = canon(v);
        if !self.spend(1 + key.len() as u64 / 64) {
            return;
        }
        if let Some((c, shown)) = &kw.const_ {
            if &key != c {
                self.fail(out, path, "schema.const", || format!("must be {shown}"));
            }
        }
        if let Some((set, shown)) = &kw.enum_ {
            if self.spend(1) && !set.contains_key(&key) {
                self.fail(out, path, "schema.enum", || {
                    format!("must be one of {shown}")
                });
            }
        }
    }

    fn combinators(&mut self, kw: &Kw, v: &Value, path: &str, depth: usize, out: &mut Out) {
        if !kw.any_of.is_empty()
            && !kw
                .any_of
                .iter()
                .any(|s| self.passes(*s, v, path, depth + 1))
        {
            self.fail(out, path, "schema.any_of", || {
                "matches none of the anyOf schemas".to_string()
            });
        }
        if !kw.one_of.is_empty() {
            let n = kw
                .one_of
                .iter()
                .filter(|s| self.passes(**s, v, path, depth + 1))
                .count();
            if n != 1 {
                self.fail(out, path, "schema.one_of", || {
                    format!("must match exactly one of the oneOf schemas, matches {n}")
                });
            }
        }
        for s in &kw.all_of {
            self.visit(*s, v, path, depth + 1, out);
        }
        if let Some(s) = kw.not {
            if self.passes(s, v, path, depth + 1) {
                self.fail(out, path, "schema.not", || {
                    "must not match the schema under not".to_string()
                });
            }
        }
        self.dependencies(kw, v, path, depth, out);
        if let Some(cond) = kw.if_ {
            let (branch, name) = if self.passes(cond, v, path, depth + 1) {
                (kw.then, "then")
            } else {
                (kw.else_, "else")
            };
            if let Some(b) = branch {
                let before = out.len();
                self.visit(b, v, path, depth + 1, out);
                if out.len() > before {
                    self.fail(
                        out,
                        path,
                        if name == "then" {
                            "schema.then"
                        } else {
                            "schema.else"
                        },
                        || format!("must match the {name} schema"),
                    );
                }
            }
        }
    }

    /// `dependencies` of an object: each entry a step, a key list its
    /// length / 16 more (10,000 entries in a schema under 2^20 anyOf paths:
    /// 37 s unmetered).
    fn dependencies(&mut self, kw: &Kw, v: &Value, path: &str, depth: usize, out: &mut Out) {
        let Value::Object(m) = v else {
            return;
        };
        if !kw.dependencies.is_empty() && !self.spend(kw.dependencies.len() as u64) {
            return;
        }
        for (key, dep) in &kw.dependencies {
            if !self.spend_name(key) {
                return;
            }
            if !m.contains_key(key) {
                continue;
            }
            match dep {
                Dep::Keys(keys) => {
                    if !self.spend(keys.len() as u64 / 16) {
                        return;
                    }
                    let missing = |w: &mut Self, k: &str, out: &mut Out| {
                        let at = w.ptr(path, k);
                        w.fail(out, &at, "schema.dependencies", || {
                            format!("{k} is required when {key} is present")
                        });
                    };
                    if !self.each_missing(keys, m, out, missing) {
                        return;
                    }
                }
                Dep::Schema(s) => self.visit(*s, v, path, depth + 1, out),
            }
        }
    }

    fn numbers(&mut self, kw: &Kw, d: Option<&Decimal>, path: &str, out: &mut Out) {
        if let Some(d) = d {
            self.bounds(kw, d, path, out);
        }
        // gojsonschema v1.2.0 hands the number to the format checker, and
        // every known checker refuses a non-string.
        if let Some(f) = kw.format.as_deref().filter(|f| format::is_known(f)) {
            self.fail(out, path, "schema.format", || format!("must be a string in format {f} (the server's validator refuses numbers for known formats)"));
        }
    }

    fn bounds(&mut self, kw: &Kw, d: &Decimal, path: &str, out: &mut Out) {
        if let Some(m) = &kw.multiple_of {
            if !d.is_multiple_of(m) {
                self.fail(out, path, "schema.multiple_of", || {
                    format!("must be a multiple of {m}")
                });
            }
        }
        let checks = [
            (
                kw.maximum,
                d > &kw.maximum.unwrap_or(*d),
                "schema.maximum",
                "at most",
            ),
            (
                kw.exclusive_maximum,
                kw.exclusive_maximum.is_some_and(|x| d >= &x),
                "schema.maximum",
                "less than",
            ),
            (
                kw.minimum,
                d < &kw.minimum.unwrap_or(*d),
                "schema.minimum",
                "at least",
            ),
            (
                kw.exclusive_minimum,
                kw.exclusive_minimum.is_some_and(|x| d <= &x),
                "schema.minimum",
                "greater than",
            ),
        ];
        for (bound, broken, code, word) in checks {
            if let (Some(b), true) = (bound, broken) {
                self.fail(out, path, code, || format!("must be {word} {b}"));
            }
        }
    }

    fn strings(&mut self, kw: &Kw, s: &str, path: &str, out: &mut Out) {
        // Counting characters reads the text: charged by its length (a 2 MB
        // string under 2^20 anyOf paths: 68 s unmetered).
        if (kw.min_length.is_some() || kw.max_length.is_some())
            && self.spend(1 + s.len() as u64 / 64)
        {
            let len = s.chars().count() as u64;
            if kw.min_length.is_some_and(|min| len < min) {
                self.fail(out, path, "schema.min_length", || {
                    format!("must be at least {} characters", kw.min_length.unwrap_or(0))
                });
            }
            if kw.max_length.is_some_and(|max| len > max) {
                self.fail(out, path, "schema.max_length", || {
                    format!("must be at most {} characters", kw.max_length.unwrap_or(0))
                });
            }
        }
        if let Some(re) = &kw.pattern {
            let cost = 1 + (s.len() as u64 * re.weight as u64) / 8;
            if self.spend(cost) && !re.is_match(s) {
                self.fail(out, path, "schema.pattern", || {
                    "does not match the pattern".to_string()
                });
            }
        }
        if let Some(f) = &kw.format {
            // A `regex` value is compiled: its instructions / 4 more (1,000
            // copies of "(a{1000}){49}" compiled 49 million: 3.8 s).
            if self.spend(1 + s.len() as u64 / 64) {
                let (ok, work) = format::check_costed(f, s);
                if self.spend(work as u64 / 4) && !ok {
                    self.fail(out, path, "schema.format", || format!("is not a valid {f}"));
                }
            }
        }
    }

    fn objects(
        &mut self,
        kw: &Kw,
        m: &serde_json::Map<String, Value>,
        path: &str,
        depth: usize,
        out: &mut Out,
    ) {
        let n = m.len() as u64;
        if let Some(min) = kw.min_properties.filter(|min| n < *min) {
            self.fail(out, path, "schema.min_properties", || {
                format!("must have at least {min} members")
            });
        }
        if let Some(max) = kw.max_properties.filter(|max| n > *max) {
            self.fail(out, path, "schema.max_properties", || {
                format!("must have at most {max} members")
            });
        }
        // The member loops below are metered like visits: one schema of
        // 10,000 `if`s applied to an object of 10,000 members walked the
        // members 30,000 times unmetered (75 s).
        if !self.required(kw, m, path, out) {
            return;
        }
        // Whether a member is `described` matters only to additionalProperties.
        let names_matter = !matches!(kw.additional_properties, Additional::Any);
        if kw.pattern_properties.is_empty() && !names_matter && kw.property_names.is_none() {
            self.object_properties(kw, m, path, depth, out);
            return;
        }
        let per_member = 1 + if names_matter {
            kw.properties.len() as u64 / 16
        } else {
            0
        };
        for (key, value) in m {
            if !self.spend(per_member) {
                return;
            }
            let at = self.ptr(path, key);
            let mut described = kw.unchecked_patterns
                || (names_matter
                    && kw
                        .properties
                        .binary_search_by(|(p, _)| p.as_str().cmp(key))
                        .is_ok());
            for (re, s) in &kw.pattern_properties {
                let cost = 1 + (key.len() as u64 * re.weight as u64) / 8;
                if self.spend(cost) && re.is_match(key) {
                    described = true;
                    self.visit(*s, value, &at, depth + 1, out);
                }
            }
            if !described {
                match kw.additional_properties {
                    Additional::Any => {}
                    Additional::Never => {
                        self.fail(out, &at, "schema.additional_properties", || {
                            format!("{key} is not allowed (additionalProperties is false)")
                        })
                    }
                    Additional::Schema(s) => self.visit(s, value, &at, depth + 1, out),
                }
            }
            if let Some(names) = kw.property_names {
                // The name is copied to be checked as a value: its length.
                if !self.spend(key.len() as u64 / 64) {
                    return;
                }
                if !self.passes(names, &Value::String(key.clone()), &at, depth + 1) {
                    self.fail(out, &at, "schema.property_names", || {
                        format!("the member name {key:?} does not match propertyNames")
                    });
                }
            }
        }
        self.object_properties(kw, m, path, depth, out);
    }

    /// `properties`: each named member's schema.
    fn object_properties(
        &mut self,
        kw: &Kw,
        m: &serde_json::Map<String, Value>,
        path: &str,
        depth: usize,
        out: &mut Out,
    ) {
        for (name, s) in &kw.properties {
            if !self.spend_name(name) {
                return;
            }
            if let Some(value) = m.get(name) {
                let at = self.ptr(path, name);
                self.visit(*s, value, &at, depth + 1, out);
            }
        }
    }

    fn arrays(&mut self, kw: &Kw, items: &[Value], path: &str, depth: usize, out: &mut Out) {
        match &kw.items {
            Items::Any => {}
            Items::All(s) => {
                for (i, item) in items.iter().enumerate() {
                    let at = self.ptr(path, i);
                    self.visit(*s, item, &at, depth + 1, out);
                }
            }
            Items::Tuple(list) => {
                for (i, (s, item)) in list.iter().zip(items).enumerate() {
                    let at = self.ptr(path, i);
                    self.visit(*s, item, &at, depth + 1, out);
                }
                if items.len() > list.len() {
                    match kw.additional_items {
                        Additional::Any => {}
                        Additional::Never => {
                            self.fail(out, path, "schema.additional_items", || {
                                format!(
                                    "must have at most {} items (additionalItems is false)",
                                    list.len()
                                )
                            })
                        }
                        Additional::Schema(s) => {
                            for (i, item) in items.iter().enumerate().skip(list.len()) {
                                let at = self.ptr(path, i);
                                self.visit(s, item, &at, depth + 1, out);
                            }
                        }
                    }
                }
            }
        }
        let n = items.len() as u64;
        if let Some(min) = kw.min_items.filter(|min| n < *min) {
            self.fail(out, path, "schema.min_items", || {
                format!("must have at least {min} items")
            });
        }
        if let Some(max) = kw.max_items.filter(|max| n > *max) {
            self.fail(out, path, "schema.max_items", || {
                format!("must have at most {max} items")
            });
        }
        if kw.unique_items {
            // Hashing canonical forms: linear, whatever the array's size.
            // Keys only (the crate's `String` to `u32` table type).
            let mut seen: HashMap<String, u32> = crate::keyed::with_capacity(items.len());
            for item in items {
                let key = canon(item);
                if !self.spend(1 + key.len() as u64 / 64) {
                    return;
                }
                if seen.insert(key, 0).is_some() {
                    self.fail(out, path, "schema.unique_items", || {
                        format!("items must be unique; {} repeats", short(item))
                    });
                    break;
                }
            }
        }
        if let Some(c) = kw.contains {
            if !items.iter().enumerate().any(|(i, item)| {
                let at = self.ptr(path, i);
                self.passes(c, item, &at, depth + 1)
            }) {
                self.fail(out, path, "schema.contains", || {
                    "no item matches the contains schema".to_string()
                });
            }
        }
    }
}
