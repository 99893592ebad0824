//! Size limits. Every limit has a default and can be changed per engine;
//! going over one is an error that names the limit.
//!
//! A limit is any non-negative safe integer (`0 ..= 2^53 - 1`, what a
//! JavaScript number holds exactly). Values above what `usize` holds (2^32
//! and up on wasm32) mean "no limit": no input can be that long there.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The size limits of one engine (a `FilePolicy`, a `Workspace`) or call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Baseten hierarchy depth; a root is level 1.
    pub max_depth: usize,
    /// Groups in one engine (a `FilePolicy` or a `Workspace`).
    pub max_groups: usize,
    /// File rules in one `FilePolicy`.
    pub max_rules: usize,
    /// Bytes in one glob.
    pub max_glob_bytes: usize,
    /// Bytes in one path.
    pub max_path_bytes: usize,
    /// Bytes in any string field of a request.
    pub max_string_bytes: usize,
    /// Work of one path byte in the pattern automaton (`check`, `explain`,
    /// `checkMany`): units of 64 automaton states stepped, masks, states
    /// or edges tried, states closed over, words of a new automaton state
    /// built (see `patterns::sim`; about 5 ns each in the package), with
    /// an allowance of 32 bytes' worth. It bounds the time of a check for
    /// every pattern shape: a path that needs more is refused
    /// (`path.too_complex`), never answered from part of the rules.
    pub max_match_work: usize,
    /// The work of building a policy's pattern automaton (the NFA of the
    /// globs the indexes cannot hold), counted while it is built: a unit
    /// per state, per epsilon edge (an alternative joined) and per step
    /// through a state with several edges. It bounds the time and memory
    /// of compiling a policy for every pattern shape, as `maxMatchWork`
    /// bounds a check (`limit.automaton` past it).
    pub max_automaton_states: usize,
    /// Globs in one `FilePolicy` (all rules together, counted as they are
    /// read, refused or not): a rule's `patterns` may hold thousands, and
    /// each costs about a microsecond to read in the package however short
    /// (`limit.globs` past it).
    pub max_globs: usize,
}

impl Limits {
    /// The defaults: depth 5, 10,000 groups, 100,000 rules, 1 KiB globs,
    /// 4 KiB paths, 64 KiB strings, 384 units of match work per path byte,
    /// 4,000,000 automaton states, 500,000 globs.
    pub const DEFAULT: Limits = Limits {
        max_depth: 5,
        max_groups: 10_000,
        max_rules: 100_000,
        max_glob_bytes: 1024,
        max_path_bytes: 4096,
        max_string_bytes: 64 * 1024,
        max_match_work: 384,
        max_automaton_states: AUTOMATON_DEFAULT,
        max_globs: 500_000,
    };
}

impl Limits {
    /// The message of a state listing `n` `what` (groups, orgs) over
    /// `max_groups` (`limit.groups`), if it is over. One wording for every
    /// state list (and one copy of it in the package).
    pub fn over_max_groups(&self, n: usize, what: &str) -> Option<String> {
        let max = self.max_groups;
        (n > max).then(|| format!("the state has {n} {what}, over the limit max_groups ({max})"))
    }
}

/// The default of `max_automaton_states`: above the largest automaton of
/// the bounds suites (3.9 million units: 100,000 `*NNNNN*aaa…?` denies,
/// each its own name), and as much work as the package does within the
/// construction budget of 2 s (4,000 distinct 1 KB globs: about 1.7 s of
/// CPU in WASM, `examples/build_profile.rs`, README "Security").
const AUTOMATON_DEFAULT: usize = 4_000_000;

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A refused `limits` object: what is wrong, and a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsError {
    /// What was refused, and the member at fault.
    pub kind: LimitsErrorKind,
    /// Names the key and says what a limit is, in the words of the JSON
    /// the caller wrote (never a Rust type).
    pub message: String,
}

/// What is wrong with a `limits` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitsErrorKind {
    /// `limits` itself is not an object.
    NotAnObject,
    /// This member is not a limit (a misspelling such as `maxRule`).
    Unknown(String),
    /// This limit's value is not a non-negative integer of at most 2^53 - 1.
    Value(String),
}

impl LimitsError {
    /// The member at fault; `None` when `limits` is not an object.
    /// Callers point their error at it.
    pub fn key(&self) -> Option<&str> {
        match &self.kind {
            LimitsErrorKind::NotAnObject => None,
            LimitsErrorKind::Unknown(key) | LimitsErrorKind::Value(key) => Some(key),
        }
    }

    /// The error's code (README "Codes"): `unknown_field` for a member
    /// that is not a limit (as for any member the API does not have),
    /// `type` otherwise.
    pub fn code(&self) -> &'static str {
        match self.kind {
            LimitsErrorKind::Unknown(_) => "unknown_field",
            LimitsErrorKind::NotAnObject | LimitsErrorKind::Value(_) => "type",
        }
    }
}

impl std::fmt::Display for LimitsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Limits {
    /// Reads `{maxDepth?, maxGroups?, …}` (the defaults for what is not
    /// given).
    pub fn from_json(v: &Value) -> Result<Limits, LimitsError> {
        let Some(o) = v.as_object() else {
            return Err(LimitsError {
                kind: LimitsErrorKind::NotAnObject,
                message: "limits must be an object".into(),
            });
        };
        let mut l = Limits::DEFAULT;
        for (key, value) in o {
            let slot = match key.as_str() {
                "maxDepth" => &mut l.max_depth,
                "maxGroups" => &mut l.max_groups,
                "maxRules" => &mut l.max_rules,
                "maxGlobBytes" => &mut l.max_glob_bytes,
                "maxPathBytes" => &mut l.max_path_bytes,
                "maxStringBytes" => &mut l.max_string_bytes,
                "maxMatchWork" => &mut l.max_match_work,
                "maxAutomatonStates" => &mut l.max_automaton_states,
                "maxGlobs" => &mut l.max_globs,
                _ => {
                    return Err(LimitsError {
                        kind: LimitsErrorKind::Unknown(key.clone()),
                        message: format!(
                            "unknown limit {key:?}; the limits are maxDepth, maxGroups, \
                             maxRules, maxGlobBytes, maxPathBytes, maxStringBytes, \
                             maxMatchWork, maxAutomatonStates and maxGlobs"
                        ),
                    })
                }
            };
            *slot = limit(value).ok_or_else(|| LimitsError {
                kind: LimitsErrorKind::Value(key.clone()),
                message: format!(
                    "{key} must be a non-negative integer of at most 2^53 - 1, got {}",
                    shown(value)
                ),
            })?;
        }
        Ok(l)
    }
}

/// A limit's value: a non-negative safe integer (`4096`, `4096.0`, `1e3`),
/// saturated to `usize::MAX`.
fn limit(v: &Value) -> Option<usize> {
    let n = v.as_number()?;
    let int = match (n.as_u64(), n.as_f64()) {
        (Some(u), _) => u,
        (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f <= MAX_SAFE_INTEGER as f64 => f as u64,
        _ => return None,
    };
    (int <= MAX_SAFE_INTEGER).then(|| usize::try_from(int).unwrap_or(usize::MAX))
}

/// A short rendering of a bad value for a message.
fn shown(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(_) => "a string".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Null => "null".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Through [`Limits::from_json`], so typed options (`PolicyOptions`) and
/// JSON contexts read limits the same way.
impl<'de> Deserialize<'de> for Limits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Limits::from_json(&Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn any_non_negative_safe_integer_is_a_limit() {
        let l = Limits::from_json(
            &json!({"maxPathBytes": 4_294_967_296_u64, "maxDepth": 0, "maxRules": 1e3}),
        )
        .unwrap();
        assert_eq!(
            l.max_path_bytes,
            usize::try_from(4_294_967_296_u64).unwrap_or(usize::MAX)
        );
        assert_eq!((l.max_depth, l.max_rules), (0, 1000));
        let max = Limits::from_json(&json!({"maxGroups": 9_007_199_254_740_991_u64})).unwrap();
        assert!(max.max_groups >= u32::MAX as usize);
    }

    #[test]
    fn bad_limits_name_the_key_in_json_words() {
        use LimitsErrorKind::{NotAnObject, Unknown, Value};
        let at = |k: &str| k.to_string();
        for (v, want, kind, code) in [
            (
                json!({"maxPathBytes": -1}),
                "maxPathBytes must be a non-negative integer of at most 2^53 - 1, got -1",
                Value(at("maxPathBytes")),
                "type",
            ),
            (
                json!({"maxPathBytes": 1.5}),
                "got 1.5",
                Value(at("maxPathBytes")),
                "type",
            ),
            (
                json!({"maxPathBytes": 9_007_199_254_740_992_u64}),
                "got 9007199254740992",
                Value(at("maxPathBytes")),
                "type",
            ),
            (
                json!({"maxPathBytes": "10"}),
                "got a string",
                Value(at("maxPathBytes")),
                "type",
            ),
            // A misspelled limit is a member the API does not have.
            (
                json!({"maxPath": 1}),
                "unknown limit \"maxPath\"",
                Unknown(at("maxPath")),
                "unknown_field",
            ),
            (json!([1]), "limits must be an object", NotAnObject, "type"),
        ] {
            let e = Limits::from_json(&v).unwrap_err();
            assert!(e.message.contains(want), "{v}: {}", e.message);
            assert!(!e.message.contains("usize") && !e.message.contains("u64"));
            assert_eq!(e.code(), code, "{v}");
            assert_eq!(
                e.key(),
                v.as_object()
                    .and_then(|o| o.keys().next())
                    .map(String::as_str),
                "{v}"
            );
            assert_eq!(e.kind, kind, "{v}");
        }
    }
}
