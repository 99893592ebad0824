//! JSON Schema as Frontier's server runs it for group metadata: the
//! semantics of gojsonschema v1.2.0 (drafts 4, 6 and 7; without `$schema`
//! every keyword of the three, as gojsonschema's "hybrid" mode).
//!
//! * [`compile`] reads a schema once ([`compile`] module: which keywords
//!   each draft knows and what makes a schema invalid); `$ref` is resolved
//!   inside the document ([`refs`]), patterns are Go RE2 syntax run by a
//!   linear-time engine ([`regex`]), `format` is asserted ([`format`], with
//!   Go's parsers in [`net`]), numbers compare exactly ([`number`]).
//! * [`Schema::validate`] walks an instance ([`validate`] module) within a
//!   work budget and a nesting limit: a hostile schema or value ends with a
//!   `limit` error, never a hang or a stack overflow.
//!
//! Not checked (reported as `schema.unsupported` warnings, never silently):
//! `$ref` to another document (the server would fetch it), Unicode classes
//! `\p{…}` and Unicode case folding in patterns.

mod compile;
mod format;
mod keywords;
mod net;
mod number;
mod refs;
mod regex;
mod validate;

use serde_json::Value;

use crate::verdict::Issue;
use keywords::Node;

/// How deep schemas, and values with the `$ref`s followed, may nest.
pub const MAX_DEPTH: usize = 128;

/// The most bytes of pointers a schema's compilation writes (each
/// subschema's, and so each `$ref` holder's kept until its target is
/// compiled) and of addresses it resolves (`$id`, `$ref`): a 60 KB member
/// name over 100,000 `$ref`s kept 6 GB and trapped; past this the schema
/// is refused (`limit`), within the README's 16 MiB.
pub const MAX_POINTER_BYTES: usize = 1 << 24;

pub use validate::FUEL;

/// One failed assertion: where in the instance (`path`, a JSON Pointer
/// under the base given to [`Schema::validate`]), which keyword (`code`,
/// `schema.<keyword>`, or `limit`) and a short human explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub path: String,
    pub code: &'static str,
    pub detail: String,
}

/// A schema ready to validate instances.
#[derive(Debug)]
pub struct Schema {
    nodes: Vec<Node>,
    root: usize,
}

/// What [`compile`] found: the schema when it is valid, its errors
/// (`schema.invalid`, `limit`: the server refuses every value) and warnings
/// (`schema.unsupported`: parts groupgate does not check), at pointers under
/// the base given.
#[derive(Debug)]
pub struct Compiled {
    pub schema: Option<Schema>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

/// Reads `schema`; issues are reported at pointers under `base` (for
/// example `/context/state/metaschema`).
pub fn compile(schema: &Value, base: &str) -> Compiled {
    let (schema, errors, warnings) = compile::Compiler::run(schema, base);
    Compiled {
        schema,
        errors,
        warnings,
    }
}

impl Schema {
    /// Every failure of `instance`, at pointers under `base`.
    pub fn validate(&self, instance: &Value, base: &str) -> Vec<SchemaError> {
        let mut out = Vec::new();
        let mut w = validate::Walker::new(self);
        w.visit(self.root, instance, base, 0, &mut out);
        if w.exhausted {
            out.push(SchemaError {
                path: base.to_string(),
                code: "limit",
                detail: format!(
                    "validation stopped: this value and schema need more than the work limit ({FUEL} steps)"
                ),
            });
        }
        out
    }
}

/// Compiles and validates in one call; an invalid schema gives its errors
/// (the tests' shorthand; validators compile once and reuse the schema).
#[cfg(test)]
pub fn validate(schema: &Value, instance: &Value, base: &str) -> Vec<SchemaError> {
    let c = compile(schema, "");
    match c.schema {
        Some(s) => s.validate(instance, base),
        None => c
            .errors
            .into_iter()
            .map(|i| SchemaError {
                path: i.path,
                code: i.code,
                detail: i.message,
            })
            .collect(),
    }
}

/// True when `instance` satisfies `schema` (and the schema is valid).
#[cfg(test)]
pub fn is_valid(schema: &Value, instance: &Value) -> bool {
    validate(schema, instance, "").is_empty()
}

#[cfg(test)]
mod tests;

/// Into an [`Issue`] at the schema error's own path.
impl From<SchemaError> for Issue {
    fn from(e: SchemaError) -> Issue {
        Issue::new(e.path, e.code, e.detail)
    }
}
