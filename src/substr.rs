//! Substring search: `str::find`, `rfind`, `replace` and `split` with a
//! `&str` needle, the crate's one copy. std's versions run the Two-Way
//! searcher (`StrSearcher`), 4.5 KB of WASM (1.8 KB gzipped) that no other
//! code of the crate needs; the needles here are short literals (at most a
//! few bytes) or one fixed 14-byte marker, so a window scan costs no more
//! than a needle's length per byte of the haystack, linear in it.
//! A match of a valid UTF-8 needle starts and ends on char boundaries.
//! `rfind` also serves a one-`char` needle (`rfind(s, "@")`, not `s.rfind('@')`):
//! std's backward `CharSearcher` and `memrchr`, used nowhere else, then stay
//! out of the WASM (-243 B gzipped).

/// The byte offset of the first `needle` in `hay` (as `str::find`).
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let n = needle.as_bytes();
    hay.as_bytes().windows(n.len()).position(|w| w == n)
}

/// The byte offset of the last `needle` in `hay` (as `str::rfind`).
pub(crate) fn rfind(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(hay.len());
    }
    let n = needle.as_bytes();
    hay.as_bytes().windows(n.len()).rposition(|w| w == n)
}

/// Whether `hay` holds `needle` (as `str::contains`).
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// The pieces of `hay` between the non-overlapping `sep`s, left to right
/// (as `str::split`, collected). `sep` is never empty.
pub(crate) fn split<'a>(hay: &'a str, sep: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = hay;
    while let Some(i) = find(rest, sep).filter(|_| !sep.is_empty()) {
        out.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    out.push(rest);
    out
}

/// `hay` with each non-overlapping `from`, left to right, replaced by `to`
/// (as `str::replace`). `from` is never empty.
pub(crate) fn replace(hay: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(i) = find(rest, from).filter(|_| !from.is_empty()) {
        out.push_str(&rest[..i]);
        out.push_str(to);
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `items` joined with `sep` (as `[S]::join`; std's `join_generic_copy` was
/// one 1 KB copy per item type).
pub(crate) fn join<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// Whether `c` is one of the ASCII characters of `set` (as
/// `set.contains(c)`, without the searcher a non-ASCII `c` would take).
pub(crate) fn one_of(c: char, set: &str) -> bool {
    c.is_ascii() && set.as_bytes().contains(&(c as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every answer as std's, on needles and haystacks that overlap, repeat,
    /// touch the ends, and hold multi-byte characters.
    #[test]
    fn answers_as_std() {
        let hays = [
            "",
            "a",
            "..",
            "...",
            "....",
            "a..b",
            "..a..",
            "a...b",
            "~01",
            "~~1",
            "~1~0~10",
            "é..ü",
            "ü]+ä]+",
            "x%25y%25",
            "\"changes\":null,\"changes\":null",
            "ab:]c:]",
        ];
        let needles = [
            "..",
            "~1",
            "~0",
            "]+",
            "%25",
            ":]",
            "\"changes\":null",
            "\\d",
            "é",
            "a",
        ];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(rfind(h, n), h.rfind(n), "{h:?} {n:?}");
                assert_eq!(contains(h, n), h.contains(n), "{h:?} {n:?}");
                assert_eq!(split(h, n), h.split(n).collect::<Vec<_>>(), "{h:?} {n:?}");
                assert_eq!(replace(h, n, "/"), h.replace(n, "/"), "{h:?} {n:?}");
                assert_eq!(replace(h, n, ""), h.replace(n, ""), "{h:?} {n:?}");
            }
            for c in h.chars().chain(['~', 'é', '\0']) {
                assert_eq!(one_of(c, "~.a\\"), "~.a\\".contains(c), "{c:?}");
            }
            let parts: Vec<&str> = h.split('.').collect();
            assert_eq!(join(&parts, ", "), parts.join(", "));
            assert_eq!(find(h, ""), h.find(""));
            assert_eq!(rfind(h, ""), h.rfind(""));
        }
    }
}
