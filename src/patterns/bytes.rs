//! A [`PatternSet`] as snapshot bytes (see [`crate::snapshot`]): the
//! indexes as they are (the trie written node by node, so loading inserts
//! each key once into a map made at its final size, re-parsing no glob and
//! re-walking no path) and the NFA's states. Every index read back is
//! checked, so no bytes can make a check panic; the DFA cache starts empty.

use super::dfa::Classes;
use super::nfa::{ByteSet, Flat, Nfa};
use super::{ext, Map, Node, PatternSet};
use crate::error::GroupgateError;
use crate::snapshot::{bad, Reader, Writer};

impl PatternSet {
    /// Appends the set to `w`.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u8(u8::from(self.case_insensitive));
        write_trie(&self.root, w);
        write_lists(&self.basename, w, |&id, w| w.u32(id));
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
        let list = |v: &[u32], w: &mut Writer| {
            w.u32(v.len() as u32);
            v.iter().for_each(|&x| w.u32(x));
        };
        list(&f.eps_at, w);
        list(&f.eps, w);
        list(&f.edges_at, w);
        w.u32(f.edges.len() as u32);
        for (set, to) in &f.edges {
            w.u32(index.get(set).copied().unwrap_or(0));
            w.u32(*to);
        }
        list(&f.accept_at, w);
        list(&f.accept, w);
    }

    /// Reads a set written by [`PatternSet::write`] whose pattern ids are
    /// below `ids`.
    pub(crate) fn read(r: &mut Reader, ids: u32) -> Result<PatternSet, GroupgateError> {
        let fold = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(bad("a flag is neither 0 nor 1")),
        };
        let root = read_trie(r, ids)?;
        let basename = read_lists(r, 4, |r| id(r, ids))?;
        let mut table = Vec::new();
        for _ in 0..r.count(32)? {
            table.push(ByteSet([r.u64()?, r.u64()?, r.u64()?, r.u64()?]));
        }
        let eps_at = r.u32s()?;
        let eps = r.u32s()?;
        let edges_at = r.u32s()?;
        let n = r.count(8)?;
        let mut edges = Vec::with_capacity(n);
        for _ in 0..n {
            let set = *table
                .get(r.u32()? as usize)
                .ok_or_else(|| bad("an edge's byte set is out of range"))?;
            edges.push((set, r.u32()?));
        }
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
            root,
            basename,
            case_insensitive: fold,
            nfa: Nfa::from_flat(flat),
            classes: Classes::of_sets(&table),
            ..PatternSet::default()
        })
    }
}

/// A pattern id, checked to be below `ids`.
fn id(r: &mut Reader, ids: u32) -> Result<u32, GroupgateError> {
    let i = r.u32()?;
    if i < ids {
        Ok(i)
    } else {
        Err(bad("a pattern id is out of range"))
    }
}

/// The entries of `map` by key: a map's order depends on its history (a
/// loaded map is made at its final size), the bytes must not.
fn sorted<V>(map: &Map<V>) -> Vec<(&str, &V)> {
    let mut entries: Vec<_> = map.iter().map(|(k, v)| (&**k, v)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Writes a map of lists: its size, then each key and list.
fn write_lists<T>(map: &Map<Vec<T>>, w: &mut Writer, item: impl Fn(&T, &mut Writer)) {
    w.u32(map.len() as u32);
    for (key, list) in sorted(map) {
        w.str(key);
        w.u32(list.len() as u32);
        list.iter().for_each(|x| item(x, w));
    }
}

/// Reads a map written by [`write_lists`] whose items are at least
/// `min_item` bytes; the map is made at its final size.
fn read_lists<T>(
    r: &mut Reader,
    min_item: usize,
    mut item: impl FnMut(&mut Reader) -> Result<T, GroupgateError>,
) -> Result<Map<Vec<T>>, GroupgateError> {
    let n = r.count(8)?;
    let mut map = Map::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let key: Box<str> = r.str()?.into();
        let k = r.count(min_item)?;
        let mut list = Vec::with_capacity(k);
        for _ in 0..k {
            list.push(item(r)?);
        }
        if map.insert(key, list).is_some() {
            return Err(bad("an index key appears twice"));
        }
    }
    Ok(map)
}

/// Writes what a node holds but its subdirectories, then their count.
fn write_node(n: &Node, w: &mut Writer) {
    w.u32(n.under.len() as u32);
    n.under.iter().for_each(|&id| w.u32(id));
    write_lists(&n.files, w, |&id, w| w.u32(id));
    let suffix = |(s, id): &(Box<str>, u32), w: &mut Writer| {
        w.str(s);
        w.u32(*id);
    };
    write_lists(&n.child, w, suffix);
    write_lists(&n.within, w, suffix);
    w.u32(n.dirs.len() as u32);
}

/// The trie in preorder: each node, then each subdirectory's name and
/// subtree. A loop with a stack, not recursion: a pattern may name
/// thousands of nested directories.
fn write_trie(root: &Node, w: &mut Writer) {
    write_node(root, w);
    let mut stack = vec![sorted(&root.dirs).into_iter()];
    while let Some(children) = stack.last_mut() {
        match children.next() {
            Some((name, child)) => {
                w.str(name);
                write_node(child, w);
                stack.push(sorted(&child.dirs).into_iter());
            }
            None => {
                stack.pop();
            }
        }
    }
}

/// Reads what [`write_node`] wrote: the node (its `dirs` made at their
/// final size, still empty) and the number of subdirectories to come.
fn read_node(r: &mut Reader, ids: u32) -> Result<(Node, usize), GroupgateError> {
    let under = r.u32s()?;
    if under.iter().any(|&i| i >= ids) {
        return Err(bad("a pattern id is out of range"));
    }
    let files = read_lists(r, 4, |r| id(r, ids))?;
    // The matcher looks a suffix up by the extension of the name it
    // ends: a suffix in another bucket would never be found.
    let suffix = |r: &mut Reader| {
        let s: Box<str> = r.str()?.into();
        Ok((s, id(r, ids)?))
    };
    let child = read_lists(r, 8, suffix)?;
    let within = read_lists(r, 8, suffix)?;
    for (key, list) in child.iter().chain(&within) {
        if list.iter().any(|(s, _)| ext(s) != &**key) {
            return Err(bad("a suffix is filed under another extension"));
        }
    }
    let n = r.count(24)?;
    let dirs = Map::with_capacity_and_hasher(n, Default::default());
    let node = Node {
        dirs,
        under,
        files,
        child,
        within,
    };
    Ok((node, n))
}

/// Reads what [`write_trie`] wrote, with a stack of the nodes still
/// waiting for subdirectories (it grows only as bytes are read).
fn read_trie(r: &mut Reader, ids: u32) -> Result<Node, GroupgateError> {
    let (root, n) = read_node(r, ids)?;
    let mut stack: Vec<(Box<str>, Node, usize)> = vec![("".into(), root, n)];
    loop {
        let top = stack.last_mut().expect("the root is popped last");
        if top.2 > 0 {
            top.2 -= 1;
            let name: Box<str> = r.str()?.into();
            let (node, n) = read_node(r, ids)?;
            stack.push((name, node, n));
            continue;
        }
        let (name, node, _) = stack.pop().expect("not empty");
        let Some(parent) = stack.last_mut() else {
            return Ok(node);
        };
        if parent.1.dirs.insert(name, node).is_some() {
            return Err(bad("a directory appears twice"));
        }
    }
}
