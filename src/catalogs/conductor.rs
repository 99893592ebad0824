//! Orkes Conductor: built-in roles, opaque roles and `defaultAccess` targets.

/// Orkes Conductor built-in roles → permissions (orkes-io/docs `create-group.mdx`, `get-all-users.mdx` examples). `ADMIN` and
/// `METADATA_MANAGER` are in the order of the seed's example responses; the
/// `next` resource lists permissions in this order.
pub const CONDUCTOR_ROLES: &[(&str, &[&str])] = &[
    (
        "ADMIN",
        &[
            "AUTHORIZATION_MANAGEMENT",
            "WORKFLOW_SEARCH",
            "PUBLISHER_MANAGEMENT",
            "API_GATEWAY_VIEW",
            "API_GATEWAY_MANAGEMENT",
            "WORKFLOW_MANAGEMENT",
            "PROMPT_MANAGEMENT",
            "EVENT_HANDLER_MANAGEMENT",
            "USER_MANAGEMENT",
            "PERMISSION_MANAGEMENT",
            "METADATA_VIEW",
            "ADMIN_MANAGEMENT",
            "METADATA_MANAGEMENT",
            "APPLICATION_MANAGEMENT",
            "BULK_MANAGEMENT",
            "SCHEDULE_MANAGEMENT",
        ],
    ),
    (
        "METADATA_MANAGER",
        &[
            "API_GATEWAY_VIEW",
            "API_GATEWAY_MANAGEMENT",
            "CREATE_INTEGRATION",
            "CREATE_SECRET",
            "METADATA_VIEW",
            "METADATA_MANAGEMENT",
        ],
    ),
    (
        "USER",
        &[
            "CREATE_SECRET",
            "API_GATEWAY_VIEW",
            "CREATE_USER_FORM_TEMPLATE",
            "CREATE_WORKFLOW_DEF",
            "CREATE_TASK_DEF",
            "WORKFLOW_SEARCH",
            "CREATE_INTEGRATION",
            "CREATE_APPLICATION",
            "API_GATEWAY_MANAGEMENT",
        ],
    ),
    ("WORKER", &[]),
    (
        "METADATA_API",
        &[
            "CREATE_TASK_DEF",
            "CREATE_WORKFLOW_DEF",
            "CREATE_USER_FORM_TEMPLATE",
        ],
    ),
];

/// Conductor roles that exist but whose expansion is not public: accepted,
/// expanded to nothing (with a warning) unless `context.catalog` says otherwise.
/// The last four are in the Java SDK's `UpsertGroupRequest.RolesEnum`
/// (conductor-oss/java-sdk `conductor-client/src/main/java/io/orkes/conductor/client/model/UpsertGroupRequest.java:72-82`),
/// which the SDK sends to the server.
pub const CONDUCTOR_OPAQUE_ROLES: &[&str] = &[
    "WORKFLOW_MANAGER",
    "USER_READ_ONLY",
    "UNRESTRICTED_WORKER",
    "APPLICATION_MANAGER",
    "APPLICATION_CREATOR",
    "PROMPT_MANAGER",
];

/// Conductor `defaultAccess` targets (the keys of the map).
pub const CONDUCTOR_ACCESS_TARGETS: &[&str] = &["WORKFLOW_DEF", "TASK_DEF", "WORKFLOW_SCHEDULE"];

/// The access kinds a `defaultAccess` target may hold, in the order of the
/// server's OpenAPI (`UpsertGroupRequest.defaultAccess` items enum,
/// conductor-oss/javascript-sdk@816e5f5 `src/open-api/spec/spec.json`) and
/// of create-group.mdx's "Supported values".
pub const CONDUCTOR_ACCESS_KINDS: &[&str] = &["CREATE", "READ", "EXECUTE", "UPDATE", "DELETE"];
