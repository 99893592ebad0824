//! `catalog(dialect)` lists exactly what the engine accepts: every listed
//! role, permission and enum value passes `permissions_of` / `validate` in its
//! dialect, and a name that is not listed is refused.

use groupgate::{catalog, permissions_of, validate, Dialect, Verdict};
use serde_json::{json, Value};

const NOT_LISTED: &str = "NOT_LISTED";

fn perms(d: Dialect, subject: Value) -> Result<Vec<String>, groupgate::GroupgateError> {
    permissions_of(d.name(), &subject, &Value::Null)
}

#[test]
fn every_listed_role_and_permission_is_accepted_and_others_refused() {
    for d in Dialect::ALL {
        let c = catalog(d);
        assert_eq!(c.dialect, d.name());
        assert!(!c.permissions.is_empty(), "{d:?} lists permissions");
        for role in &c.roles {
            let got = perms(d, json!({"roles": [role.name]}))
                .unwrap_or_else(|e| panic!("{d:?} role {}: {e}", role.name));
            // A role grants at least what the catalog says it grants.
            for p in &role.permissions {
                assert!(got.contains(p), "{d:?} role {} grants {p}", role.name);
                assert!(
                    c.permissions.contains(p),
                    "{d:?}: {p} of {} is listed",
                    role.name
                );
            }
            // A note marks an opaque role, which lists nothing.
            assert!(
                role.note.is_none() || role.permissions.is_empty(),
                "{d:?} {}",
                role.name
            );
        }
        for p in &c.permissions {
            let got = perms(d, json!({"permissions": [p]}))
                .unwrap_or_else(|e| panic!("{d:?} permission {p}: {e}"));
            assert!(got.contains(p), "{d:?}: {p} is in its own closure");
        }
        let err = perms(d, json!({"roles": [NOT_LISTED]})).unwrap_err();
        assert_eq!(err.issues[0].path, "/roles/0", "{d:?}");
        let err = perms(d, json!({"permissions": [NOT_LISTED]})).unwrap_err();
        assert_eq!(err.issues[0].path, "/permissions/0", "{d:?}");
    }
}

#[test]
fn the_listings_keep_table_order() {
    // decided: README §catalog — lists follow the products' tables.
    let g = catalog(Dialect::Gorules);
    assert_eq!(g.permissions.first().map(String::as_str), Some("owner"));
    assert_eq!(g.permissions.len(), 19);
    let c = catalog(Dialect::Conductor);
    let names: Vec<&str> = c.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ADMIN",
            "METADATA_MANAGER",
            "USER",
            "WORKER",
            "METADATA_API",
            "WORKFLOW_MANAGER",
            "USER_READ_ONLY",
            "UNRESTRICTED_WORKER",
            "APPLICATION_MANAGER",
            "APPLICATION_CREATOR",
            "PROMPT_MANAGER"
        ]
    );
    // Apinizer's default roles (docs.apinizer.com role-permission-details).
    let a = catalog(Dialect::Apinizer);
    let names: Vec<&str> = a.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        &names[..3],
        ["Project Owner", "API Developer", "API Manager"]
    );
    assert_eq!(c.roles[0].permissions[0], "AUTHORIZATION_MANAGEMENT");
    let b = catalog(Dialect::Baseten);
    assert_eq!(b.enums.get("rateLimitUnit").unwrap(), ["SECOND", "MINUTE"]);
    // The docs' scopes, then the API key types of tryAGI/Baseten@5f7d802
    // openapi.yaml `APIKeyCategory` that grant them.
    assert_eq!(
        b.enums.get("scope").unwrap(),
        [
            "management",
            "inference",
            "WORKSPACE_MANAGE_ALL",
            "WORKSPACE_INVOKE"
        ]
    );
}

/// A request that puts `value` where the enum `name` is read, and the
/// pointer of that spot.
fn enum_request(d: Dialect, name: &str, value: &str) -> (Value, String) {
    let model = |rate: Value, usage: Value| {
        json!({"op": "create", "body": {
        "metadata": {"name": "n"},
        "models": [{"slug": "a/b", "rate_limits": rate, "usage_limits": usage}]}})
    };
    let rule = |effect: &str, action: &str| {
        json!({"op": "create",
        "params": {"projectId": "11111111-1111-4111-8111-111111111111"},
        "body": {"name": "g", "filePermissions": [{"effect": effect, "actions": [action], "patterns": "*"}]}})
    };
    match (d, name) {
        (Dialect::Baseten, "rateLimitType") => (
            model(
                json!([{"type": value, "unit": "SECOND", "threshold": 1}]),
                json!([]),
            ),
            "/body/models/0/rate_limits/0/type".into(),
        ),
        (Dialect::Baseten, "rateLimitUnit") => (
            model(
                json!([{"type": "TOKEN", "unit": value, "threshold": 1}]),
                json!([]),
            ),
            "/body/models/0/rate_limits/0/unit".into(),
        ),
        (Dialect::Baseten, "usageLimitUnit") => (
            model(
                json!([]),
                json!([{"type": "TOKEN", "unit": value, "threshold": 1}]),
            ),
            "/body/models/0/usage_limits/0/unit".into(),
        ),
        (Dialect::Baseten, "limitEnforcement") => (
            json!({"op": "create", "body": {"metadata": {"name": "n"},
                   "hierarchy": {"limit_enforcement": value}}}),
            "/body/hierarchy/limit_enforcement".into(),
        ),
        (Dialect::Gorules, "fileAction") => (
            rule("allow", value),
            "/body/filePermissions/0/actions/0".into(),
        ),
        (Dialect::Gorules, "effect") => (
            rule(value, "visible"),
            "/body/filePermissions/0/effect".into(),
        ),
        // Read from the context (see `context_for`).
        (Dialect::Gorules, "projectVersion") => (
            rule("allow", "visible"),
            "/context/state/projectVersion".into(),
        ),
        (Dialect::Conductor, "accessTarget") => (
            json!({"op": "update", "params": {"id": "g"},
                   "body": {"roles": [], "defaultAccess": {value: ["READ"]}}}),
            format!("/body/defaultAccess/{value}"),
        ),
        (Dialect::Conductor, "accessKind") => (
            json!({"op": "update", "params": {"id": "g"},
                   "body": {"roles": [], "defaultAccess": {"TASK_DEF": [value]}}}),
            "/body/defaultAccess/TASK_DEF/0".into(),
        ),
        (Dialect::Apinizer, "method") => (
            json!({"op": "update", "params": {"projectName": "shop"},
                   "body": {"name": "orders", "clientRoute": {"relativePathList": ["/a"], "methodList": [value]}}}),
            "/body/clientRoute/methodList/0".into(),
        ),
        other => panic!("no request places the enum {other:?}: add one here"),
    }
}

/// The context an enum lives in (most live in the request body).
fn context_for(name: &str, value: &str) -> Value {
    match name {
        "projectVersion" => json!({"state": {"projectVersion": value}}),
        _ => Value::Null,
    }
}

fn errors_at<'a>(v: &'a Verdict, path: &str) -> Vec<&'a str> {
    v.errors
        .iter()
        .filter(|i| i.path == path)
        .map(|i| i.code)
        .collect()
}

#[test]
fn every_listed_enum_value_is_accepted_and_others_refused() {
    let mut seen = 0;
    for d in Dialect::ALL {
        for (name, values) in catalog(d).enums.iter() {
            if name == "scope" {
                continue; // Baseten's scopes are its roles (tested above).
            }
            assert!(!values.is_empty(), "{d:?} {name}");
            for value in values {
                let (req, path) = enum_request(d, name, value);
                let v = validate(d.name(), &req, &context_for(name, value)).unwrap();
                assert_eq!(
                    errors_at(&v, &path),
                    Vec::<&str>::new(),
                    "{d:?} {name}={value}: {v:?}"
                );
                seen += 1;
            }
            let (req, path) = enum_request(d, name, NOT_LISTED);
            let v = validate(d.name(), &req, &context_for(name, NOT_LISTED)).unwrap();
            assert_eq!(
                errors_at(&v, &path),
                ["enum"],
                "{d:?} {name}={NOT_LISTED}: {v:?}"
            );
        }
    }
    assert!(seen >= 30, "{seen} enum values checked");
}

#[test]
fn an_unknown_dialect_is_an_error() {
    let err = "nope".parse::<Dialect>().unwrap_err();
    assert_eq!(err.code(), "unknown_dialect");
}

/// `ROLE_API_SECURITY`, a role name of the API docs (apinizer/management-api-docs@319c71d
/// 01-getting-started/authentication.md:146 "Manage connections, credentials,
/// certificates"; 06-connections/index.md:46 "Required for all connection
/// operations"; 08-keys-secrets/index.md:56 "Required for all keys and secrets
/// operations"), holds Connections and Identity & Access Control (its JWKs,
/// keystores, keys, certificates: https://docs.apinizer.com/en/admin/user-access-management/authorization-matrix)
/// to manage, as a role and as a permission (it was an unknown role: an error).
#[test]
fn apinizer_role_api_security_manages_connections_and_identity() {
    let want = [
        "CONNECTIONS+MANAGE",
        "CONNECTIONS+VIEW",
        "IDENTITY+MANAGE",
        "IDENTITY+VIEW",
    ];
    for subject in [
        json!({"roles": ["ROLE_API_SECURITY"]}),
        json!({"permissions": ["ROLE_API_SECURITY"]}),
    ] {
        assert_eq!(perms(Dialect::Apinizer, subject).unwrap(), want);
    }
}
