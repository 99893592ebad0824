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
