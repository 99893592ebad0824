//! The tokens of a glob: what the parser produces, and what the shape
//! analysis ([`super::shape`]) and the automaton builder (through
//! [`super::walk`]) read. A module of its own so that the parser and the
//! shape analysis both import it and never each other.

/// One token of a glob.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tok {
    /// This character.
    Lit(char),
    /// `*`.
    Star,
    /// `**` (or more stars); a globstar only when it is a whole segment.
    Stars,
    /// `?`.
    Any,
    /// `[...]`: ASCII members as bits; never includes `/`.
    Class {
        /// `[!…]` or `[^…]`.
        negated: bool,
        /// The members, one bit per ASCII code.
        set: u128,
    },
    /// `{a,b}`: the branches (at least two), and whether one holds `/` or
    /// `**` (only then do they change the segments: an alternation within
    /// one segment never empties it, as in globset).
    Alt(Vec<Vec<Tok>>, bool),
    /// `/`.
    Sep,
}
