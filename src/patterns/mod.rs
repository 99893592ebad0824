//! A set of compiled patterns that says which of them match a path.
//!
//! Two structures, each where it is fastest:
//! - Most patterns in real policies have a simple shape (see
//!   [`crate::glob::Piece`]): a literal path, `dir/**`, `**/name`,
//!   `dir/*.ext`, `dir/**/*.ext`. Those go into indexes keyed by the
//!   literal parts (a trie of directories, [`trie`], in flat sorted
//!   arrays), so matching a path costs a handful of binary searches (one
//!   per ancestor directory) whatever the number of patterns, and a
//!   snapshot loads them as arrays.
//! - Every other pattern goes into one automaton ([`nfa`], run by the lazy
//!   DFA of [`dfa`]): alternatives are branches, `*` and `**` are loops,
//!   and patterns share their common prefixes. Matching a path of `n`
//!   bytes costs `n` table lookups once its DFA states are cached; the
//!   worst case (every byte a state never seen before) is `n` × the
//!   words of NFA states active at once (64 states a word, see [`sim`]),
//!   never backtracking, never more than `n` × the NFA's size, which is
//!   linear in the total size of the patterns; each step's work is
//!   capped by the caller's `maxMatchWork` (past it: [`TooComplex`]), so a
//!   check costs at most `n` × that cap. The DFA cache of a set never
//!   holds more than [`dfa::CACHE_BYTES`]; it is cleared when full.
//!
//! Ids that always match together (a trie list, a run of equal suffixes,
//! the accepts of an NFA state) can be many distinct globs (`{**,0}`,
//! `{**,1}`, …). A caller that reads only some of them narrows those lists
//! once, after a build or a load ([`PatternSet::narrow`] with a
//! [`Narrow`]), and reads them so ([`PatternSet::matches_narrowed`]): a
//! check then pays for the ids it reads, not for every glob that matches.
//! What a path's last DFA state gives costs a unit of matching work an id
//! (see [`sim::answer_balance`]).
//!
//! The semantics are globset's (`literal_separator`, byte-wise `?` and
//! classes): the tests check this module against globset on generated
//! patterns and paths. globset itself is not shipped: its regex engine
//! alone is about 210 KB of gzipped WASM, which with the validators would
//! break SPEC §5's 300 KB ceiling, and compiling a regex per glob cannot meet
//! the 10 ms budget for 1,000 rules.

mod bytes;
mod dfa;
mod flat;
mod grow;
mod hit;
mod nfa;
mod order;
mod sim;
mod simple;
mod trie;

use std::sync::Mutex;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::glob::{glob_error, normalize_path, parse, Pattern, Piece};
use crate::limits::Limits;
pub use dfa::Narrow;
use dfa::{Cache, Classes};
pub use hit::{Hit, ListKey};
use nfa::Nfa;
pub use sim::TooComplex;
use simple::Simple;
use trie::Trie;

/// FxHash: the keys are short path pieces, so a fast non-cryptographic
/// hash is the right trade against SipHash's cost on every lookup. It has
/// no key: whole-hash collisions can be chosen, so its users bound the
/// entries of one hash they compare, and tables place its hashes by
/// [`FxKeyed`].
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Fx {
    pub(crate) fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        // Word loads (`copy_from_slice` stays a call in size-optimized
        // builds: a third of hashing a kilobyte glob in WASM).
        let whole = bytes.len() - bytes.len() % 8;
        let mut i = 0;
        while i < whole {
            self.add(word(bytes, i));
            i += 8;
        }
        if whole < bytes.len() {
            // The zero-padded little-endian word of the tail, from its last
            // byte down (a `copy_from_slice` into a buffer was three calls,
            // the tail's slice a fourth).
            let (mut w, mut k) = (0, bytes.len());
            while k > whole {
                k -= 1;
                w = w << 8 | u64::from(bytes[k]);
            }
            self.add(w);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    // Integers in one step (the default goes through `write`'s chunk loop).
    fn write_u32(&mut self, x: u32) {
        self.add(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply carries low input bits up, never high bits down; the
        // table index takes the low bits, so rotate the well-mixed high
        // bits there (as rustc-hash 2 does). Without it, keys that differ
        // only in high bits (byte sets of letters) all collided.
        self.0.rotate_left(26)
    }
}

/// Are `a` and `b` the same bytes? Word by word: the `==` of slices is a
/// `memcmp` call that WASM runs a byte at a time, and building compares
/// whole kilobyte globs (shared literal runs, identical globs).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let whole = a.len() - a.len() % 8;
    let mut i = 0;
    while i < whole {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    a[whole..] == b[whole..]
}

/// The 8 bytes of `s` at `i` as one word (0 past the end). An index loop
/// over this, not `chunks_exact`, whose `next` stays a call in
/// size-optimized WASM.
#[inline(always)]
fn word(s: &[u8], i: usize) -> u64 {
    let w = s.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok());
    u64::from_le_bytes(w.unwrap_or_default())
}

/// A hash map with [`Fx`] hashing, from a secret start and mixed at the
/// end ([`FxKeyed`]).
pub(crate) type FxMap<K, V> = HashMap<K, V, FxKeyed>;

/// The hashing of [`FxMap`]: [`Fx`] from a secret word
/// (`crate::keyed::word`), finished with half of murmur3's 64-bit mix. A table
/// indexes by the hash's low bits, and its keys are often hashes of input
/// text, which can be chosen (Fx has no key: a word of text can undo the
/// one before): from 0 and with Fx's rotation, 80,000 directory names made
/// to share a table index took 1.24 s to build natively, 0.1 s unmade
/// (`tests/bounds.rs` `policy_dirs_one_index`). The mix carries every bit
/// of the state into the index bits.
#[derive(Clone, Copy)]
pub(crate) struct FxKeyed(u64);

impl Default for FxKeyed {
    fn default() -> Self {
        FxKeyed(crate::keyed::word())
    }
}

impl BuildHasher for FxKeyed {
    type Hasher = FxMixed;
    fn build_hasher(&self) -> FxMixed {
        FxMixed(Fx(self.0))
    }
}

/// [`Fx`]'s steps, half of murmur3's `fmix64` at the end (see [`FxKeyed`]).
pub(crate) struct FxMixed(Fx);

impl Hasher for FxMixed {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u8(&mut self, b: u8) {
        self.0.add(u64::from(b));
    }
    fn write_u32(&mut self, x: u32) {
        self.0.add(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.0.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.0.add(x as u64);
    }
    fn finish(&self) -> u64 {
        // Half of murmur3's fmix64: the state's high half into the low
        // bits, a multiply up, its high half down (the second round cost
        // 1% of a build more, for no index bit it did not already reach).
        let k = self.0 .0;
        let k = (k ^ k >> 33).wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^ k >> 33
    }
}

/// Compiled patterns; each added pattern keeps the id given to it.
#[derive(Debug, Default)]
pub struct PatternSet {
    /// The simple patterns (see [`trie`]).
    trie: Trie,
    case_insensitive: bool,
    nfa: Nfa,
    /// The byte classes of `nfa`, found when the set is built (finding
    /// them scans the whole NFA: too slow for the first check).
    classes: Classes,
    /// The lazy DFA over `nfa`, made at the first path that needs it. A
    /// check takes it out for its run and puts it back; one that finds it
    /// taken or locked (another thread) runs on a cache of its own rather
    /// than wait.
    cache: Mutex<Option<Box<Cache>>>,
}

impl Clone for PatternSet {
    fn clone(&self) -> Self {
        PatternSet {
            trie: self.trie.clone(),
            case_insensitive: self.case_insensitive,
            nfa: self.nfa.clone(),
            classes: self.classes.clone(),
            cache: Mutex::new(None),
        }
    }
}

/// Builds a [`PatternSet`].
#[derive(Debug)]
pub struct PatternSetBuilder {
    set: PatternSet,
    /// The simple patterns, flattened into the set's trie by `build`.
    simple: Simple,
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
            simple: Simple::default(),
        }
    }

    /// Sets aside room in the automaton's maps for the globs of about
    /// `json_bytes` of rules (a rule takes some 70 bytes of JSON and adds
    /// about one map entry of each kind), at most a few thousand entries:
    /// a cold build of 1,000 rules grew its maps ten times over (each
    /// growth rehashes every entry), and no input reserves much.
    pub fn reserve(&mut self, json_bytes: usize) {
        let n = (json_bytes / 64).min(4096);
        self.set.nfa.reserve(n);
        self.simple.reserve(n);
    }

    /// Adds a pattern under `id`.
    pub fn add(&mut self, pattern: &Pattern, id: u32) {
        self.add_pieces(&pattern.pieces, id);
    }

    /// Adds the pieces of one pattern under `id`: simple pieces to the
    /// indexes (folded when the set folds; snapshots save the indexes
    /// themselves, see [`bytes`]), globs to the automaton.
    pub fn add_pieces(&mut self, pieces: &[Piece], id: u32) {
        let fold = self.set.case_insensitive;
        for piece in pieces {
            match piece {
                Piece::Glob(toks) => self.set.nfa.add(toks, id, fold),
                simple => self.simple.add(simple, id, fold),
            }
        }
    }

    /// The automaton's states so far, and the builder's steps through
    /// states with several edges (what `maxAutomatonStates` counts; see
    /// [`Nfa::work`]), and the trie's directories ([`Simple::work`]).
    pub fn work(&self) -> usize {
        self.set.nfa.work() + self.simple.work()
    }

    /// The compiled set.
    pub fn build(mut self) -> PatternSet {
        self.set.trie = trie(self.simple);
        // Shared prefixes made consecutive (see [`order`]).
        self.set.nfa.freeze();
        self.set.classes = classes(&self.set.nfa);
        self.set
    }
}

// Each step of `build` runs once per policy: apart, V8's optimizing tier
// compiles each only if its own loop gets hot, not all of them as one large
// function (issue 12, cold start; ./dev build keeps one-caller functions apart).
#[inline(never)]
fn trie(simple: Simple) -> Trie {
    simple.build()
}

#[inline(never)]
fn classes(nfa: &Nfa) -> Classes {
    Classes::new(nfa)
}

impl PatternSet {
    /// Calls `hit` with the id of every pattern matching `path` (a
    /// normalized path, see [`crate::glob::normalize_path`]); an id may come
    /// more than once. Walks the path's directories down the tree once:
    /// a few short-key lookups, whatever the number of patterns. The
    /// automaton's steps take at most `work` units each (see
    /// [`sim::Stepper::step`]): past that, an error, and the ids already
    /// given are no answer (the caller drops them). A `hit` that reads
    /// many paths may skip the lists of ids it has read (see [`Hit`]).
    pub fn matches(&self, path: &str, work: usize, hit: &mut impl Hit) -> Result<(), TooComplex> {
        self.find(path, work, false, hit)
    }

    /// [`PatternSet::matches`], but of ids that match together only those
    /// [`PatternSet::narrow`] kept. Thousands of distinct globs can all
    /// match a path; a caller that reads only some of them (a decision)
    /// pays for those.
    pub fn matches_narrowed(
        &self,
        path: &str,
        work: usize,
        mut hit: impl FnMut(u32),
    ) -> Result<(), TooComplex> {
        self.find(path, work, true, &mut hit)
    }

    /// Narrows the lists of ids that match together (the trie's and the
    /// NFA's, see [`Narrow`]) for [`PatternSet::matches_narrowed`]: once,
    /// after building or loading.
    pub fn narrow(&mut self, keep: Narrow) {
        self.trie.narrow(keep);
        self.nfa.narrow(keep);
    }

    fn find(
        &self,
        path: &str,
        work: usize,
        narrowed: bool,
        hit: &mut impl Hit,
    ) -> Result<(), TooComplex> {
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
        self.trie.matches(dirs, name, narrowed, hit);
        if self.nfa.is_empty() {
            return Ok(());
        }
        self.run_automaton(path.as_bytes(), work, narrowed, hit)
    }

    fn run_automaton(
        &self,
        path: &[u8],
        work: usize,
        narrowed: bool,
        hit: &mut impl Hit,
    ) -> Result<(), TooComplex> {
        let mut cache = self.take_cache(work);
        let result = cache.run(&self.nfa, path, narrowed, hit);
        self.put_cache(cache);
        result
    }

    /// The DFA cache for a run under `work`, taken out of its lock (or a
    /// new one): a WebAssembly trap (out of memory) in a run that held the
    /// guard kept it locked for ever, and every later check of the policy
    /// built a private cache (9-27x slower at 2,000 rules); now the trap
    /// loses the cache, and the next check makes one. Not generic, not
    /// inlined: one copy, not one per caller's `hit` type.
    #[inline(never)]
    fn take_cache(&self, work: usize) -> Box<Cache> {
        match self
            .cache
            .try_lock()
            .ok()
            .and_then(|mut guard| guard.take())
        {
            // A cache made under another limit has transitions that limit
            // allowed: never reused under this one.
            Some(c) if c.work_limit() == work => c,
            _ => Box::new(Cache::new(&self.nfa, self.classes.clone(), work)),
        }
    }

    /// Puts the cache of a run back (unless another thread holds the lock).
    #[inline(never)]
    fn put_cache(&self, cache: Box<Cache>) {
        if let Ok(mut guard) = self.cache.try_lock() {
            *guard = Some(cache);
        }
    }
}

/// Options of [`glob_match_with`] (`globMatch`'s third argument).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct GlobOptions {
    /// Fold ASCII case when matching, as a policy's `caseInsensitive` does.
    pub case_insensitive: bool,
}

/// Does `pattern` match `path`? (the dialect of [`crate::glob`]; SPEC §6
/// `globMatch`). Errors name what is wrong with the pattern or the path;
/// a path a policy of this one glob would refuse (`path.too_complex`, at the
/// default `maxMatchWork`) is refused here too.
pub fn glob_match(pattern: &str, path: &str) -> Result<bool, crate::error::GroupgateError> {
    glob_match_with(pattern, path, GlobOptions::default())
}

/// [`glob_match`] with options.
pub fn glob_match_with(
    pattern: &str,
    path: &str,
    options: GlobOptions,
) -> Result<bool, crate::error::GroupgateError> {
    let limits = Limits::DEFAULT;
    let pat = parse(pattern, &limits).map_err(|e| glob_error(&e, "/pattern"))?;
    let path = normalize_path(path, limits.max_path_bytes)
        .map_err(|k| crate::error::GroupgateError::one("/path", k.code(), k.message()))?;
    // Through the same pattern set and automaton as file rules, under the
    // same work limit, so that globMatch answers (or refuses) as a policy
    // does, within the same bound, and the conformance tests exercise the
    // code that decides. (Until session 38 a bit-parallel run of its own:
    // no refusal, but ≈ 12 ms for 102 `{*/**/,b/}` against a 4 KB path.)
    let mut builder = PatternSetBuilder::new(options.case_insensitive);
    builder.add(&pat, 0);
    let mut set = builder.build();
    // Every piece is id 0: a list narrows to one id, as a one-rule policy's
    // lists narrow to its earliest source, so a path's end costs the same.
    set.narrow(&|ids: &[u32], out: &mut Vec<u32>| out.extend(ids.first()));
    let mut hit = false;
    set.matches_narrowed(&path, limits.max_match_work, |_| hit = true)
        .map_err(|e| e.error("/path"))?;
    Ok(hit)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        "{a,b}*",
        "[a-c]*",
        "*{x,y}.md",
        "?{,s}",
        "[!a]*",
        "*a*",
        "a{b,c{d,e}}",
        "[A-Z]{s,x}",
        "*{.md,s,}",
        // Alternatives that change the segments (automaton branches).
        "{a/**,b}",
        "{,a/}",
        "{**,.}",
        "{.,x.md/**}",
        "{a,b/}*",
        "{**/,}y.rs",
        "{,.md}",
        "{.,a}",
    ];
    const NAMES: &[&str] = &[
        "a", "b", "src", ".env", "x.md", "y.rs", "a.b.md", "xs", "x.bak", "A", "X.MD", "x.", "ab",
        "acd", "Bs", "ys.md", "bad",
    ];

    fn reference(pattern: &Pattern, path: &str, fold: bool) -> bool {
        pattern
            .to_globs(fold)
            .iter()
            .any(|g| g.compile_matcher().is_match(path))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]
        /// The trie answers exactly what globset answers.
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
            b.add(&p, 7);
            let set = b.build();
            let mut hit = false;
            set.matches(&path, usize::MAX, &mut |id| { assert_eq!(id, 7); hit = true }).unwrap();
            prop_assert_eq!(hit, reference(&p, &path, fold), "{} vs {} ({:?})", pattern, path, p.pieces);
        }
    }

    fn m(p: &str, path: &str) -> bool {
        glob_match(p, path).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// 2^6 spellings with `/`: built as branches, one pattern.
    const LONG_ALTS: &str = "{a,b/}{a,b/}{a,b/}{a,b/}{a,b/}{a,b/}{a,b}{a,b}x";

    #[test]
    fn matching_table() {
        // (pattern, path, matches)
        let cases: &[(&str, &str, bool)] = &[
            ("*.json", "a.json", true),
            ("*.json", "a/b.json", false),
            ("*", ".env", true),
            ("secrets/*", "secrets/.env", true),
            ("secrets/*", "secrets/a/b", false),
            ("a/**", "a", true),
            ("a/**", "a/b/c", true),
            ("a/**", "ab", false),
            ("a/**/b", "a/b", true),
            ("a/**/b", "a/x/y/b", true),
            ("**/b", "b", true),
            ("**/b", "x/y/b", true),
            ("**", "x/y/.z", true),
            ("src/*/**", "src/x", true),
            ("src/*/**", "src/x/y", true),
            ("?.md", "a.md", true),
            ("?.md", "/.md", false),
            ("a?b", "a/b", false),
            ("[ab].txt", "b.txt", true),
            ("[!a].txt", "b.txt", true),
            ("[^a].txt", "a.txt", false),
            ("a[!x]b", "a/b", false),
            ("a[+-0]b", "a/b", false),
            ("a[+-0]b", "a.b", true),
            ("[]]", "]", true),
            ("[!]]", "a", true),
            ("[a-]", "-", true),
            ("[-!]", "!", true),
            ("[!-^]", "a", true),
            ("[]]", "]", true),
            ("x{,.bak}", "x", true),
            ("x{,.bak}", "x.bak", true),
            ("*.{js,ts}", "a.ts", true),
            ("{a,b{c,d}}", "bd", true),
            ("\\{x\\}", "{x}", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("/src/*", "src/a", true),
            ("./src/*", "src/a", true),
            ("src//*", "src/a", true),
            ("src/*", "/src/a", true),
            ("src/*", "./src//a", true),
            ("a**b", "axyb", true),
            ("a**b", "a/b", false),
            ("Docs/*", "docs/a", false),
            ("a/./b", "a/b", true),
            ("dir/", "dir", true),
            // repeated globstars are one
            ("x/**/**", "x", true),
            ("a/**/**/b", "a/b", true),
            // `**` and `/` inside alternatives keep their meaning
            ("{a,**}/x", "q/r/x", true),
            ("x/{a,**}", "x/q/r", true),
            ("x/{a,**}/y", "x/p/q/y", true),
            ("secrets/{keys,**}", "secrets/a/b", true),
            ("{src/a,b}/c", "src/a/c", true),
            ("a/{b,c/**}", "a/c", true),
            ("{a,b/}x", "b/x", true),
            ("{a,b/}x", "ax", true),
            ("{a,b/}x", "bx", false),
            ("{a/.,b}/c", "a/c", true),
            ("{**/,}x", "p/q/x", true),
            ("{**/,}x", "x", true),
            ("x/{**,a}/**", "x", true),
            ("x{/**,}", "x/y/z", true),
            ("{,a/}**/b", "a/q/b", true),
            ("a/{**,**/**}/b", "a/b", true),
            ("{a,**}.md", "b/c.md", false),
            ("{./,}a", "a", true),
            // a `.` alternative of a whole segment is a `.` segment, dropped
            // as a written one is (session 37: `{.,tmp}/x` did not match `x`)
            ("a/{.,b}/c", "a/c", true),
            ("a/{.,b}/c", "a/b/c", true),
            ("{.,tmp}/secret.pem", "secret.pem", true),
            ("{tmp,.}/secret.pem", "secret.pem", true),
            ("{.,tmp}/secret.pem", "tmp/secret.pem", true),
            ("x/{.,{a,b}}", "x", true),
            ("a{.,b}", "a.", true),
            ("a{.,b}", "a", false),
            // an alternation within one segment never empties it
            ("a/**/{,.bak}", "a", false),
            ("a/{,b}/c", "a/c", false),
            ("a/{,b}/c", "a/b/c", true),
            (LONG_ALTS, "a/x/a/b/y/z", false),
        ];
        for &(p, path, want) in cases {
            assert_eq!(m(p, path), want, "{p} vs {path}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Several patterns in one set (they share automaton states): each
        /// id is reported exactly when globset matches its pattern.
        #[test]
        fn shared_automaton_agrees_with_globset(
            pats in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(SEGMENTS), 1..4), 1..6),
            names in proptest::collection::vec(proptest::sample::select(NAMES), 1..5),
            fold in any::<bool>(),
        ) {
            let parsed: Vec<Pattern> = pats
                .iter()
                .filter_map(|s| parse(&s.join("/"), &Limits::DEFAULT).ok())
                .collect();
            let mut b = PatternSetBuilder::new(fold);
            for (i, p) in parsed.iter().enumerate() {
                b.add(p, i as u32);
            }
            let set = b.build();
            let path = names.join("/");
            let mut hits = vec![false; parsed.len()];
            set.matches(&path, usize::MAX, &mut |id| hits[id as usize] = true).unwrap();
            for (p, hit) in parsed.iter().zip(hits) {
                prop_assert_eq!(hit, reference(p, &path, fold), "{} vs {}", p.source, path);
            }
        }
    }

    #[test]
    fn glob_match_folds_case_on_request() {
        let fold = GlobOptions {
            case_insensitive: true,
        };
        assert!(!glob_match("Docs/*.MD", "docs/a.md").unwrap());
        assert!(glob_match_with("Docs/*.MD", "docs/a.md", fold).unwrap());
        assert!(glob_match_with("src/[A-C]?{x,Y}", "SRC/bzy", fold).unwrap());
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
