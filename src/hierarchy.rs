//! Placeholder.
#[derive(Debug, Clone, Default)]
pub struct Workspace {}
