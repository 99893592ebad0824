//! Product data: each product's built-in roles, permissions and the
//! implications between them, as plain tables (one file per product).
//!
//! Nothing here computes anything; [`crate::permissions`] turns the tables
//! into catalogs and closures. Baseten's API-key scopes live with its
//! validator (`dialects/baseten.rs`), the one place that reads them.

pub mod apinizer;
pub mod conductor;
pub mod frontier;
pub mod gorules;
