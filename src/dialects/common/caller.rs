//! The one reader of a caller's names: the `permissions` and role lists of
//! `context.caller` in every dialect that has them. A name the dialect does
//! not know is a warning that grants nothing (a caller is the engine's
//! input, not the request's: it never refuses a request by itself).

use crate::json::read::{strings, Obj, Optional};
use crate::permissions::RoleCatalog;
use crate::verdict::Report;
use serde_json::Value;

/// The strings of the caller's list `key`, each with its pointer (absent:
/// empty; not an array, or a non-string item: a `type` error).
pub fn names<'a>(c: &Obj<'a>, key: &str, r: &mut Report) -> Vec<(String, &'a str)> {
    // A fixed key: short pointers.
    let at = c.at(key);
    c.array(key, Optional, r)
        .map(|a| {
            strings(a, &at, r)
                .into_iter()
                .map(|(p, s)| (p.path(), s))
                .collect()
        })
        .unwrap_or_default()
}

/// The caller's `permissions`, every one of them (unknown ones included, so
/// the caller decides what they count for); each one `known` refuses is an
/// `unknown_permission` warning ("…; it grants nothing", then `hint`).
pub fn permissions<'a>(
    c: &Obj<'a>,
    known: impl Fn(&str) -> bool,
    hint: &str,
    r: &mut Report,
) -> Vec<&'a str> {
    let list = names(c, "permissions", r);
    let mut out = Vec::with_capacity(list.len());
    for (path, p) in list {
        if !known(p) {
            r.warn(
                path,
                super::UNKNOWN_PERMISSION,
                format!("unknown permission {p:?}; it grants nothing{hint}"),
            );
        }
        out.push(p);
    }
    out
}

/// How a dialect reads a role list.
#[derive(Debug, Clone, Copy)]
pub struct RoleList<'h> {
    /// A permission given where a role is expected still means itself
    /// (Frontier binds roles and permissions alike).
    pub permissions_as_roles: bool,
    /// Appended to the `unknown_role` warning (how to describe the role).
    pub hint: &'h str,
}

/// The permissions the roles at `at` grant, each distinct role expanded
/// once. An unknown role is an `unknown_role` warning; a role whose
/// permissions are not public an `unknown_expansion` warning; both grant
/// nothing.
pub fn role_grants(
    items: &[Value],
    at: &str,
    catalog: &RoleCatalog,
    how: RoleList,
    r: &mut Report,
) -> Vec<String> {
    let mut roles: Vec<&str> = Vec::new();
    let mut direct: Vec<String> = Vec::new();
    for (path, role) in strings(items, at, r) {
        match catalog.role(role) {
            Some(Some(_)) => roles.push(role),
            Some(None) => r.warn(
                path.path(),
                "unknown_expansion",
                format!("{role} is a default role whose permissions are not public: it grants nothing here (describe it in context.catalog.roles)"),
            ),
            None if how.permissions_as_roles && catalog.is_permission(role) => {
                direct.push(role.to_string());
            }
            None => unknown(path.path(), role, how.hint, r),
        }
    }
    // One expansion of the distinct roles: repeats cost nothing.
    let mut out = catalog.expand(roles);
    out.extend(direct);
    out
}

/// A caller group `context.state.groups` does not list: a warning, and it
/// grants nothing (gorules, conductor).
pub fn unknown_group(path: String, gid: &str, r: &mut Report) {
    r.warn(
        path,
        "unknown_group",
        format!("group {gid} is not in context.state.groups; it grants nothing"),
    );
}

/// A caller role (or Baseten scope) the catalog does not know: a warning,
/// and it grants nothing (`hint`: how to name or describe it).
pub fn unknown(path: String, role: &str, hint: &str, r: &mut Report) {
    r.warn(
        path,
        super::UNKNOWN_ROLE,
        format!("unknown role {role:?}; it grants nothing{hint}"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::read::object;
    use serde_json::json;

    #[test]
    fn unknown_names_are_warnings_that_grant_nothing() {
        let catalog = RoleCatalog::from_tables(&[("R", &["p", "q"])], &["OPAQUE"], &[]);
        let caller = json!({"permissions": ["p", "zz"], "roles": ["R", "OPAQUE", "X", "q", "R"]});
        let mut r = Report::new();
        let c = object(&caller, "/context/caller", &mut r).unwrap();
        let perms = permissions(&c, |p| catalog.is_permission(p), "", &mut r);
        assert_eq!(perms, ["p", "zz"]);
        let how = RoleList {
            permissions_as_roles: true,
            hint: "",
        };
        let roles = c.get("roles").and_then(Value::as_array).unwrap();
        let got = role_grants(roles, &c.at("roles"), &catalog, how, &mut r);
        assert_eq!(got, ["p", "q", "q"]);
        let v = r.finish(200, None, None);
        let warnings: Vec<_> = v
            .warnings
            .iter()
            .map(|i| (i.path.as_str(), i.code))
            .collect();
        assert_eq!(
            warnings,
            [
                ("/context/caller/permissions/1", "unknown_permission"),
                ("/context/caller/roles/1", "unknown_expansion"),
                ("/context/caller/roles/2", "unknown_role"),
            ]
        );
    }
}
