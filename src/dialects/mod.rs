//! The five group APIs ("dialects"), one module each, behind one entry point:
//! [`validate`] reads the request envelope and the context, then hands them to
//! the dialect's own validator.

use std::str::FromStr;

use serde_json::Value;

use crate::error::GroupgateError;
use crate::input::{object, type_name};
use crate::limits::Limits;
use crate::verdict::{Report, Verdict};

pub mod apinizer;
pub mod baseten;
mod catalog;
pub mod conductor;
pub mod frontier;
pub mod gorules;

pub use catalog::{catalog, DialectCatalog, Enums, RoleEntry};

/// The product APIs groupgate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Baseten,
    Frontier,
    Apinizer,
    Conductor,
    Gorules,
}

impl Dialect {
    pub const ALL: [Dialect; 5] = [
        Dialect::Baseten,
        Dialect::Frontier,
        Dialect::Apinizer,
        Dialect::Conductor,
        Dialect::Gorules,
    ];

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
                    "",
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
    Create,
    Update,
    Delete,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    /// The success status: 201 for creates, 200 otherwise.
    pub fn success(self) -> u16 {
        match self {
            Op::Create => 201,
            _ => 200,
        }
    }
}

/// A request envelope `{op, params?, body?}` whose shape has been checked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
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
    pub state: Option<&'a Value>,
    pub caller: Option<&'a Value>,
    pub catalog: Option<&'a Value>,
    /// GoRules: project files, to report which decisions a change flips.
    pub files: Option<&'a Value>,
    /// `context.limits` (SPEC §4), the defaults for what is not given.
    pub limits: Limits,
}

static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();

/// Validates `request` for `dialect` (SPEC §3). Never fails: malformed input
/// is a 400 verdict with the path of the bad value.
pub fn validate(dialect: &str, request: &Value, context: &Value) -> Verdict {
    let mut r = Report::new();
    let dialect = match Dialect::from_str(dialect) {
        Ok(d) => d,
        Err(e) => {
            let issue = e.issues.into_iter().next().expect("one issue");
            r.bad("/dialect", issue.code, issue.message);
            return r.finish(200, None, None);
        }
    };
    let Some(req) = envelope(request, &mut r) else {
        return r.finish(200, None, None);
    };
    let ctx = match context_of(context, &mut r) {
        Some(c) => c,
        None => return r.finish(req.op.success(), None, None),
    };
    match dialect {
        Dialect::Baseten => baseten::validate(&req, &ctx),
        Dialect::Frontier => frontier::validate(&req, &ctx),
        Dialect::Apinizer => apinizer::validate(&req, &ctx),
        Dialect::Conductor => conductor::validate(&req, &ctx),
        Dialect::Gorules => gorules::validate(&req, &ctx),
    }
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

fn context_of<'a>(context: &'a Value, r: &mut Report) -> Option<Context<'a>> {
    if context.is_null() {
        return Some(Context::default());
    }
    let o = object(context, "/context", r)?;
    let limits = match o.get("limits") {
        None => Limits::DEFAULT,
        Some(v) => match Limits::from_json(v) {
            Ok(l) => l,
            Err(e) => {
                r.bad(o.at("limits"), "type", format!("invalid limits: {e}"));
                return None;
            }
        },
    };
    Some(Context {
        state: o.get("state"),
        caller: o.get("caller"),
        catalog: o.get("catalog"),
        files: o.get("files"),
        limits,
    })
}

/// The closure of a subject's permissions in a dialect: roles expanded,
/// implications applied, sorted (SPEC §6 `permissionsOf`).
pub fn permissions_of(
    dialect: &str,
    subject: &Value,
    context: &Value,
) -> Result<Vec<String>, GroupgateError> {
    let dialect = Dialect::from_str(dialect)?;
    let ctx = match context {
        Value::Null => Context::default(),
        Value::Object(o) => Context {
            state: o.get("state").filter(|v| !v.is_null()),
            caller: o.get("caller").filter(|v| !v.is_null()),
            catalog: o.get("catalog").filter(|v| !v.is_null()),
            files: o.get("files").filter(|v| !v.is_null()),
            ..Context::default()
        },
        other => {
            return Err(GroupgateError::one(
                "/context",
                "type",
                format!("expected an object, got {}", type_name(other)),
            ))
        }
    };
    match dialect {
        Dialect::Baseten => baseten::permissions_of(subject, &ctx),
        Dialect::Frontier => frontier::permissions_of(subject, &ctx),
        Dialect::Apinizer => apinizer::permissions_of(subject, &ctx),
        Dialect::Conductor => conductor::permissions_of(subject, &ctx),
        Dialect::Gorules => gorules::permissions_of(subject, &ctx),
    }
}
