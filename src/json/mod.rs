//! Reading JSON input: [`pointer`] builds the JSON Pointers every issue
//! carries, [`read`] reads untyped values while reporting each problem at
//! its pointer (one wording and one code per kind of problem).

pub mod exact;
pub mod pointer;
pub mod read;
pub mod scan;

/// A JSON object of `fields`, inserted one by one: `Map::from_iter` would
/// sort them with std's sort, code the WASM otherwise does not carry
/// (issue 12: package size).
pub fn object<const N: usize>(fields: [(&str, serde_json::Value); N]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (key, value) in fields {
        map.insert(key.to_string(), value);
    }
    serde_json::Value::Object(map)
}
