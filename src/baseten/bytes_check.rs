//! The one pass that checks a loaded snapshot (`bytes`) before it answers:
//! what a later call relies on to stay in bounds and to end. Every index
//! that addresses an array (the id index, tree links, keys lists, bound
//! sources) is in range, every per-group list exists, and tree links climb
//! one level at a time to a root (so no cycle; children are rebuilt from
//! them) from every live group, a deleted group having neither (what
//! `apply` relies on to place a new group under a live one). Everything
//! else is read through total accessors (a span out of place reads as "";
//! an unsorted list gives a wrong answer, never a panic), so no bytes can
//! make a loaded workspace panic, loop or index out of place. Wrong values
//! with a valid checksum are not caught: the values are trusted to the
//! checksum, which catches accidental damage (README, Baseten).

use super::effective::{Bound, SlugKey};
use super::model::MAX_ID_BYTES;
use super::store::{Pool, DELETED, NONE};
use super::tree::Workspace;
use crate::error::GroupgateError;
use crate::snapshot::bad;

type Check = Result<(), GroupgateError>;

fn need(ok: bool, what: &str) -> Check {
    if ok {
        Ok(())
    } else {
        Err(bad(what))
    }
}

/// Checks a loaded workspace (its children not yet built).
pub(super) fn check(ws: &Workspace) -> Check {
    // No test against the stored max_groups: `apply` may create groups
    // past it (a limit bounds the input a build reads, not the product's
    // workspace), and a workspace's own snapshot must load (fuzz finding).
    // The count is bounded by the payload's length instead.
    let n = ws.st.groups.len();
    // Compared as u32: n fits (the payload holds 52 bytes per group).
    let m = n as u32;
    need(
        ws.by_id.len() == ws.id_hash.len() && ws.by_id.iter().all(|&i| i < m),
        "the id index is out of range",
    )?;
    need(
        (0..m).all(|i| ws.st.id_bytes(i).len() <= MAX_ID_BYTES),
        "a group id is too long",
    )?;
    let deleted = |i: usize| ws.st.groups[i].flags & DELETED != 0;
    tree(&ws.parent, &ws.level, n, deleted, ws.limits.max_depth)?;
    let lists = [&ws.keys_of, &ws.own_slugs, &ws.eff_slugs];
    let all = lists.iter().all(|p| p.spans.len() == n)
        && [&ws.eff, &ws.below].iter().all(|p| p.spans.len() == n)
        && ws.own.spans.len() == n;
    need(all, "a per-group list is missing")?;
    let keys = ws.st.keys.len() as u32;
    need(
        ws.keys_of.items.iter().all(|&k| k < keys),
        "a keys list is out of range",
    )?;
    need(
        sources(&ws.eff, m) && sources(&ws.below, m),
        "a bound's source is out of range",
    )
}

/// Bound sources name groups (their ids are read).
fn sources(p: &Pool<(SlugKey, Bound)>, n: u32) -> bool {
    p.items.iter().all(|(_, b)| b.source < n)
}

/// Each live group's link climbs one level at a time to a root of level 1,
/// so following parents ends; a deleted group is at level 0 with no link.
/// A live group at level 0 passed the climb (a fuzz finding: a deleted
/// flag cleared in a payload sealed again) and `apply` then placed a new
/// group under it at level 1, a tree its own snapshot did not load.
fn tree(
    parent: &[u32],
    level: &[u32],
    n: usize,
    deleted: impl Fn(usize) -> bool,
    max_depth: usize,
) -> Check {
    need(
        parent.len() == n && level.len() == n,
        "tree links are missing",
    )?;
    let top = u32::try_from(max_depth.max(1)).unwrap_or(u32::MAX);
    let ok = (0..n).all(|i| {
        let (p, l) = (parent[i], level[i]);
        let up = match p {
            _ if deleted(i) => p == NONE && l == 0,
            NONE => l == 1,
            p => level
                .get(p as usize)
                .is_some_and(|&pl| pl >= 1 && pl.checked_add(1) == Some(l)),
        };
        up && l <= top
    });
    need(ok, "a tree link is inconsistent")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tree links as a load finds them (parents, levels, deleted flags) and
    /// whether they load, at a `max_depth` of 3.
    type Case = (&'static [u32], &'static [u32], &'static [bool], bool);

    #[test]
    fn tree_links_load_only_when_every_live_group_climbs_to_a_root() {
        let cases: &[Case] = &[
            (&[NONE, 0, 1], &[1, 2, 3], &[false; 3], true),
            (&[NONE, NONE], &[1, 0], &[false, true], true),
            // A live root is at level 1, not 0 (the finding) nor 2.
            (&[NONE, NONE], &[1, 0], &[false, false], false),
            (&[NONE], &[2], &[false], false),
            // A deleted group has no link and level 0.
            (&[NONE, 0], &[1, 0], &[false, true], false),
            (&[NONE, NONE], &[1, 1], &[false, true], false),
            // Under a deleted group, or skipping a level, or past max_depth.
            (&[NONE, 0], &[0, 1], &[true, false], false),
            (&[NONE, 0], &[1, 3], &[false; 2], false),
            (&[NONE, 0, 1, 2], &[1, 2, 3, 4], &[false; 4], false),
            // A cycle never reaches a root: some link skips a level.
            (&[1, 0], &[1, 2], &[false; 2], false),
            (&[NONE, 7], &[1, 2], &[false; 2], false),
        ];
        for (i, &(parent, level, deleted, loads)) in cases.iter().enumerate() {
            let loads_now = tree(parent, level, deleted.len(), |g| deleted[g], 3).is_ok();
            assert_eq!(loads_now, loads, "case {i}");
        }
    }
}
