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
        // Edge sets are few and repeated: a table, then indexes into it.
        let f = &self.nfa.flat;
        let mut table: Vec<ByteSet> = Vec::new();
        let mut index: super::FxMap<ByteSet, u32> = super::FxMap::default();
        for (set, _) in &f.edges {
            index.entry(*set).or_insert_with(|| {
                table.push(*set);
                (table.len() - 1) as u32
            });
        }
        w.u32(table.len() as u32);
        for set in &table {
            set.0.iter().for_each(|&x| w.u64(x));
        }
        // The flat arrays as they are (see `Flat`).
        w.u32s(&f.eps_at);
        w.u32s(&f.eps);
        w.u32s(&f.edges_at);
        let edges: Vec<u32> = f
            .edges
            .iter()
            .flat_map(|(set, to)| [index.get(set).copied().unwrap_or(0), *to])
            .collect();
        w.u32s(&edges);
        w.u32s(&f.accept_at);
        w.u32s(&f.accept);
    }

    /// Reads a set written by [`PatternSet::write`] whose pattern ids are
    /// below `ids`.
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
            basename,
        }
        .checked(ids)
        .map_err(bad)?;
        let mut table = Vec::new();
        for _ in 0..r.count(32)? {
            table.push(ByteSet([r.u64()?, r.u64()?, r.u64()?, r.u64()?]));
        }
        let eps_at = r.u32s()?;
        let eps = r.u32s()?;
        let edges_at = r.u32s()?;
        let edges = edges(&r.u32s()?, &table)?;
        let flat = Flat {
            eps_at,
            eps,
            edges_at,
            edges,
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
            nfa: Nfa::from_flat(flat),
            classes: Classes::of_sets(&table),
            ..PatternSet::default()
        })
    }
}

/// The edges from `(set index, target)` pairs: filled by index, not
/// pushed (a push is a call in the size-optimized build, and there is an
/// edge per NFA state).
fn edges(pairs: &[u32], table: &[ByteSet]) -> Result<Vec<(ByteSet, u32)>, GroupgateError> {
    let n = pairs.len() / 2;
    if !pairs.len().is_multiple_of(2) || pairs.iter().step_by(2).any(|&s| s as usize >= table.len())
    {
        return Err(bad("an edge's byte set is out of range"));
    }
    let mut edges = vec![(ByteSet::default(), 0); n];
    let mut i = 0;
    while i < n {
        if let (Some(e), Some(&[set, to])) = (edges.get_mut(i), pairs.get(2 * i..2 * i + 2)) {
            *e = (table.get(set as usize).copied().unwrap_or_default(), to);
        }
        i += 1;
    }
    Ok(edges)
}
