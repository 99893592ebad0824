//! Size limits (SPEC §4). Every limit has a default and can be changed per
//! engine; going over one is an error that names the limit.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Baseten hierarchy depth; a root is level 1.
    pub max_depth: usize,
    /// Groups in one engine (a `FilePolicy` or a `Workspace`).
    pub max_groups: usize,
    /// File rules in one `FilePolicy`.
    pub max_rules: usize,
    /// Bytes in one glob.
    pub max_glob_bytes: usize,
    /// Bytes in one path.
    pub max_path_bytes: usize,
    /// Bytes in any string field of a request.
    pub max_string_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_depth: 5,
        max_groups: 10_000,
        max_rules: 100_000,
        max_glob_bytes: 1024,
        max_path_bytes: 4096,
        max_string_bytes: 64 * 1024,
    };
}

impl Limits {
    /// Reads `{maxDepth?, maxGroups?, …}` (the defaults for what is not
    /// given). Only an object: serde would also read a struct from an array,
    /// positionally.
    pub fn from_json(v: &serde_json::Value) -> Result<Limits, String> {
        if !v.is_object() {
            return Err("limits must be an object".into());
        }
        Limits::deserialize(v).map_err(|e| e.to_string())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
