//! Raystack Frontier: roles and permissions.

/// Raystack Frontier roles → permissions (SPEC §1.2). Org roles grant
/// `app_organization_*` permissions; group roles are held per group.
pub const FRONTIER_ROLES: &[(&str, &[&str])] = &[
    ("app_organization_owner", &["app_organization_administer"]),
    (
        "app_organization_manager",
        &["app_organization_groupcreate", "app_organization_get"],
    ),
    ("app_organization_viewer", &["app_organization_get"]),
    ("app_group_owner", &["app_group_administer"]),
    ("app_group_member", &["app_group_get"]),
];

/// Frontier permissions and what each implies directly. Administering the
/// organization covers creating groups and administering every group in it.
pub const FRONTIER_PERMISSIONS: &[(&str, &[&str])] = &[
    (
        "app_organization_administer",
        &[
            "app_organization_groupcreate",
            "app_organization_get",
            "app_group_administer",
        ],
    ),
    ("app_organization_groupcreate", &[]),
    ("app_organization_get", &[]),
    (
        "app_group_administer",
        &["app_group_update", "app_group_delete", "app_group_get"],
    ),
    ("app_group_update", &["app_group_get"]),
    ("app_group_delete", &[]),
    ("app_group_get", &[]),
];
