//! The options objects the JS functions take, read by hand from the parsed
//! JSON. `serde_json::from_value` into the derived types would instantiate
//! serde's `Value` deserializer once per type (issue 12: package size);
//! these readers keep serde's answers: unknown keys and wrong types are
//! refused, absent keys take the defaults.

use serde_json::{Map, Value};

use crate::error::GroupgateError;
use crate::files::{PolicyOptions, ProjectVersion};
use crate::limits::Limits;
use crate::GlobOptions;

/// Each key of `o` through `field`, which answers `Err(None)` for a key it
/// does not know; errors read `invalid options: …` at `/options`.
fn each(
    o: &Map<String, Value>,
    known: &str,
    mut field: impl FnMut(&str, &Value) -> Result<(), Option<String>>,
) -> Result<(), GroupgateError> {
    for (key, value) in o {
        field(key, value).map_err(|e| {
            let why = e.unwrap_or_else(|| format!("unknown field `{key}`, expected {known}"));
            GroupgateError::one("/options", "type", format!("invalid options: {why}"))
        })?;
    }
    Ok(())
}

fn boolean(key: &str, value: &Value) -> Result<bool, Option<String>> {
    value
        .as_bool()
        .ok_or_else(|| Some(format!("{key} must be a boolean")))
}

/// `{caseInsensitive?}`.
pub(super) fn glob(o: &Map<String, Value>) -> Result<GlobOptions, GroupgateError> {
    let mut opts = GlobOptions::default();
    each(o, "`caseInsensitive`", |key, value| match key {
        "caseInsensitive" => {
            opts.case_insensitive = boolean(key, value)?;
            Ok(())
        }
        _ => Err(None),
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
            opts.limits = Limits::from_json(value).map_err(Some)?;
            Ok(())
        }
        "projectVersion" => {
            opts.project_version = project_version(value)?;
            Ok(())
        }
        _ => Err(None),
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
            limits = Limits::from_json(value).map_err(Some)?;
            Ok(())
        }
        _ => Err(None),
    })?;
    Ok(limits)
}

fn project_version(value: &Value) -> Result<ProjectVersion, Option<String>> {
    match value.as_str() {
        Some("v1") => Ok(ProjectVersion::V1),
        Some("v2") => Ok(ProjectVersion::V2),
        _ => Err(Some(format!(
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
