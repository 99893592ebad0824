//! The JS boundary, both ways, over the same core calls (see Cargo.toml).
//! `*_json`: what src/js/mod.rs does today (JSON text in, JSON text out);
//! `*_swb` (feature `swb`): serde-wasm-bindgen reads the JS values into the
//! same `serde_json::Value` and writes the verdict as a plain JS object.
use groupgate::{FilePolicy, PolicyOptions};
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn text(v: &str) -> Value {
    serde_json::from_str(v).unwrap_or(Value::Null)
}

#[wasm_bindgen]
pub fn validate_json(dialect: &str, request: &str, context: &str) -> String {
    match groupgate::validate(dialect, &text(request), &text(context)) {
        Ok(verdict) => serde_json::to_string(&verdict).expect("a verdict serializes"),
        Err(_) => "null".into(),
    }
}

/// Builds the policy and reports how many groups it read (so nothing is optimized away).
#[wasm_bindgen]
pub fn policy_json(groups: &str) -> u32 {
    let v = text(groups);
    let n = v.as_array().map_or(0, Vec::len) as u32;
    FilePolicy::from_json(&v, PolicyOptions::default()).map_or(0, |_| n)
}

/// Only the crossing: the input read into a `Value`, then dropped.
#[wasm_bindgen]
pub fn read_json(input: &str) -> u32 {
    text(input).as_array().map_or(0, Vec::len) as u32
}

#[cfg(feature = "swb")]
mod swb {
    use super::*;
    use serde::Serialize;

    fn value(v: JsValue) -> Value {
        serde_wasm_bindgen::from_value(v).unwrap_or(Value::Null)
    }

    #[wasm_bindgen]
    pub fn validate_swb(dialect: &str, request: JsValue, context: JsValue) -> JsValue {
        match groupgate::validate(dialect, &value(request), &value(context)) {
            Ok(verdict) => verdict
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        }
    }

    #[wasm_bindgen]
    pub fn policy_swb(groups: JsValue) -> u32 {
        let v = value(groups);
        let n = v.as_array().map_or(0, Vec::len) as u32;
        FilePolicy::from_json(&v, PolicyOptions::default()).map_or(0, |_| n)
    }

    #[wasm_bindgen]
    pub fn read_swb(input: JsValue) -> u32 {
        value(input).as_array().map_or(0, Vec::len) as u32
    }
}
