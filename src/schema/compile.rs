//! Reading a schema document into [`Node`]s, with gojsonschema v1.2.0's
//! rules (schema.go `parseSchema`): which keywords each draft knows, what
//! makes a schema invalid (the server then refuses every request), and that
//! `$ref` replaces its siblings.

use crate::keyed::HashMap;

use serde_json::{Map, Value};

use super::keywords::{canon, short, Additional, Dep, Draft, Items, Kw, Node, TypeSet};
use super::number::Decimal;
use super::refs::{Index, Target};
use super::regex::{GoRegex, RegexError};
use super::{Schema, MAX_DEPTH, MAX_POINTER_BYTES};
use crate::json::read::type_name;
use crate::verdict::{ptr, Issue};

pub struct Compiler<'a> {
    draft: Draft,
    index: Index<'a>,
    nodes: Vec<Node>,
    memo: HashMap<*const Value, usize>,
    /// `$ref` nodes whose target is compiled after the main pass.
    pending: Vec<(usize, &'a Value, String)>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    /// Instructions of the patterns compiled so far (see [`MAX_PROGRAMS`]).
    programs: usize,
    /// Bytes of the subschemas' pointers (see [`MAX_POINTER_BYTES`]).
    pointers: usize,
}

/// The most instructions all of a schema's patterns may compile to: a
/// counted repetition expands (`(a{1000}){49}`, 13 bytes, is 49,000), and
/// 1,600 such patterns in a 56 KB metaschema took 8 s and 2.9 GB of WASM
/// memory (3,200 trap). Five patterns of the largest size one may have fit;
/// past it the schema is refused (`limit`), its memory within the README's
/// 16 MiB.
pub const MAX_PROGRAMS: usize = 250_000;

/// The draft named by `$schema` (gojsonschema draft.go); others: hybrid.
fn draft_of(root: &Value, base: &str, errors: &mut Vec<Issue>) -> Draft {
    let Some(s) = root.get("$schema") else {
        return Draft::Hybrid;
    };
    let Some(s) = s.as_str() else {
        errors.push(Issue::new(
            ptr(base, "$schema"),
            "schema.invalid",
            "$schema must be a string",
        ));
        return Draft::Hybrid;
    };
    match s.strip_suffix('#').unwrap_or(s) {
        "http://json-schema.org/draft-04/schema" => Draft::Draft4,
        "http://json-schema.org/draft-06/schema" => Draft::Draft6,
        "http://json-schema.org/draft-07/schema" => Draft::Draft7,
        _ => Draft::Hybrid,
    }
}

impl<'a> Compiler<'a> {
    pub fn run(root: &'a Value, base: &str) -> (Option<Schema>, Vec<Issue>, Vec<Issue>) {
        let mut errors = Vec::new();
        let draft = draft_of(root, base, &mut errors);
        let mut c = Compiler {
            draft,
            index: Index::build(root, draft == Draft::Draft4),
            nodes: Vec::new(),
            memo: HashMap::default(),
            pending: Vec::new(),
            errors,
            warnings: Vec::new(),
            programs: 0,
            pointers: 0,
        };
        // The addresses resolved count in the same budget.
        c.pointers = c.index.resolved;
        if c.pointers > MAX_POINTER_BYTES {
            c.too_long(base.to_string());
        }
        let top = c.node(root, base.to_string(), 0);
        while let Some((at, target, path)) = c.pending.pop() {
            let to = c.node(target, path, 1);
            c.nodes[at] = Node::Ref(to);
        }
        let schema = c.errors.is_empty().then(|| Schema {
            nodes: std::mem::take(&mut c.nodes),
            root: top,
        });
        (schema, c.errors, c.warnings)
    }

    /// A subschema's pointer; empty once the budget is spent (the node
    /// is then refused unwritten: a 1 MB member name over 100,000
    /// subschemas wrote 100 GB of pointers, 2.6 s).
    fn child(&mut self, path: &str, token: &str) -> String {
        let before = self.pointers;
        // Saturating: a usize is 32 bits in WASM, and 4 GB of pointers wrapped.
        self.pointers = before.saturating_add(path.len() + token.len());
        if self.pointers <= MAX_POINTER_BYTES {
            return ptr(path, token);
        }
        if before <= MAX_POINTER_BYTES {
            self.too_long(ptr(path, token));
        }
        String::new()
    }

    /// Refuses the schema, once, at `path` (see [`MAX_POINTER_BYTES`]).
    fn too_long(&mut self, path: String) {
        self.errors.push(Issue::new(
            path,
            "limit",
            "the schema's pointers and $id/$ref addresses are over 16 MiB in all",
        ));
    }

    fn bad(&mut self, path: String, msg: impl Into<String>) {
        self.errors.push(Issue::new(path, "schema.invalid", msg));
    }

    fn node(&mut self, v: &'a Value, path: String, depth: usize) -> usize {
        if let Some(&i) = self.memo.get(&(v as *const Value)) {
            return i;
        }
        let at = self.nodes.len();
        self.nodes.push(Node::Bool(true));
        if self.pointers > MAX_POINTER_BYTES {
            return at; // refused already, unwritten
        }
        if depth > MAX_DEPTH {
            self.errors.push(Issue::new(
                path,
                "limit",
                format!("schema nests deeper than the limit ({MAX_DEPTH} levels)"),
            ));
            return at;
        }
        self.memo.insert(v as *const Value, at);
        let node = match v {
            Value::Bool(b) if self.draft >= Draft::Draft6 => Node::Bool(*b),
            Value::Object(m) => self.keywords(v, m, &path, depth, at),
            other => {
                self.bad(
                    path,
                    format!(
                        "a schema must be an object{}, got {}",
                        if self.draft >= Draft::Draft6 {
                            " or a boolean"
                        } else {
                            ""
                        },
                        type_name(other)
                    ),
                );
                return at;
            }
        };
        self.nodes[at] = node;
        at
    }

    fn sub(
        &mut self,
        m: &'a Map<String, Value>,
        key: &str,
        path: &str,
        depth: usize,
    ) -> Option<usize> {
        let v = m.get(key)?;
        let at = self.child(path, key);
        Some(self.node(v, at, depth + 1))
    }

    fn list(
        &mut self,
        m: &'a Map<String, Value>,
        key: &str,
        path: &str,
        depth: usize,
    ) -> Vec<usize> {
        let Some(v) = m.get(key) else {
            return Vec::new();
        };
        let at = ptr(path, key);
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let p = self.child(&at, &i.to_string());
                    self.node(s, p, depth + 1)
                })
                .collect(),
            _ => {
                self.bad(at, format!("{key} must be an array of schemas"));
                Vec::new()
            }
        }
    }

    fn keywords(
        &mut self,
        v: &'a Value,
        m: &'a Map<String, Value>,
        path: &str,
        depth: usize,
        at: usize,
    ) -> Node {
        let id_key = match self.draft {
            Draft::Draft4 => "id",
            Draft::Hybrid if m.contains_key("id") => "id",
            _ => "$id",
        };
        for key in [id_key, "title", "description"] {
            if m.get(key).is_some_and(|x| !x.is_string()) {
                self.bad(ptr(path, key), format!("{key} must be a string"));
            }
        }
        if let Some(defs) = m.get("definitions") {
            match defs {
                Value::Object(d) => {
                    let at = ptr(path, "definitions");
                    for (name, s) in d {
                        let p = self.child(&at, name);
                        self.node(s, p, depth + 1);
                    }
                }
                _ => self.bad(
                    ptr(path, "definitions"),
                    "definitions must be an object of schemas",
                ),
            }
        }
        if let Some(r) = m.get("$ref") {
            if !r.is_string() {
                self.bad(ptr(path, "$ref"), "$ref must be a string");
            } else {
                // gojsonschema stops here: the siblings of $ref are ignored.
                return self.reference(v, ptr(path, "$ref"), at);
            }
        }
        let mut kw = Kw::default();
        self.types(m, path, &mut kw);
        self.objects(m, path, depth, &mut kw);
        self.arrays(m, path, depth, &mut kw);
        self.numbers(m, path, &mut kw);
        self.strings(m, path, &mut kw);
        self.values(m, path, &mut kw);
        kw.all_of = self.list(m, "allOf", path, depth);
        kw.any_of = self.list(m, "anyOf", path, depth);
        kw.one_of = self.list(m, "oneOf", path, depth);
        kw.not = self.sub(m, "not", path, depth);
        if self.draft >= Draft::Draft7 {
            kw.if_ = self.sub(m, "if", path, depth);
            kw.then = self.sub(m, "then", path, depth);
            kw.else_ = self.sub(m, "else", path, depth);
        }
        Node::Keywords(Box::new(kw))
    }

    fn reference(&mut self, holder: &'a Value, path: String, at: usize) -> Node {
        match self.index.target(holder) {
            Some(Target::Found(t)) => {
                // Filled in once every reachable schema has its node.
                self.pending.push((at, t, path));
                Node::Ref(usize::MAX)
            }
            Some(Target::Missing(r)) => {
                self.bad(path, format!("$ref {r:?} points to nothing in the schema"));
                Node::Bool(true)
            }
            Some(Target::Remote(r)) => {
                self.warnings.push(Issue::new(
                    path,
                    "schema.unsupported",
                    format!("$ref {r:?} is another document: the server would fetch it; groupgate does not check it"),
                ));
                Node::Bool(true)
            }
            None => Node::Bool(true),
        }
    }

    fn types(&mut self, m: &Map<String, Value>, path: &str, kw: &mut Kw) {
        let Some(t) = m.get("type") else { return };
        let names: Vec<&Value> = match t {
            Value::Array(list) => list.iter().collect(),
            one => vec![one],
        };
        let mut set = TypeSet::default();
        for n in names {
            match n.as_str().and_then(TypeSet::bit) {
                Some(bit) if set.0 & bit == 0 => set.0 |= bit,
                Some(_) => self.bad(ptr(path, "type"), format!("type {n} is listed twice")),
                None => self.bad(ptr(path, "type"), format!(
                    "type must be one of array, boolean, integer, null, number, object, string (or an array of them), got {n}")),
            }
        }
        kw.types = (set.0 != 0).then_some(set);
    }

    fn count(&mut self, m: &Map<String, Value>, key: &str, path: &str) -> Option<u64> {
        let v = m.get(key)?;
        match (v.as_u64(), v.as_i64()) {
            (Some(n), _) => Some(n),
            (None, Some(_)) => {
                self.bad(
                    ptr(path, key),
                    format!("{key} must be greater than or equal to 0"),
                );
                None
            }
            _ => {
                self.bad(ptr(path, key), format!("{key} must be an integer"));
                None
            }
        }
    }

    fn number(&mut self, m: &Map<String, Value>, key: &str, path: &str) -> Option<Decimal> {
        match m.get(key)? {
            Value::Number(n) => Decimal::of(n),
            _ => {
                self.bad(ptr(path, key), format!("{key} must be a number"));
                None
            }
        }
    }

    fn regex(&mut self, pattern: &str, path: String) -> Option<GoRegex> {
        if self.programs > MAX_PROGRAMS {
            return None; // refused already, at the pattern that crossed
        }
        match GoRegex::compile(pattern) {
            Ok(re) => {
                self.programs += re.size();
                if self.programs > MAX_PROGRAMS {
                    self.errors.push(Issue::new(
                        path,
                        "limit",
                        format!("the schema's patterns compile to more than {MAX_PROGRAMS} instructions in all (counted repetitions expand)"),
                    ));
                    return None;
                }
                Some(re)
            }
            Err(RegexError::Invalid(e)) => {
                self.bad(path, format!("invalid regular expression (Go syntax): {e}"));
                None
            }
            Err(RegexError::Unsupported(e)) => {
                self.warnings
                    .push(Issue::new(path, "schema.unsupported", e));
                None
            }
        }
    }

    fn objects(&mut self, m: &'a Map<String, Value>, path: &str, depth: usize, kw: &mut Kw) {
        if let Some(p) = m.get("properties") {
            match p {
                Value::Object(props) => {
                    let at = ptr(path, "properties");
                    for (name, s) in props {
                        let p = self.child(&at, name);
                        let n = self.node(s, p, depth + 1);
                        kw.properties.push((name.clone(), n));
                    }
                }
                _ => self.bad(
                    ptr(path, "properties"),
                    "properties must be an object of schemas",
                ),
            }
        }
        kw.additional_properties = self.additional(m, "additionalProperties", path, depth);
        if let Some(p) = m.get("patternProperties") {
            match p {
                Value::Object(pp) => {
                    let at = ptr(path, "patternProperties");
                    for (pattern, s) in pp {
                        let p = self.child(&at, pattern);
                        let re = self.regex(pattern, p);
                        let p = self.child(&at, pattern);
                        let n = self.node(s, p, depth + 1);
                        match re {
                            Some(re) => kw.pattern_properties.push((re, n)),
                            // Unchecked: its members must not fall to additionalProperties.
                            None => kw.unchecked_patterns = true,
                        }
                    }
                }
                _ => self.bad(
                    ptr(path, "patternProperties"),
                    "patternProperties must be an object of schemas",
                ),
            }
        }
        if self.draft >= Draft::Draft6 {
            if let Some(v) = m.get("propertyNames") {
                if v.is_object() || v.is_boolean() {
                    kw.property_names = self.sub(m, "propertyNames", path, depth);
                } else {
                    self.bad(ptr(path, "propertyNames"), "propertyNames must be a schema");
                }
            }
        }
        if let Some(d) = m.get("dependencies") {
            self.dependencies(d, &ptr(path, "dependencies"), depth, kw);
        }
        kw.min_properties = self.count(m, "minProperties", path);
        kw.max_properties = self.count(m, "maxProperties", path);
        if let (Some(a), Some(b)) = (kw.min_properties, kw.max_properties) {
            if a > b {
                self.bad(
                    ptr(path, "minProperties"),
                    "minProperties cannot be greater than maxProperties",
                );
            }
        }
        if let Some(r) = m.get("required") {
            let at = ptr(path, "required");
            match r {
                Value::Array(names) => {
                    // Hashed: a list scan made 100,000 names take 26 s.
                    let mut seen: HashMap<&str, u32> = HashMap::default();
                    for n in names {
                        match n.as_str() {
                            Some(s) if seen.insert(s, 0).is_some() => {
                                self.bad(at.clone(), "required items must be unique")
                            }
                            Some(s) => kw.required.push(s.to_string()),
                            None => self.bad(at.clone(), "required items must be strings"),
                        }
                    }
                }
                _ => self.bad(at, "required must be an array"),
            }
        }
    }

    fn dependencies(&mut self, d: &'a Value, at: &str, depth: usize, kw: &mut Kw) {
        let Value::Object(deps) = d else {
            self.bad(at.to_string(), "dependencies must be an object");
            return;
        };
        for (k, v) in deps {
            match v {
                Value::Array(names) => {
                    let keys: Option<Vec<String>> = names
                        .iter()
                        .map(|n| n.as_str().map(str::to_string))
                        .collect();
                    match keys {
                        Some(keys) => kw.dependencies.push((k.clone(), Dep::Keys(keys))),
                        None => self.bad(
                            ptr(at, k),
                            "a dependency must be a schema or an array of strings",
                        ),
                    }
                }
                Value::Object(_) | Value::Bool(_) => {
                    let p = self.child(at, k);
                    let n = self.node(v, p, depth + 1);
                    kw.dependencies.push((k.clone(), Dep::Schema(n)));
                }
                _ => self.bad(
                    ptr(at, k),
                    "a dependency must be a schema or an array of strings",
                ),
            }
        }
    }

    fn additional(
        &mut self,
        m: &'a Map<String, Value>,
        key: &str,
        path: &str,
        depth: usize,
    ) -> Additional {
        match m.get(key) {
            None | Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Never,
            Some(Value::Object(_)) => {
                Additional::Schema(self.sub(m, key, path, depth).unwrap_or(0))
            }
            Some(_) => {
                self.bad(
                    ptr(path, key),
                    format!("{key} must be a boolean or a schema"),
                );
                Additional::Any
            }
        }
    }

    fn arrays(&mut self, m: &'a Map<String, Value>, path: &str, depth: usize, kw: &mut Kw) {
        kw.items = match m.get("items") {
            None => Items::Any,
            // gojsonschema v1.2.0 checks a tuple only when it has a schema
            // (validation.go:463): `items: []` leaves additionalItems unread.
            Some(Value::Array(a)) if a.is_empty() => Items::Any,
            Some(Value::Array(_)) => Items::Tuple(self.list(m, "items", path, depth)),
            Some(Value::Object(_) | Value::Bool(_)) => {
                Items::All(self.sub(m, "items", path, depth).unwrap_or(0))
            }
            Some(_) => {
                self.bad(
                    ptr(path, "items"),
                    "items must be a schema or an array of schemas",
                );
                Items::Any
            }
        };
        kw.additional_items = self.additional(m, "additionalItems", path, depth);
        kw.min_items = self.count(m, "minItems", path);
        kw.max_items = self.count(m, "maxItems", path);
        match m.get("uniqueItems") {
            None => {}
            Some(Value::Bool(b)) => kw.unique_items = *b,
            Some(_) => self.bad(ptr(path, "uniqueItems"), "uniqueItems must be a boolean"),
        }
        if self.draft >= Draft::Draft6 {
            kw.contains = self.sub(m, "contains", path, depth);
        }
    }

    fn numbers(&mut self, m: &Map<String, Value>, path: &str, kw: &mut Kw) {
        if let Some(d) = self.number(m, "multipleOf", path) {
            if d.is_positive() {
                kw.multiple_of = Some(d);
            } else {
                self.bad(
                    ptr(path, "multipleOf"),
                    "multipleOf must be strictly greater than 0",
                );
            }
        }
        kw.minimum = self.number(m, "minimum", path);
        kw.maximum = self.number(m, "maximum", path);
        for (key, bound) in [("exclusiveMinimum", true), ("exclusiveMaximum", false)] {
            let Some(v) = m.get(key) else { continue };
            let base = if bound { kw.minimum } else { kw.maximum };
            let exclusive = match (v, self.draft) {
                (Value::Bool(b), Draft::Draft4 | Draft::Hybrid) => {
                    if base.is_none() {
                        let on = if bound { "minimum" } else { "maximum" };
                        self.bad(ptr(path, key), format!("{key} cannot be used without {on}"));
                    }
                    if !*b {
                        continue;
                    }
                    // Draft-04: the bound itself becomes exclusive.
                    if bound {
                        kw.minimum = None
                    } else {
                        kw.maximum = None
                    }
                    base
                }
                (Value::Number(n), d) if d != Draft::Draft4 => Decimal::of(n),
                _ => {
                    let want = match self.draft {
                        Draft::Draft4 => "a boolean",
                        Draft::Hybrid => "a boolean or a number",
                        _ => "a number",
                    };
                    self.bad(ptr(path, key), format!("{key} must be {want}"));
                    None
                }
            };
            if bound {
                kw.exclusive_minimum = exclusive
            } else {
                kw.exclusive_maximum = exclusive
            }
        }
    }

    fn strings(&mut self, m: &Map<String, Value>, path: &str, kw: &mut Kw) {
        kw.min_length = self.count(m, "minLength", path);
        kw.max_length = self.count(m, "maxLength", path);
        if let (Some(a), Some(b)) = (kw.min_length, kw.max_length) {
            if a > b {
                self.bad(
                    ptr(path, "minLength"),
                    "minLength cannot be greater than maxLength",
                );
            }
        }
        match m.get("pattern") {
            None => {}
            Some(Value::String(p)) => kw.pattern = self.regex(p, ptr(path, "pattern")),
            Some(_) => self.bad(ptr(path, "pattern"), "pattern must be a string"),
        }
        match m.get("format") {
            None => {}
            Some(Value::String(f)) => kw.format = Some(f.clone()),
            Some(_) => self.bad(ptr(path, "format"), "format must be a string"),
        }
    }

    fn values(&mut self, m: &Map<String, Value>, path: &str, kw: &mut Kw) {
        if self.draft >= Draft::Draft6 {
            kw.const_ = m.get("const").map(|c| (canon(c), short(c)));
        }
        match m.get("enum") {
            None => {}
            Some(Value::Array(options)) => {
                let mut seen = HashMap::default();
                for o in options {
                    if seen.insert(canon(o), 0).is_some() {
                        self.bad(ptr(path, "enum"), "enum items must be unique");
                    }
                }
                let shown: Vec<String> = options.iter().take(10).map(short).collect();
                // An empty enum constrains nothing in gojsonschema v1.2.0
                // (validation.go:426 checks `len(enum) > 0`).
                kw.enum_ = (!options.is_empty()).then(|| (seen, crate::substr::join(&shown, ", ")));
            }
            Some(_) => self.bad(ptr(path, "enum"), "enum must be an array"),
        }
    }
}
