//! A [`PatternSet`] as snapshot bytes (see [`crate::snapshot`]): the
//! arrays of the trie and of the NFA as they are, so a load is copies and
//! one checking pass ([`Trie::check`], [`Flat::check`]): no map is
//! filled, no glob re-parsed. Every index read back is checked, so no
//! bytes can make a check panic; the DFA cache starts empty.

use super::dfa::Classes;
use super::nfa::{ByteSet, Flat, Nfa};
use super::trie::Trie;
use super::PatternSet;
use crate::error::GroupgateError;
use crate::snapshot::{bad, Reader, Writer};

impl PatternSet {
    /// Appends the set to `w`.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u8(u8::from(self.case_insensitive));
        let t = &self.trie;
        w.bytes(&t.text);
        w.words(&t.entries);
        w.words(&t.nodes);
        w.u32s(&t.ids);
        w.words(&t.suffixes);
        w.u32s(&t.basename);
        // The flat arrays as they are (see `Flat`).
        let f = &self.nfa.flat;
        w.u32(f.sets.len() as u32);
        for set in &f.sets {
            set.0.iter().for_each(|&x| w.u64(x));
        }
        w.u32s(&f.eps_at);
        w.u32s(&f.eps);
        w.u32s(&f.edges_at);
        w.words(&f.edges);
        w.u32s(&f.accept_at);
        w.u32s(&f.accept);
    }

    /// Reads a set written by [`PatternSet::write`] whose pattern ids are
    /// below `ids`.
    // Out of line, like the steps of `FilePolicy::from_bytes`.
    #[inline(never)]
    pub(crate) fn read(r: &mut Reader, ids: u32) -> Result<PatternSet, GroupgateError> {
        let fold = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(bad("a flag is neither 0 nor 1")),
        };
        let text = r.bytes()?.to_vec();
        let (entries, nodes, ids_, suffixes) = (r.words()?, r.words()?, r.u32s()?, r.words()?);
        let basename = match r.u32s()?[..] {
            [lo, hi] => [lo, hi],
            _ => return Err(bad("the basename range is not two numbers")),
        };
        let trie = Trie {
            text,
            entries,
            prefixes: Vec::new(),
            nodes,
            ids: ids_,
            suffixes,
            up: Vec::new(),
            basename,
            narrowed: None,
            narrowed_chains: None,
        }
        .checked(ids)
        .map_err(bad)?;
        let mut sets = Vec::new();
        for _ in 0..r.count(32)? {
            sets.push(ByteSet([r.u64()?, r.u64()?, r.u64()?, r.u64()?]));
        }
        let flat = Flat {
            eps_at: r.u32s()?,
            eps: r.u32s()?,
            edges_at: r.u32s()?,
            edges: r.words()?,
            sets,
            accept_at: r.u32s()?,
            accept: r.u32s()?,
        };
        // One pass over the arrays: offsets in order and in range, every
        // edge to a state, every id below `ids`.
        if !flat.check(ids) {
            return Err(bad("the automaton's arrays are inconsistent"));
        }
        Ok(PatternSet {
            trie,
            case_insensitive: fold,
            classes: classes(&flat.sets),
            nfa: Nfa::from_flat(flat),
            ..PatternSet::default()
        })
    }
}

/// The byte classes of the edge sets: out of line, its loop over every
/// byte of every set tiers up alone (see `FilePolicy::from_bytes`).
#[inline(never)]
fn classes(sets: &[ByteSet]) -> Classes {
    Classes::of_sets(sets)
}
