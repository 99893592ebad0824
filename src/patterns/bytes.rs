//! A [`PatternSet`] as snapshot bytes (see [`crate::snapshot`]): the simple
//! pieces of the indexes and the NFA's states, so loading re-parses no
//! glob. Every index read back is checked, so no bytes can make a check
//! panic; the DFA cache starts empty.

use super::dfa::Classes;
use super::nfa::{ByteSet, Nfa, State};
use super::{PatternSet, PatternSetBuilder};
use crate::error::GroupgateError;
use crate::glob::Piece;
use crate::snapshot::{bad, Reader, Writer};

impl PatternSet {
    /// Appends the set to `w`.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u8(u8::from(self.case_insensitive));
        w.u32(self.simple.len() as u32);
        for (piece, id) in &self.simple {
            w.u32(*id);
            let (kind, a, b) = match piece {
                Piece::Exact(p) => (0, p.as_str(), ""),
                Piece::Under(d) => (1, d.as_str(), ""),
                Piece::Basename(n) => (2, n.as_str(), ""),
                Piece::Child { dir, suffix } => (3, dir.as_str(), suffix.as_str()),
                Piece::Within { dir, suffix } => (4, dir.as_str(), suffix.as_str()),
                Piece::Glob(_) => (5, "", ""),
            };
            w.u8(kind);
            w.str(a);
            w.str(b);
        }
        // Edge sets are few and repeated: a table, then indexes into it.
        let mut table: Vec<ByteSet> = Vec::new();
        let mut index: super::FxMap<ByteSet, u32> = super::FxMap::default();
        for s in &self.nfa.states {
            for (set, _) in &s.edges {
                index.entry(*set).or_insert_with(|| {
                    table.push(*set);
                    (table.len() - 1) as u32
                });
            }
        }
        w.u32(table.len() as u32);
        for set in &table {
            set.0.iter().for_each(|&x| w.u64(x));
        }
        w.u32(self.nfa.states.len() as u32);
        for s in &self.nfa.states {
            w.u32(s.eps.len() as u32);
            s.eps.iter().for_each(|&e| w.u32(e));
            w.u32(s.edges.len() as u32);
            for (set, to) in &s.edges {
                w.u32(index.get(set).copied().unwrap_or(0));
                w.u32(*to);
            }
            w.u32(s.accept.len() as u32);
            s.accept.iter().for_each(|&a| w.u32(a));
        }
    }

    /// Reads a set written by [`PatternSet::write`] whose pattern ids are
    /// below `ids`.
    pub(crate) fn read(r: &mut Reader, ids: u32) -> Result<PatternSet, GroupgateError> {
        let fold = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(bad("a flag is neither 0 nor 1")),
        };
        let id = |r: &mut Reader| {
            let i = r.u32()?;
            if i < ids {
                Ok(i)
            } else {
                Err(bad("a pattern id is out of range"))
            }
        };
        let mut b = PatternSetBuilder::new(fold);
        for _ in 0..r.count(13)? {
            let i = id(r)?;
            let kind = r.u8()?;
            let (a, s) = (r.str()?.to_string(), r.str()?.to_string());
            let piece = match kind {
                0 => Piece::Exact(a),
                1 => Piece::Under(a),
                2 => Piece::Basename(a),
                3 => Piece::Child { dir: a, suffix: s },
                4 => Piece::Within { dir: a, suffix: s },
                _ => return Err(bad("an unknown piece kind")),
            };
            b.add_simple(piece, i);
        }
        let mut table = Vec::new();
        for _ in 0..r.count(32)? {
            table.push(ByteSet([r.u64()?, r.u64()?, r.u64()?, r.u64()?]));
        }
        let n = r.count(12)?;
        if n == 0 {
            return Err(bad("the automaton has no start state"));
        }
        let state = |r: &mut Reader| {
            let to = r.u32()?;
            if (to as usize) < n {
                Ok(to)
            } else {
                Err(bad("an automaton edge leads nowhere"))
            }
        };
        let mut states = Vec::with_capacity(n);
        for _ in 0..n {
            let mut s = State::default();
            let k = r.count(4)?;
            s.eps.reserve_exact(k);
            for _ in 0..k {
                s.eps.push(state(r)?);
            }
            let k = r.count(8)?;
            s.edges.reserve_exact(k);
            for _ in 0..k {
                let set = *table
                    .get(r.u32()? as usize)
                    .ok_or_else(|| bad("an edge's byte set is out of range"))?;
                s.edges.push((set, state(r)?));
            }
            for _ in 0..r.count(4)? {
                s.accept.push(id(r)?);
            }
            states.push(s);
        }
        let mut set = b.build();
        set.nfa = Nfa::from_states(states);
        set.classes = Classes::of_sets(&table);
        Ok(set)
    }
}
