//! The options objects the JS functions take, read by hand from the parsed
//! JSON. `serde_json::from_value` into the derived types would instantiate
//! serde's `Value` deserializer once per type (issue 12: package size);
//! these readers keep serde's answers: unknown keys and wrong types are
//! refused, absent keys take the defaults.

use serde_json::{Map, Value};

use crate::error::GroupgateError;
use crate::files::{PolicyOptions, ProjectVersion};
use crate::json::pointer::ptr;
use crate::limits::{Limits, LimitsError};
use crate::GlobOptions;

/// Why `field` refused a key of the options.
enum Refused {
    /// Not an option.
    Unknown,
    /// The key's value, for this reason.
    Value(String),
    /// The key's `limits` object, at its member at fault.
    Limits(LimitsError),
}

impl From<LimitsError> for Refused {
    fn from(e: LimitsError) -> Refused {
        Refused::Limits(e)
    }
}

/// Each key of `o` through `field`; errors read `invalid options: …` at
/// the member at fault (`/options/caseInsensitive`,
/// `/options/limits/maxDepth`), code `unknown_field` for a key that is
/// not an option or a limit (as a context's unknown member), else `type`.
fn each(
    o: &Map<String, Value>,
    known: &str,
    mut field: impl FnMut(&str, &Value) -> Result<(), Refused>,
) -> Result<(), GroupgateError> {
    for (key, value) in o {
        field(key, value).map_err(|e| {
            let at = ptr("/options", key);
            let (at, code, why) = match e {
                Refused::Unknown => (
                    at,
                    "unknown_field",
                    format!("unknown field `{key}`, expected {known}"),
                ),
                Refused::Value(why) => (at, "type", why),
                Refused::Limits(e) => {
                    let code = e.code();
                    let at = match e.key() {
                        Some(member) => ptr(&at, member),
                        None => at,
                    };
                    (at, code, e.message)
                }
            };
            GroupgateError::one(at, code, format!("invalid options: {why}"))
        })?;
    }
    Ok(())
}

fn boolean(key: &str, value: &Value) -> Result<bool, Refused> {
    value
        .as_bool()
        .ok_or_else(|| Refused::Value(format!("{key} must be a boolean")))
}

/// `{caseInsensitive?}`.
pub(super) fn glob(o: &Map<String, Value>) -> Result<GlobOptions, GroupgateError> {
    let mut opts = GlobOptions::default();
    each(o, "`caseInsensitive`", |key, value| match key {
        "caseInsensitive" => {
            opts.case_insensitive = boolean(key, value)?;
            Ok(())
        }
        _ => Err(Refused::Unknown),
    })?;
    Ok(opts)
}

/// `{caseInsensitive?, limits?, projectVersion?}`.
pub(super) fn policy(o: &Map<String, Value>) -> Result<PolicyOptions, GroupgateError> {
    let mut opts = PolicyOptions::default();
    let known = "one of `caseInsensitive`, `limits`, `projectVersion`";
    each(o, known, |key, value| match key {
        "caseInsensitive" => {
            opts.case_insensitive = boolean(key, value)?;
            Ok(())
        }
        "limits" => {
            opts.limits = Limits::from_json(value)?;
            Ok(())
        }
        "projectVersion" => {
            opts.project_version = project_version(value)?;
            Ok(())
        }
        _ => Err(Refused::Unknown),
    })?;
    Ok(opts)
}

/// `{limits?}` of a `Workspace`: serde's answers for the derived reader it
/// replaces (`deny_unknown_fields`), without serde's `Value` deserializer
/// and the float formatting its messages bring (issue 12: size).
#[cfg(feature = "dialects")]
pub(super) fn workspace(o: &Map<String, Value>) -> Result<Limits, GroupgateError> {
    let mut limits = Limits::DEFAULT;
    each(o, "`limits`", |key, value| match key {
        "limits" => {
            limits = Limits::from_json(value)?;
            Ok(())
        }
        _ => Err(Refused::Unknown),
    })?;
    Ok(limits)
}

fn project_version(value: &Value) -> Result<ProjectVersion, Refused> {
    match value.as_str() {
        Some("v1") => Ok(ProjectVersion::V1),
        Some("v2") => Ok(ProjectVersion::V2),
        _ => Err(Refused::Value(format!(
            "unknown projectVersion {value}, expected `v1` or `v2`"
        ))),
    }
}

/// An array of strings.
pub(super) fn strings(value: Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else {
        return Err("not an array".into());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(s) => Ok(s),
            _ => Err(format!("item {i} is not a string")),
        })
        .collect()
}
