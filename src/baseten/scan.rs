//! The fast path of [`super::Workspace::from_json_text`]: the state read
//! straight from JSON text into the compact form ([`State`]), with no
//! `Value` tree and no typed decoding (issue 17).
//!
//! It accepts exactly what the detailed reader (`read`) accepts without an
//! issue, and gives up (`None`) on anything else — malformed JSON, a wrong
//! type, a bad enum, slug or threshold, a duplicate member, an over-long
//! string, a deep unknown value, or an escape it would have to judge — so
//! that every error is found and worded by that one reader. Giving up costs
//! time only, never an answer (`fast_and_detailed_readers_agree` and the
//! workspace fuzz target hold the two to it).

use super::model::{is_slug, Enforcement, Limit, LimitKind, LimitType, LimitUnit};
use super::store::{flags, GroupRec, KeyRec, ModelRec, Span, State};
use crate::limits::Limits;

/// Deeper unknown values are left to the detailed reader (serde_json's
/// own limit is 128).
const MAX_SKIP_DEPTH: usize = 64;
/// Up to this many models a group's duplicate check scans; beyond, it hashes.
const MAX_MODELS: usize = 32;
const SAFE: u64 = (1 << 53) - 1;

/// The state of `text`, or `None` when the detailed reader must judge it.
pub(super) fn read(text: &str, limits: Limits) -> Option<State> {
    let mut s = Scan {
        src: text,
        b: text.as_bytes(),
        at: 0,
        st: State::reading(),
        buf: String::new(),
        max: limits.max_string_bytes,
    };
    // Sized from the text (a group takes ≈ 300 bytes of it), so that the
    // arrays rarely grow while read.
    let n = text.len();
    s.st.text.buf.reserve(n / 4);
    s.st.groups.reserve(n / 512);
    s.st.keys.reserve(n / 512);
    s.st.models.reserve(n / 128);
    s.st.limits.reserve(n / 256);
    s.state(limits.max_groups)?;
    Some(s.st)
}

/// The length of `b`'s leading run of bytes a JSON string holds as they
/// are (not a quote, a backslash or a control byte), eight at a time;
/// `None` when the run reaches the end.
#[inline(always)]
fn plain_run(b: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte of `x` that is zero (exact for the lowest one).
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let mut at = 0;
    while let Some(c) = b.get(at..at + 8) {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let hit = zero(w ^ (LO * u64::from(b'"')))
            | zero(w ^ (LO * u64::from(b'\\')))
            | (w.wrapping_sub(LO * 0x20) & !w & HI);
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    while let Some(&c) = b.get(at) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// A string just read: a slice of the input, or the unescaped copy in `buf`.
#[derive(Clone, Copy)]
enum Str {
    Src(usize, usize),
    Buf,
}

struct Scan<'a> {
    src: &'a str,
    b: &'a [u8],
    at: usize,
    st: State,
    buf: String,
    max: usize,
}

/// Which members of an object were seen (a repeated one gives up).
struct Seen(u32);

impl Seen {
    fn first(&mut self, bit: usize) -> Option<()> {
        let m = 1u32 << bit;
        let fresh = self.0 & m == 0;
        self.0 |= m;
        fresh.then_some(())
    }
}

impl<'a> Scan<'a> {
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.at) {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(c);
            }
            self.at += 1;
        }
        None
    }
    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.at += 1)
    }
    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.b.get(self.at..end)? == word).then(|| self.at = end)
    }
    /// `null` (consumed) or not.
    #[inline(always)]
    fn null(&mut self) -> Option<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }

    /// A key's bytes (compared without a character-boundary check).
    #[inline(always)]
    fn raw(&self, s: Str) -> &[u8] {
        match s {
            Str::Src(a, b) => self.b.get(a..b).unwrap_or_default(),
            Str::Buf => self.buf.as_bytes(),
        }
    }

    #[inline(always)]
    fn get(&self, s: Str) -> &str {
        match s {
            Str::Src(a, b) => &self.src[a..b],
            Str::Buf => &self.buf,
        }
    }

    /// A JSON string.
    fn string(&mut self) -> Option<Str> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.b.get(start..).unwrap_or_default();
        let len = plain_run(rest)?;
        self.at = start + len;
        match rest[len] {
            b'"' => {
                self.at += 1;
                return Some(Str::Src(start, start + len));
            }
            b'\\' => {}
            _ => return None,
        }
        self.buf.clear();
        self.buf.push_str(&self.src[start..self.at]);
        loop {
            match *self.b.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(Str::Buf);
                }
                b'\\' => {
                    let c = self.escape()?;
                    self.buf.push(c);
                }
                c if c < 0x20 => return None,
                _ => {
                    let from = self.at;
                    while self
                        .b
                        .get(self.at)
                        .is_some_and(|&c| c >= 0x20 && c != b'"' && c != b'\\')
                    {
                        self.at += 1;
                    }
                    self.buf.push_str(&self.src[from..self.at]);
                }
            }
        }
    }
    /// One escape after its backslash; a lone surrogate gives up.
    fn escape(&mut self) -> Option<char> {
        let c = *self.b.get(self.at + 1)?;
        self.at += 2;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xd800..0xdc00).contains(&hi) {
                    self.literal(b"\\u")?;
                    let lo = self.hex4()?;
                    if !(0xdc00..0xe000).contains(&lo) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))?
                } else {
                    char::from_u32(hi)?
                }
            }
            _ => return None,
        })
    }
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.src.get(self.at..self.at.checked_add(4)?)?;
        if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A string within `max_string_bytes`, into the arena.
    fn text(&mut self) -> Option<Span> {
        let s = self.string()?;
        let v: &str = match s {
            Str::Src(a, b) => &self.src[a..b],
            Str::Buf => &self.buf,
        };
        if v.len() > self.max {
            return None;
        }
        Some(self.st.text.push(v))
    }
    /// A string or `null` (absent).
    fn opt_text(&mut self) -> Option<Span> {
        if self.null()? {
            return Some(Span::NONE);
        }
        self.text()
    }
    /// One of `table`'s names.
    fn enumerated<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let s = self.string()?;
        let v = self.get(s);
        table.iter().find(|(n, _)| *n == v).map(|(_, t)| *t)
    }
    /// A threshold: a plain integer from 0 to 2^53 - 1.
    fn threshold(&mut self) -> Option<u64> {
        self.peek()?;
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(&c) = self.b.get(self.at).filter(|c| c.is_ascii_digit()) {
            // At most 16 digits (checked below): no overflow.
            n = n.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            self.at += 1;
        }
        let len = self.at - start;
        let leading_zero = len > 1 && self.b[start] == b'0';
        let fraction = matches!(self.b.get(self.at), Some(b'.' | b'e' | b'E'));
        (len > 0 && len <= 16 && !leading_zero && !fraction && n <= SAFE).then_some(n)
    }

    /// Any JSON value, checked and skipped.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_SKIP_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => {
                self.at += 1;
                self.members(|s, _| s.skip(depth + 1))
            }
            b'[' => {
                self.at += 1;
                self.items(|s| s.skip(depth + 1))
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }
    /// A number as serde_json reads it without trouble: no exponent, at
    /// most 100 digits (beyond, serde_json may refuse it).
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        if self.b.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let int = self.digits();
        if int == 0 || (int > 1 && self.b[self.at - int] == b'0') {
            return None;
        }
        if self.b.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        let ok = self.at - start <= 100 && !matches!(self.b.get(self.at), Some(b'e' | b'E'));
        ok.then_some(())
    }
    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.b.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// The members of an object whose `{` was read: `f` reads each value
    /// after its key (the key is in `Str`).
    fn members(&mut self, mut f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let k = self.string()?;
            self.eat(b':')?;
            f(self, k)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
    /// The items of an array whose `[` was read.
    fn items(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            f(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
    /// An object: `{` then its members.
    fn object(&mut self, f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.members(f)
    }
    /// An array: `[` then its items.
    fn array(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.items(f)
    }

    /// `{groups, keys?}` and nothing after it.
    fn state(&mut self, max_groups: usize) -> Option<()> {
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"groups" => {
                seen.first(0)?;
                s.array(|s| s.group())?;
                (s.st.groups.len() <= max_groups).then_some(())
            }
            b"keys" => {
                seen.first(1)?;
                if s.null()? {
                    return Some(());
                }
                s.array(|s| s.key())
            }
            _ => s.skip(1),
        })?;
        (seen.0 & 1 != 0 && self.peek().is_none()).then_some(())
    }

    fn group(&mut self) -> Option<()> {
        let mut g = GroupRec {
            id: Span::NONE,
            name: Span::NONE,
            ext: Span::NONE,
            ws: Span::NONE,
            parent: Span::NONE,
            models: Span::default(),
            flags: 0,
        };
        let (mut mode, mut deleted) = (None, false);
        let mut seen = Seen(0);
        g.models.start = self.st.models.len() as u32;
        self.object(|s, k| match s.raw(k) {
            b"id" => {
                seen.first(0)?;
                g.id = s.text().filter(|id| id.len > 0)?;
                Some(())
            }
            b"metadata" => {
                seen.first(1)?;
                (g.name, g.ext) = s.metadata()?;
                Some(())
            }
            b"models" => {
                seen.first(2)?;
                if !s.null()? {
                    g.models.len = s.models()?;
                }
                Some(())
            }
            b"hierarchy" => {
                seen.first(3)?;
                (mode, g.parent) = s.hierarchy()?;
                Some(())
            }
            b"workspace_id" => {
                seen.first(4)?;
                g.ws = s.opt_text()?;
                Some(())
            }
            b"deleted" => {
                seen.first(5)?;
                deleted = match s.peek()? {
                    b't' => s.literal(b"true").map(|_| true)?,
                    b'f' => s.literal(b"false").map(|_| false)?,
                    _ => s.literal(b"null").map(|_| false)?,
                };
                Some(())
            }
            _ => s.skip(1),
        })?;
        if g.id.is_none() || g.ext.is_none() {
            return None;
        }
        g.flags = flags(deleted, mode?);
        self.st.groups.push(g);
        Some(())
    }

    /// `{name?, external_entity_id}`.
    fn metadata(&mut self) -> Option<(Span, Span)> {
        let (mut name, mut ext) = (Span::NONE, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"name" => {
                seen.first(0)?;
                name = s.opt_text()?;
                Some(())
            }
            b"external_entity_id" => {
                seen.first(1)?;
                ext = s.text()?;
                Some(())
            }
            _ => s.skip(1),
        })?;
        Some((name, ext))
    }

    /// `{limit_enforcement, parent_group_id?}`.
    fn hierarchy(&mut self) -> Option<(Option<Enforcement>, Span)> {
        let (mut mode, mut parent) = (None, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"limit_enforcement" => {
                seen.first(0)?;
                mode = Some(s.enumerated(Enforcement::TABLE)?);
                Some(())
            }
            b"parent_group_id" => {
                seen.first(1)?;
                parent = s.opt_text()?;
                Some(())
            }
            _ => s.skip(1),
        })?;
        Some((Some(mode?), parent))
    }

    /// A group's `models`: appended to the state; returns how many.
    fn models(&mut self) -> Option<u32> {
        let first = self.st.models.len();
        // Duplicates: a scan for the usual handful, a set beyond (a group
        // may list 100,000 models; handing those to the detailed reader
        // built a `Value` tree of them).
        let mut seen: Option<std::collections::HashSet<u32>> = None;
        self.array(|s| {
            let m = s.model()?;
            let mine = &s.st.models[first..];
            let dup = match &mut seen {
                Some(set) => !set.insert(m.slug),
                None if mine.len() >= MAX_MODELS => {
                    let mut set: std::collections::HashSet<u32> =
                        mine.iter().map(|x| x.slug).collect();
                    let dup = !set.insert(m.slug);
                    seen = Some(set);
                    dup
                }
                None => mine.iter().any(|x| x.slug == m.slug),
            };
            if dup {
                return None;
            }
            s.st.models.push(m);
            Some(())
        })?;
        Some((self.st.models.len() - first) as u32)
    }

    /// `{slug, rate_limits?, usage_limits?}`.
    fn model(&mut self) -> Option<ModelRec> {
        let mut m = ModelRec {
            slug: u32::MAX,
            rate: Span::NONE,
            usage: Span::NONE,
        };
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"slug" => {
                seen.first(0)?;
                let v = s.string()?;
                // A slug seen before was checked then.
                if let Some(id) = s.st.slug_id(s.get(v)) {
                    m.slug = id;
                    return Some(());
                }
                let slug = s.get(v);
                if slug.len() > s.max || !is_slug(slug) {
                    return None;
                }
                let slug: &str = match v {
                    Str::Src(a, b) => &s.src[a..b],
                    Str::Buf => &s.buf,
                };
                m.slug = s.st.intern(slug);
                Some(())
            }
            b"rate_limits" => {
                seen.first(1)?;
                m.rate = s.limits(LimitKind::Rate)?;
                Some(())
            }
            b"usage_limits" => {
                seen.first(2)?;
                m.usage = s.limits(LimitKind::Usage)?;
                Some(())
            }
            _ => s.skip(1),
        })?;
        (m.slug != u32::MAX).then_some(m)
    }

    /// A limit list of `kind` (`null`: not given).
    fn limits(&mut self, kind: LimitKind) -> Option<Span> {
        if self.null()? {
            return Some(Span::NONE);
        }
        let start = self.st.limits.len();
        self.array(|s| {
            let l = s.limit(kind)?;
            // Rate limits: one per type; usage limits: one per (type, unit).
            let dup = s.st.limits[start..].iter().any(|x| {
                x.limit_type == l.limit_type && (kind == LimitKind::Rate || x.unit == l.unit)
            });
            if dup {
                return None;
            }
            s.st.limits.push(l);
            Some(())
        })?;
        Some(Span {
            start: start as u32,
            len: (self.st.limits.len() - start) as u32,
        })
    }

    /// `{type, unit, threshold}`.
    fn limit(&mut self, kind: LimitKind) -> Option<Limit> {
        let (mut t, mut u, mut n) = (None, None, None);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"type" => {
                seen.first(0)?;
                t = Some(s.enumerated(LimitType::TABLE)?);
                Some(())
            }
            b"unit" => {
                seen.first(1)?;
                u = Some(s.enumerated::<LimitUnit>(kind.units())?);
                Some(())
            }
            b"threshold" => {
                seen.first(2)?;
                n = Some(s.threshold()?);
                Some(())
            }
            _ => s.skip(1),
        })?;
        Some(Limit {
            limit_type: t?,
            unit: u?,
            threshold: n?,
        })
    }

    /// `{prefix, group_id, name?}`.
    fn key(&mut self) -> Option<()> {
        let (mut prefix, mut group, mut name) = (Span::NONE, Span::NONE, Span::NONE);
        let mut seen = Seen(0);
        self.object(|s, k| match s.raw(k) {
            b"prefix" => {
                seen.first(0)?;
                prefix = s.text().filter(|p| p.len > 0)?;
                Some(())
            }
            b"group_id" => {
                seen.first(1)?;
                group = s.text()?;
                Some(())
            }
            b"name" => {
                seen.first(2)?;
                name = s.opt_text()?;
                Some(())
            }
            _ => s.skip(1),
        })?;
        if prefix.is_none() || group.is_none() {
            return None;
        }
        self.st.keys.push(KeyRec {
            prefix,
            group,
            name,
        });
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_run_finds_the_first_special_byte_as_a_scan_does() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        let bytes: Vec<u8> = (0u8..=255).collect();
        for len in 0..20 {
            for at in 0..len {
                for &c in &bytes {
                    let mut b = vec![b'a'; len];
                    b[at] = c;
                    // A special byte after the first too (borrows reach up).
                    if at + 1 < len {
                        b[at + 1] = 0;
                    }
                    assert_eq!(plain_run(&b), naive(&b), "{b:?}");
                }
            }
        }
        assert_eq!(plain_run("é😀 plain".as_bytes()), None);
    }

    #[test]
    fn gives_up_on_what_the_detailed_reader_must_judge() {
        let ok = r#"{"groups":[{"id":"a","metadata":{"external_entity_id":"e"},"hierarchy":{"limit_enforcement":"CASCADING"}}]}"#;
        assert!(read(ok, Limits::DEFAULT).is_some());
        for bad in [
            ok.replace("\"a\"", "\"\""),
            ok.replace("CASCADING", "cascading"),
            ok.replace("\"e\"", "null"),
            ok.replace("}]}", "},]}"),
            format!("{ok} 1"),
        ] {
            assert!(read(&bad, Limits::DEFAULT).is_none(), "{bad}");
        }
    }
}
