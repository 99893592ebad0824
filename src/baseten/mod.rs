//! The Baseten group tree: state validation and effective models (was
//! `hierarchy`; the old path `groupgate::hierarchy` still names it).
//!
//! A [`Workspace`] is built once from the state (`{groups, keys?}`), checked
//! (dangling parents, cycles, depth, mixed enforcement, duplicates), and
//! precomputed: children are indexed and every group's effective models are
//! computed once. A preview then recomputes only the subtree under the changed
//! group, and stops descending as soon as a child's inputs are unchanged.
//!
//! One job per file: [`model`] the wire types; `read` the one reader of
//! state and models (`scan` its fast path over JSON text); `store` the
//! compact form; `tree` the workspace, `checks` its structural checks;
//! `effective` inheritance; `effects` the `changes` of a request, `changes` their rendering. The
//! validator (`dialects::baseten`) uses this module, never the reverse.

mod apply;
mod bytes;
mod bytes_check;
mod changes;
mod checks;
mod effective;
mod effects;
mod intern;
pub mod model;
mod radix;
mod read;
mod scan;
mod store;
mod tree;

pub use apply::ApplyOptions;
pub use model::is_slug;
pub use model::{
    ApiKey, BasetenGroup, EffectiveLimit, EffectiveModel, Enforcement, HierarchyConfig, Limit,
    LimitKind, LimitType, LimitUnit, Metadata, ModelConfig,
};
pub use store::GroupRef;
pub use tree::Workspace;

pub(crate) use changes::Changes;
pub(crate) use effective::LimitKey;
pub(crate) use read::{enum_of, group_of, parse_models};
