//! The compact form of a workspace's state (issue 17): every string in one
//! arena ([`Text`], addressed by [`Span`]s), groups, models, limits and keys
//! as flat records, and every per-group list in a [`Pool`]. Building one
//! costs a handful of allocations, not a dozen per group, and a snapshot
//! stores these arrays as they are.
//!
//! [`State`] is the source of truth; the typed wire types
//! ([`BasetenGroup`], [`ApiKey`]) are built from it on demand (one group for
//! a preview's `next`, all of them for [`super::Workspace::groups`]).

use std::hash::Hasher;

use super::model::{
    ApiKey, BasetenGroup, Enforcement, HierarchyConfig, Limit, Metadata, ModelConfig,
};

/// "No index" in the u32 arrays (a root's parent, an absent list).
pub(crate) const NONE: u32 = u32::MAX;

/// A slice of an arena or pool: `len` items from `start`; `start == NONE`
/// is an absent optional value (an empty span is a present, empty one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    pub(crate) const NONE: Span = Span {
        start: NONE,
        len: 0,
    };

    pub(crate) fn is_none(self) -> bool {
        self.start == NONE
    }
    #[inline(always)]
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start.saturating_add(self.len as usize)
    }
}

/// Every string of a state in one buffer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub buf: String,
}

impl Text {
    pub(crate) fn push(&mut self, s: &str) -> Span {
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        Span {
            start,
            len: s.len() as u32,
        }
    }
    pub(crate) fn push_opt(&mut self, s: Option<&str>) -> Span {
        s.map_or(Span::NONE, |s| self.push(s))
    }
    /// The string of a span ("" for an absent one, or for a span out of
    /// place: a snapshot's spans are trusted to its checksum, not checked).
    #[inline]
    pub(crate) fn get(&self, s: Span) -> &str {
        self.buf.get(s.range()).unwrap_or("")
    }
    /// The bytes of a span, for comparing and hashing: no character
    /// boundary checks (a build compares every id, parent and slug).
    #[inline(always)]
    pub(crate) fn bytes(&self, s: Span) -> &[u8] {
        self.buf.as_bytes().get(s.range()).unwrap_or_default()
    }
    pub(crate) fn opt(&self, s: Span) -> Option<&str> {
        (!s.is_none()).then(|| self.get(s))
    }
}

/// One list per group in one vector: `spans[i]` is group `i`'s slice of
/// `items`. A list that grows is moved to the end; the pool is compacted
/// when dead items outnumber live ones, so in-place changes stay bounded.
#[derive(Debug, Clone)]
pub(crate) struct Pool<T> {
    pub items: Vec<T>,
    pub spans: Vec<Span>,
    live: usize,
}

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool {
            items: Vec::new(),
            spans: Vec::new(),
            live: 0,
        }
    }
}

impl<T: Copy> Pool<T> {
    pub(crate) fn with_capacity(lists: usize, items: usize) -> Self {
        Pool {
            items: Vec::with_capacity(items),
            spans: Vec::with_capacity(lists),
            live: 0,
        }
    }
    /// `lists` empty lists (filled later with [`Pool::set`]).
    pub(crate) fn empty(lists: usize) -> Self {
        Pool {
            items: Vec::new(),
            spans: vec![Span::default(); lists],
            live: 0,
        }
    }
    /// A pool whose lists follow one another and cover `items` (the
    /// callers check it), so every item is live.
    pub(crate) fn from_parts(items: Vec<T>, spans: Vec<Span>) -> Self {
        let live = items.len();
        Pool { items, spans, live }
    }
    #[inline]
    pub(crate) fn get(&self, i: u32) -> &[T] {
        let s = self.spans.get(i as usize).copied().unwrap_or_default();
        self.items.get(s.range()).unwrap_or(&[])
    }
    pub(crate) fn push(&mut self, data: &[T]) {
        let start = self.items.len() as u32;
        self.items.extend_from_slice(data);
        self.spans.push(Span {
            start,
            len: data.len() as u32,
        });
        self.live += data.len();
    }
    /// Replaces list `i`: in place when it fits, else at the end.
    pub(crate) fn set(&mut self, i: u32, data: &[T]) {
        let s = self.spans[i as usize];
        self.live = (self.live + data.len()).saturating_sub(s.len as usize);
        if data.len() <= s.len as usize {
            let at = s.start as usize;
            self.items[at..at + data.len()].copy_from_slice(data);
        } else {
            let start = self.items.len() as u32;
            self.items.extend_from_slice(data);
            self.spans[i as usize].start = start;
        }
        self.spans[i as usize].len = data.len() as u32;
        if self.items.len() > 2 * self.live + 1024 {
            self.compact();
        }
    }
    fn compact(&mut self) {
        let mut items = Vec::with_capacity(self.live);
        for s in &mut self.spans {
            let start = items.len() as u32;
            items.extend_from_slice(self.items.get(s.range()).unwrap_or(&[]));
            s.start = start;
        }
        self.items = items;
    }
}

/// A group's fixed-size record. `name`, `ws` (workspace_id) and `parent`
/// (parent_group_id) may be absent; `models` indexes [`State::models`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GroupRec {
    pub id: Span,
    pub name: Span,
    pub ext: Span,
    pub ws: Span,
    pub parent: Span,
    pub models: Span,
    pub flags: u8,
}

pub(crate) const DELETED: u8 = 1;
pub(crate) const CASCADING: u8 = 2;

/// A model entry: its interned slug and its two limit lists (spans of
/// [`State::limits`], `NONE` when the list is not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelRec {
    pub slug: u32,
    pub rate: Span,
    pub usage: Span,
}

/// An API key: prefix, group id and optional name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRec {
    pub prefix: Span,
    pub group: Span,
    pub name: Span,
}

/// The state in compact form, and its slugs interned.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub text: Text,
    pub groups: Vec<GroupRec>,
    pub models: Vec<ModelRec>,
    pub limits: Vec<Limit>,
    pub keys: Vec<KeyRec>,
    /// Slug names by id.
    pub slugs: Vec<Span>,
    /// Slug ids ordered by (hash, name): the lookup index.
    pub slug_order: Vec<u32>,
    /// The hash of each slug of `slug_order`, alongside: a lookup's binary
    /// search reads these instead of hashing the slug at every probe (an
    /// update of 100,000 models looks each up several times). Not stored
    /// in a snapshot: a load hashes the slugs again.
    pub slug_hash: Vec<u64>,
    /// While a state is read: slug ids by name (`slug_order` is made once,
    /// by [`State::seal_slugs`]; inserting in order would be quadratic).
    pub reading: Option<super::intern::SlugTable>,
    /// Model records, limits and text bytes no group refers to any more
    /// (an update appends its new lists): `Workspace::apply` compacts the
    /// state when they outnumber the live ones.
    pub dead: usize,
}

/// The hash the id and slug indexes are ordered by (FxHash's step, a word
/// at a time, inlined: a state hashes every id, parent and key once).
#[inline]
pub(crate) fn hash(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// [`hash`] of the bytes of a string.
#[inline(always)]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = Words(b.len() as u64);
    h.write(b);
    h.finish()
}

/// The entry of `key` in an index of entries ordered by ([`hash_bytes`],
/// bytes), `hashes` alongside: a binary search on both. The hash has no
/// key, so names of one hash can be chosen (16 bytes whose second word
/// undoes the first's); a run of them is searched by name too, in log n
/// comparisons, where a scan of the run made 20,000 such slugs cost 3.7 s
/// a preview natively (`tests/bounds.rs` `preview_slugs_one_hash`,
/// `workspace_ids_one_hash`).
pub(crate) fn find_indexed<'a>(
    hashes: &[u64],
    index: &[u32],
    key: &[u8],
    bytes: impl Fn(u32) -> &'a [u8],
) -> Option<u32> {
    let h = hash_bytes(key);
    let (mut lo, mut hi) = (0, index.len().min(hashes.len()));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // The bytes are read only within a run of the hash.
        let before = match hashes[mid].cmp(&h) {
            std::cmp::Ordering::Equal => bytes(index[mid]) < key,
            o => o.is_lt(),
        };
        if before {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let i = *index.get(lo)?;
    (hashes[lo] == h && bytes(i) == key).then_some(i)
}

/// The hasher of [`hash`].
#[derive(Default, Clone, Copy)]
pub(crate) struct Words(u64);

impl Words {
    #[inline(always)]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Words {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(rest.iter().fold(0, |w, &b| (w << 8) | u64::from(b)));
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply carries low bits up: bring the mixed high bits down
        // (a table indexes by the low ones).
        self.0.rotate_left(26)
    }
}

impl State {
    #[inline]
    /// About the bytes of the state's JSON: its text and 16 bytes a record.
    pub(crate) fn weight(&self) -> usize {
        let records = self.groups.len() + self.models.len() + self.limits.len() + self.keys.len();
        self.text.buf.len() + 16 * records
    }
    pub(crate) fn id(&self, g: u32) -> &str {
        self.text.get(self.groups[g as usize].id)
    }
    /// The bytes of group `g`'s id (see [`Text::bytes`]).
    #[inline(always)]
    pub(crate) fn id_bytes(&self, g: u32) -> &[u8] {
        self.text.bytes(self.groups[g as usize].id)
    }
    pub(crate) fn slug(&self, s: u32) -> &str {
        self.slugs
            .get(s as usize)
            .map_or("", |&sp| self.text.get(sp))
    }
    #[inline(always)]
    fn slug_bytes(&self, s: u32) -> &[u8] {
        self.slugs
            .get(s as usize)
            .map_or(&[], |&sp| self.text.bytes(sp))
    }
    /// An empty state to read into.
    pub(crate) fn reading() -> State {
        State {
            reading: Some(super::intern::SlugTable::default()),
            ..State::default()
        }
    }

    /// Moves the slugs read since `reading` began into the sorted index:
    /// all of them after a state is read, an update's new ones after its
    /// list (sorted among themselves, then each placed by a binary search:
    /// inserting one at a time moved the whole index each, quadratic in an
    /// update of 100,000 new slugs).
    pub(crate) fn seal_slugs(&mut self) {
        let Some(table) = self.reading.take() else {
            return;
        };
        // Bytes, not `str`s: no character-boundary checks on a million slugs
        // (the order of bytes is the order of strings).
        let mut new: Vec<(u64, u32)> = (table.first()..self.slugs.len() as u32)
            .map(|i| (hash_bytes(self.slug_bytes(i)), i))
            .collect();
        super::radix::sort_by_hash(&mut new, &mut |a, b| {
            self.slug_bytes(a).cmp(self.slug_bytes(b))
        });
        let old = std::mem::take(&mut self.slug_order);
        let old_hash = std::mem::take(&mut self.slug_hash);
        let mut order = Vec::with_capacity(old.len() + new.len());
        let mut hashes = Vec::with_capacity(old.len() + new.len());
        let mut from = 0;
        for &(h, i) in &new {
            // Once the old index is placed (at once for a state just read:
            // it has none), the rest are the new pairs as they are.
            if from < old.len() {
                let s = self.slug_bytes(i);
                let at = from
                    + old[from..]
                        .iter()
                        .zip(&old_hash[from..])
                        .position(|(&j, &hj)| (hj, self.slug_bytes(j)) >= (h, s))
                        .unwrap_or(old.len() - from);
                order.extend_from_slice(&old[from..at]);
                hashes.extend_from_slice(&old_hash[from..at]);
                from = at;
            }
            order.push(i);
            hashes.push(h);
        }
        order.extend_from_slice(&old[from..]);
        hashes.extend_from_slice(&old_hash[from..]);
        self.slug_order = order;
        self.slug_hash = hashes;
    }

    /// `slug_hash` from `slug_order` (a snapshot stores the order only).
    pub(crate) fn hash_slug_order(&mut self) {
        self.slug_hash = self
            .slug_order
            .iter()
            .map(|&i| hash_bytes(self.slug_bytes(i)))
            .collect();
    }

    /// The id of a known slug.
    pub(crate) fn slug_id(&self, s: &str) -> Option<u32> {
        let b = s.as_bytes();
        // Most workspaces use a handful of slugs: a scan beats hashing then.
        if self.slugs.len() <= 8 {
            return (0..self.slugs.len() as u32).find(|&i| self.slug_bytes(i) == b);
        }
        if let Some(table) = &self.reading {
            let found = table.find(table.hash(b), |i| self.slug_bytes(i) == b);
            if found.is_some() {
                return found;
            }
        }
        self.indexed_id(b)
    }

    /// A slug of the sorted index (none while a state is first read).
    fn indexed_id(&self, b: &[u8]) -> Option<u32> {
        if self.slug_order.is_empty() {
            return None;
        }
        find_indexed(&self.slug_hash, &self.slug_order, b, |i| self.slug_bytes(i))
    }

    /// The id of `s`, added when new.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        self.intern_if(s, |_| true).unwrap_or(NONE)
    }

    /// The id of `s`; a new one is added if `valid(s)` (judged only for a
    /// new slug: the scanner checks each distinct slug once), else `None`.
    /// New slugs go to the table (`reading`) when there is one, which
    /// [`State::seal_slugs`] merges into the index.
    pub(crate) fn intern_if(&mut self, s: &str, valid: impl FnOnce(&str) -> bool) -> Option<u32> {
        let b = s.as_bytes();
        // Most workspaces use a handful of slugs: a scan beats hashing then
        // (SipHash of every model's slug cost 10% of a 10,000-group build).
        if self.slugs.len() <= 8 {
            if let Some(i) = (0..self.slugs.len() as u32).find(|&i| self.slug_bytes(i) == b) {
                return Some(i);
            }
        }
        // One hash a slug in the table (a state may name a million).
        let h = match &self.reading {
            Some(table) => {
                let h = table.hash(b);
                if let Some(i) = table.find(h, |i| self.slug_bytes(i) == b) {
                    return Some(i);
                }
                h
            }
            None => 0,
        };
        if let Some(i) = self.indexed_id(b) {
            return Some(i);
        }
        if !valid(s) {
            return None;
        }
        let i = self.slugs.len() as u32;
        let span = self.text.push(s);
        self.slugs.push(span);
        if let Some(table) = &mut self.reading {
            table.insert(h);
            return Some(i);
        }
        let h = hash(s);
        let (mut at, mut hi) = (0, self.slug_order.len());
        while at < hi {
            let mid = (at + hi) / 2;
            if (self.slug_hash[mid], self.slug(self.slug_order[mid])) < (h, s) {
                at = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.slug_order.insert(at, i);
        self.slug_hash.insert(at, h);
        Some(i)
    }

    /// Appends a model list; returns its span of [`State::models`].
    pub(crate) fn push_models(&mut self, models: &[ModelConfig]) -> Span {
        let start = self.models.len() as u32;
        // An update's list: its new slugs go to a table, then into the
        // index at once (while a state is read, the table is there).
        let batch = self.reading.is_none() && models.len() > 1;
        if batch {
            self.reading = Some(super::intern::SlugTable::from(self.slugs.len() as u32));
        }
        for m in models {
            let slug = self.intern(&m.slug);
            let rate = self.push_limits(m.rate_limits.as_deref());
            let usage = self.push_limits(m.usage_limits.as_deref());
            self.models.push(ModelRec { slug, rate, usage });
        }
        if batch {
            self.seal_slugs();
        }
        Span {
            start,
            len: models.len() as u32,
        }
    }
    fn push_limits(&mut self, list: Option<&[Limit]>) -> Span {
        let Some(list) = list else { return Span::NONE };
        let start = self.limits.len() as u32;
        self.limits.extend_from_slice(list);
        Span {
            start,
            len: list.len() as u32,
        }
    }
    pub(crate) fn push_group(&mut self, g: &BasetenGroup) {
        let rec = GroupRec {
            id: self.text.push(&g.id),
            name: self.text.push_opt(g.metadata.name.as_deref()),
            ext: self.text.push(&g.metadata.external_entity_id),
            ws: self.text.push_opt(g.workspace_id.as_deref()),
            parent: self.text.push_opt(g.hierarchy.parent_group_id.as_deref()),
            models: self.push_models(&g.models),
            flags: flags(g.deleted, g.hierarchy.limit_enforcement),
        };
        self.groups.push(rec);
    }
    pub(crate) fn push_key(&mut self, k: &ApiKey) {
        let rec = KeyRec {
            prefix: self.text.push(&k.prefix),
            group: self.text.push(&k.group_id),
            name: self.text.push_opt(k.name.as_deref()),
        };
        self.keys.push(rec);
    }

    pub(crate) fn model_recs(&self, g: u32) -> &[ModelRec] {
        self.models
            .get(self.groups[g as usize].models.range())
            .unwrap_or(&[])
    }
    pub(crate) fn limit_list(&self, s: Span) -> Option<&[Limit]> {
        (!s.is_none()).then(|| self.limits.get(s.range()).unwrap_or(&[]))
    }
    /// Group `g`'s models as the wire type.
    pub(crate) fn model_configs(&self, g: u32) -> Vec<ModelConfig> {
        self.model_recs(g)
            .iter()
            .map(|m| ModelConfig {
                slug: self.slug(m.slug).to_string(),
                rate_limits: self.limit_list(m.rate).map(<[Limit]>::to_vec),
                usage_limits: self.limit_list(m.usage).map(<[Limit]>::to_vec),
            })
            .collect()
    }
    /// Group `g` as the wire type.
    pub(crate) fn group(&self, g: u32) -> BasetenGroup {
        let r = &self.groups[g as usize];
        let t = &self.text;
        let own = |s: Span| t.opt(s).map(str::to_string);
        BasetenGroup {
            id: t.get(r.id).to_string(),
            metadata: Metadata {
                name: own(r.name),
                external_entity_id: t.get(r.ext).to_string(),
            },
            models: self.model_configs(g),
            hierarchy: HierarchyConfig {
                limit_enforcement: enforcement(r.flags),
                parent_group_id: own(r.parent),
            },
            workspace_id: own(r.ws),
            deleted: r.flags & DELETED != 0,
        }
    }
    /// Key `k` as the wire type.
    pub(crate) fn key(&self, k: u32) -> ApiKey {
        let r = &self.keys[k as usize];
        let t = &self.text;
        ApiKey {
            prefix: t.get(r.prefix).to_string(),
            group_id: t.get(r.group).to_string(),
            name: t.opt(r.name).map(str::to_string),
        }
    }
}

pub(crate) fn flags(deleted: bool, mode: Enforcement) -> u8 {
    (if deleted { DELETED } else { 0 })
        | (if mode == Enforcement::Cascading {
            CASCADING
        } else {
            0
        })
}

pub(crate) fn enforcement(flags: u8) -> Enforcement {
    if flags & CASCADING != 0 {
        Enforcement::Cascading
    } else {
        Enforcement::Independent
    }
}

/// A live-or-deleted group of a workspace, read in place.
#[derive(Clone, Copy)]
pub struct GroupRef<'a> {
    pub(crate) st: &'a State,
    pub(crate) i: u32,
}

impl<'a> GroupRef<'a> {
    fn rec(&self) -> &'a GroupRec {
        &self.st.groups[self.i as usize]
    }
    /// `id`.
    pub fn id(&self) -> &'a str {
        self.st.text.get(self.rec().id)
    }
    /// `metadata.name`.
    pub fn name(&self) -> Option<&'a str> {
        self.st.text.opt(self.rec().name)
    }
    /// `metadata.external_entity_id`.
    pub fn external_entity_id(&self) -> &'a str {
        self.st.text.get(self.rec().ext)
    }
    /// `workspace_id`.
    pub fn workspace_id(&self) -> Option<&'a str> {
        self.st.text.opt(self.rec().ws)
    }
    /// `hierarchy.parent_group_id`.
    pub fn parent_group_id(&self) -> Option<&'a str> {
        self.st.text.opt(self.rec().parent)
    }
    /// `hierarchy.limit_enforcement`.
    pub fn limit_enforcement(&self) -> Enforcement {
        enforcement(self.rec().flags)
    }
    /// Whether the group is deleted.
    pub fn deleted(&self) -> bool {
        self.rec().flags & DELETED != 0
    }
    /// The group as the wire type.
    pub fn to_group(&self) -> BasetenGroup {
        self.st.group(self.i)
    }
}
