//! `context.state` for Frontier: the organizations and groups the server
//! holds, looked up the way the server looks them up (an org by UUID, or
//! by name otherwise; a group by id, disabled groups counting as missing).

use serde_json::{Map, Value};

use crate::dialects::common;
use crate::json::read::{object, Obj, Optional, Required};
use crate::verdict::{ptr, FailureRank, Report};

/// `github.com/google/uuid.Parse` accepts it (Frontier's `IsValidUUID`):
/// the 36-character form, `urn:uuid:` + it, `{` it `}`, or 32 hex digits.
pub fn is_uuid(s: &str) -> bool {
    let hex = |t: &str| t.bytes().all(|b| b.is_ascii_hexdigit());
    let dashed = |t: &str| {
        let b = t.as_bytes();
        b.len() == 36
            && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
            && t.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit())
            && t.bytes().filter(|&c| c == b'-').count() == 4
    };
    match s.len() {
        32 => hex(s),
        36 => dashed(s),
        38 => s.starts_with('{') && s.ends_with('}') && dashed(&s[1..37]),
        45 => {
            s.get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("urn:uuid:"))
                && dashed(&s[9..])
        }
        _ => false,
    }
}

/// SpiceDB's `ObjectReference.object_id` rule (authzed api v1 core.proto:
/// `^(([a-zA-Z0-9/_|\-=+]{1,})|\*)$`, at most 1024 bytes).
pub fn spicedb_id(s: &str) -> bool {
    s.len() <= 1024
        && !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_|-=+*".contains(&b))
        && (s == "*" || !s.as_bytes().contains(&b'*'))
}

/// The 32 hex digits of a UUID in any of its spellings, lower case.
fn uuid_hex(s: &str) -> String {
    let s = s.get(9..).filter(|_| s.len() == 45).unwrap_or(s);
    s.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub struct Org<'a> {
    pub map: &'a Map<String, Value>,
}

impl<'a> Org<'a> {
    pub fn id(&self) -> &'a str {
        self.map.get("id").and_then(Value::as_str).unwrap_or("")
    }

    pub fn name(&self) -> Option<&'a str> {
        self.map.get("name").and_then(Value::as_str)
    }

    pub fn disabled(&self) -> bool {
        self.map.get("disabled") == Some(&Value::Bool(true))
            || self.map.get("state").and_then(Value::as_str) == Some("disabled")
    }
}

pub struct Group<'a> {
    pub obj: Obj<'a>,
}

impl<'a> Group<'a> {
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.obj.get(key).and_then(Value::as_str)
    }

    /// The group's org: `org_id`, or `orgId` as the JS SDK's objects name
    /// it (protojson reads both; the server answers `org_id`).
    pub fn org_id(&self) -> Option<&'a str> {
        self.str("org_id").or_else(|| self.str("orgId"))
    }

    pub fn disabled(&self) -> bool {
        self.obj.get("disabled") == Some(&Value::Bool(true))
            || self.str("state") == Some("disabled")
    }
}

pub struct State<'a> {
    /// The known organizations (`org` and `orgs`); None: not described.
    pub orgs: Option<Vec<Org<'a>>>,
    pub groups: Vec<Group<'a>>,
    pub metaschema: Option<&'a Value>,
}

/// How an org reference resolved.
pub enum OrgLookup<'s, 'a> {
    Found(&'s Org<'a>),
    /// A UUID the server does not know: its permission check denies. The
    /// id of a known org it spells differently (case, braces, no dashes),
    /// if any: SpiceDB compares ids as written, so that org is not found.
    UnknownUuid(Option<&'a str>),
    /// A name the server does not know: 404 "not found".
    UnknownName,
    /// The state does not describe organizations.
    Unknown,
}

impl<'a> State<'a> {
    /// The org `key` names: by id when it is a UUID; otherwise by name (as
    /// Frontier) or, for hand-written state with short ids, by id.
    pub fn org(&self, key: &str) -> OrgLookup<'_, 'a> {
        let Some(orgs) = &self.orgs else {
            return OrgLookup::Unknown;
        };
        match self.find(key) {
            Some(o) => OrgLookup::Found(o),
            None if is_uuid(key) => OrgLookup::UnknownUuid(
                orgs.iter()
                    .map(Org::id)
                    .find(|id| is_uuid(id) && uuid_hex(id) == uuid_hex(key)),
            ),
            None => OrgLookup::UnknownName,
        }
    }

    /// The org `key` names, the one lookup rule of [`State::org`] (and of
    /// a caller's org keys): a UUID by id alone, any other key by name,
    /// then by id.
    pub fn find(&self, key: &str) -> Option<&Org<'a>> {
        let orgs = self.orgs.as_deref().unwrap_or_default();
        if is_uuid(key) {
            // Not resolved by name: the permission check reads the id as
            // written (core/resource/service.go:275), and SpiceDB object
            // ids are case-sensitive strings.
            orgs.iter().find(|o| o.id() == key)
        } else {
            orgs.iter()
                .find(|o| o.name() == Some(key))
                .or_else(|| orgs.iter().find(|o| o.id() == key))
        }
    }

    /// The group with this id, disabled or not.
    pub fn group(&self, id: &str) -> Option<&Group<'a>> {
        self.groups.iter().find(|g| g.str("id") == Some(id))
    }

    /// The org a group belongs to: its `org_id`, else the only org given.
    pub fn org_of(&self, g: &Group<'a>) -> Option<&Org<'a>> {
        let orgs = self.orgs.as_ref()?;
        match g.org_id() {
            // Its `org` relation, by the one lookup rule (a UUID names an
            // org by id alone: another org's name may spell it).
            Some(key) => self.find(key),
            None if orgs.len() == 1 => orgs.first(),
            None => None,
        }
    }

    /// The other key the one lookup rule reads as the org whose id is
    /// `org`: its name, unless an earlier org bears it. A group lives in
    /// `org` when its `org_id` is `org`, this name or absent; found once, as
    /// a lookup per group scanned every org (10,000 groups of one name
    /// among 20,000 orgs: 8 s).
    pub fn org_name(&self, org: &str) -> Option<&'a str> {
        let name = self
            .orgs
            .as_deref()?
            .iter()
            .find(|o| o.id() == org)?
            .name()?;
        self.find(name).filter(|o| o.id() == org).and(Some(name))
    }
}

/// A state group's members; a near miss of one (`Disabled`, `State`: a
/// disabled group counted as enabled) is refused, others are skipped.
const GROUP_MEMBERS: [&str; 8] = [
    "id", "name", "title", "metadata", "org_id", "orgId", "state", "disabled",
];

pub fn read<'a>(state: &'a Value, r: &mut Report) -> Option<State<'a>> {
    let before = r.checkpoint();
    let s = object(state, "/context/state", r)?;
    // Skipped, a misspelled `metaschema` validated metadata against the
    // default schema, and a misspelled `groups` let a taken name pass.
    s.refuse_near_misses(&["org", "orgs", "groups", "metaschema"], r);
    let mut orgs: Option<Vec<Org<'a>>> = None;
    // An org id listed twice (in `org` and `orgs`): which entry counts
    // would depend on the list's order. (A name listed twice is not
    // checked: about 90 B of WASM the budget does not have.)
    let mut seen = crate::strset::StrSet::new();
    let mut add = |o: Option<Obj<'a>>, r: &mut Report| {
        let list = orgs.get_or_insert_with(Vec::new);
        if let Some(o) = o {
            // Skipped, `Disabled` or `State` left a disabled org enabled.
            o.refuse_near_misses(&["id", "name", "disabled", "state"], r);
            let id = o.string("id", Required, r);
            o.string("name", Optional, r);
            if let Some(v) = id.filter(|v| !seen.insert(v)) {
                r.push(FailureRank::BadRequest, common::duplicate_id(o.at("id"), v));
            }
            if id.is_some() {
                list.push(Org { map: o.map });
            }
        }
    };
    if let Some(one) = s.get("org") {
        add(object(one, "/context/state/org", r), r);
    }
    if let Some(list) = s.array("orgs", Optional, r) {
        add(None, r);
        // Capped as a Baseten state's groups are (`max_groups`), before any
        // is read (no limit capped them: 300,000 orgs took 0.7 s).
        if let Some(message) = r.limits().over_max_groups(list.len(), "orgs") {
            r.bad(s.at("orgs"), "limit.groups", message);
        } else {
            for (i, o) in list.iter().enumerate() {
                add(object(o, &ptr("/context/state/orgs", i), r), r);
            }
        }
    }
    let mut groups = Vec::new();
    let mut ids = crate::strset::StrSet::new();
    for g in common::state_groups(&s, r) {
        g.refuse_near_misses(&GROUP_MEMBERS, r);
        let id = g.string("id", Required, r);
        if let Some(id) = id.filter(|id| !ids.insert(id)) {
            r.push(
                FailureRank::BadRequest,
                common::duplicate_id(g.at("id"), id),
            );
        }
        let name = g.string("name", Required, r).is_some();
        g.string("org_id", Optional, r);
        if g.get("orgId").is_some() {
            // Skipped, `orgId` left the group in the request's org.
            if g.get("org_id").is_some() {
                r.bad(
                    g.at("orgId"),
                    "duplicate",
                    "org_id and orgId are one field (protojson reads both names): given twice",
                );
            } else {
                g.string("orgId", Optional, r);
            }
        }
        if id.is_some() && name {
            groups.push(Group { obj: g });
        }
    }
    (!r.failed_since(before)).then(|| State {
        orgs,
        groups,
        metaschema: s.get("metaschema"),
    })
}
