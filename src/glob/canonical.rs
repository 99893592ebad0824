//! The canonical form of a parsed glob: the dialect's own syntax after
//! anchoring and segment normalization (`/src//*` becomes `src/*`), as
//! texts, dedupe and lint compare patterns.

use super::path::{byte_table, run_end, ByteTable};
use super::token::Tok;

/// The canonical form of `toks` (normalized: see `segments`) into `out`,
/// or `true` when it is `src` itself: not `rewritten` (no escape, no class,
/// no literal byte the form may escape) and no segment `dropped` (most globs
/// are written canonically: copied once, by the policy's texts, never
/// emitted; issue 12, cold start).
pub(super) fn canonical(
    src: &str,
    rewritten: bool,
    escapable: bool,
    dropped: bool,
    toks: &[Tok],
    out: &mut String,
) -> bool {
    let same = !rewritten && !dropped;
    if same && !cfg!(debug_assertions) {
        return true;
    }
    out.clear();
    emit_canonical(toks, escapable, out);
    debug_assert!(!same || out == src, "{src:?} is not canonical");
    same
}

/// The bytes the canonical form may escape in literal text.
static ESCAPABLE: ByteTable = byte_table(b"*?[]{},\\!(");

/// `n` `?`s, a chunk at a time (not a char push each).
pub(super) fn push_marks(n: u32, out: &mut String) {
    const MARKS: &str = "????????????????????????????????????????????????????????????????";
    let mut n = n as usize;
    while n > 0 {
        let k = n.min(MARKS.len());
        out.push_str(&MARKS[..k]);
        n -= k;
    }
}

/// Writes `toks` in the dialect's syntax; `escapable`: some literal text
/// may need an escape (else text is copied as it is).
fn emit_canonical(toks: &[Tok], escapable: bool, out: &mut String) {
    for t in toks {
        match t {
            // Most text needs no escape: copied at once.
            Tok::Text(s) if !escapable || run_end(s.as_bytes(), 0, &ESCAPABLE) == s.len() => {
                out.push_str(s)
            }
            Tok::Text(s) => {
                for c in s.chars() {
                    let escape = match c {
                        '*' | '?' | '[' | ']' | '{' | '}' | ',' | '\\' => true,
                        '!' => out.is_empty(),
                        // A `(` after `*?@+!` would read as an extglob (found by
                        // fuzzing: the canonical form of `\!(` was `!(`).
                        '(' => out.ends_with(['*', '?', '@', '+', '!']),
                        _ => false,
                    };
                    if escape {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Tok::Star => out.push('*'),
            Tok::Stars => out.push_str("**"),
            Tok::Any(n) => push_marks(*n, out),
            Tok::Sep => out.push('/'),
            Tok::Class { negated, set } => emit_class(*negated, set.get(), out),
            Tok::Alt(branches, _) => {
                out.push('{');
                for (i, b) in branches.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    emit_canonical(b, escapable, out);
                }
                out.push('}');
            }
        }
    }
}

/// `[...]`: ranges for runs of members (`[abc]` is `[a-c]`), `!` for a
/// negated class.
fn emit_class(negated: bool, set: u128, out: &mut String) {
    let mut buf = [0; SPELLING];
    let n = spell_class(negated, set, &mut buf);
    out.extend(buf[..n].iter().map(|&b| char::from(b)));
}

/// Is `written` (a class as the glob has it, `[` to `]`) the class's
/// canonical spelling? Compared as it is spelled, without a buffer.
pub(super) fn class_as_written(written: &[u8], negated: bool, set: u128) -> bool {
    let mut buf = [0; SPELLING];
    let n = spell_class(negated, set, &mut buf);
    written == &buf[..n]
}

/// The longest class spelling: `[!]`, then at most 64 runs of four bytes
/// (`\\\\-x`) and a `]`, `-`, a moved member.
const SPELLING: usize = 3 + 64 * 4 + 3;

/// The canonical spelling of a class, a byte at a time (all ASCII), in
/// the spelling every reference engine reads alike (the parser refuses
/// the others): `]` first, `-` last, `\\\\` for `\\`, no other escape.
/// A `!` or `^` first would negate: another run leads, or a run's lowest
/// member goes last, or `-` goes first; a class of only `!` and `^` is
/// written as text (`\\!`, `{\\!,\\^}`).
fn spell_class(negated: bool, set: u128, buf: &mut [u8; SPELLING]) -> usize {
    let mut n = 0;
    let mut put = |b: u8| {
        buf[n] = b;
        n += 1;
    };
    let bit = |c: u8| 1u128 << c;
    let (close, dash) = (set & bit(b']') != 0, set & bit(b'-') != 0);
    let rest = set & !bit(b']') & !bit(b'-');
    let mut runs = [(0u8, 0u8); 64];
    let mut count = 0;
    each_run(rest, |lo, hi| {
        runs[count] = (lo as u8, hi as u8);
        count += 1;
    });
    let runs = &mut runs[..count];
    let bangs = |r: &(u8, u8)| matches!(r.0, b'!' | b'^');
    let mut tail = None;
    if !negated && !close && !dash && runs.first().is_some_and(bangs) {
        if let Some(i) = runs.iter().position(|r| !bangs(r)) {
            rotate(runs, i);
        } else if let Some(i) = runs.iter().position(|r| r.0 < r.1) {
            rotate(runs, i);
            tail = Some(runs[0].0);
            runs[0].0 += 1;
        } else {
            bangs_as_text(runs, &mut put);
            return n;
        }
    }
    let lead_dash = dash && !negated && !close && runs.first().is_some_and(bangs);
    put(b'[');
    if negated {
        put(b'!');
    }
    if close {
        put(b']');
    }
    if lead_dash {
        put(b'-');
    }
    for &(lo, hi) in runs.iter() {
        for (k, c) in [lo, hi].into_iter().enumerate() {
            if k == 1 && lo == hi {
                break;
            }
            if k == 1 {
                put(b'-');
            }
            if c == b'\\' {
                put(b'\\');
            }
            put(c);
        }
    }
    tail.map(&mut put);
    if dash && !lead_dash {
        put(b'-');
    }
    put(b']');
    n
}

/// A class of `!`, `^` or both (`runs`: single members), which no class
/// spelling without an escape holds, as text.
#[cold]
fn bangs_as_text(runs: &[(u8, u8)], put: &mut dyn FnMut(u8)) {
    let alt = runs.len() > 1;
    if alt {
        put(b'{');
    }
    for (i, &(c, _)) in runs.iter().enumerate() {
        if i > 0 {
            put(b',');
        }
        put(b'\\');
        put(c);
    }
    if alt {
        put(b'}');
    }
}

/// Calls `f` with each maximal run of consecutive members of an ASCII set
/// (a few bit operations a run, not a test per character).
fn each_run(mut set: u128, mut f: impl FnMut(char, char)) {
    while set != 0 {
        let lo = set.trailing_zeros();
        // The run ends at the first non-member from `lo` up.
        let len = (!(set >> lo)).trailing_zeros();
        let hi = lo + len - 1;
        f(char::from(lo as u8), char::from(hi as u8));
        set &= !((u128::MAX >> (128 - len)) << lo);
    }
}

/// `runs` rotated left by `i` (std's `rotate_left` was 0.3 KB of WASM for
/// these two calls; a class holds at most 64 runs).
fn rotate(runs: &mut [(u8, u8)], i: usize) {
    for _ in 0..i {
        for j in 1..runs.len() {
            runs.swap(j - 1, j);
        }
    }
}

/// Maximal runs of consecutive members of an ASCII set.
#[cfg(test)]
pub(super) fn runs(set: u128) -> Vec<(char, char)> {
    let mut out = Vec::new();
    each_run(set, |lo, hi| out.push((lo, hi)));
    out
}

#[cfg(test)]
mod tests {
    use super::{class_as_written, emit_class, runs};

    /// A class is as written only when written as the canonical form
    /// spells it.
    #[test]
    fn classes_as_written() {
        let set = |cs: &str| cs.bytes().fold(0u128, |s, b| s | 1 << b);
        let cases: &[(&str, bool, &str, bool)] = &[
            ("[0-9]", false, "0123456789", true),
            ("[a-c]", false, "abc", true),
            ("[abc]", false, "abc", false),
            ("[!a]", true, "a", true),
            ("[^a]", true, "a", false),
            ("[a-a]", false, "a", false),
            ("[\\]]", false, "]", false),
            ("[]]", false, "]", true),
            ("[a-c-]", false, "abc-", true),
            ("[a!]", false, "a!", true),
            ("[-^]", false, "-^", true),
            ("[\\\\]", false, "\\", true),
            ("[a-c", false, "abc", false),
            ("[a-cx]", false, "abc", false),
        ];
        for &(written, negated, members, want) in cases {
            assert_eq!(
                class_as_written(written.as_bytes(), negated, set(members)),
                want,
                "{written}"
            );
        }
    }

    /// Every class's canonical spelling parses back to that class (or,
    /// a lone `!` or `^`, to that character), with no spelling the parser
    /// refuses (`\\` but `\\\\`, a `-` after a range but last).
    #[test]
    fn every_class_spelling_reads_back() {
        use crate::glob::parse::Parser;
        use crate::glob::scratch::Bufs;
        use crate::glob::token::Tok;
        let slash = 1u128 << b'/';
        let mut sets: Vec<u128> = (0..128).map(|c| 1u128 << c).collect();
        let marks = b"]-!^\\[:ab";
        for &a in marks {
            for &b in marks {
                for &c in marks {
                    sets.push(1 << a | 1 << b | 1 << c);
                }
            }
            sets.push(1 << a | 1u128 << b'"' | 1u128 << b'#');
        }
        let mut x = 0x2545_f491_4f6c_dd1du128;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sets.extend([x, x & (x >> 5), x & (x >> 3) & (x >> 11)]);
        }
        for set in sets
            .into_iter()
            .map(|s| s & !slash & !1)
            .filter(|&s| s != 0)
        {
            for negated in [false, true] {
                let mut spelled = String::new();
                emit_class(negated, set, &mut spelled);
                let mut bufs = Bufs::default();
                let toks = Parser::new(&spelled, &mut bufs).seq(0);
                let bangs = 1u128 << b'!' | 1u128 << b'^';
                let want = match set & !bangs {
                    0 if !negated && set == bangs => {
                        assert_eq!(spelled, "{\\!,\\^}");
                        continue;
                    }
                    0 if !negated => vec![Tok::Text(spelled[1..].into())],
                    _ => vec![Tok::Class {
                        negated,
                        set: set.into(),
                    }],
                };
                assert_eq!(toks, Ok(want), "{spelled:?}");
            }
        }
    }

    /// The bit-operation runs are the runs a test per character finds.
    #[test]
    fn runs_are_the_maximal_runs_of_members() {
        let naive = |set: u128| {
            let mut out = Vec::new();
            let mut c = 0u32;
            while c < 128 {
                if set & (1u128 << c) != 0 {
                    let lo = c;
                    while c + 1 < 128 && set & (1u128 << (c + 1)) != 0 {
                        c += 1;
                    }
                    out.push((char::from(lo as u8), char::from(c as u8)));
                }
                c += 1;
            }
            out
        };
        let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
        let mut sets = vec![0, 1, u128::MAX, 1 << 127, u128::MAX << 1, u128::MAX >> 1];
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sets.push(x);
            sets.push(x & (x >> 3));
        }
        for set in sets {
            assert_eq!(runs(set), naive(set), "{set:#x}");
        }
    }
}
