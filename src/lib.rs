//! groupgate: a policy engine for group management.
//!
//! # Public surface
//!
//! Everything a caller needs is re-exported here; the modules behind it are
//! private unless named below.
//!
//! - Validation: [`validate`] (a request of one of the five [`Dialect`]s
//!   into a [`Verdict`] of [`Issue`]s, each with a [`Severity`]),
//!   [`permissions_of`], and [`catalog`] ([`DialectCatalog`], [`Enums`],
//!   [`RoleEntry`]: the roles, permissions and enum values each dialect
//!   accepts, which the web console reads instead of copying them).
//! - File permissions: [`FilePolicy`], [`PolicyOptions`], [`Action`],
//!   [`Explanation`]; [`glob_match`], [`glob_match_with`], [`GlobOptions`].
//! - Baseten: [`Workspace`].
//! - Engine input and errors: [`Limits`], [`GroupgateError`]; [`version`].
//!
//! Three modules stay public because their types are part of that surface
//! and the fuzz targets, benches and tests build them directly:
//! [`files`] (rule types such as `Reason`, `Effect`, `ProjectVersion`),
//! [`glob`] (the parser and path normalizer the glob fuzz target drives),
//! [`baseten`] (the Baseten wire types a `Workspace` is built from:
//! `BasetenGroup`, `ApiKey`, `ApplyOptions`); and [`snapshot`], whose
//! `seal` writes the snapshot envelope tests and fuzzers feed to
//! `FilePolicy::from_bytes`. `hierarchy` is the old name of [`baseten`],
//! kept (hidden) so code written against it still compiles; new code says
//! `baseten`.
//!
//! Private, one job each: `dialects` (the five validators over one shared
//! pipeline, `dialects/common`), `catalogs` (each product's roles and
//! permissions, data only), `permissions` (catalogs and their closures),
//! `json` (JSON Pointers and the readers of untyped input; `input` is its
//! old name), `verdict` (issues, the report validators fill in, the failure
//! order), `schema` (JSON Schema for Frontier metadata), `patterns`
//! (compiled pattern sets), `limits`, `error`.
//!
//! The JavaScript adapter lives in `src/js/` and is compiled for wasm32 only:
//! nothing else here knows about JavaScript. Its validator and `Workspace`
//! exports need the default feature `dialects`; without it the `.wasm` holds
//! file permissions only (the package's `groupgate/files` entry). `tests/architecture.rs` keeps
//! the module graph free of cycles and lists modules and functions over the
//! size limits.

#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod baseten;
mod catalogs;
mod dialects;
mod error;
pub mod files;
pub mod glob;
mod input;
mod json;
mod keyed;
mod limits;
mod patterns;
mod permissions;
mod schema;
pub mod snapshot;
mod sort;
mod strset;
mod substr;
#[cfg(test)]
mod test_cpu;
mod verdict;

#[cfg(target_arch = "wasm32")]
mod js;

#[doc(hidden)]
pub use baseten as hierarchy;
pub use baseten::Workspace;
pub use dialects::{catalog, permissions_of, validate, Dialect, DialectCatalog, Enums, RoleEntry};
pub use error::GroupgateError;
pub use files::{Action, Explanation, FilePolicy, PolicyOptions};
pub use limits::{Limits, LimitsError, LimitsErrorKind};
pub use patterns::{glob_match, glob_match_with, GlobOptions};
pub use verdict::{Issue, Severity, Verdict, ISSUES_PER_CODE};

/// The crate's version, as the npm package reports it.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
