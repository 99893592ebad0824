//! The JS `Workspace` (Baseten state): wired when the hierarchy lands.
