//! groupgate: a policy engine for group management.
//!
//! One module per concern:
//! - [`glob`]: the glob dialect of file permissions (SPEC §2);
//! - [`patterns`]: compiled pattern sets (a directory trie for simple
//!   shapes, segment matching for the rest; no globset at run time);
//! - [`files`]: allow/deny file rules compiled into a [`files::FilePolicy`];
//! - [`catalogs`]: each product's roles and permissions (data only);
//! - [`permissions`]: catalogs built from those tables, and their closures;
//! - [`baseten`]: the Baseten group tree and its effective models (also
//!   reachable as `hierarchy`, its old name);
//! - [`json`]: JSON Pointers and the readers of untyped input
//!   ([`input`] is its old name); [`verdict`]: validation results;
//! - [`dialects`]: one validator per product API, the shared steps, the
//!   context reader and [`catalog`].
//!
//! The JavaScript adapter lives in `src/js/` and is compiled for wasm32 only:
//! nothing else here knows about JavaScript. `tests/architecture.rs` keeps
//! the module graph free of cycles and lists modules and functions over the
//! size limits.

#![forbid(unsafe_code)]

pub mod baseten;
pub mod catalogs;
pub mod dialects;
pub mod error;
pub mod files;
pub mod glob;
pub mod input;
pub mod json;
pub mod limits;
pub mod patterns;
pub mod permissions;
pub mod schema;
pub mod snapshot;
mod sort;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
mod js;

pub use baseten as hierarchy;
pub use baseten::Workspace;
pub use dialects::{catalog, permissions_of, validate, Dialect, DialectCatalog, Enums, RoleEntry};
pub use error::GroupgateError;
pub use files::{Action, Explanation, FilePolicy, PolicyOptions};
pub use limits::Limits;
pub use patterns::{glob_match, glob_match_with, GlobOptions};
pub use verdict::{Issue, Verdict};

/// The crate's version, as the npm package reports it.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
