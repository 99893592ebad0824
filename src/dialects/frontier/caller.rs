//! Who may do what, as Frontier's SpiceDB schema decides
//! (internal/bootstrap/schema/base_schema.zed):
//!
//! * create: `org.groupcreate = platform->superuser + granted->app_organization_administer + granted->app_organization_groupcreate`
//! * update: `group.update = org->group_update + granted->app_group_administer + granted->app_group_update`,
//!   `org.group_update = platform->superuser + granted->app_organization_administer + granted->app_group_update`
//! * delete: the same with `delete`.
//!
//! So a role bound on the organization counts for every group only through
//! `app_organization_administer` or the plain `app_group_update` /
//! `app_group_delete` permissions; `app_group_administer` (the Group Owner
//! role) counts only where it is bound on the group itself. There are no
//! other implications. A caller's organization roles count only in the
//! organization they are held in (`orgId`, or the keys of an `orgRoles`
//! object).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::dialects::common::{self, caller::RoleList};
use crate::dialects::Op;
use crate::json::read::{type_error, Obj, Optional};
use crate::permissions::RoleCatalog;
use crate::verdict::Report;

/// What the request touches: the ids (and name) its organization answers
/// to (empty when unknown) and the target group.
pub struct Target<'x> {
    pub org_keys: Vec<&'x str>,
    /// The organization cannot be told: roles held in any org count.
    pub org_unknown: bool,
    /// Some(whether the request names its org by UUID) when no state
    /// describes it: a key spelled the other way (name vs UUID) may be it.
    pub other_spelling: Option<bool>,
    pub group: Option<&'x str>,
}

pub struct Grants {
    pub superuser: bool,
    org: BTreeSet<String>,
    group: BTreeSet<String>,
    /// Org roles held elsewhere (or in an org that cannot be told).
    pub elsewhere: bool,
}

impl Grants {
    /// The caller holds a role in the organization (a direct org policy):
    /// what `validateOrgMembership` asks of a group's creator.
    pub fn member(&self) -> bool {
        !self.org.is_empty()
    }

    /// The permission the server checks, if the caller holds it.
    pub fn allows(&self, op: Op) -> bool {
        let org = |p: &str| self.org.contains(p);
        let group = |p: &str| self.group.contains(p);
        self.superuser
            || org("app_organization_administer")
            || match op {
                Op::Create => org("app_organization_groupcreate"),
                Op::Update => {
                    org("app_group_update")
                        || group("app_group_administer")
                        || group("app_group_update")
                }
                Op::Delete => {
                    org("app_group_delete")
                        || group("app_group_administer")
                        || group("app_group_delete")
                }
            }
    }
}

/// How Frontier reads a role list: a permission bound like a role counts.
const ROLES: RoleList = RoleList {
    permissions_as_roles: true,
    hint: "",
};

/// Reads `context.caller` (the `caller` check is skipped without one);
/// None when it is absent or malformed (errors reported).
pub fn read(
    caller: Option<&Value>,
    target: &Target,
    catalog: &RoleCatalog,
    r: &mut Report,
) -> Option<Grants> {
    let before = r.checkpoint();
    let c = common::read_caller(caller, r)?;
    c.warn_unknown(
        &[
            "superuser",
            "orgId",
            "orgRoles",
            "permissions",
            "groupRoles",
        ],
        r,
    );
    let superuser = c.boolean("superuser", Optional, r).unwrap_or(false);
    let held_in = c.string("orgId", Optional, r);
    let here = |org: &str| {
        target.org_unknown
            || target.org_keys.contains(&org)
            || target
                .other_spelling
                .is_some_and(|uuid| super::state::is_uuid(org) != uuid)
    };
    let mut g = Grants {
        superuser,
        org: BTreeSet::new(),
        group: BTreeSet::new(),
        elsewhere: false,
    };
    let counts = held_in.is_none_or(here);
    match c.get("orgRoles") {
        Some(Value::Object(by_org)) => {
            let o = Obj {
                map: by_org,
                path: c.at("orgRoles"),
            };
            for (org, roles) in by_org {
                let mine = here(org);
                g.elsewhere |= !mine;
                let perms = roles_at(&o, org, roles, catalog, r);
                if mine {
                    g.org.extend(perms);
                }
            }
        }
        Some(roles) => {
            g.elsewhere |= !counts;
            let perms = roles_at(&c, "orgRoles", roles, catalog, r);
            if counts {
                g.org.extend(perms);
            }
        }
        None => {}
    }
    for p in common::caller::permissions(&c, |p| catalog.is_permission(p), "", r) {
        g.elsewhere |= !counts;
        if counts {
            g.org.insert(p.to_string());
        }
    }
    if let Some(gr) = c.object("groupRoles", Optional, r) {
        for (gid, roles) in gr.map {
            let perms = roles_at(&gr, gid, roles, catalog, r);
            if target.group == Some(gid.as_str()) {
                g.group.extend(perms);
            }
        }
    }
    (!r.failed_since(before)).then_some(g)
}

/// The permissions of the roles at `parent/key` (`null`: none).
fn roles_at(
    parent: &Obj,
    key: &str,
    roles: &Value,
    catalog: &RoleCatalog,
    r: &mut Report,
) -> Vec<String> {
    let at = parent.at(key);
    let Value::Array(list) = roles else {
        if !roles.is_null() {
            type_error(r, &at, "an array of role names", roles);
        }
        return Vec::new();
    };
    common::caller::role_grants(list, &at, catalog, ROLES, r)
}
