//! The one linear pass that checks a loaded snapshot (`bytes`) before it
//! answers: every span inside its arena or pool and on character
//! boundaries, every index in range, the id and slug indexes strictly
//! ordered (so ids are unique), tree links that climb one level at a time
//! to a root (so no cycle), children and keys lists that match the links,
//! and sorted per-group lists (the lookups binary-search them). No bytes
//! can make a loaded workspace panic, loop or index out of place; the
//! checksum catches accidental damage to the values themselves.

use super::effective::{Bound, SlugKey};
use super::model::Limit;
use super::store::{hash, GroupRec, KeyRec, ModelRec, Pool, Span, State, DELETED, NONE};
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::limits::Limits;
use crate::snapshot::bad;

/// The arrays of a snapshot, not yet checked.
pub(super) struct Loaded {
    pub limits: Limits,
    pub text: String,
    pub groups: Vec<GroupRec>,
    pub models: Vec<ModelRec>,
    pub limits_list: Vec<Limit>,
    pub keys: Vec<KeyRec>,
    pub slugs: Vec<Span>,
    pub slug_order: Vec<u32>,
    pub by_id: Vec<u32>,
    pub parent: Vec<u32>,
    pub level: Vec<u32>,
    pub children: Pool<u32>,
    pub keys_of: Pool<u32>,
    pub own_slugs: Pool<u32>,
    pub own: Pool<(SlugKey, u64)>,
    pub eff_slugs: Pool<u32>,
    pub eff: Pool<(SlugKey, Bound)>,
    pub below: Pool<(SlugKey, Bound)>,
}

type Check = Result<(), GroupgateError>;

fn need(ok: bool, what: &str) -> Check {
    if ok {
        Ok(())
    } else {
        Err(bad(what))
    }
}

/// Checks `l` and makes it a workspace.
pub(super) fn check(l: Loaded) -> Result<Workspace, GroupgateError> {
    let n = l.groups.len();
    need(
        n <= l.limits.max_groups,
        "more groups than the snapshot's max_groups",
    )?;
    let st = State {
        text: super::store::Text { buf: l.text },
        groups: l.groups,
        models: l.models,
        limits: l.limits_list,
        keys: l.keys,
        slugs: l.slugs,
        slug_order: l.slug_order,
        reading: None,
        dead: 0,
    };
    records(&st)?;
    order(&st.slug_order, st.slugs.len(), |i| st.slug(i), "slug order")?;
    order(&l.by_id, n, |i| st.id(i), "id order")?;
    let id_hash = l.by_id.iter().map(|&i| hash(st.id(i))).collect();
    tree(&st, &l.parent, &l.level, l.limits)?;
    let ws = Workspace {
        limits: l.limits,
        st,
        by_id: l.by_id,
        id_hash,
        parent: l.parent,
        level: l.level,
        children: l.children,
        keys_of: l.keys_of,
        own_slugs: l.own_slugs,
        own: l.own,
        eff_slugs: l.eff_slugs,
        eff: l.eff,
        below: l.below,
    };
    pools(&ws)?;
    Ok(ws)
}

fn text_span(t: &str, s: Span, optional: bool) -> bool {
    if s.is_none() {
        return optional;
    }
    let r = s.range();
    r.end <= t.len() && t.is_char_boundary(r.start) && t.is_char_boundary(r.end)
}

fn in_range(s: Span, len: usize, optional: bool) -> bool {
    if s.is_none() {
        return optional;
    }
    s.range().end <= len
}

/// Spans and indexes of the records.
fn records(st: &State) -> Check {
    let t = st.text.buf.as_str();
    let groups_ok = st.groups.iter().all(|g| {
        text_span(t, g.id, false)
            && g.id.len > 0
            && text_span(t, g.name, true)
            && text_span(t, g.ext, false)
            && text_span(t, g.ws, true)
            && text_span(t, g.parent, true)
            && in_range(g.models, st.models.len(), false)
            && g.flags <= 3
    });
    need(groups_ok, "a group record is out of range")?;
    let (slugs, limits) = (st.slugs.len() as u32, st.limits.len());
    let models_ok = st.models.iter().all(|m| {
        m.slug < slugs && in_range(m.rate, limits, true) && in_range(m.usage, limits, true)
    });
    need(models_ok, "a model record is out of range")?;
    let keys_ok = st.keys.iter().all(|k| {
        text_span(t, k.prefix, false) && text_span(t, k.group, false) && text_span(t, k.name, true)
    });
    need(keys_ok, "a key record is out of range")?;
    let slugs_ok = st.slugs.iter().all(|&s| text_span(t, s, false));
    need(slugs_ok, "a slug is out of range")
}

/// `order` lists each of `0..n` once, strictly ordered by (hash, name).
fn order<'a>(order: &[u32], n: usize, name: impl Fn(u32) -> &'a str, what: &str) -> Check {
    need(
        order.len() == n && order.iter().all(|&i| (i as usize) < n),
        what,
    )?;
    let mut prev: Option<(u64, &str)> = None;
    for &i in order {
        let cur = (hash(name(i)), name(i));
        need(prev.is_none_or(|p| p < cur), what)?;
        prev = Some(cur);
    }
    // Strictly ordered and in range, n of them: each index once (equal
    // indexes would have equal names).
    Ok(())
}

/// Each live group climbs one level at a time to a root (so no cycle),
/// through live parents its record names; deleted groups have no links.
fn tree(st: &State, parent: &[u32], level: &[u32], limits: Limits) -> Check {
    let n = st.groups.len();
    need(
        parent.len() == n && level.len() == n,
        "tree links are missing",
    )?;
    for (i, g) in st.groups.iter().enumerate() {
        let (p, l) = (parent[i], level[i]);
        let ok = if g.flags & DELETED != 0 {
            p == NONE && l == 0
        } else if p == NONE {
            l == 1 && g.parent.is_none()
        } else {
            let pl = level.get(p as usize).copied().unwrap_or(0);
            (p as usize) < n
                && st.groups[p as usize].flags & DELETED == 0
                && pl >= 1
                && l == pl + 1
                && st.text.opt(g.parent) == Some(st.id(p))
        };
        need(
            ok && l as usize <= limits.max_depth.max(1),
            "a tree link is inconsistent",
        )?;
    }
    Ok(())
}

fn spans_ok<T>(p: &Pool<T>, n: usize) -> bool {
    p.spans.len() == n && p.spans.iter().all(|&s| in_range(s, p.items.len(), false))
}

fn strictly<T, K: PartialOrd>(p: &Pool<T>, key: impl Fn(&T) -> K) -> bool {
    p.spans.iter().all(|&s| {
        let list = &p.items[s.range()];
        list.windows(2).all(|w| key(&w[0]) < key(&w[1]))
    })
}

/// The per-group pools: spans in range, items in range, lists sorted, and
/// children and keys matching the links.
fn pools(ws: &Workspace) -> Check {
    let n = ws.st.groups.len();
    let slugs = ws.st.slugs.len() as u32;
    let all = spans_ok(&ws.children, n)
        && spans_ok(&ws.keys_of, n)
        && spans_ok(&ws.own_slugs, n)
        && spans_ok(&ws.own, n)
        && spans_ok(&ws.eff_slugs, n)
        && spans_ok(&ws.eff, n)
        && spans_ok(&ws.below, n);
    need(all, "a per-group list is out of range")?;
    let slug_lists = [&ws.own_slugs, &ws.eff_slugs];
    let ok = slug_lists
        .iter()
        .all(|p| p.items.iter().all(|&s| s < slugs) && strictly(p, |&s| s));
    let bounds = |p: &Pool<(SlugKey, Bound)>| {
        p.items
            .iter()
            .all(|((s, _), b)| *s < slugs && (b.source as usize) < n)
            && strictly(p, |(k, _)| *k)
    };
    let own_ok =
        ws.own.items.iter().all(|((s, _), _)| *s < slugs) && strictly(&ws.own, |(k, _)| *k);
    need(
        ok && own_ok && bounds(&ws.eff) && bounds(&ws.below),
        "a per-group list is out of order",
    )?;
    links(ws)
}

/// Children lists hold exactly the groups that name each parent, keys
/// lists keys of that (live) group, each in ascending order.
fn links(ws: &Workspace) -> Check {
    let n = ws.st.groups.len();
    let mut listed = 0usize;
    for p in 0..n as u32 {
        let kids = ws.children.get(p);
        let ok = kids.iter().all(|&c| ws.parent.get(c as usize) == Some(&p));
        need(
            ok && kids.windows(2).all(|w| w[0] < w[1]),
            "a children list is inconsistent",
        )?;
        listed += kids.len();
        let keys = ws.keys_of.get(p);
        let live = ws.st.groups[p as usize].flags & DELETED == 0;
        let ok = keys.iter().all(|&k| {
            ws.st
                .keys
                .get(k as usize)
                .is_some_and(|k| ws.st.text.get(k.group) == ws.st.id(p))
        });
        need(
            (live || keys.is_empty()) && ok && keys.windows(2).all(|w| w[0] < w[1]),
            "a keys list is inconsistent",
        )?;
    }
    let linked = ws.parent.iter().filter(|&&p| p != NONE).count();
    need(listed == linked, "a children list is inconsistent")
}
