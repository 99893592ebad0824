//! Patterns that parse but almost surely do not say what their author
//! meant (SPEC §2): lint warnings with a suggested fix, found while the
//! rules are read (they need the text as written).
//!
//! - a trailing `/` (`secrets/`): matches only `secrets` itself;
//! - regex syntax read literally: `(a|b)`, `[a-z]+`, `\d`, `^…`, `…$`;
//! - a comma that splits what looks like one file name
//!   (`reports/q1,q2-salaries.pdf`): write `\,` for a comma in a name.

use crate::glob::path::{byte_table, run_end, ByteTable};
use crate::verdict::Issue;

/// Warnings about one glob as written (`at` is its pointer).
pub(super) fn glob_notes(glob: &str, at: &str, out: &mut Vec<Issue>) {
    // Most globs can carry no note, and one pass over the bytes says so
    // (every test below needs one of these). The tests and their wording stay
    // out of the build's hot path: V8's optimizing tier compiles a hot WASM
    // function whole, in a cold build too (issue 12, cold start).
    let hint = |b: u8| matches!(b, b'(' | b']' | b'\\');
    if glob.ends_with(['/', '$']) || glob.starts_with('^') || glob.bytes().any(hint) {
        noted_glob(glob, at, out);
    }
}

/// [`glob_notes`] of a glob that may carry one.
#[cold]
#[inline(never)]
fn noted_glob(glob: &str, at: &str, out: &mut Vec<Issue>) {
    if glob.len() > 1 && glob.ends_with('/') && !glob.ends_with("\\/") {
        let dir = glob.trim_end_matches('/');
        out.push(Issue::new(
            at,
            "lint.trailing_slash",
            format!(
                "{glob:?} matches only {dir:?} itself, not the files inside it; write \"{dir}/**\" for everything below it"
            ),
        ));
    }
    if let Some((what, fix)) = regex_syntax(glob) {
        out.push(Issue::new(
            at,
            "lint.regex_syntax",
            format!("{glob:?} is a glob, not a regular expression: {what} is read literally; write {fix:?}"),
        ));
    }
}

/// The first regex construct in `glob`, and the glob it probably meant.
fn regex_syntax(glob: &str) -> Option<(&'static str, String)> {
    // One pass rules out every construct below for most globs (the
    // searches that follow take a pass each).
    // Eight bytes a test (`bytes().any` stayed a call per byte in
    // size-optimized WASM: a tenth of compiling 1 KB globs; issue 11).
    static HINTS: ByteTable = byte_table(b"(]\\");
    if run_end(glob.as_bytes(), 0, &HINTS) == glob.len()
        && !glob.starts_with('^')
        && !glob.ends_with('$')
    {
        return None;
    }
    if let Some(open) = glob.find('(') {
        if let Some(len) = glob[open..].find(')') {
            let inner = &glob[open + 1..open + len];
            if inner.contains('|') && !glob[..open].ends_with(['*', '?', '@', '+', '!']) {
                let fix = format!(
                    "{}{{{}}}{}",
                    &glob[..open],
                    inner.replace('|', ","),
                    &glob[open + len + 1..]
                );
                return Some(("`(a|b)`", fix));
            }
        }
    }
    if glob.contains("]+") {
        return Some(("`+` after a class", glob.replace("]+", "]*")));
    }
    for (esc, class) in [("\\d", "[0-9]"), ("\\w", "[a-zA-Z0-9_]")] {
        if glob.contains(esc) {
            return Some(("`\\d` or `\\w`", glob.replace(esc, class)));
        }
    }
    if glob.len() > 1 && glob.starts_with('^') {
        return Some(("`^` (an anchor)", glob[1..].to_string()));
    }
    if glob.len() > 1 && glob.ends_with('$') && !glob.ends_with("\\$") {
        return Some(("`$` (an anchor)", glob[..glob.len() - 1].to_string()));
    }
    None
}

/// Warnings about how a `patterns` string splits at commas: `pieces` are
/// the globs with their offsets (see [`crate::glob::split_patterns`]).
pub(super) fn split_notes(s: &str, pieces: &[(usize, &str)], at: &str, out: &mut Vec<Issue>) {
    for pair in pieces.windows(2) {
        let ((lo, left), (ro, right)) = (pair[0], pair[1]);
        let between = &s[lo + left.len()..ro];
        let comma = between.contains(',') && !between.contains(['\n', '\r']);
        let plain = |p: &str| !p.contains(['*', '?', '[', '{', '\\', '/']);
        // `dir/a,b.pdf`: the right piece names a root file while the left
        // names one in a directory, with no space after the comma.
        if comma && !between.contains(' ') && left.contains('/') && plain(right) {
            out.push(comma_split(left, right, at));
        }
    }
}

/// The `lint.comma_split` note (out of line: rare, see [`glob_notes`]).
#[cold]
#[inline(never)]
fn comma_split(left: &str, right: &str, at: &str) -> Issue {
    Issue::new(
        at,
        "lint.comma_split",
        format!(
            "the comma splits {left:?} and {right:?} into two patterns, and {right:?} names a file at the project root; if the comma is part of one file name write \"{left}\\\\,{right}\", if two patterns were meant write \"{left}, {}/{right}\"",
            left.rsplit_once('/').map_or("", |(d, _)| d)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::split_patterns;

    fn codes(s: &str) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let pieces = split_patterns(s);
        split_notes(s, &pieces, "/p", &mut out);
        for (_, g) in &pieces {
            glob_notes(g, "/p", &mut out);
        }
        out.into_iter().map(|i| (i.code, i.message)).collect()
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
}
