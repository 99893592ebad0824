//! The `changes` of a preview, kept compact (diffs by interned slug and
//! group index) until rendered, and their one renderer: JSON text written
//! by hand ([`Changes::write_json`]). The package's preview splices that
//! text into the verdict; the Rust API's `Value` is read back from it
//! (`dialects::baseten::outcome`), so the two forms cannot differ. Building,
//! serializing and dropping a `Value` tree was 85% of a 1,000-group
//! preview, and serde's writer another half of what remained.
//!
//! With `cap` (the summary form) each list keeps its first `cap` rows plus
//! counts, so a UI never receives rows it will not render.

use crate::keyed::HashMap;

use super::effective::{Bound, LimitKey};
use super::tree::Workspace;

/// The `changes` of one preview (see the module doc).
pub(crate) struct Changes<'w> {
    ws: &'w Workspace,
    pub(super) local: PreviewSlugs<'w>,
    cap: Option<usize>,
    /// Each list's name (in name order), its kept rows and its full count.
    lists: Vec<(&'static str, Vec<Row<'w>>, usize)>,
    counts: Vec<(&'static str, usize)>,
    /// The diffs rows point to (a group's keys share its diff).
    pub(super) diffs: Vec<GroupDiff>,
}

/// One `changes` entry, unrendered.
pub(super) enum Row<'w> {
    /// `changes.groups[]`: a group (or the one being created) and its diff.
    Group { group: u32, diff: usize },
    /// `changes.keys[]`: a key of a group whose effective slugs change.
    Key { key: u32, diff: usize },
    /// `removed_groups[]` / `revoked_keys[]`: an id or a prefix.
    Name(&'w str),
}

impl<'w> Changes<'w> {
    /// `lists` names the entry lists, in name order (the output order).
    pub(super) fn new(
        ws: &'w Workspace,
        local: PreviewSlugs<'w>,
        cap: Option<usize>,
        lists: &[&'static str],
    ) -> Self {
        debug_assert!(lists.windows(2).all(|w| w[0] < w[1]));
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
    pub(super) fn push(&mut self, l: usize, row: Row<'w>) {
        let (_, rows, count) = &mut self.lists[l];
        if self.cap.is_none_or(|c| rows.len() < c) {
            rows.push(row);
        }
        *count += 1;
    }

    /// Adds `n` to a summary count that is not a list's length.
    pub(super) fn count(&mut self, name: &'static str, n: usize) {
        match self.counts.iter_mut().find(|(k, _)| *k == name) {
            Some((_, c)) => *c += n,
            None => self.counts.push((name, n)),
        }
    }

    /// Writes the `changes` object as compact JSON, members in name order
    /// (as `serde_json` prints a `Value`). The full form stops at
    /// [`Changes::budget`]: the rows after it are left out and `summary`
    /// and `truncated: true` written, as the summary form writes them.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        let rows: usize = self.lists.iter().map(|(_, rows, _)| rows.len()).sum();
        // About 300 bytes a row: one allocation instead of a dozen doublings.
        out.reserve(rows.saturating_mul(300).saturating_add(64));
        let (start, budget) = (out.len(), self.budget());
        let mut cut = false;
        out.push(b'{');
        for (i, (name, rows, _)) in self.lists.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key(out, name);
            out.push(b'[');
            for (j, row) in rows.iter().enumerate() {
                cut |= out.len() - start > budget;
                if cut {
                    break;
                }
                if j > 0 {
                    out.push(b',');
                }
                self.write_row(out, row);
            }
            out.push(b']');
        }
        if self.cap.is_some() || cut {
            self.write_summary(out, cut);
        }
        out.push(b'}');
    }

    /// The text after which the full form writes no more rows: 1 MiB and 8
    /// bytes for each byte of the state, so that an answer stays linear in
    /// what it describes (and the Rust API's `Value` of it, ≈ 6 times the
    /// text, within the memory bound). Each key of a changed group repeats
    /// the group's gained and lost slugs: 6,000 keys losing 6,000 models
    /// were 354 MB of JSON from a 0.43 MB state (atk21).
    fn budget(&self) -> usize {
        match self.cap {
            Some(_) => usize::MAX,
            None => (1 << 20) + 8 * self.ws.st.weight(),
        }
    }

    /// `,"summary":{…},"truncated":…` (both sort after every list name).
    fn write_summary(&self, out: &mut Vec<u8>, cut: bool) {
        let mut counts: Vec<(&'static str, usize)> =
            self.lists.iter().map(|(n, _, c)| (*n, *c)).collect();
        counts.extend(self.counts.iter().copied());
        crate::sort::sort(&mut counts);
        out.extend_from_slice(b",\"summary\":{");
        for (i, (name, n)) in counts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key(out, name);
            number(out, *n as u64);
        }
        let truncated = cut || self.lists.iter().any(|(_, rows, c)| rows.len() < *c);
        out.extend_from_slice(b"},\"truncated\":");
        out.extend_from_slice(if truncated { b"true" } else { b"false" });
    }

    fn write_row(&self, out: &mut Vec<u8>, row: &Row<'w>) {
        match *row {
            Row::Group { group, diff } => {
                let d = &self.diffs[diff];
                out.push(b'{');
                self.write_slugs(out, "gained", &d.gained);
                out.push(b',');
                key(out, "id");
                string_or_null(out, self.ws.name_of(group));
                out.push(b',');
                key(out, "limits");
                out.push(b'[');
                for (i, m) in d.limits.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write_limit(out, m);
                }
                out.extend_from_slice(b"],");
                self.write_slugs(out, "lost", &d.lost);
                out.push(b'}');
            }
            Row::Key { key: k, diff } => {
                let d = &self.diffs[diff];
                let (st, k) = (&self.ws.st, &self.ws.st.keys[k as usize]);
                out.push(b'{');
                self.write_slugs(out, "gained", &d.gained);
                out.push(b',');
                key(out, "group_id");
                string(out, st.text.get(k.group));
                out.push(b',');
                self.write_slugs(out, "lost", &d.lost);
                out.push(b',');
                key(out, "prefix");
                string(out, st.text.get(k.prefix));
                out.push(b'}');
            }
            Row::Name(n) => string(out, n),
        }
    }

    /// `"name":["slug",…]`.
    fn write_slugs(&self, out: &mut Vec<u8>, name: &'static str, slugs: &[u32]) {
        key(out, name);
        out.push(b'[');
        for (i, &s) in slugs.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, self.local.name(s));
        }
        out.push(b']');
    }

    /// `{"kind","new","old","slug","type","unit"}` of a moved limit.
    fn write_limit(&self, out: &mut Vec<u8>, m: &LimitMove) {
        out.push(b'{');
        key(out, "kind");
        string(out, m.key.kind().name());
        out.push(b',');
        key(out, "new");
        self.write_bound(out, m.new);
        out.push(b',');
        key(out, "old");
        self.write_bound(out, m.old);
        out.push(b',');
        key(out, "slug");
        string(out, self.local.name(m.slug));
        out.push(b',');
        key(out, "type");
        string(out, m.key.limit_type().name());
        out.push(b',');
        key(out, "unit");
        string(out, m.key.unit().name());
        out.push(b'}');
    }

    /// `{"source_group","threshold"}`, or `null`.
    fn write_bound(&self, out: &mut Vec<u8>, b: Option<Bound>) {
        let Some(b) = b else {
            out.extend_from_slice(b"null");
            return;
        };
        out.push(b'{');
        key(out, "source_group");
        string_or_null(out, self.ws.name_of(b.source));
        out.push(b',');
        key(out, "threshold");
        number(out, b.threshold);
        out.push(b'}');
    }
}

/// `"name":`, for the renderer's own member names (plain ASCII: no escape
/// to look for).
fn key(out: &mut Vec<u8>, name: &'static str) {
    debug_assert!(plain(name.as_bytes()));
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

fn string_or_null(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string, escaped as `serde_json` escapes: `"` and `\`, the short
/// forms of \b \t \n \f \r, `\u00xx` for other control characters. Ids,
/// slugs and names almost never hold one: those are copied whole once
/// [`plain`] has passed them (a 1,000-group preview: 15.1 -> 12.4 M native
/// instructions).
fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if plain(bytes) {
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    escaped(out, bytes);
}

/// Whether no byte of `s` needs an escape in a JSON string (`"`, `\`, a
/// control character).
fn plain(s: &[u8]) -> bool {
    s.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// [`string`] of text with at least one byte to escape.
#[cold]
#[inline(never)]
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            0x00..=0x1f => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(&[b'\\', short]);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// One group's visible change: gained and lost slugs (interned, in name
/// order), moved limits.
pub(super) struct GroupDiff {
    pub(super) gained: Vec<u32>,
    pub(super) lost: Vec<u32>,
    pub(super) limits: Vec<LimitMove>,
}

/// A binding limit that moved: (slug, key) from `old` to `new`.
pub(super) struct LimitMove {
    pub(super) slug: u32,
    pub(super) key: LimitKey,
    pub(super) old: Option<Bound>,
    pub(super) new: Option<Bound>,
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
    pub(super) fn new(ws: &'w Workspace) -> Self {
        PreviewSlugs {
            ws,
            extra: Vec::new(),
            extra_ids: HashMap::default(),
        }
    }
    pub(super) fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.lookup(s) {
            return i;
        }
        let i = (self.ws.st.slugs.len() + self.extra.len()) as u32;
        self.extra.push(s.to_string());
        self.extra_ids.insert(s.to_string(), i);
        i
    }
    pub(super) fn lookup(&self, s: &str) -> Option<u32> {
        self.ws
            .slug_id(s)
            .or_else(|| self.extra_ids.get(s).copied())
    }
    pub(super) fn name(&self, i: u32) -> &str {
        let base = self.ws.st.slugs.len();
        let i = i as usize;
        if i < base {
            self.ws.st.slug(i as u32)
        } else {
            self.extra.get(i - base).map_or("", String::as_str)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_print_as_serde_json_prints_them() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in ["", "plain", "q\"b\\s/", "é ∑ 😀", &all] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        for n in [0, 7, 10, 1_000_000, u64::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }

    /// The plain-text test: every ASCII byte at every place of a string,
    /// against serde_json's escaping.
    #[test]
    fn a_string_with_one_byte_to_escape_anywhere_prints_as_serde_json_prints_it() {
        for b in 0..=0x7fu8 {
            for at in 0..19 {
                let mut text = b"aZ09/.-_zA9mq~r.0.".to_vec();
                text.insert(at, b);
                let s = std::str::from_utf8(&text).unwrap();
                let mut out = Vec::new();
                string(&mut out, s);
                assert_eq!(out, serde_json::to_vec(s).unwrap(), "byte {b} at {at}");
            }
        }
    }
}
