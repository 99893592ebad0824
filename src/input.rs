//! The readers moved to [`crate::json::read`]; this path keeps existing
//! `use crate::input::…` lines compiling.

pub use crate::json::read::*;
