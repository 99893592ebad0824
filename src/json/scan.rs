//! A JSON text lexer for fast paths that read the well-formed common case
//! straight from the text, with no `Value` tree (issue 12, cold start).
//!
//! Every step answers `None` where serde_json might judge the text
//! differently (malformed JSON, a lone surrogate, an exponent, nesting past
//! [`MAX_SKIP_DEPTH`]): the caller then hands the whole text to its
//! `Value`-based reader, so that every error is found and worded there.
//! Giving up costs time only, never an answer.

/// Deeper values are left to serde_json (its own limit is 128).
pub const MAX_SKIP_DEPTH: usize = 64;

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
pub enum Str {
    /// `src[a..b]`, without escapes.
    Src(usize, usize),
    /// In [`Lex::buf`] (it had escapes).
    Buf,
}

/// A position in JSON text.
pub struct Lex<'a> {
    /// The text.
    pub src: &'a str,
    /// The text's bytes.
    pub b: &'a [u8],
    /// The next byte to read.
    pub at: usize,
    /// The last string read that had escapes, unescaped.
    pub buf: String,
}

impl<'a> Lex<'a> {
    /// At the start of `src`.
    pub fn new(src: &'a str) -> Self {
        Lex {
            src,
            b: src.as_bytes(),
            at: 0,
            buf: String::new(),
        }
    }

    /// The next byte that is not whitespace (not consumed).
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.at) {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(c);
            }
            self.at += 1;
        }
        None
    }
    /// `c` (after whitespace), consumed.
    #[inline(always)]
    pub fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.at += 1)
    }
    /// `word`, consumed.
    pub fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.b.get(self.at..end)? == word).then(|| self.at = end)
    }
    /// `null` (consumed) or not.
    pub fn null(&mut self) -> Option<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }
    /// Only whitespace is left.
    pub fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    /// A key's bytes (compared without a character-boundary check).
    #[inline(always)]
    pub fn raw(&self, s: Str) -> &[u8] {
        match s {
            Str::Src(a, b) => self.b.get(a..b).unwrap_or_default(),
            Str::Buf => self.buf.as_bytes(),
        }
    }

    /// The text of a string just read.
    #[inline(always)]
    pub fn get(&self, s: Str) -> &str {
        match s {
            Str::Src(a, b) => self.src.get(a..b).unwrap_or_default(),
            Str::Buf => &self.buf,
        }
    }

    /// A JSON string (out of line: it is called from every reader step).
    #[inline(never)]
    pub fn string(&mut self) -> Option<Str> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.b.get(start..).unwrap_or_default();
        let len = plain_run(rest)?;
        self.at = start + len;
        match rest[len] {
            b'"' => {
                self.at += 1;
                Some(Str::Src(start, start + len))
            }
            b'\\' => self.escaped(start),
            _ => None,
        }
    }
    /// The rest of a string from `start` whose first escape is next, unescaped
    /// into `buf`. Out of line: rare, and V8's optimizing tier compiles a hot
    /// WASM function whole, in a cold build too (issue 12, cold start).
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<Str> {
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
                    let run = plain_run(&self.b[from..])?;
                    self.at += run;
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

    /// Any value, checked and dropped.
    pub fn skip(&mut self, depth: usize) -> Option<()> {
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
    /// after its key.
    pub fn members(&mut self, f: impl FnMut(&mut Self, Str) -> Option<()>) -> Option<()> {
        members(self, f)
    }
    /// The items of an array whose `[` was read.
    pub fn items(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        items(self, f)
    }
    /// `null`, or an array whose items `f` reads (an optional list).
    pub fn null_or_items(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        self.eat(b'[')?;
        items(self, f)
    }
}

impl<'a> AsMut<Lex<'a>> for Lex<'a> {
    fn as_mut(&mut self) -> &mut Lex<'a> {
        self
    }
}

/// [`Lex::members`] for a reader holding a lexer (its steps get the reader).
pub fn members<'a, S: AsMut<Lex<'a>>>(
    s: &mut S,
    mut f: impl FnMut(&mut S, Str) -> Option<()>,
) -> Option<()> {
    if s.as_mut().eat(b'}').is_some() {
        return Some(());
    }
    loop {
        let k = s.as_mut().string()?;
        s.as_mut().eat(b':')?;
        f(s, k)?;
        let lx = s.as_mut();
        match lx.peek()? {
            b',' => lx.at += 1,
            b'}' => {
                lx.at += 1;
                return Some(());
            }
            _ => return None,
        }
    }
}

/// [`Lex::items`] for a reader holding a lexer.
pub fn items<'a, S: AsMut<Lex<'a>>>(
    s: &mut S,
    mut f: impl FnMut(&mut S) -> Option<()>,
) -> Option<()> {
    if s.as_mut().eat(b']').is_some() {
        return Some(());
    }
    loop {
        f(s)?;
        let lx = s.as_mut();
        match lx.peek()? {
            b',' => lx.at += 1,
            b']' => {
                lx.at += 1;
                return Some(());
            }
            _ => return None,
        }
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
}
