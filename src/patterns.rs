//! A set of compiled patterns that says which of them match a path.
//!
//! Most patterns in real policies have a simple shape (see
//! [`crate::glob::Piece`]): a literal path, `dir/**`, `**/name`,
//! `dir/*.ext`, `dir/**/*.ext`. Those go into hash indexes keyed by the
//! literal parts, so matching a path costs a handful of lookups (one per
//! ancestor directory) whatever the number of patterns, and compiling them
//! costs nothing. Every other pattern is compiled by `globset` into one
//! `GlobSet`. Both answer exactly the dialect of [`crate::glob`]; the tests
//! check the indexes against globset on generated patterns.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::glob::{GlobError, GlobErrorKind, Pattern, Piece};

/// FxHash: the keys are short path pieces from our own input, so a fast
/// non-cryptographic hash is the right trade (no flooding risk worth
/// SipHash's cost on every lookup of a check).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

thread_local! {
    /// Reused by globset matching, so that a check allocates nothing.
    static GLOB_MATCHES: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

type Map<V> = HashMap<Box<str>, V, BuildHasherDefault<Fx>>;

/// Patterns anchored at one directory of the project tree.
#[derive(Debug, Default, Clone)]
struct Node {
    /// Subdirectories named in some pattern.
    dirs: Map<Node>,
    /// `dir/**`: this directory and everything below it.
    under: Vec<u32>,
    /// `dir/name`: literal files of this directory.
    files: Map<Vec<u32>>,
    /// `dir/*suffix`, bucketed by the extension the suffix ends with (`""`
    /// when it has none).
    child: Map<Vec<(Box<str>, u32)>>,
    /// `dir/**/*suffix`, bucketed the same way.
    within: Map<Vec<(Box<str>, u32)>>,
}

impl Node {
    fn at(&mut self, dir: &str) -> &mut Node {
        if dir.is_empty() {
            return self;
        }
        dir.split('/')
            .fold(self, |node, seg| node.dirs.entry(seg.into()).or_default())
    }
}

/// Compiled patterns; each added pattern keeps the id given to it.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    root: Node,
    basename: Map<Vec<u32>>,
    globs: GlobSet,
    glob_ids: Vec<u32>,
    case_insensitive: bool,
}

/// Builds a [`PatternSet`].
#[derive(Debug)]
pub struct PatternSetBuilder {
    set: PatternSet,
    globs: GlobSetBuilder,
}

/// The extension a suffix or name ends with: the text after its last `.`.
fn ext(s: &str) -> &str {
    // A byte loop: `.` is ASCII, so the split is on a char boundary.
    match s.bytes().rposition(|b| b == b'.') {
        Some(i) => &s[i + 1..],
        None => "",
    }
}

impl PatternSetBuilder {
    pub fn new(case_insensitive: bool) -> Self {
        PatternSetBuilder {
            set: PatternSet {
                case_insensitive,
                ..PatternSet::default()
            },
            globs: GlobSetBuilder::new(),
        }
    }

    /// Adds a pattern under `id`.
    pub fn add(&mut self, pattern: &Pattern, id: u32) -> Result<(), GlobError> {
        let fold = self.set.case_insensitive;
        for piece in &pattern.pieces {
            let piece = if fold {
                fold_piece(piece)
            } else {
                piece.clone()
            };
            match piece {
                Piece::Exact(p) => {
                    let (dir, name) = p.rsplit_once('/').unwrap_or(("", &p));
                    let node = self.set.root.at(dir);
                    node.files.entry(name.into()).or_default().push(id);
                }
                Piece::Under(d) => self.set.root.at(&d).under.push(id),
                Piece::Basename(n) => self.set.basename.entry(n.into()).or_default().push(id),
                Piece::Child { dir, suffix } => {
                    let node = self.set.root.at(&dir);
                    node.child
                        .entry(ext(&suffix).into())
                        .or_default()
                        .push((suffix.into(), id));
                }
                Piece::Within { dir, suffix } => {
                    let node = self.set.root.at(&dir);
                    node.within
                        .entry(ext(&suffix).into())
                        .or_default()
                        .push((suffix.into(), id));
                }
                Piece::Glob(g) => {
                    let glob = GlobBuilder::new(&g)
                        .literal_separator(true)
                        .backslash_escape(true)
                        .empty_alternates(true)
                        .case_insensitive(fold)
                        .build()
                        .map_err(|_| GlobError {
                            kind: GlobErrorKind::Internal,
                            pattern: pattern.source.clone(),
                            position: None,
                        })?;
                    self.globs.add(glob);
                    self.set.glob_ids.push(id);
                }
            }
        }
        Ok(())
    }

    pub fn build(mut self) -> Result<PatternSet, GlobError> {
        self.set.globs = self.globs.build().map_err(|e| GlobError {
            kind: GlobErrorKind::Internal,
            pattern: e.to_string(),
            position: None,
        })?;
        Ok(self.set)
    }
}

/// A piece with its literal parts in ASCII lower case (globs fold themselves).
fn fold_piece(piece: &Piece) -> Piece {
    let l = |s: &String| s.to_ascii_lowercase();
    match piece {
        Piece::Exact(p) => Piece::Exact(l(p)),
        Piece::Under(d) => Piece::Under(l(d)),
        Piece::Basename(n) => Piece::Basename(l(n)),
        Piece::Child { dir, suffix } => Piece::Child {
            dir: l(dir),
            suffix: l(suffix),
        },
        Piece::Within { dir, suffix } => Piece::Within {
            dir: l(dir),
            suffix: l(suffix),
        },
        Piece::Glob(g) => Piece::Glob(g.clone()),
    }
}

/// Calls `hit` for every suffix of `buckets` that `name` ends with.
fn suffixes(
    buckets: &Map<Vec<(Box<str>, u32)>>,
    name: &str,
    name_ext: &str,
    hit: &mut impl FnMut(u32),
) {
    if buckets.is_empty() {
        return;
    }
    let mut scan = |list: Option<&Vec<(Box<str>, u32)>>| {
        for (suffix, id) in list.into_iter().flatten() {
            if name.ends_with(&**suffix) {
                hit(*id);
            }
        }
    };
    scan(buckets.get(name_ext));
    if !name_ext.is_empty() {
        scan(buckets.get(""));
    }
}

impl PatternSet {
    /// Calls `hit` with the id of every pattern matching `path` (a
    /// normalized path, see [`crate::glob::normalize_path`]); an id may come
    /// more than once. Walks the path's directories down the tree once:
    /// a few short-key lookups, whatever the number of patterns.
    pub fn matches(&self, path: &str, mut hit: impl FnMut(u32)) {
        let folded;
        let path = if self.case_insensitive && path.bytes().any(|b| b.is_ascii_uppercase()) {
            folded = path.to_ascii_lowercase();
            folded.as_str()
        } else {
            path
        };
        let (dirs, name) = match path.bytes().rposition(|b| b == b'/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path),
        };
        let name_ext = ext(name);
        // Every directory from the root down to the parent: `dir/**` and
        // `dir/**/*suffix` of each apply.
        let mut node = Some(&self.root);
        let mut segs = dirs.split('/').filter(|s| !s.is_empty());
        while let Some(n) = node {
            n.under.iter().for_each(|&i| hit(i));
            suffixes(&n.within, name, name_ext, &mut hit);
            match segs.next() {
                Some(seg) => node = n.dirs.get(seg),
                None => break,
            }
        }
        // `node` is the parent directory's node, if any pattern names it.
        if let Some(parent) = node.filter(|_| segs.next().is_none()) {
            if let Some(ids) = parent.files.get(name) {
                ids.iter().for_each(|&i| hit(i));
            }
            suffixes(&parent.child, name, name_ext, &mut hit);
            // `path/**` matches `path` itself.
            if let Some(own) = parent.dirs.get(name) {
                own.under.iter().for_each(|&i| hit(i));
            }
        }
        if let Some(ids) = self.basename.get(name) {
            ids.iter().for_each(|&i| hit(i));
        }
        if !self.glob_ids.is_empty() {
            GLOB_MATCHES.with(|cell| {
                let mut scratch = cell.borrow_mut();
                self.globs
                    .matches_candidate_into(&Candidate::new(path), &mut scratch);
                for &g in scratch.iter() {
                    hit(self.glob_ids[g]);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::parse;
    use crate::limits::Limits;
    use proptest::prelude::*;

    const SEGMENTS: &[&str] = &[
        "a",
        "b",
        "src",
        ".env",
        "x.md",
        "y.rs",
        "a.b.md",
        "*",
        "**",
        "*.md",
        "*s",
        "*.b.md",
        "x{,.bak}",
        "{a,b}",
        "*.{md,rs}",
        "?",
        "{src/a,b}",
        "[ab]",
        "**",
        "*.",
    ];
    const NAMES: &[&str] = &[
        "a", "b", "src", ".env", "x.md", "y.rs", "a.b.md", "xs", "x.bak", "A", "X.MD", "x.",
    ];

    fn reference(pattern: &Pattern, path: &str, fold: bool) -> bool {
        pattern
            .to_globs(fold)
            .unwrap()
            .iter()
            .any(|g| g.compile_matcher().is_match(path))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The hash indexes answer exactly what globset answers.
        #[test]
        fn indexes_agree_with_globset(
            segs in proptest::collection::vec(proptest::sample::select(SEGMENTS), 1..4),
            names in proptest::collection::vec(proptest::sample::select(NAMES), 1..5),
            fold in any::<bool>(),
        ) {
            let pattern = segs.join("/");
            let Ok(p) = parse(&pattern, &Limits::DEFAULT) else { return Ok(()) };
            let path = names.join("/");
            let mut b = PatternSetBuilder::new(fold);
            b.add(&p, 7).unwrap();
            let set = b.build().unwrap();
            let mut hit = false;
            set.matches(&path, |id| { assert_eq!(id, 7); hit = true });
            prop_assert_eq!(hit, reference(&p, &path, fold), "{} vs {} ({:?})", pattern, path, p.pieces);
        }
    }

    #[test]
    fn shapes_go_to_the_indexes() {
        let cases: &[(&str, &str)] = &[
            ("a/b.txt", "Exact"),
            ("docs/**", "Under"),
            ("**", "Under"),
            ("**/.env", "Basename"),
            ("*.md", "Child"),
            ("src/*", "Child"),
            ("**/*.rs", "Within"),
            ("src/**/*.test.ts", "Within"),
            ("config/*.{yml,yaml}", "Child"),
            ("src/*/x", "Glob"),
            ("a?c", "Glob"),
        ];
        for &(pattern, kind) in cases {
            let p = parse(pattern, &Limits::DEFAULT).unwrap();
            let got = format!("{:?}", p.pieces[0]);
            assert!(got.starts_with(kind), "{pattern}: {got}");
        }
    }
}
