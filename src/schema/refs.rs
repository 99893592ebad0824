//! `$id` scopes and `$ref` targets inside one schema document, resolved as
//! gojsonschema's schema pool does (schemaPool.go): every `$id` names a
//! document; a `$ref` is resolved against the `$id` in scope, looked up as
//! a whole name first, then as a document plus a JSON-pointer fragment.
//! Nothing is fetched: a reference outside the document is reported.

use crate::keyed::HashMap;

use serde_json::Value;

use crate::substr;

/// Where each `$ref` points (by the address of the object holding it) and
/// which values each `$id` names.
#[derive(Default)]
pub struct Index<'a> {
    /// Each `$id`'s value, by position in `values` (the crate's
    /// `String` to `u32` map type, one hash table less in the WASM).
    ids: HashMap<String, u32>,
    values: Vec<&'a Value>,
    /// The position in `targets` of each `$ref`'s resolved address: the
    /// compiler's map type (`*const Value` to `usize`), so the WASM carries
    /// one hash table less (issue 12: size).
    refs: HashMap<*const Value, usize>,
    targets: Vec<String>,
    /// Bytes of the addresses resolved (`$id`s and `$ref`s, each at most
    /// its base and its own length): past [`super::MAX_POINTER_BYTES`] the
    /// rest are not, and the compiler refuses the schema.
    pub resolved: usize,
}

/// What a `$ref` resolves to.
pub enum Target<'a> {
    Found(&'a Value),
    /// Inside the document, but the pointer leads nowhere.
    Missing(String),
    /// Another document (the server would fetch it).
    Remote(String),
}

impl<'a> Index<'a> {
    /// Walks the document once (`id_key`: `id` or `$id` per draft).
    pub fn build(root: &'a Value, draft4: bool) -> Index<'a> {
        let mut ix = Index::default();
        let base = id_of(root, draft4)
            .map(|id| resolve("", id))
            .unwrap_or_default();
        ix.name(base.clone(), root);
        ix.walk(root, &base, draft4, 0);
        ix
    }

    fn walk(&mut self, v: &'a Value, base: &str, draft4: bool, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match v {
            Value::Array(items) => {
                for item in items {
                    self.walk(item, base, draft4, depth + 1);
                }
            }
            Value::Object(m) => {
                // Borrowed unless the object has an id: a copy an object
                // cost the base's length (a 1 MB `$id` over 100,000 `{}`
                // took 2.4 s, a million 24 s).
                let own;
                let scope = match id_of(v, draft4) {
                    Some(id) if self.charge(base, id) => {
                        own = resolve(base, id);
                        if !self.ids.contains_key(&own) {
                            self.name(own.clone(), v);
                        }
                        own.as_str()
                    }
                    _ => base,
                };
                if let Some(Value::String(r)) = m.get("$ref") {
                    if self.charge(scope, r) {
                        self.refs.insert(v as *const Value, self.targets.len());
                        self.targets.push(resolve(scope, r));
                    }
                }
                for (k, child) in m {
                    match k.as_str() {
                        "const" | "enum" => {}
                        "properties" | "dependencies" | "patternProperties" => {
                            for sub in child.as_object().into_iter().flat_map(|o| o.values()) {
                                self.walk(sub, scope, draft4, depth + 1);
                            }
                        }
                        _ => self.walk(child, scope, draft4, depth + 1),
                    }
                }
            }
            _ => {}
        }
    }

    /// Charges resolving `r` against `base`: each address is kept, so a
    /// 60 KB `$id` over 100,000 `$ref`s kept 6 GB (a trap). False past the
    /// budget.
    fn charge(&mut self, base: &str, r: &str) -> bool {
        self.resolved = self.resolved.saturating_add(base.len() + r.len());
        self.resolved <= super::MAX_POINTER_BYTES
    }

    /// Files `v` under `id` (the last one filed wins, as `insert`).
    fn name(&mut self, id: String, v: &'a Value) {
        self.ids.insert(id, self.values.len() as u32);
        self.values.push(v);
    }

    fn id(&self, name: &str) -> Option<&'a Value> {
        self.ids.get(name).map(|&i| self.values[i as usize])
    }

    /// The target of the `$ref` held by `holder`.
    pub fn target(&self, holder: &Value) -> Option<Target<'a>> {
        let abs = &self.targets[*self.refs.get(&(holder as *const Value))?];
        if let Some(v) = self.id(abs) {
            return Some(Target::Found(v));
        }
        let (doc, frag) = abs.split_once('#').unwrap_or((abs, ""));
        let Some(doc_value) = self.id(doc) else {
            return Some(Target::Remote(abs.clone()));
        };
        Some(match pointer(doc_value, frag) {
            Some(v) => Target::Found(v),
            None => Target::Missing(abs.clone()),
        })
    }
}

fn id_of(v: &Value, draft4: bool) -> Option<&str> {
    let m = v.as_object()?;
    let key = if draft4 || m.contains_key("id") {
        "id"
    } else {
        "$id"
    };
    m.get(key)?.as_str()
}

/// A JSON-pointer fragment (percent-decoded, `~1` `~0`).
fn pointer<'v>(mut v: &'v Value, frag: &str) -> Option<&'v Value> {
    let frag = percent_decode(frag)?;
    if frag.is_empty() {
        return Some(v);
    }
    for token in frag.strip_prefix('/')?.split('/') {
        let token = substr::replace(&substr::replace(token, "~1", "/"), "~0", "~");
        v = match v {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// RFC 3986 reference resolution (without dot-segment removal), with an
/// empty fragment dropped as gojsonreference does.
pub fn resolve(base: &str, r: &str) -> String {
    let r = r.strip_suffix('#').unwrap_or(r);
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    let has_scheme = |s: &str| {
        s.find(':').is_some_and(|i| {
            i > 0
                && s[..i].starts_with(|c: char| c.is_ascii_alphabetic())
                && s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || substr::one_of(c, "+-."))
        })
    };
    if has_scheme(r) {
        return r.to_string();
    }
    if r.is_empty() {
        return base.to_string();
    }
    if r.starts_with('#') {
        return format!("{base}{r}");
    }
    let scheme_end = if has_scheme(base) {
        base.find(':').map_or(0, |i| i + 1)
    } else {
        0
    };
    if r.starts_with("//") {
        return format!("{}{r}", &base[..scheme_end]);
    }
    let after = &base[scheme_end..];
    let auth_end = match after.strip_prefix("//") {
        Some(auth) => scheme_end + 2 + auth.find('/').unwrap_or(auth.len()),
        None => scheme_end,
    };
    if r.starts_with('/') {
        return format!("{}{r}", &base[..auth_end]);
    }
    let dir = crate::substr::rfind(&base[auth_end..], "/").map_or(auth_end, |i| auth_end + i + 1);
    format!("{}{r}", &base[..dir])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_like_a_uri() {
        assert_eq!(resolve("", "#/definitions/a"), "#/definitions/a");
        assert_eq!(resolve("http://x/s.json", "#a"), "http://x/s.json#a");
        assert_eq!(resolve("http://x/a/s.json", "t.json"), "http://x/a/t.json");
        assert_eq!(resolve("http://x/a/s.json", "/t.json"), "http://x/t.json");
        assert_eq!(resolve("http://x/a/s.json#f", "urn:y#"), "urn:y");
        let doc = json!({"definitions": {"a~b": {"type": "string"}, "c%d": [1, {"x": 2}]}});
        assert_eq!(
            pointer(&doc, "/definitions/a~0b"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(pointer(&doc, "/definitions/c%25d/1/x"), Some(&json!(2)));
        assert_eq!(pointer(&doc, "/nope"), None);
    }
}
