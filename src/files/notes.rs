//! Patterns that parse but almost surely do not say what their author
//! meant (SPEC §2): lint warnings with a suggested fix, found while the
//! rules are read (they need the text as written).
//!
//! - a trailing `/` (`secrets/`): matches only `secrets` itself;
//! - regex syntax read literally: `(a|b)`, `[a-z]+`, `\d`, `^…`, `…$`;
//! - a comma that splits what looks like one file name
//!   (`reports/q1,q2-salaries.pdf`): write `\,` for a comma in a name.

use crate::glob::path::{byte_table, run_end, ByteTable};
use crate::substr;

/// What a note says, without its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    TrailingSlash,
    RegexSyntax,
    CommaSplit,
}

/// A lint note as found while a rule is read: its kind and where, not its
/// wording. The wording (a few hundred bytes, and most of the note's cost:
/// 100,000 rules of four noted patterns spent a quarter of their build
/// writing messages nobody had asked for; issue 11) is written by
/// [`Note::message`] when `lint` or a snapshot asks, from the pattern
/// texts the policy keeps anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Note {
    pub(super) kind: Kind,
    /// The glob's index among the rule's patterns (a comma split: the left
    /// one; the right one is next).
    pub(super) pattern: u32,
    /// The index in a `patterns` array (`None`: a `patterns` string).
    pub(super) item: Option<u32>,
}

impl Note {
    /// The code of the note (README "Codes").
    pub(super) fn code(self) -> &'static str {
        match self.kind {
            Kind::TrailingSlash => "lint.trailing_slash",
            Kind::RegexSyntax => "lint.regex_syntax",
            Kind::CommaSplit => "lint.comma_split",
        }
    }

    /// The note's text with its suggested fix: `glob` is the rule's
    /// pattern `pattern` as written, `next` the pattern after it.
    #[cold]
    #[inline(never)]
    pub(super) fn message(self, glob: &str, next: &str) -> String {
        match self.kind {
            Kind::TrailingSlash => {
                let dir = glob.trim_end_matches('/');
                format!(
                    "{glob:?} matches only {dir:?} itself, not the files inside it; write \"{dir}/**\" for everything below it"
                )
            }
            Kind::RegexSyntax => {
                let (what, fix) = regex_syntax(glob).unwrap_or(("regex syntax", String::new()));
                format!("{glob:?} is a glob, not a regular expression: {what} is read literally; write {fix:?}")
            }
            Kind::CommaSplit => comma_split(glob, next),
        }
    }
}

/// The bytes of every regex construct but the anchors `^…$` (see
/// [`regex_construct`]).
static HINTS: ByteTable = byte_table(b"(]\\");

/// Notes about one glob as written: `pattern` its index in the rule,
/// `item` in a `patterns` array.
#[cfg(test)]
pub(super) fn glob_notes(glob: &str, pattern: u32, item: Option<u32>, out: &mut Vec<Note>) {
    let hints = run_end(glob.as_bytes(), 0, &HINTS) < glob.len();
    parsed_notes(glob, hints, pattern, item, out);
}

/// [`glob_notes`] of a glob that parsed: `hints` says whether it may hold
/// a regex construct (a byte of [`HINTS`], but a class's `]` only before a
/// `+`: the tokenizer stops at each, no pass of its own).
pub(super) fn parsed_notes(
    glob: &str,
    hints: bool,
    pattern: u32,
    item: Option<u32>,
    out: &mut Vec<Note>,
) {
    // Most globs can carry no note, and this says so (every test below
    // needs one of these). The tests stay out of the build's hot path:
    // V8's optimizing tier compiles a hot WASM function whole, in a cold
    // build too (issue 12, cold start). Byte tests, not `str` pattern
    // searches: in V8's baseline tier, where a cold build runs, those are
    // generic calls per character (issue 12).
    let b = glob.as_bytes();
    let edge = matches!(b.last(), Some(b'/' | b'$')) || b.first() == Some(&b'^');
    if edge || hints {
        noted_glob(glob, pattern, item, out);
    }
}

/// [`glob_notes`] of a glob that may carry one.
#[cold]
#[inline(never)]
fn noted_glob(glob: &str, pattern: u32, item: Option<u32>, out: &mut Vec<Note>) {
    let note = |kind| Note {
        kind,
        pattern,
        item,
    };
    if glob.len() > 1 && glob.ends_with('/') && !glob.ends_with("\\/") {
        out.push(note(Kind::TrailingSlash));
    }
    if regex_construct(glob).is_some() {
        out.push(note(Kind::RegexSyntax));
    }
}

/// A regex construct a glob may hold (see [`regex_construct`]).
#[derive(Debug, Clone, Copy)]
enum Construct {
    /// `(a|b)`: where the `(` and the `)` are.
    Alternation(usize, usize),
    ClassPlus,
    Escape(&'static str, &'static str),
    Caret,
    Dollar,
}

/// The first regex construct in `glob` (no allocation: the build asks
/// this of every glob that may hold one).
fn regex_construct(glob: &str) -> Option<Construct> {
    // One pass rules out every construct below for most globs (the
    // searches that follow take a pass each).
    // Eight bytes a test (`bytes().any` stayed a call per byte in
    // size-optimized WASM: a tenth of compiling 1 KB globs; issue 11).
    if run_end(glob.as_bytes(), 0, &HINTS) == glob.len()
        && !glob.starts_with('^')
        && !glob.ends_with('$')
    {
        return None;
    }
    if let Some(open) = glob.find('(') {
        if let Some(len) = glob[open..].find(')') {
            let inner = &glob[open + 1..open + len];
            if inner.as_bytes().contains(&b'|')
                && !glob[..open].ends_with(['*', '?', '@', '+', '!'])
            {
                return Some(Construct::Alternation(open, open + len));
            }
        }
    }
    // Pairs of bytes found by one loop each (a class's `]` sends every
    // glob with a class here: no substring searcher set up per glob).
    if has_pair(glob.as_bytes(), b']', b'+') {
        return Some(Construct::ClassPlus);
    }
    for (esc, class) in [("\\d", "[0-9]"), ("\\w", "[a-zA-Z0-9_]")] {
        if has_pair(glob.as_bytes(), b'\\', esc.as_bytes()[1]) {
            return Some(Construct::Escape(esc, class));
        }
    }
    if glob.len() > 1 && glob.starts_with('^') {
        return Some(Construct::Caret);
    }
    if glob.len() > 1 && glob.ends_with('$') && !glob.ends_with("\\$") {
        return Some(Construct::Dollar);
    }
    None
}

/// Does `s` hold the byte `a` right before the byte `b`?
fn has_pair(s: &[u8], a: u8, b: u8) -> bool {
    let mut i = 1;
    while i < s.len() {
        if s[i] == b && s[i - 1] == a {
            return true;
        }
        i += 1;
    }
    false
}

/// The first regex construct in `glob`, and the glob it probably meant.
fn regex_syntax(glob: &str) -> Option<(&'static str, String)> {
    Some(match regex_construct(glob)? {
        Construct::Alternation(open, close) => {
            let inner = &glob[open + 1..close];
            let fix = format!(
                "{}{{{}}}{}",
                &glob[..open],
                substr::replace(inner, "|", ","),
                &glob[close + 1..]
            );
            ("`(a|b)`", fix)
        }
        Construct::ClassPlus => ("`+` after a class", substr::replace(glob, "]+", "]*")),
        Construct::Escape(esc, class) => ("`\\d` or `\\w`", substr::replace(glob, esc, class)),
        Construct::Caret => ("`^` (an anchor)", glob[1..].to_string()),
        Construct::Dollar => ("`$` (an anchor)", glob[..glob.len() - 1].to_string()),
    })
}

/// Notes about how a `patterns` string splits at commas: `pieces` are
/// the globs with their offsets (see [`crate::glob::split_patterns`]),
/// `first` the index of the first among the rule's patterns.
pub(super) fn split_notes(s: &str, pieces: &[(usize, &str)], first: u32, out: &mut Vec<Note>) {
    for (k, pair) in pieces.windows(2).enumerate() {
        let ((lo, left), (ro, right)) = (pair[0], pair[1]);
        let between = &s[lo + left.len()..ro];
        let comma = between.as_bytes().contains(&b',') && !between.contains(['\n', '\r']);
        let plain = |p: &str| !p.contains(['*', '?', '[', '{', '\\', '/']);
        // `dir/a,b.pdf`: the right piece names a root file while the left
        // names one in a directory, with no space after the comma.
        if comma
            && !between.as_bytes().contains(&b' ')
            && left.as_bytes().contains(&b'/')
            && plain(right)
        {
            out.push(Note {
                kind: Kind::CommaSplit,
                pattern: first + k as u32,
                item: None,
            });
        }
    }
}

/// The `lint.comma_split` message.
fn comma_split(left: &str, right: &str) -> String {
    format!(
        "the comma splits {left:?} and {right:?} into two patterns, and {right:?} names a file at the project root; if the comma is part of one file name write \"{left}\\\\,{right}\", if two patterns were meant write \"{left}, {}/{right}\"",
        crate::substr::rfind(left, "/").map_or("", |i| &left[..i])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::split_patterns;

    fn codes(s: &str) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let pieces = split_patterns(s);
        split_notes(s, &pieces, 0, &mut out);
        for (k, (_, g)) in pieces.iter().enumerate() {
            glob_notes(g, k as u32, None, &mut out);
        }
        let text = |k: u32| pieces.get(k as usize).map_or("", |p| p.1);
        out.into_iter()
            .map(|n| (n.code(), n.message(text(n.pattern), text(n.pattern + 1))))
            .collect()
    }

    #[test]
    fn each_warning_and_its_fix() {
        let cases: &[(&str, &str, &str)] = &[
            ("secrets/", "lint.trailing_slash", "\"secrets/**\""),
            ("(a|b)/x", "lint.regex_syntax", "\"{a,b}/x\""),
            ("src/[a-z]+.js", "lint.regex_syntax", "\"src/[a-z]*.js\""),
            ("logs/\\d.txt", "lint.regex_syntax", "\"logs/[0-9].txt\""),
            ("^src/*", "lint.regex_syntax", "\"src/*\""),
            (
                "reports/q1,q2-salaries.pdf",
                "lint.comma_split",
                "reports/q1\\\\,q2-salaries.pdf",
            ),
        ];
        for &(s, code, fix) in cases {
            let got = codes(s);
            assert_eq!(got.len(), 1, "{s}: {got:?}");
            assert_eq!(got[0].0, code, "{s}");
            assert!(got[0].1.contains(fix), "{s}: {}", got[0].1);
        }
        // Not warned: ordinary globs and lists.
        for s in [
            "src/**",
            "*.{js,ts}",
            "docs/**, *.md",
            "a/b.txt,c/d.txt",
            "reports/q1\\,q2-salaries.pdf",
            "a/*(x)",
            "[a-z]*",
            "/",
        ] {
            assert_eq!(codes(s), vec![], "{s}");
        }
    }

    /// The tokenizer's `hints` (a class's `]` counts only before a `+`)
    /// gives every glob the notes a scan for any byte of [`HINTS`] gives.
    #[test]
    fn parsed_hints_miss_no_note() {
        let mut scratch = crate::glob::Scratch::default();
        let limits = crate::limits::Limits::DEFAULT;
        for g in [
            "src/[a-z]+.js",
            "[a-z]+",
            "x/[]+a]",
            "x/[+]]+",
            "[(]a|b)",
            "[\\\\]d",
            "a/[a]\\d",
            "[a-z]*/(a|b)",
            "[a-z]/x",
            "[!]]x",
            "{[a]+,b}",
            "x[a]/",
            "^[a]",
            "[a]$",
        ] {
            let (mut want, mut got) = (Vec::new(), Vec::new());
            glob_notes(g, 0, None, &mut want);
            let p = crate::glob::parse_with(g, &limits, &mut scratch).expect(g);
            parsed_notes(g, p.hints, 0, None, &mut got);
            let kinds = |v: &[Note]| v.iter().map(|n| n.code()).collect::<Vec<_>>();
            assert_eq!(kinds(&got), kinds(&want), "{g}");
        }
    }
}
