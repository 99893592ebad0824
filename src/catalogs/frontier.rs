//! Raystack Frontier: roles and permissions, as the server at HEAD
//! `670a8fe6` defines them: roles from
//! `internal/bootstrap/schema/schema.go:395-487` (`PredefinedRoles`),
//! implications from `internal/bootstrap/schema/base_schema.zed` (a
//! permission implies another where the zed formula of the second names
//! the first). Authorization itself reads the zed formulas directly
//! (`dialects/frontier/caller.rs`); these implications serve `permissionsOf`.

/// Frontier's predefined roles → permissions.
pub const FRONTIER_ROLES: &[(&str, &[&str])] = &[
    ("app_organization_owner", &["app_organization_administer"]),
    (
        "app_organization_manager",
        &[
            "app_organization_update",
            "app_organization_get",
            "app_organization_projectcreate",
            "app_organization_projectlist",
            "app_organization_groupcreate",
            "app_organization_grouplist",
            "app_organization_serviceusermanage",
            "app_project_get",
            "app_project_update",
        ],
    ),
    (
        "app_organization_accessmanager",
        &[
            "app_organization_invitationcreate",
            "app_organization_invitationlist",
            "app_organization_rolemanage",
            "app_organization_policymanage",
        ],
    ),
    ("app_organization_viewer", &["app_organization_get"]),
    ("app_project_owner", &["app_project_administer"]),
    (
        "app_project_manager",
        &[
            "app_project_update",
            "app_project_get",
            "app_project_resourcelist",
            "app_organization_projectcreate",
            "app_organization_projectlist",
            "app_organization_grouplist",
        ],
    ),
    ("app_project_viewer", &["app_project_get"]),
    ("app_group_owner", &["app_group_administer"]),
    ("app_group_member", &["app_group_get"]),
    (
        "app_billing_manager",
        &[
            "app_organization_billingview",
            "app_organization_billingmanage",
        ],
    ),
];

/// Frontier permissions and what each implies directly (base_schema.zed:
/// `app_organization_administer` appears in every organization formula and
/// the synthetic group/project ones; a group's or project's `administer` in
/// each of its formulas; `get` also accepts `update` for orgs and projects).
pub const FRONTIER_PERMISSIONS: &[(&str, &[&str])] = &[
    (
        "app_organization_administer",
        &[
            "app_organization_delete",
            "app_organization_update",
            "app_organization_get",
            "app_organization_rolemanage",
            "app_organization_policymanage",
            "app_organization_projectlist",
            "app_organization_grouplist",
            "app_organization_projectcreate",
            "app_organization_groupcreate",
            "app_organization_invitationlist",
            "app_organization_invitationcreate",
            "app_organization_serviceusermanage",
            "app_organization_billingmanage",
            "app_organization_billingview",
            "app_project_administer",
            "app_group_administer",
        ],
    ),
    ("app_organization_delete", &[]),
    ("app_organization_update", &["app_organization_get"]),
    ("app_organization_get", &[]),
    ("app_organization_rolemanage", &[]),
    ("app_organization_policymanage", &[]),
    ("app_organization_projectlist", &[]),
    ("app_organization_grouplist", &[]),
    ("app_organization_projectcreate", &[]),
    ("app_organization_groupcreate", &[]),
    ("app_organization_invitationlist", &[]),
    ("app_organization_invitationcreate", &[]),
    ("app_organization_serviceusermanage", &[]),
    ("app_organization_billingmanage", &[]),
    ("app_organization_billingview", &[]),
    (
        "app_project_administer",
        &[
            "app_project_delete",
            "app_project_update",
            "app_project_get",
            "app_project_policymanage",
            "app_project_resourcelist",
        ],
    ),
    ("app_project_delete", &[]),
    ("app_project_update", &["app_project_get"]),
    ("app_project_get", &[]),
    ("app_project_policymanage", &[]),
    ("app_project_resourcelist", &[]),
    (
        "app_group_administer",
        &["app_group_update", "app_group_delete", "app_group_get"],
    ),
    // base_schema.zed:73: a group's get does not accept update.
    ("app_group_update", &[]),
    ("app_group_delete", &[]),
    ("app_group_get", &[]),
];
