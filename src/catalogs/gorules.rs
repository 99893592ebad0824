//! GoRules BRMS: the project permissions and the permission tree.

/// The GoRules BRMS project permissions (the enum of the seed's OpenAPI),
/// in the seed's order.
pub const GORULES_PERMISSIONS: [&str; 19] = [
    "owner",
    "documents",
    "releases",
    "releases:manage",
    "releases:deploy",
    "releases:delete",
    "integrations:manage",
    "documents:full",
    "documents:view-content",
    "documents:edit-content",
    "documents:edit-view",
    "branches",
    "branches:create",
    "branches:merge",
    "branches:delete",
    "project:manage",
    "environments",
    "environments:manage",
    "environments:delete",
];

/// The GoRules permission tree (SPEC §1.5): what each permission implies
/// directly. `owner` implies every permission.
pub const GORULES_TREE: &[(&str, &[&str])] = &[
    ("owner", &GORULES_PERMISSIONS),
    (
        "documents",
        &[
            "documents:full",
            "documents:view-content",
            "documents:edit-content",
            "documents:edit-view",
        ],
    ),
    (
        "releases",
        &["releases:manage", "releases:deploy", "releases:delete"],
    ),
    (
        "branches",
        &["branches:create", "branches:merge", "branches:delete"],
    ),
    (
        "environments",
        &["environments:manage", "environments:delete"],
    ),
    (
        "documents:full",
        &[
            "documents:edit-content",
            "documents:edit-view",
            "documents:view-content",
        ],
    ),
    ("documents:edit-content", &["documents:view-content"]),
];
