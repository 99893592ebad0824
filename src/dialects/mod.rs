//! The five group APIs ("dialects"), one module each, behind one entry point:
//! [`validate`] reads the request envelope and the context, then hands them to
//! the dialect's own validator.

use std::str::FromStr;

use serde_json::Value;

use crate::error::GroupgateError;
use crate::json::read::{object, type_name};
use crate::limits::Limits;
use crate::verdict::Issue;
use crate::verdict::{ptr, Report, Verdict};

pub mod apinizer;
pub mod baseten;
mod catalog;
pub(crate) mod common;
pub mod conductor;
pub mod frontier;
pub mod gorules;

pub use catalog::{catalog, DialectCatalog, Enums, RoleEntry};

/// The product APIs groupgate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Baseten Frontier Gateway groups.
    Baseten,
    /// Raystack Frontier groups.
    Frontier,
    /// Apinizer API Proxy Groups.
    Apinizer,
    /// Orkes Conductor groups.
    Conductor,
    /// GoRules BRMS project groups.
    Gorules,
}

impl Dialect {
    /// Every dialect, in the README's order.
    pub const ALL: [Dialect; 5] = [
        Dialect::Baseten,
        Dialect::Frontier,
        Dialect::Apinizer,
        Dialect::Conductor,
        Dialect::Gorules,
    ];

    /// The name `validate` and `catalog` take (`"baseten"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Baseten => "baseten",
            Dialect::Frontier => "frontier",
            Dialect::Apinizer => "apinizer",
            Dialect::Conductor => "conductor",
            Dialect::Gorules => "gorules",
        }
    }
}

impl FromStr for Dialect {
    type Err = GroupgateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                GroupgateError::one(
                    "/dialect",
                    "unknown_dialect",
                    format!(
                        "unknown dialect {s:?}; expected one of baseten, frontier, apinizer, conductor, gorules"
                    ),
                )
            })
    }
}

/// The operation a request performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Creates a group.
    Create,
    /// Updates a group.
    Update,
    /// Deletes a group.
    Delete,
}

impl Op {
    /// The success status: 200 for every operation, creates included (all
    /// documented products answer 200; see the README fidelity tables).
    pub fn success(self) -> u16 {
        200
    }
}

/// A request envelope `{op, params?, body?}` whose shape has been checked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `op`.
    pub op: Op,
    /// `params` (always an object; empty when absent).
    pub params: &'a serde_json::Map<String, Value>,
    /// `body`, untouched: each dialect checks its shape.
    pub body: Option<&'a Value>,
}

/// What the server knows and who is asking (SPEC §6). Each member is
/// optional; a validator that needs an absent one skips those checks and
/// says so in [`Verdict::skipped`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// `context.state`: the server's current groups (dialect-specific shape).
    pub state: Option<&'a Value>,
    /// `context.caller`: who is asking.
    pub caller: Option<&'a Value>,
    /// `context.catalog`: extra roles and permissions.
    pub catalog: Option<&'a Value>,
    /// GoRules: project files, to report which decisions a change flips.
    pub files: Option<&'a Value>,
    /// `context.limits` (SPEC §4), the defaults for what is not given.
    pub limits: Limits,
}

static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();

/// Validates `request` for `dialect` (SPEC §3). Malformed *request* data
/// is a 400 verdict with the path of the bad value; the engine's own input —
/// the dialect name and `context` — is an error when it is unusable.
///
/// # Errors
/// `unknown_dialect` at `/dialect`; any problem of the context reader (an
/// unknown member, a member of the wrong type, invalid `limits`).
pub fn validate(
    dialect: &str,
    request: &Value,
    context: &Value,
) -> Result<Verdict, GroupgateError> {
    validate_as(dialect, request, context, None, |v| v, |o| o.verdict())
}

/// [`validate`]'s verdict as JSON text (the package's): a Baseten
/// verdict's `changes` are written into it, never read back into a `Value`
/// tree and written again (a root updated to 100,000 models with limits: a
/// fifth of the work). `state`: a Baseten context's `state` object, given
/// apart as JSON text (the package does): read by the workspace's text
/// reader, with no `Value` tree (a state of two groups of 100,000 models:
/// 0.3 s natively, 1.5 s through a tree; README "Security").
#[cfg(any(all(target_arch = "wasm32", feature = "dialects"), test))]
pub(crate) fn validate_text(
    dialect: &str,
    request: &Value,
    context: &Value,
    state: Option<&str>,
) -> Result<String, GroupgateError> {
    let json = |v: Verdict| serde_json::to_string(&v).unwrap_or_default();
    validate_as(dialect, request, context, state, json, |o| o.into_json())
}

/// Reads the dialect, the context and the envelope, then validates:
/// `done` renders a verdict, `baseten` a Baseten outcome. `state_text`:
/// a Baseten state given apart, as JSON text (then not in the context).
fn validate_as<T>(
    dialect: &str,
    request: &Value,
    context: &Value,
    state_text: Option<&str>,
    done: impl Fn(Verdict) -> T,
    baseten: impl FnOnce(baseten::Outcome<'_>) -> T,
) -> Result<T, GroupgateError> {
    let dialect = Dialect::from_str(dialect)?;
    let ctx = read_context(context)?;
    let mut r = Report::new();
    let Some(req) = envelope(request, &mut r) else {
        return Ok(done(r.finish(200, None, None)));
    };
    Ok(match dialect {
        Dialect::Baseten => baseten::validate(&req, &ctx, state_text, baseten),
        Dialect::Frontier => done(frontier::validate(&req, &ctx)),
        Dialect::Apinizer => done(apinizer::validate(&req, &ctx)),
        Dialect::Conductor => done(conductor::validate(&req, &ctx)),
        Dialect::Gorules => done(gorules::validate(&req, &ctx)),
    })
}

/// Reads `{op, params?, body?}`; reports problems at `/op`, `/params`.
pub(crate) fn envelope<'a>(request: &'a Value, r: &mut Report) -> Option<Request<'a>> {
    let o = object(request, "", r)?;
    let op = match o.get("op") {
        None => {
            r.bad(
                "/op",
                "required",
                "op is required (create, update or delete)",
            );
            None
        }
        Some(Value::String(s)) => match s.as_str() {
            "create" => Some(Op::Create),
            "update" => Some(Op::Update),
            "delete" => Some(Op::Delete),
            other => {
                r.bad(
                    "/op",
                    "enum",
                    format!("op must be create, update or delete, got {other:?}"),
                );
                None
            }
        },
        Some(other) => {
            r.bad(
                "/op",
                "type",
                format!("expected a string, got {}", type_name(other)),
            );
            None
        }
    };
    let params = match o.get("params") {
        None => Some(EMPTY.get_or_init(Default::default)),
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            r.bad(
                "/params",
                "type",
                format!("expected an object, got {}", type_name(other)),
            );
            None
        }
    };
    Some(Request {
        op: op?,
        params: params?,
        body: o.get("body"),
    })
}

/// The members `context` may have, and the JSON type of each.
const CONTEXT_MEMBERS: [(&str, &str); 5] = [
    ("state", "an object"),
    ("caller", "an object"),
    ("catalog", "an object"),
    ("files", "an array"),
    ("limits", "an object"),
];

/// Reads `context` (SPEC §6), the one reader behind [`validate`] and
/// [`permissions_of`]. `null` (the whole context or a member) is absent.
/// Each member's *contents* are the dialect's to check; here only its type.
///
/// # Errors
/// Every problem at once, each at its pointer: `type` for a context or
/// member of the wrong JSON type and for invalid `limits`, `unknown_field`
/// for a member not in [`CONTEXT_MEMBERS`] (a typo such as `caler` would
/// otherwise silently skip the caller checks).
pub fn read_context(context: &Value) -> Result<Context<'_>, GroupgateError> {
    let map = match context {
        Value::Null => return Ok(Context::default()),
        Value::Object(map) => map,
        other => {
            return Err(GroupgateError::one(
                "/context",
                "type",
                format!("expected an object, got {}", type_name(other)),
            ))
        }
    };
    let mut ctx = Context::default();
    let mut issues = Vec::new();
    for (key, v) in map {
        let at = ptr("/context", key);
        let Some((name, expected)) = CONTEXT_MEMBERS.iter().find(|(n, _)| n == key) else {
            issues.push(Issue::new(
                at,
                "unknown_field",
                format!("unknown context member {key}; expected state, caller, catalog, files or limits"),
            ));
            continue;
        };
        let fits = match v {
            Value::Null => continue,
            Value::Object(_) => *expected == "an object",
            Value::Array(_) => *expected == "an array",
            _ => false,
        };
        if !fits {
            let got = type_name(v);
            issues.push(Issue::new(
                at,
                "type",
                format!("expected {expected}, got {got}"),
            ));
            continue;
        }
        match *name {
            "state" => ctx.state = Some(v),
            "caller" => ctx.caller = Some(v),
            "catalog" => ctx.catalog = Some(v),
            "files" => ctx.files = Some(v),
            _ => match Limits::from_json(v) {
                Ok(l) => ctx.limits = l,
                // At the member at fault (`/context/limits/maxDepth`).
                Err(e) => {
                    let at = match e.key() {
                        Some(k) => ptr(&at, k),
                        None => at,
                    };
                    issues.push(Issue::new(at, e.code(), format!("invalid limits: {e}")));
                }
            },
        }
    }
    if issues.is_empty() {
        Ok(ctx)
    } else {
        Err(GroupgateError::new(issues))
    }
}

/// The closure of a subject's permissions in a dialect: roles expanded,
/// implications applied, sorted (SPEC §6 `permissionsOf`).
pub fn permissions_of(
    dialect: &str,
    subject: &Value,
    context: &Value,
) -> Result<Vec<String>, GroupgateError> {
    let dialect = Dialect::from_str(dialect)?;
    let ctx = read_context(context)?;
    match dialect {
        Dialect::Baseten => baseten::permissions_of(subject, &ctx),
        Dialect::Frontier => frontier::permissions_of(subject, &ctx),
        Dialect::Apinizer => apinizer::permissions_of(subject, &ctx),
        Dialect::Conductor => conductor::permissions_of(subject, &ctx),
        Dialect::Gorules => gorules::permissions_of(subject, &ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The package's verdict text reads as the Rust API's verdict, for
    /// every row of the shared case tables (`tests/cases/*.json`), whose
    /// Baseten rows write `changes` into the text.
    #[test]
    fn the_text_verdict_is_the_verdict() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
        let mut rows = 0;
        for dialect in ["baseten", "frontier", "apinizer", "conductor", "gorules"] {
            let text = std::fs::read_to_string(format!("{dir}/{dialect}.json")).unwrap();
            let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
            for case in &cases {
                let (req, ctx) = (&case["request"], &case["context"]);
                let Ok(verdict) = validate(dialect, req, ctx) else {
                    assert!(validate_text(dialect, req, ctx, None).is_err());
                    continue;
                };
                let text = validate_text(dialect, req, ctx, None).unwrap();
                let read: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    read,
                    serde_json::to_value(&verdict).unwrap(),
                    "{}",
                    case["name"]
                );
                rows += 1;
            }
        }
        assert!(rows > 300, "{rows} rows");
    }

    /// A context's state given apart, as the package gives a Baseten
    /// one, answers as the whole context read as a `Value`.
    #[test]
    fn a_state_given_apart_answers_as_in_the_context() {
        let group = |id: &str, parent: Value| {
            serde_json::json!({"id": id, "metadata": {"name": id, "external_entity_id": id},
                "models": [{"slug": "o/m", "rate_limits": [{"type": "TOKEN", "unit": "MINUTE", "threshold": 5}]}],
                "hierarchy": {"limit_enforcement": "CASCADING", "parent_group_id": parent}, "workspace_id": "ws"})
        };
        let good = serde_json::json!({"groups": [group("r", Value::Null), group("c", "r".into())]});
        let mut bad = good.clone();
        bad["groups"][1]["models"][0]["slug"] = 5.into();
        let caller = serde_json::json!({"scope": "management", "workspace_id": "ws"});
        // Objects only: the package gives nothing else apart.
        let states = [
            good.clone(),
            bad,
            serde_json::json!({"groups": 3}),
            serde_json::json!({"groups": [], "x": 1}),
        ];
        let request = serde_json::json!({"op": "update", "params": {"group_id": "c"},
            "body": {"models": [{"slug": "o/m", "rate_limits": [{"type": "TOKEN", "unit": "MINUTE", "threshold": 9}]}]}});
        let rests = [
            serde_json::json!({"caller": caller}),
            serde_json::json!({"caller": caller, "extra": 1}),
            serde_json::json!({"caller": caller, "limits": {"maxGroups": 1}}),
        ];
        for state in &states {
            for rest in &rests {
                let mut whole = rest.clone();
                whole["state"] = state.clone();
                let text = state.to_string();
                let apart = validate_text("baseten", &request, rest, Some(&text))
                    .map(|t| serde_json::from_str::<Value>(&t).unwrap());
                let at = format!("{text} {rest}");
                match validate("baseten", &request, &whole) {
                    Ok(v) => assert_eq!(apart.unwrap(), serde_json::to_value(&v).unwrap(), "{at}"),
                    Err(e) => assert_eq!(apart.unwrap_err().issues, e.issues, "{at}"),
                }
            }
        }
    }
}
