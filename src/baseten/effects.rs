//! What a change does: `next` and the `changes` diff of an update, create or
//! delete, computed over the subtree that changes only.

use std::collections::{BTreeMap, HashMap};

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::effective::{inherit, Bound, Effective, LimitKey, OwnLimits, SlugKey, NEW_GROUP};
use super::model::{BasetenGroup, EffectiveModel, ModelConfig};
use super::tree::Workspace;

/// The `changes` of a preview, kept compact (diffs by interned slug and
/// group index) until they are rendered: as a `Value` for the Rust API
/// ([`Changes::finish`]) or straight to JSON text for the package
/// ([`Changes::to_json`], no `Value` tree: building, serializing and
/// dropping one was 85% of a 1,000-group preview). With `cap` (the summary
/// form) each list keeps its first `cap` rows plus counts, so a UI never
/// receives rows it will not render.
pub(crate) struct Changes<'w> {
    ws: &'w Workspace,
    local: PreviewSlugs<'w>,
    cap: Option<usize>,
    lists: Vec<(&'static str, Vec<Row<'w>>, usize)>,
    counts: Vec<(&'static str, usize)>,
    /// The diffs rows point to (a group's keys share its diff).
    diffs: Vec<GroupDiff>,
}

/// One `changes` entry, unrendered.
enum Row<'w> {
    /// `changes.groups[]`: a group (or the one being created) and its diff.
    Group { group: u32, diff: usize },
    /// `changes.keys[]`: a key of a group whose effective slugs change.
    Key { key: u32, diff: usize },
    /// `removed_groups[]` / `revoked_keys[]`: an id or a prefix.
    Name(&'w str),
}

impl<'w> Changes<'w> {
    /// `lists` names the entry lists, in output order.
    fn new(
        ws: &'w Workspace,
        local: PreviewSlugs<'w>,
        cap: Option<usize>,
        lists: &[&'static str],
    ) -> Self {
        Changes {
            ws,
            local,
            cap,
            lists: lists.iter().map(|&n| (n, Vec::new(), 0)).collect(),
            counts: Vec::new(),
            diffs: Vec::new(),
        }
    }

    /// Adds a row to list `l` (counted always, kept only if it will be shown).
    fn push(&mut self, l: usize, row: Row<'w>) {
        let (_, rows, count) = &mut self.lists[l];
        if self.cap.is_none_or(|c| rows.len() < c) {
            rows.push(row);
        }
        *count += 1;
    }

    /// Adds `n` to a summary count that is not a list's length.
    fn count(&mut self, name: &'static str, n: usize) {
        match self.counts.iter_mut().find(|(k, _)| *k == name) {
            Some((_, c)) => *c += n,
            None => self.counts.push((name, n)),
        }
    }

    /// The `changes` value: `{list…}`, plus `summary` and `truncated` in
    /// the summary form.
    pub(crate) fn finish(self) -> Value {
        serde_json::to_value(self.view()).unwrap_or(Value::Null)
    }

    /// Writes what [`Changes::finish`] returns, as JSON text, to `out`.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        let rows: usize = self.lists.iter().map(|(_, rows, _)| rows.len()).sum();
        // About 300 bytes a row: one allocation instead of a dozen doublings.
        out.reserve(rows.saturating_mul(300));
        if serde_json::to_writer(&mut *out, &self.view()).is_err() {
            out.extend_from_slice(b"null");
        }
    }

    fn view(&self) -> ChangesView<'_> {
        let mut lists = Vec::with_capacity(self.lists.len());
        let mut summary: BTreeMap<&str, usize> = BTreeMap::new();
        let mut truncated = false;
        for (name, rows, count) in &self.lists {
            truncated |= rows.len() < *count;
            summary.insert(name, *count);
            lists.push((*name, rows.iter().map(|r| self.row(r)).collect()));
        }
        let summary = self.cap.map(|_| {
            summary.extend(self.counts.iter().map(|&(n, c)| (n, c)));
            (summary, truncated)
        });
        ChangesView { lists, summary }
    }

    fn row(&self, row: &Row<'w>) -> RowView<'_> {
        let names = |ids: &[u32]| ids.iter().map(|&s| self.local.name(s)).collect();
        match *row {
            Row::Group { group, diff } => {
                let d = &self.diffs[diff];
                RowView::Group {
                    gained: names(&d.gained),
                    id: self.ws.name_of(group),
                    limits: d.limits.iter().map(|m| self.limit(m)).collect(),
                    lost: names(&d.lost),
                }
            }
            Row::Key { key, diff } => {
                let (d, k) = (&self.diffs[diff], &self.ws.keys[key as usize]);
                RowView::Key {
                    gained: names(&d.gained),
                    group_id: &k.group_id,
                    lost: names(&d.lost),
                    prefix: &k.prefix,
                }
            }
            Row::Name(n) => RowView::Name(n),
        }
    }

    fn limit(&self, m: &LimitMove) -> LimitView<'_> {
        let bound = |b: Option<Bound>| {
            b.map(|b| BoundView {
                source_group: self.ws.name_of(b.source),
                threshold: b.threshold,
            })
        };
        LimitView {
            kind: m.key.kind().name(),
            new: bound(m.new),
            old: bound(m.old),
            slug: self.local.name(m.slug),
            limit_type: m.key.limit_type().name(),
            unit: m.key.unit().name(),
        }
    }
}

// Rendered rows, fields in name order (the order a `Value` object keeps),
// so that the text and the `Value` forms print alike.

struct ChangesView<'a> {
    lists: Vec<(&'static str, Vec<RowView<'a>>)>,
    summary: Option<(BTreeMap<&'a str, usize>, bool)>,
}

impl Serialize for ChangesView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut members: Vec<(&str, Member)> = self
            .lists
            .iter()
            .map(|(n, rows)| (*n, Member::Rows(rows)))
            .collect();
        if let Some((counts, truncated)) = &self.summary {
            members.push(("summary", Member::Counts(counts)));
            members.push(("truncated", Member::Flag(*truncated)));
        }
        members.sort_by_key(|(n, _)| *n);
        let mut m = s.serialize_map(Some(members.len()))?;
        for (n, v) in members {
            match v {
                Member::Rows(rows) => m.serialize_entry(n, rows)?,
                Member::Counts(c) => m.serialize_entry(n, c)?,
                Member::Flag(f) => m.serialize_entry(n, &f)?,
            }
        }
        m.end()
    }
}

enum Member<'v, 'a> {
    Rows(&'v [RowView<'a>]),
    Counts(&'v BTreeMap<&'a str, usize>),
    Flag(bool),
}

#[derive(Serialize)]
#[serde(untagged)]
enum RowView<'a> {
    Group {
        gained: Vec<&'a str>,
        id: Option<&'a str>,
        limits: Vec<LimitView<'a>>,
        lost: Vec<&'a str>,
    },
    Key {
        gained: Vec<&'a str>,
        group_id: &'a str,
        lost: Vec<&'a str>,
        prefix: &'a str,
    },
    Name(&'a str),
}

#[derive(Serialize)]
struct LimitView<'a> {
    kind: &'static str,
    new: Option<BoundView<'a>>,
    old: Option<BoundView<'a>>,
    slug: &'a str,
    #[serde(rename = "type")]
    limit_type: &'static str,
    unit: &'static str,
}

#[derive(Serialize)]
struct BoundView<'a> {
    source_group: Option<&'a str>,
    threshold: u64,
}

/// One group's visible change: gained and lost slugs (interned, in name
/// order), moved limits.
struct GroupDiff {
    gained: Vec<u32>,
    lost: Vec<u32>,
    limits: Vec<LimitMove>,
}

/// A binding limit that moved: (slug, key) from `old` to `new`.
struct LimitMove {
    slug: u32,
    key: LimitKey,
    old: Option<Bound>,
    new: Option<Bound>,
}

impl Workspace {
    /// `next` and `changes` of an update of group `i` to `models` (and
    /// optionally a new name); `cap` asks for the summary form.
    pub(crate) fn update_effects(
        &self,
        i: u32,
        models: Option<&[ModelConfig]>,
        name: Option<&str>,
        cap: Option<usize>,
    ) -> (Value, Changes<'_>) {
        let g = &self.groups[i as usize];
        let mut local = PreviewSlugs::new(self);
        let models = models.unwrap_or(&g.models);
        let own = OwnLimits::build(models, |s| local.id(s));
        let parent = self.parent[i as usize].map(|p| &self.eff[p as usize]);
        let new_eff = inherit(parent, &own, i);

        let mut next_group = g.clone();
        next_group.models = models.to_vec();
        if let Some(n) = name {
            next_group.metadata.name = Some(n.to_string());
        }
        let em = self.render(&new_eff, models, &|s| local.lookup(s));
        let next = with_effective(&next_group, em, None);

        let mut out = Changes::new(self, local, cap, &["groups", "keys"]);
        let mut stack: Vec<(u32, Effective)> = vec![(i, new_eff)];
        while let Some((gi, new)) = stack.pop() {
            let old = &self.eff[gi as usize];
            if *old == new {
                continue; // this subtree is unchanged
            }
            if let Some(d) = self.diff(old, &new, &out.local) {
                let slugs_moved = !d.gained.is_empty() || !d.lost.is_empty();
                out.diffs.push(d);
                let diff = out.diffs.len() - 1;
                if slugs_moved {
                    for &key in &self.keys_of[gi as usize] {
                        out.push(1, Row::Key { key, diff });
                    }
                }
                push_group(&mut out, gi, diff);
            }
            for &c in self.children[gi as usize].iter().rev() {
                let ce = inherit(Some(&new), &self.own[c as usize], c);
                stack.push((c, ce));
            }
        }
        (next, out)
    }

    /// `next` and `changes` of creating a group under `parent`. The id and
    /// `created_at` are the server's to assign: `null` here.
    pub(crate) fn create_effects(
        &self,
        group: &BasetenGroup,
        parent: Option<u32>,
        cap: Option<usize>,
    ) -> (Value, Changes<'_>) {
        let mut local = PreviewSlugs::new(self);
        let own = OwnLimits::build(&group.models, |s| local.id(s));
        let new_eff = inherit(parent.map(|p| &self.eff[p as usize]), &own, NEW_GROUP);
        let em = self.render(&new_eff, &group.models, &|s| local.lookup(s));
        let mut next = with_effective(group, em, Some(Value::Null));
        if let Value::Object(m) = &mut next {
            m.insert("created_at".into(), Value::Null);
        }
        let diff = self.diff(&Effective::default(), &new_eff, &local);
        let mut out = Changes::new(self, local, cap, &["groups", "keys"]);
        if let Some(d) = diff {
            out.diffs.push(d);
            push_group(&mut out, NEW_GROUP, 0);
        }
        (next, out)
    }

    /// `changes` of deleting group `i`: its subtree (preorder) and their keys.
    pub(crate) fn delete_effects(&self, i: u32, cap: Option<usize>) -> Changes<'_> {
        let local = PreviewSlugs::new(self);
        let mut out = Changes::new(self, local, cap, &["removed_groups", "revoked_keys"]);
        let mut stack = vec![i];
        while let Some(g) = stack.pop() {
            out.push(0, Row::Name(&self.groups[g as usize].id));
            for &k in &self.keys_of[g as usize] {
                out.push(1, Row::Name(&self.keys[k as usize].prefix));
            }
            stack.extend(self.children[g as usize].iter().rev());
        }
        out
    }

    /// One `changes.groups` entry, with the gained and lost slugs; `None`
    /// when nothing visible changed.
    fn diff(&self, old: &Effective, new: &Effective, local: &PreviewSlugs) -> Option<GroupDiff> {
        let by_name = |a: &u32, b: &u32| local.name(*a).cmp(local.name(*b));
        let mut gained: Vec<u32> = new
            .slugs
            .iter()
            .copied()
            .filter(|s| !old.has_slug(*s))
            .collect();
        let mut lost: Vec<u32> = old
            .slugs
            .iter()
            .copied()
            .filter(|s| !new.has_slug(*s))
            .collect();
        gained.sort_by(by_name);
        lost.sort_by(by_name);
        let mut limits = Vec::new();
        let mut slugs: Vec<u32> = new.slugs.clone();
        slugs.sort_by(by_name);
        for s in slugs {
            let before = if old.has_slug(s) {
                old.bounds_of(s)
            } else {
                &[]
            };
            let after = new.bounds_of(s);
            let mut keys: Vec<LimitKey> =
                before.iter().chain(after).map(|((_, k), _)| *k).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let find = |list: &[(SlugKey, Bound)]| {
                    list.iter().find(|((_, lk), _)| *lk == key).map(|(_, b)| *b)
                };
                let (old, new) = (find(before), find(after));
                if old != new {
                    limits.push(LimitMove {
                        slug: s,
                        key,
                        old,
                        new,
                    });
                }
            }
        }
        if gained.is_empty() && lost.is_empty() && limits.is_empty() {
            return None;
        }
        Some(GroupDiff {
            gained,
            lost,
            limits,
        })
    }
}

/// Counts one group's diff and adds its `changes.groups` row.
fn push_group(out: &mut Changes, group: u32, diff: usize) {
    let d = &out.diffs[diff];
    let counts = [
        ("gained", usize::from(!d.gained.is_empty())),
        ("lost", usize::from(!d.lost.is_empty())),
        ("limits", d.limits.len()),
    ];
    for (name, n) in counts {
        out.count(name, n);
    }
    out.push(0, Row::Group { group, diff });
}

/// Slug ids for a preview: the workspace's, plus ids for slugs it has never
/// seen (numbered after the workspace's).
pub(crate) struct PreviewSlugs<'w> {
    ws: &'w Workspace,
    extra: Vec<String>,
    /// `extra` by name (hashed: a request may bring many new slugs).
    extra_ids: HashMap<String, u32>,
}

impl<'w> PreviewSlugs<'w> {
    fn new(ws: &'w Workspace) -> Self {
        PreviewSlugs {
            ws,
            extra: Vec::new(),
            extra_ids: HashMap::new(),
        }
    }
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.lookup(s) {
            return i;
        }
        let i = (self.ws.slugs.len() + self.extra.len()) as u32;
        self.extra.push(s.to_string());
        self.extra_ids.insert(s.to_string(), i);
        i
    }
    fn lookup(&self, s: &str) -> Option<u32> {
        self.ws
            .slug_id(s)
            .or_else(|| self.extra_ids.get(s).copied())
    }
    fn name(&self, i: u32) -> &str {
        let base = self.ws.slugs.len();
        let i = i as usize;
        if i < base {
            &self.ws.slugs[i]
        } else {
            self.extra.get(i - base).map_or("", String::as_str)
        }
    }
}

/// A group as JSON with its `effective_models`; `id` overrides the id (a
/// create has none yet).
fn with_effective(g: &BasetenGroup, em: Vec<EffectiveModel>, id: Option<Value>) -> Value {
    let mut v = serde_json::to_value(g).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        if let Some(id) = id {
            m.insert("id".into(), id);
        }
        m.insert(
            "effective_models".into(),
            serde_json::to_value(em).unwrap_or(Value::Array(Vec::new())),
        );
    }
    v
}
