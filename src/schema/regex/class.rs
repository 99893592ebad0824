//! Character classes of the Go regexp dialect: the Perl and POSIX
//! classes (ASCII, as in Go) and the range arithmetic the parser needs
//! (negation, sorting and merging, ASCII case folding).

pub(super) const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
pub(super) const DIGIT: &[(char, char)] = &[('0', '9')];
pub(super) const SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];

pub(super) fn posix(name: &str) -> Option<&'static [(char, char)]> {
    Some(match name {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\x7f')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\x1f'), ('\x7f', '\x7f')],
        "digit" => DIGIT,
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => WORD,
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    })
}

/// The complement of sorted, merged ranges.
pub(super) fn negate(r: &[(char, char)]) -> Vec<(char, char)> {
    let mut out = Vec::new();
    let mut push = |lo: u32, hi: u32| {
        // Chars skip the surrogate block.
        let lo = if (0xD800..0xE000).contains(&lo) {
            0xE000
        } else {
            lo
        };
        let hi = if (0xD800..0xE000).contains(&hi) {
            0xD7FF
        } else {
            hi
        };
        if let (Some(a), Some(b)) = (char::from_u32(lo), char::from_u32(hi)) {
            if a <= b {
                out.push((a, b));
            }
        }
    };
    let mut next = 0u32;
    for &(a, b) in r {
        if a as u32 > next {
            push(next, a as u32 - 1);
        }
        next = b as u32 + 1;
    }
    if next <= 0x10FFFF {
        push(next, 0x10FFFF);
    }
    out
}

pub(super) fn normalize(mut r: Vec<(char, char)>, fold: bool) -> Vec<(char, char)> {
    if fold {
        let extra: Vec<(char, char)> = r
            .iter()
            .flat_map(|&(a, b)| {
                let (lo, hi) = (a.max('A'), b.min('z'));
                let mut v = Vec::new();
                for c in (lo as u32..=hi as u32).filter_map(char::from_u32) {
                    if c.is_ascii_alphabetic() {
                        let o = if c.is_ascii_lowercase() {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        };
                        v.push((o, o));
                    }
                }
                v
            })
            .collect();
        r.extend(extra);
    }
    crate::sort::sort(&mut r);
    let mut out: Vec<(char, char)> = Vec::with_capacity(r.len());
    for (a, b) in r {
        match out.last_mut() {
            Some(last) if a as u32 <= last.1 as u32 + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}
