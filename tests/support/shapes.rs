//! Rule pattern shapes of the bounds suites (tests/bounds.rs; the same
//! names and texts as tests/js/bounds.test.mjs), shared with the profiling
//! examples (`examples/build_profile.rs`, `examples/match_work.rs`).
#![allow(dead_code)]

/// Rule pattern shapes (as in bounds.test.mjs).
pub fn shape(name: &str, i: usize) -> String {
    match name {
        "trie" => format!("d{i}/**"),
        // A 1 KB `patterns` string of 512 one-byte globs, the same in every
        // rule: the most globs a byte of input can hold (atk22).
        "tiny" => "a,".repeat(512),
        // The same of globs each refused (`glob.negation`): every one is
        // still read, and its error counted.
        "tiny_refused" => "!a,".repeat(341),
        "nontrie" => match i % 5 {
            0 => format!("**/*x{i}*"),
            1 => format!("src/*/m{i}/**"),
            2 => format!("**/n{i}.{{md,txt}}"),
            3 => format!("[a-c]{i}?/**"),
            _ => format!("*/k{i}/*.rs"),
        },
        // 2^6 expansions × 2^8 alternatives in one segment: both glob bounds at once.
        "braces" => format!("{}{}x{i}", "{a,b/}".repeat(6), "{a,b}".repeat(8)),
        // 1,008 bytes: an `a` after a star, then 1,000 `?`: against a path of
        // random a/b, the active states differ at every byte.
        "marks" => format!("*a{}{i:06}", "?".repeat(1000)),
        // A star, a 3-digit name, a star, 1,000 `a`s: a path naming many of
        // them keeps a chain of 1,000 states active per name.
        "loops" => format!("*{:03}*{}?", i % 1000, "a".repeat(1000)),
        // Attackers of the automaton's width (README "Limits", maxMatchWork):
        // a middle piece, then a distinct tail per rule;
        "tails" => format!("*{:03}*{}*{i:06}", i % 1000, "a".repeat(990)),
        // `?`s after a literal: against random a/b, a new set at every byte
        // (300 of them: 100,000 such rules build within the suite's time);
        "mixture" => format!("*{:03}*a{}{i:06}", i % 1000, "?".repeat(300)),
        // every rule its own name (100,000 distinct middle pieces; runs of
        // 30, so that 100,000 rules stay a policy that can be built).
        "distinct" => format!("*{i:05}*{}?", "a".repeat(30)),
        // A name inside a file name, under any directory (an attacker's
        // pass: a 4 KB file name of such names keeps one star per name
        // active, a new automaton state at every byte).
        "infix" => format!("**/*secret{i}_*"),
        // 1,014 bytes: `**/*`, 1,000 `a`s, the rule's number, `.js`: every
        // rule a suffix of one extension, each sharing 1,000 bytes with a
        // name of `a`s (the trie kept them in one list per extension, read
        // whole at every check: 12 ms at 32,000 rules).
        "suffix" => format!("**/*{}x{i}.js", "a".repeat(1000)),
        // 1,002 bytes: `*`, 500 letters, `*`, 500 letters, every rule its
        // own (xorshift) letters: no state shared past the first star.
        "letters" => letters(i),
        // `**/`, the rule's number, 1,000 `?`: a state a `?`, no state
        // shared past the number (the attacker's `?`-chain, issue #11).
        "qmarks" => format!("**/{i}{}", "?".repeat(1000)),
        // `**/*{…}*` of 140 six-letter names, every rule its own names
        // (xorshift): about 1 KB, a list of alternatives after a star.
        "names" => names(i),
        // `**/*{…}*` of 140 names of a million (the attacker's list: base
        // 36, `q`-padded to 6): rules share names and their prefixes, so
        // the automaton stays small while every rule walks 140 branches.
        "shared_names" => shared_names(i),
        // A literal file 500 directories down, each rule its own first
        // directory (1,010 bytes): a trie node per directory (atk11).
        "deep" => format!("e{i:06}/{}x", "a/".repeat(500)),
        // Four patterns a rule, each with a lint note (regex syntax read
        // literally, a comma splitting a name, a trailing slash): the
        // notes' cost on the build path (an attacker's pass, issue #11).
        "noted" => format!("(a|b){i}/x, [a-z]+{i}, q1,q2-{i}.pdf, s{i}/"),
        // 1,024 bytes: a leading star, a long literal, 256 alternatives, a tail.
        _ => format!("*{}{}c{i:06}", "a".repeat(976), "{a,b}".repeat(8)),
    }
}

/// The `letters` shape: `*`, 500 letters, `*`,
/// 500 letters, from a 32-bit xorshift seeded by `i` (as bounds.test.mjs).
fn letters(i: usize) -> String {
    let mut x = (i as u32).wrapping_mul(2_654_435_761) | 1;
    let body: String = (0..1_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect();
    format!("*{}*{}", &body[..500], &body[500..])
}

/// The `names` shape: `**/*{` 140 names of 6 letters `}*`, the letters from
/// a 32-bit xorshift seeded by `i` (as bounds.test.mjs).
fn names(i: usize) -> String {
    let mut x = (i as u32).wrapping_mul(2_654_435_761) ^ 0x9e37_79b9 | 1;
    let names: Vec<String> = (0..140)
        .map(|_| {
            (0..6)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    char::from(b'a' + (x % 26) as u8)
                })
                .collect()
        })
        .collect();
    format!("**/*{{{}}}*", names.join(","))
}

/// The `shared_names` shape: `**/*{` the names `(i × 131 + j × 7919) mod
/// 10^6` in base 36, `q`-padded to 6 letters, for j < 140 `}*` (as
/// bounds.test.mjs).
fn shared_names(i: usize) -> String {
    let names: Vec<String> = (0..140)
        .map(|j| {
            let mut v = (i * 131 + j * 7919) % 1_000_000;
            let mut d = Vec::new();
            while v > 0 || d.is_empty() {
                d.push(char::from_digit((v % 36) as u32, 36).unwrap_or('0'));
                v /= 36;
            }
            while d.len() < 6 {
                d.push('q');
            }
            d.iter().rev().collect()
        })
        .collect();
    format!("**/*{{{}}}*", names.join(","))
}

/// A 4 KB path of `infix` names of `n` rules, in a scattered order (path
/// `j` of many starts at another name).
pub fn infix_path(n: usize, j: usize) -> String {
    let mut s = if j == 0 {
        "ops/keys/".to_string()
    } else {
        format!("ops/k{j}/")
    };
    let mut k = 0;
    while s.len() < 4096 {
        s += &format!("secret{}_", (k * 7919 + j * 104_729) % n);
        k += 1;
    }
    s.truncate(4096);
    s
}
