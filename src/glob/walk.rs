//! A glob's tokens as automaton steps, alternatives as branches.
//!
//! The dialect's meaning is "spell out the alternatives, then normalize
//! each as a path" (empty and `.` segments dropped, `**` a globstar only as
//! a whole segment, repeated globstars one). Spelling out is exponential
//! (`{a,b/}` six times is 64 globs), so this walk reads the tokens once,
//! left to right, with a *frontier*: for each way the text so far can end
//! (a [`Ctx`]: at a segment boundary, inside `.`, `..` or `**` whose meaning
//! the next token decides, or inside an ordinary segment), the builder's
//! state reached. Alternatives walk each branch from the same frontier and
//! merge what they reach; entries with the same context are joined into one
//! state, so the frontier never holds more than the few contexts and the
//! work is linear in the pattern's length.

use super::token::Tok;

/// What the walk builds with: the automaton of [`crate::patterns`] or a
/// check that needs no states (states are numbers; one walk serves both,
/// through `dyn`, so the package carries one copy of it).
pub trait Builder {
    /// The start state.
    fn start(&mut self) -> u32;
    /// One in-segment token (`Any`, `Star`, `Stars` read as `*`, `Class`)
    /// from `at`.
    fn step(&mut self, at: u32, tok: &Tok) -> u32;
    /// Literal text (no `/`) from `at`: bytes (a token's text as `str`
    /// is a UTF-8 check per token).
    fn text(&mut self, at: u32, text: &[u8]) -> u32;
    /// A `/` from `at`.
    fn slash(&mut self, at: u32) -> u32;
    /// `(ANY+ /)?` from `at`: zero or more whole segments, each with its `/`.
    fn globstar(&mut self, at: u32) -> u32;
    /// Any bytes at all from `at` (a final `**`).
    fn rest(&mut self, at: u32) -> u32;
    /// The union of these states (at least two).
    fn join(&mut self, ats: &[u32]) -> u32;
    /// A path ending at `at` matches.
    fn accept(&mut self, at: u32);
}

/// What precedes the current segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// Nothing: the pattern's first segment.
    Start,
    /// A segment (a `/` is due before the next one).
    Seg,
    /// A pending globstar at the start (not built yet: a following `**`
    /// merges into it, and a final one also matches its directory).
    GlobStart,
    /// A pending globstar after a segment.
    GlobSeg,
}

/// The current segment so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Empty,
    /// `.`: dropped if the segment ends here.
    Dot,
    /// `..`: refused if the segment ends here.
    DotDot,
    /// `**`: a globstar if the segment ends here.
    Stars,
}

/// Where the text so far can end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Inside a segment whose text is built.
    Open,
    At(Before, Part),
}

/// The keys ([`Ctx::key`]) of [`Ctx::Open`] and of a segment boundary
/// after a segment.
const OPEN: Key = 0;
const SEG: Key = 1 + (Before::Seg as Key) * 4 + Part::Empty as Key;

/// A [`Ctx::key`]: a word, so that a frontier entry has no padding (it is
/// zeroed and copied as plain words).
type Key = u32;

const BEFORE: [Before; 4] = [
    Before::Start,
    Before::Seg,
    Before::GlobStart,
    Before::GlobSeg,
];
const PART: [Part; 4] = [Part::Empty, Part::Dot, Part::DotDot, Part::Stars];

impl Ctx {
    /// One number per context: the frontier holds and compares these (a
    /// derived comparison of the enum stays a call per entry in
    /// size-optimized builds, and the walk compares at every token).
    fn key(self) -> Key {
        match self {
            Ctx::Open => 0,
            Ctx::At(b, p) => 1 + (b as Key) * 4 + p as Key,
        }
    }

    fn of(key: Key) -> Ctx {
        match key.checked_sub(1) {
            None => Ctx::Open,
            Some(k) => Ctx::At(BEFORE[(k / 4) as usize & 3], PART[(k % 4) as usize]),
        }
    }
}

/// A `..` segment can be spelled out: the pattern is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct ParentSegment;

struct Walk<'b> {
    b: &'b mut dyn Builder,
    parent: bool,
    /// What the branches of the alternations being walked reach (a stack:
    /// nested alternations push above their parent's entries).
    reached: Vec<(Key, u32)>,
    /// The states joined into one (scratch).
    ats: Vec<u32>,
}

/// The most contexts: [`Ctx::Open`] and every (before, part) pair.
const CONTEXTS: usize = 17;

/// Where the text so far can end: one entry per context (its
/// [`Ctx::key`] and the state), inline (the walk runs for every glob of a
/// policy; no allocation per token or branch).
#[derive(Clone, Copy)]
struct Frontier {
    n: usize,
    e: [(Key, u32); CONTEXTS],
}

impl Frontier {
    fn one(entry: (Key, u32)) -> Self {
        let mut e = [(0, 0); CONTEXTS];
        e[0] = entry;
        Frontier { n: 1, e }
    }
}

/// Walks `toks` into `b`, accepting where the pattern matches.
pub fn walk(toks: &[Tok], b: &mut dyn Builder) -> Result<(), ParentSegment> {
    let start = b.start();
    let mut w = Walk {
        b,
        parent: false,
        reached: Vec::new(),
        ats: Vec::new(),
    };
    let mut f = Frontier::one((Ctx::At(Before::Start, Part::Empty).key(), start));
    w.seq(toks, &mut f);
    for &(key, at) in &f.e[..f.n] {
        w.end(Ctx::of(key), at);
    }
    if w.parent {
        Err(ParentSegment)
    } else {
        Ok(())
    }
}

impl Walk<'_> {
    /// Walks `toks` from the frontier `f`, which becomes where they end
    /// (in place: a frontier is 17 entries, copied only for branches).
    /// Only the common case is here, one entry inside a segment (most
    /// tokens of most globs): V8's optimizing tier compiles this loop on a
    /// cold start, on a background thread, and compiling it with the rest
    /// inlined cost 5 ms CPU per fresh process (issue 12).
    fn seq(&mut self, toks: &[Tok], f: &mut Frontier) {
        for t in toks {
            if f.n == 1 && f.e[0].0 == OPEN {
                let at = f.e[0].1;
                f.e[0] = match t {
                    Tok::Text(s) => (OPEN, self.b.text(at, s.as_bytes())),
                    Tok::Sep => (SEG, at),
                    Tok::Alt(..) => {
                        self.alt(t, f);
                        continue;
                    }
                    t => (OPEN, self.b.step(at, t)),
                };
            } else {
                self.each(t, f);
            }
        }
    }

    /// One token from every entry of `f` (any context). Most calls have
    /// one entry, at a segment's start: its step is [`Walk::token`], out of
    /// line, so this body stays small (V8 charges a function's code to its
    /// tier-up budget per call, and workerd's tiered this one up in the
    /// first build of 1,000 rules; issue 12).
    #[inline(never)]
    fn each(&mut self, t: &Tok, f: &mut Frontier) {
        if let Tok::Alt(..) = t {
            return self.alt(t, f);
        }
        if f.n == 1 {
            let (key, at) = f.e[0];
            match self.token(Ctx::of(key), at, t) {
                Some((c, at)) => f.e[0] = (c.key(), at),
                None => f.n = 0,
            }
            return;
        }
        self.many(t, f);
    }

    /// One token from each of several entries of `f`.
    #[inline(never)]
    fn many(&mut self, t: &Tok, f: &mut Frontier) {
        let mut k = 0;
        while k < f.n {
            let (key, at) = f.e[k];
            let next = match (key, t) {
                (OPEN, Tok::Text(s)) => Some((OPEN, self.b.text(at, s.as_bytes()))),
                (OPEN, Tok::Sep) => Some((SEG, at)),
                (OPEN, t) => Some((OPEN, self.b.step(at, t))),
                _ => self.token(Ctx::of(key), at, t).map(|(c, at)| (c.key(), at)),
            };
            match next {
                Some(e) => {
                    f.e[k] = e;
                    k += 1;
                }
                None => {
                    f.n -= 1;
                    f.e[k] = f.e[f.n];
                }
            }
        }
        let distinct = (1..f.n).all(|i| f.e[..i].iter().all(|e| e.0 != f.e[i].0));
        if !distinct {
            let base = self.reached.len();
            self.reached.extend_from_slice(&f.e[..f.n]);
            self.merge(base, f);
        }
    }

    /// An alternation (`Tok::Alt`) from `f`: each branch from the same
    /// frontier, what they reach merged.
    #[inline(never)]
    fn alt(&mut self, t: &Tok, f: &mut Frontier) {
        let Tok::Alt(branches, structural) = t else {
            return;
        };
        if !structural {
            // Text within one segment: the segment is open whatever the
            // branches hold (`{,b}` and `{.,b}` never empty it).
            for e in &mut f.e[..f.n] {
                if let Ctx::At(before, part) = Ctx::of(e.0) {
                    *e = (Ctx::Open.key(), self.open(before, part, e.1));
                }
            }
            if f.n > 1 {
                let base = self.reached.len();
                self.reached.extend_from_slice(&f.e[..f.n]);
                self.merge(base, f);
            }
        }
        let base = self.reached.len();
        for br in branches {
            let mut g = *f;
            self.seq(br, &mut g);
            self.reached.extend_from_slice(&g.e[..g.n]);
        }
        self.merge(base, f);
    }

    /// The entries of `reached` from `base` (taken off it), one state per
    /// context, into `out`.
    fn merge(&mut self, base: usize, out: &mut Frontier) {
        // `out`'s entries are overwritten (a fresh frontier would be
        // initialized in full, per alternation, for nothing).
        let Some(&first) = self.reached.get(base) else {
            // Every branch refused (a `..`): nothing goes on.
            out.n = 0;
            return;
        };
        out.e[0] = first;
        out.n = 1;
        let mut shared = [false; CONTEXTS];
        for i in base + 1..self.reached.len() {
            let e = self.reached[i];
            match out.e[..out.n].iter().position(|o| o.0 == e.0) {
                Some(j) => shared[j] = true,
                None => {
                    out.e[out.n] = e;
                    out.n += 1;
                }
            }
        }
        // Contexts reached more than once: one state joins them (a scan
        // per such context: linear, however many branches there were).
        for j in (0..out.n).filter(|&j| shared[j]) {
            let ctx = out.e[j].0;
            self.ats.clear();
            let same = self.reached[base..].iter().filter(|e| e.0 == ctx);
            self.ats.extend(same.map(|e| e.1));
            out.e[j].1 = self.b.join(&self.ats);
        }
        self.reached.truncate(base);
    }

    /// One non-alternation token from `(ctx, at)`.
    #[inline(never)]
    fn token(&mut self, ctx: Ctx, at: u32, t: &Tok) -> Option<(Ctx, u32)> {
        if let Tok::Text(s) = t {
            return Some(self.text(ctx, at, s.as_bytes()));
        }
        let Ctx::At(before, part) = ctx else {
            return Some(match t {
                Tok::Sep => (Ctx::At(Before::Seg, Part::Empty), at),
                t => (Ctx::Open, self.b.step(at, t)),
            });
        };
        let next = match (part, t) {
            (Part::DotDot, Tok::Sep) => {
                self.parent = true;
                return None;
            }
            (Part::Empty | Part::Dot, Tok::Sep) => Ctx::At(before, Part::Empty),
            (Part::Stars, Tok::Sep) => Ctx::At(
                match before {
                    Before::Start => Before::GlobStart,
                    Before::Seg => Before::GlobSeg,
                    pending => pending,
                },
                Part::Empty,
            ),
            (Part::Empty, Tok::Stars) => Ctx::At(before, Part::Stars),
            (part, t) => {
                let at = self.open(before, part, at);
                return Some((Ctx::Open, self.b.step(at, t)));
            }
        };
        Some((next, at))
    }

    /// Literal text from `(ctx, at)`: a segment's leading dots are held
    /// back (a `.` or `..` segment is decided by what follows), the rest
    /// is one step of the builder.
    fn text(&mut self, mut ctx: Ctx, at: u32, text: &[u8]) -> (Ctx, u32) {
        let mut rest = text;
        while let Ctx::At(before, part) = ctx {
            ctx = match (part, rest.first()) {
                (_, None) => return (ctx, at),
                (Part::Empty, Some(b'.')) => Ctx::At(before, Part::Dot),
                (Part::Dot, Some(b'.')) => Ctx::At(before, Part::DotDot),
                _ => {
                    let at = self.open(before, part, at);
                    return (Ctx::Open, self.b.text(at, rest));
                }
            };
            rest = &rest[1..];
        }
        match rest {
            [] => (ctx, at),
            rest => (ctx, self.b.text(at, rest)),
        }
    }

    /// Builds what precedes a segment's text and the text held back so far.
    fn open(&mut self, before: Before, part: Part, at: u32) -> u32 {
        let at = match before {
            Before::Start => at,
            Before::Seg => self.b.slash(at),
            Before::GlobStart => self.b.globstar(at),
            Before::GlobSeg => {
                let at = self.b.slash(at);
                self.b.globstar(at)
            }
        };
        match part {
            Part::Empty => at,
            Part::Dot => self.b.text(at, b"."),
            Part::DotDot => self.b.text(at, b".."),
            Part::Stars => self.b.step(at, &Tok::Star),
        }
    }

    /// The pattern ends at `(ctx, at)`.
    fn end(&mut self, ctx: Ctx, at: u32) {
        let (before, part) = match ctx {
            Ctx::Open => return self.b.accept(at),
            Ctx::At(_, Part::DotDot) => {
                self.parent = true;
                return;
            }
            Ctx::At(b, p) => (b, p),
        };
        let globstar = part == Part::Stars || matches!(before, Before::GlobStart | Before::GlobSeg);
        match before {
            // Every segment dropped: this alternative matches nothing.
            Before::Start if !globstar => {}
            Before::Seg if !globstar => self.b.accept(at),
            Before::Start | Before::GlobStart => {
                let all = self.b.rest(at);
                self.b.accept(all);
            }
            // `dir/**`: `dir` itself, and `dir/` + anything.
            Before::Seg | Before::GlobSeg => {
                self.b.accept(at);
                let at = self.b.slash(at);
                let all = self.b.rest(at);
                self.b.accept(all);
            }
        }
    }
}

/// A builder of nothing: the walk's own checks ([`ParentSegment`]).
pub(super) struct Check;

impl Builder for Check {
    fn start(&mut self) -> u32 {
        0
    }
    fn step(&mut self, at: u32, _: &Tok) -> u32 {
        at
    }
    fn text(&mut self, at: u32, _: &[u8]) -> u32 {
        at
    }
    fn slash(&mut self, at: u32) -> u32 {
        at
    }
    fn globstar(&mut self, at: u32) -> u32 {
        at
    }
    fn rest(&mut self, at: u32) -> u32 {
        at
    }
    fn join(&mut self, _: &[u32]) -> u32 {
        0
    }
    fn accept(&mut self, _: u32) {}
}
