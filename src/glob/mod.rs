//! The glob dialect of file permissions (SPEC §2): globset's semantics
//! (with `literal_separator`), parsed here and matched by [`crate::patterns`].
//!
//! | syntax | matches |
//! |---|---|
//! | `*` | any run of characters within one segment (never `/`), dotfiles included |
//! | `?` | one byte within a segment (never `/`) |
//! | `[abc]`, `[a-z]`, `[!a]`, `[^a]` | one ASCII character of (or not of) the class, never `/` |
//! | `**` as a whole segment | any number of segments, zero included: `a/**/b` matches `a/b` |
//! | `dir/**` | `dir` itself and everything below it |
//! | `**` inside a segment | the same as `*` |
//! | `{a,b}`, `x{,.bak}` | alternation, nested allowed, empty alternatives allowed |
//! | `\c` | the character `c` literally (in a class only `\\`) |
//!
//! Patterns and paths are project-relative: a leading `/` or `./` is
//! dropped, `//` collapsed, `.` segments and a trailing `/` removed. A path
//! with a `..` segment or a NUL, or an empty one, is rejected.
//!
//! Rejected with a named [`GlobErrorKind`], never read as a literal: a
//! leading `!`, extglobs `@( !( +( *( ?(`, ranges `{1..3}`, POSIX classes
//! `[[:alpha:]]`; and the spellings the reference engines read apart (SPEC
//! §2: refused, never guessed): `\` in a class but `\\` (`[\]]`), a `-`
//! after a range but last (`[a-c-e]`), braces without a comma (`{x}`).
//!
//! Layout: [`error`] (what is wrong with a pattern or a path), [`path`]
//! (path normalization, `patterns` strings), `token` (a glob's tokens),
//! `parse` (the tokenizer; `class` its reader of classes), `segments` (tokens split into normalized
//! segments), `canonical` (the canonical form), `scratch` (the buffers a
//! build's globs are parsed into, [`Parsed`]), `shape` (what a parsed
//! pattern matches, as [`Piece`]s) and `walk` (a glob's tokens as automaton
//! steps, alternatives as branches; [`Builder`]). Matching lives in [`crate::patterns`], which imports this
//! module (never the other way round).

mod canonical;
mod class;
mod error;
mod parse;
pub mod path;
#[cfg(test)]
mod reference;
mod scratch;
mod segments;
mod shape;
mod token;
mod walk;

pub use error::{GlobError, GlobErrorKind, PathErrorKind};
pub use parse::parse;
pub(crate) use parse::parse_with;
pub use path::{normalize_path, split_patterns};
pub(crate) use scratch::{Parsed, Scratch};
pub use shape::Pattern;
pub(crate) use shape::Piece;
pub(crate) use token::Tok;
pub(crate) use walk::{walk, Builder};

/// A glob error as a [`crate::GroupgateError`] at `path`.
pub fn glob_error(e: &GlobError, path: &str) -> crate::error::GroupgateError {
    let issue = crate::verdict::Issue::new(path, e.code(), e.to_string()).at_byte(e.position);
    crate::error::GroupgateError::new(vec![issue])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn rejected_features_have_named_errors() {
        let cases: &[(&str, &str, Option<usize>)] = &[
            ("!foo", "glob.negation", Some(0)),
            ("a/@(x|y)", "glob.extglob", Some(2)),
            ("!(x)", "glob.extglob", Some(0)),
            ("+(x)", "glob.extglob", Some(0)),
            ("a*(x)", "glob.extglob", Some(1)),
            ("?(x)", "glob.extglob", Some(0)),
            // The extglob after a run of `?` (picomatch test/extglobs.js).
            ("a??(z)", "glob.extglob", Some(2)),
            ("x/???(z)", "glob.extglob", Some(4)),
            ("f{1..3}", "glob.range", Some(1)),
            ("[[:alpha:]]", "glob.posix_class", Some(1)),
            ("a[bc", "glob.unclosed_class", Some(1)),
            ("a{b,c", "glob.unclosed_alternation", Some(1)),
            ("a}b", "glob.unopened_alternation", Some(1)),
            ("a\\", "glob.dangling_escape", Some(1)),
            ("a/../b", "glob.parent_segment", None),
            ("{a/..,b}/c", "glob.parent_segment", None),
            ("x/{a,**/..}", "glob.parent_segment", None),
            ("x/{../,../}a", "glob.parent_segment", None),
            // A `..` alternative of a whole segment (session 31).
            ("x/{..,y}", "glob.parent_segment", None),
            ("{..,a}/b", "glob.parent_segment", None),
            ("x/{y,{..,z}}/w", "glob.parent_segment", None),
            ("", "glob.empty", None),
            ("/", "glob.empty", None),
            ("[/]", "glob.slash_in_class", Some(1)),
            ("[z-a]", "glob.invalid_range", Some(1)),
            ("[é]", "glob.non_ascii_class", Some(1)),
            ("a/***", "glob.star_run", Some(2)),
            ("****/x", "glob.star_run", Some(0)),
            // Spellings the reference engines read apart (README "File
            // permissions"; tests/foreign_globset.rs CLASS_SPELLINGS).
            ("[\\]]", "glob.class_escape", Some(1)),
            ("x[a\\-b]", "glob.class_escape", Some(3)),
            ("[\\a]", "glob.class_escape", Some(1)),
            ("[a-c-e]", "glob.range_after_range", Some(4)),
            ("[!0-9-a]", "glob.range_after_range", Some(5)),
            ("[+---a]", "glob.range_after_range", Some(4)),
            ("{secret}", "glob.single_alternative", Some(0)),
            ("a{}b", "glob.single_alternative", Some(1)),
            ("{{a,b}}", "glob.single_alternative", Some(0)),
            ("x/{a,{b}}", "glob.single_alternative", Some(5)),
            ("users/{id}/**", "glob.single_alternative", Some(6)),
            ("{[,]}", "glob.single_alternative", Some(0)),
        ];
        for &(p, code, pos) in cases {
            let err = parse(p, &Limits::DEFAULT).expect_err(p);
            assert_eq!(err.code(), code, "{p}");
            assert_eq!(err.position, pos, "{p}");
            assert!(err.to_string().contains(&format!("{p:?}")), "{err}");
        }
        let long = "a".repeat(1025);
        assert_eq!(
            parse(&long, &Limits::DEFAULT).unwrap_err().code(),
            "glob.too_long"
        );
    }

    /// What the engines read alike stays accepted next to the refusals.
    #[test]
    fn spellings_read_alike_are_accepted() {
        let cases: &[(&str, &str, bool)] = &[
            ("\\{x\\}", "{x}", true),
            ("\\{x\\}", "x", false),
            ("{a,b}", "b", true),
            ("x{,.bak}", "x.bak", true),
            ("x{,.bak}", "x", true),
            ("[]]", "]", true),
            ("[a-c-]", "-", true),
            ("[a-c-]", "d", false),
            ("[-a-c]", "b", true),
            ("[--z]", "q", true),
            ("[\\\\]", "\\", true),
            ("[\\\\-a]", "_", true),
            // `..` within a segment is a name (session 31: only a whole
            // `..` segment is refused).
            ("x/{..,y}z", "x/..z", true),
            ("x/{..,y}z", "x/yz", true),
            ("{..,a}b", "..b", true),
            ("x/{...,y}", "x/...", true),
        ];
        for &(p, path, want) in cases {
            let got = crate::glob_match(p, path).map_err(|e| e.to_string());
            assert_eq!(got, Ok(want), "{p} {path}");
        }
    }

    #[test]
    fn paths_are_normalized_or_rejected() {
        let ok: &[(&str, &str)] = &[
            ("a/b", "a/b"),
            ("/a/b", "a/b"),
            ("./a//b/", "a/b"),
            ("a/./b", "a/b"),
        ];
        for &(p, want) in ok {
            assert_eq!(normalize_path(p, 4096).unwrap(), want);
        }
        let bad: &[(&str, &str)] = &[
            ("", "path.empty"),
            ("/", "path.empty"),
            ("a/../b", "path.parent_segment"),
            ("..", "path.parent_segment"),
            ("a\0b", "path.nul"),
        ];
        for &(p, code) in bad {
            assert_eq!(normalize_path(p, 4096).unwrap_err().code(), code, "{p:?}");
        }
        assert_eq!(
            normalize_path(&"a".repeat(5000), 4096).unwrap_err().code(),
            "path.too_long"
        );
    }

    #[test]
    fn splitting_patterns() {
        let cases: &[(&str, &[&str])] = &[
            ("a,b", &["a", "b"]),
            ("a\nb\r\nc", &["a", "b", "c"]),
            ("*.{js,ts}, docs/**", &["*.{js,ts}", "docs/**"]),
            ("[,]x,y", &["[,]x", "y"]),
            ("[],]x,y", &["[],]x", "y"]),
            ("[!],]x,[^]],y", &["[!],]x", "[^]]", "y"]),
            ("[]{],x", &["[]{]", "x"]),
            ("a\\,b", &["a\\,b"]),
            (" , \n", &[]),
        ];
        for &(s, want) in cases {
            let got: Vec<&str> = split_patterns(s).into_iter().map(|(_, p)| p).collect();
            assert_eq!(got, want, "{s:?}");
        }
        assert_eq!(split_patterns("a, b")[1], (3, "b"));
    }

    #[test]
    fn canonical_form_is_anchored() {
        let p = parse("/src//*.rs", &Limits::DEFAULT).unwrap();
        assert_eq!(p.canonical, "src/*.rs");
        assert!(!p.is_literal());
        assert!(parse("a/b.txt", &Limits::DEFAULT).unwrap().is_literal());
    }
}
