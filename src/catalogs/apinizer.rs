//! Apinizer: asset categories, their actions and extra implications.

/// Apinizer asset categories and the actions each supports (Apinizer's
/// authorization matrix). A permission is `CATEGORY+ACTION`. The first six
/// codes are Apinizer's own spelling; the last six follow the documented
/// display names (Secrets & Certificates, Monitoring, …). Extend with
/// `context.catalog.permissions`.
pub const APINIZER_CATEGORIES: &[(&str, &[&str])] = &[
    (
        "API_MANAGEMENT",
        &["VIEW", "MANAGE", "DEPLOY_UNDEPLOY", "EXPORT_IMPORT"],
    ),
    ("API_CREATOR", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
    ("API_INTEGRATOR", &["VIEW", "MANAGE", "EXECUTE"]),
    ("GLOBAL_SETTINGS", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
    ("CONNECTIONS", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
    ("IDENTITY", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
    ("SECRETS", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
    ("MONITORING", &["VIEW", "MANAGE"]),
    ("ANALYTICS", &["VIEW", "MANAGE"]),
    ("AUDIT", &["VIEW"]),
    ("TESTING", &["VIEW", "EXECUTE"]),
    ("PROJECT_MANAGEMENT", &["VIEW", "MANAGE", "EXPORT_IMPORT"]),
];

/// Apinizer implications beyond "every action of a category implies its
/// `VIEW`": Apinizer adds these when `API_MANAGEMENT+MANAGE` is granted.
pub const APINIZER_IMPLIES: &[(&str, &[&str])] = &[(
    "API_MANAGEMENT+MANAGE",
    &[
        "API_INTEGRATOR+EXECUTE",
        "CONNECTIONS+MANAGE",
        "IDENTITY+MANAGE",
        "SECRETS+MANAGE",
    ],
)];

/// Every `CATEGORY+ACTION` of [`APINIZER_CATEGORIES`]: the Project Owner's
/// "All actions in all categories". The Owner's and the API Developer's
/// matrices are all but the last two.
const ALL_ACTIONS: &[&str] = &[
    "API_MANAGEMENT+VIEW",
    "API_MANAGEMENT+MANAGE",
    "API_MANAGEMENT+DEPLOY_UNDEPLOY",
    "API_MANAGEMENT+EXPORT_IMPORT",
    "API_CREATOR+VIEW",
    "API_CREATOR+MANAGE",
    "API_CREATOR+EXPORT_IMPORT",
    "API_INTEGRATOR+VIEW",
    "API_INTEGRATOR+MANAGE",
    "API_INTEGRATOR+EXECUTE",
    "GLOBAL_SETTINGS+VIEW",
    "GLOBAL_SETTINGS+MANAGE",
    "GLOBAL_SETTINGS+EXPORT_IMPORT",
    "CONNECTIONS+VIEW",
    "CONNECTIONS+MANAGE",
    "CONNECTIONS+EXPORT_IMPORT",
    "IDENTITY+VIEW",
    "IDENTITY+MANAGE",
    "SECRETS+VIEW",
    "SECRETS+MANAGE",
    "SECRETS+EXPORT_IMPORT",
    "MONITORING+VIEW",
    "MONITORING+MANAGE",
    "ANALYTICS+VIEW",
    "AUDIT+VIEW",
    "TESTING+VIEW",
    "TESTING+EXECUTE",
    "PROJECT_MANAGEMENT+VIEW",
    "PROJECT_MANAGEMENT+MANAGE",
    "PROJECT_MANAGEMENT+EXPORT_IMPORT",
    // In the category table, not in the Project Owner matrix (the
    // description, "All actions in all categories", grants them).
    "ANALYTICS+MANAGE",
    "IDENTITY+EXPORT_IMPORT",
];

/// Apinizer's default project roles, from the permission matrices of
/// https://docs.apinizer.com/en/admin/user-access-management/role-permission-details.
/// "Project Owner: Role with all permissions in the project. Cannot be
/// deleted or edited. Permissions: All actions in all categories" (so every
/// `CATEGORY+ACTION` above; the page's own table omits a few, the
/// description wins). The API Developer's matrix is the Owner's table, all
/// twelve rows (the page's rows past Monitoring count the same "-" cells as
/// the Owner's); the API Manager holds the rows the public page shows, rows
/// it does not show grant nothing.
pub const APINIZER_ROLES: &[(&str, &[&str])] = &[
    ("Project Owner", ALL_ACTIONS),
    (
        "API Developer",
        ALL_ACTIONS.split_at(ALL_ACTIONS.len() - 2).0,
    ),
    (
        "API Manager",
        &[
            "API_MANAGEMENT+VIEW",
            "API_MANAGEMENT+MANAGE",
            "API_MANAGEMENT+DEPLOY_UNDEPLOY",
            "API_MANAGEMENT+EXPORT_IMPORT",
            "API_CREATOR+VIEW",
            "API_INTEGRATOR+VIEW",
            "GLOBAL_SETTINGS+VIEW",
            "CONNECTIONS+VIEW",
            "IDENTITY+VIEW",
        ],
    ),
    // The names of apinizer/management-api-docs (`ROLE_*`, "Ensure your user
    // account has the necessary roles", 01-getting-started/authentication.md
    // :141-148; "Requires `ROLE_MANAGE_PROXY_GROUPS` permission",
    // 02-api-reference/09-api-proxy-groups/index.md:35-37), in the category +
    // action model. Also accepted in `caller.permissions`.
    (
        "ROLE_MANAGE_PROXY_GROUPS",
        &["API_MANAGEMENT+VIEW", "API_MANAGEMENT+MANAGE"],
    ),
    (
        "ROLE_DEPLOY_UNDEPLOY_PROXIES",
        &["API_MANAGEMENT+VIEW", "API_MANAGEMENT+DEPLOY_UNDEPLOY"],
    ),
    // "Manage connections, credentials, certificates" (authentication.md
    // :146), "Required for all connection operations" and "for all keys and
    // secrets operations" (JWKs, keystores, keys, certificates;
    // 06-connections/index.md:46, 08-keys-secrets/index.md:56): Connections
    // and Identity & Access Control ("Credential, Certificate, Key, JWK,
    // KeyStore", the authorization matrix). VIEW follows from MANAGE.
    (
        "ROLE_API_SECURITY",
        &["CONNECTIONS+MANAGE", "IDENTITY+MANAGE"],
    ),
    // "Full administrative access".
    ("ROLE_ADMIN", ALL_ACTIONS),
];

/// Default roles the docs name (https://docs.apinizer.com/en/admin/user-access-management/roles)
/// without a matrix in the category + action model: accepted, expanded to
/// nothing (with a warning) unless `context.catalog.roles` describes them.
pub const APINIZER_OPAQUE_ROLES: &[&str] =
    &["API Analytics", "API Creator", "API Tester", "API Security"];
