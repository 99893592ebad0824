//! The envelope of compiled snapshots (`FilePolicy::to_bytes`, and any
//! other engine that saves itself as bytes): one format, one contract.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0..4 | magic `GGSN` |
//! | 4..8 | kind, four ASCII bytes naming the engine (`FPOL`, `WKSP`, …) |
//! | 8..10 | format version of that kind |
//! | 10..12 | envelope revision, [`REVISION`] (the checksum's algorithm) |
//! | 12..16 | payload length |
//! | 16..24 | checksum of bytes 0..16 and the payload |
//! | 24.. | payload |
//!
//! The contract: [`open`] refuses foreign, truncated, corrupt and
//! other-version bytes with a [`GroupgateError`] (`snapshot.*` codes, at
//! `/bytes`), and a [`Reader`] over the payload refuses reads past its end.
//! The checksum catches accidents (a cut upload, a flipped bit), not an
//! attacker: a payload reader must still treat every value as untrusted
//! (check indexes and counts), so that no bytes can make it panic, loop
//! or answer wrongly.

use crate::error::GroupgateError;
use crate::limits::Limits;

const MAGIC: &[u8; 4] = b"GGSN";
const HEADER: usize = 24;
/// The envelope's own revision, which names the checksum's algorithm: 2
/// (four lanes, the tail's length in lane 3). Bytes of another revision
/// (0: one serial chain; 1: the tail's length mixed in another way) are
/// refused as another version, not as corrupt.
const REVISION: u16 = 2;

/// The error for bytes that are not a usable snapshot.
pub fn error(code: &'static str, message: impl Into<String>) -> GroupgateError {
    GroupgateError::one("/bytes", code, message.into())
}

/// The little-endian `u64` at `i` (zero past the end). A pattern, not
/// `try_into` or `copy_from_slice`: the release profile optimizes for size
/// and leaves those as calls inside the loop.
#[inline(always)]
pub(crate) fn le64(b: &[u8], i: usize) -> u64 {
    match b.get(i..i.wrapping_add(8)) {
        Some(&[b0, b1, b2, b3, b4, b5, b6, b7]) => {
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7])
        }
        _ => 0,
    }
}

/// A 64-bit checksum that sees every byte and its position. Four
/// independent lanes over 32-byte blocks, so the multiplies overlap (one
/// serial chain with a call per word was ~1.5 ns a byte in WASM: 2.7 ms
/// of a 1.8 MB snapshot); each step is a bijection of the lane, so any
/// one changed word changes the sum.
fn checksum(parts: &[&[u8]]) -> u64 {
    let mut lanes = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    for part in parts {
        let whole = part.len() / 32 * 32;
        // In calls of 64 KB: a WASM engine runs a function's first calls in
        // baseline code and switches to optimized code between calls, so
        // one call over 2 MB would run slow to its end (≈ 10x).
        let mut i = 0;
        while i < whole {
            let end = whole.min(i + BLOCK);
            lanes = blocks(lanes, part.get(i..end).unwrap_or(&[]));
            i = end;
        }
        // The tail (zero-padded), then the length, so that trailing
        // zeros count.
        let mut tail = [0u8; 32];
        tail[..part.len() - whole].copy_from_slice(&part[whole..]);
        lanes = blocks(lanes, &tail);
        lanes[3] = step(lanes[3], part.len() as u64);
    }
    lanes
        .iter()
        .fold(0, |h: u64, &l| (h ^ l).wrapping_mul(M).rotate_left(31))
}

const M: u64 = 0x9e37_79b9_7f4a_7c15;
/// Bytes per call of [`blocks`].
const BLOCK: usize = 1 << 16;

#[inline(always)]
fn step(a: u64, w: u64) -> u64 {
    (a ^ w).wrapping_mul(M).rotate_left(29)
}

/// The lanes after the whole 32-byte blocks of `b`.
#[inline(never)]
fn blocks(lanes: [u64; 4], b: &[u8]) -> [u64; 4] {
    let [mut l0, mut l1, mut l2, mut l3] = lanes;
    // Fixed-size blocks: the four loads need no bounds checks.
    for c in b.as_chunks::<32>().0 {
        l0 = step(l0, le64(c, 0));
        l1 = step(l1, le64(c, 8));
        l2 = step(l2, le64(c, 16));
        l3 = step(l3, le64(c, 24));
    }
    [l0, l1, l2, l3]
}

/// Wraps `payload` in the envelope for `kind` at `version`.
pub fn seal(kind: &[u8; 4], version: u16, payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::enveloped();
    w.bytes.extend_from_slice(payload);
    w.seal(kind, version)
}

/// The payload of a snapshot of `kind` at `version`, or why there is none.
pub fn open<'a>(kind: &[u8; 4], version: u16, bytes: &'a [u8]) -> Result<&'a [u8], GroupgateError> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(error(
            "snapshot.foreign",
            "the bytes are not a groupgate snapshot",
        ));
    }
    if &bytes[4..8] != kind {
        return Err(error(
            "snapshot.foreign",
            format!(
                "the snapshot is of another kind ({:?}, expected {:?})",
                lossy(&bytes[4..8]),
                lossy(kind)
            ),
        ));
    }
    let got = u16::from_le_bytes([bytes[8], bytes[9]]);
    if got != version || u16::from_le_bytes([bytes[10], bytes[11]]) != REVISION {
        return Err(error(
            "snapshot.version",
            format!("the snapshot has format version {got}; this build reads version {version} (compile the policy again)"),
        ));
    }
    let len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let payload = &bytes[HEADER..];
    if payload.len() != len {
        return Err(error(
            "snapshot.truncated",
            format!(
                "the snapshot holds {} payload bytes, its header says {len}",
                payload.len()
            ),
        ));
    }
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&bytes[16..24]);
    if checksum(&[&bytes[..16], payload]) != u64::from_le_bytes(sum) {
        return Err(error(
            "snapshot.corrupt",
            "the snapshot's checksum does not match its content",
        ));
    }
    Ok(payload)
}

/// Writes payload values: fixed-width little-endian integers and
/// length-prefixed byte strings.
#[derive(Debug, Default)]
pub struct Writer {
    /// The payload so far (after room for the envelope, in a writer made
    /// by [`Writer::enveloped`]).
    pub bytes: Vec<u8>,
}

impl Writer {
    /// A writer whose buffer starts with room for the envelope, which
    /// [`Writer::seal`] fills in place: the payload is not copied (a
    /// 76 MB snapshot was grown, then copied whole into its envelope).
    /// The room is a multiple of 8 bytes, so arrays align as in a bare
    /// payload.
    pub fn enveloped() -> Writer {
        Writer {
            bytes: vec![0; HEADER],
        }
    }

    /// The snapshot of `kind` at `version` of what was written (a writer
    /// made by [`Writer::enveloped`]).
    pub fn seal(mut self, kind: &[u8; 4], version: u16) -> Vec<u8> {
        let len = self.bytes.len().saturating_sub(HEADER) as u32;
        let mut head = [0u8; HEADER];
        head[..4].copy_from_slice(MAGIC);
        head[4..8].copy_from_slice(kind);
        head[8..10].copy_from_slice(&version.to_le_bytes());
        head[10..12].copy_from_slice(&REVISION.to_le_bytes());
        head[12..16].copy_from_slice(&len.to_le_bytes());
        let payload = self.bytes.get(HEADER..).unwrap_or_default();
        let sum = checksum(&[&head[..16], payload]);
        head[16..].copy_from_slice(&sum.to_le_bytes());
        if let Some(room) = self.bytes.first_chunk_mut::<HEADER>() {
            *room = head;
        }
        self.bytes
    }

    /// Appends one byte.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    /// Appends a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Appends a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// Appends a count, then the `u32`s (see [`Reader::u32s`]).
    pub fn u32s(&mut self, v: &[u32]) {
        self.flat_words(v.len(), v);
    }
    /// Appends a count of items, zero bytes up to a multiple of four, then
    /// the items' `u32`s (see [`Reader::words`]).
    pub fn words<const N: usize>(&mut self, v: &[[u32; N]]) {
        self.flat_words(v.len(), v.as_flattened());
    }
    /// [`Writer::words`] apart from the item type: one copy of it in the
    /// .wasm, not one per array type (issue 12: every byte of code is
    /// validated at each cold start).
    fn flat_words(&mut self, count: usize, flat: &[u32]) {
        self.u32(count as u32);
        while !self.bytes.len().is_multiple_of(4) {
            self.bytes.push(0);
        }
        self.bytes.reserve(flat.len() * 4);
        for &x in flat {
            self.bytes.extend_from_slice(&x.to_le_bytes());
        }
    }
    /// Appends the six limits, each a `u64`, in their declaration order.
    pub fn limits(&mut self, l: &Limits) {
        for v in [
            l.max_depth,
            l.max_groups,
            l.max_rules,
            l.max_glob_bytes,
            l.max_path_bytes,
            l.max_string_bytes,
        ] {
            self.u64(v as u64);
        }
    }
    /// Appends a length-prefixed byte string.
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.bytes.extend_from_slice(v);
    }
    /// Appends a length-prefixed string.
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
}

/// Reads payload values; every read past the end is a `snapshot.corrupt`
/// error, never a panic.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `payload`.
    pub fn new(payload: &'a [u8]) -> Self {
        Reader {
            bytes: payload,
            at: 0,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], GroupgateError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(bad("a value runs past the end of the payload"));
        };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    /// What [`Writer::limits`] wrote; a limit this platform cannot hold is
    /// an error.
    pub fn limits(&mut self) -> Result<Limits, GroupgateError> {
        let mut v = [0usize; 6];
        for x in &mut v {
            *x = usize::try_from(self.u64()?)
                .map_err(|_| bad("a limit does not fit this platform"))?;
        }
        Ok(Limits {
            max_depth: v[0],
            max_groups: v[1],
            max_rules: v[2],
            max_glob_bytes: v[3],
            max_path_bytes: v[4],
            max_string_bytes: v[5],
            // Not in these six words: FPOL stores it apart (WKSP has no use for it).
            ..Limits::DEFAULT
        })
    }

    /// Reads one byte.
    pub fn u8(&mut self) -> Result<u8, GroupgateError> {
        Ok(self.take(1)?[0])
    }
    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, GroupgateError> {
        let mut w = [0u8; 4];
        w.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(w))
    }
    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, GroupgateError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(w))
    }
    /// Reads a count of items each at least `min_bytes` long: a count the
    /// rest of the payload cannot hold is refused before anything is
    /// allocated for it.
    pub fn count(&mut self, min_bytes: usize) -> Result<usize, GroupgateError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.bytes.len() - self.at {
            return Err(bad("a count is larger than the payload can hold"));
        }
        Ok(n)
    }
    /// Reads what [`Writer::u32s`] wrote.
    pub fn u32s(&mut self) -> Result<Vec<u32>, GroupgateError> {
        self.array()
    }
    /// Reads what [`Writer::words`] wrote.
    pub fn words<const N: usize>(&mut self) -> Result<Vec<[u32; N]>, GroupgateError>
    where
        [u32; N]: bytemuck::Pod,
    {
        self.array()
    }
    /// A count, padding, then that many items of `u32`s (`T` is `u32` or
    /// an array of them), in one step: one bounds check and one copy of
    /// the bytes (arrays are most of a snapshot). The padding puts the
    /// items at a multiple of four from the payload's start, so that in a
    /// buffer aligned so (as a WASM allocator gives) they are copied as
    /// they are, without zeroing the new array first.
    fn array<T: bytemuck::Pod>(&mut self) -> Result<Vec<T>, GroupgateError> {
        let raw = self.array_bytes(std::mem::size_of::<T>())?;
        let mut out = match bytemuck::try_cast_slice::<u8, T>(raw) {
            Ok(items) => items.to_vec(),
            Err(_) => {
                let mut out = vec![T::zeroed(); raw.len() / std::mem::size_of::<T>()];
                bytemuck::cast_slice_mut::<T, u8>(&mut out).copy_from_slice(raw);
                out
            }
        };
        if cfg!(target_endian = "big") {
            let words = bytemuck::cast_slice_mut::<T, u32>(&mut out);
            words.iter_mut().for_each(|x| *x = u32::from_le(*x));
        }
        Ok(out)
    }
    /// The checks of [`Reader::array`] apart from its item type (one copy
    /// in the .wasm, not one per array type: issue 12): the count, the
    /// padding, and the items' `size`-byte bytes.
    #[inline(never)]
    fn array_bytes(&mut self, size: usize) -> Result<&'a [u8], GroupgateError> {
        let n = self.count(size)?;
        let pad = self.at.next_multiple_of(4) - self.at;
        if self.take(pad)?.iter().any(|&b| b != 0) {
            return Err(bad("padding bytes are not zero"));
        }
        self.take(n * size)
    }
    /// Reads a length-prefixed byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8], GroupgateError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    /// Reads a length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<&'a str, GroupgateError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| bad("a string is not UTF-8"))
    }
    /// Succeeds when every byte was read.
    pub fn finish(&self) -> Result<(), GroupgateError> {
        if self.at != self.bytes.len() {
            return Err(bad("bytes are left over after the last value"));
        }
        Ok(())
    }
}

/// A payload that breaks its own format.
pub fn bad(what: &str) -> GroupgateError {
    error(
        "snapshot.corrupt",
        format!("the snapshot is corrupt: {what}"),
    )
}

/// `bytes` as `String::from_utf8_lossy` reads them (each invalid sequence
/// one U+FFFD), by the loop `Utf8Error`'s documentation gives: std's
/// version runs a second UTF-8 decoder (`Utf8Chunks`, 1 KB of WASM) the
/// crate needs nowhere else.
fn lossy(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                match e.error_len() {
                    Some(n) => rest = &after[n..],
                    None => return out,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_reads_as_std() {
        let cases: [&[u8]; 9] = [
            b"",
            b"TEST",
            b"\xff\xfe\x00A",
            b"\xe2\x82",
            b"a\xe2\x82b",
            b"\xc3\xa9!",
            b"\xf0\x9f\x98",
            b"\xed\xa0\x80x",
            b"\xc0\xafz\x80",
        ];
        for b in cases {
            assert_eq!(lossy(b), String::from_utf8_lossy(b), "{b:?}");
        }
    }

    #[test]
    fn round_trip_and_every_refusal() {
        let sealed = seal(b"TEST", 3, b"hello payload");
        assert_eq!(open(b"TEST", 3, &sealed).unwrap(), b"hello payload");
        let code = |b: &[u8], kind: &[u8; 4], v| open(kind, v, b).unwrap_err().issues[0].code;
        assert_eq!(code(b"nope", b"TEST", 3), "snapshot.foreign");
        assert_eq!(code(&sealed, b"WKSP", 3), "snapshot.foreign");
        assert_eq!(code(&sealed, b"TEST", 4), "snapshot.version");
        // Sealed with another checksum (envelope revisions 0 and 1).
        for rev in [0, 1] {
            let mut old = sealed.clone();
            old[10..12].copy_from_slice(&[rev, 0]);
            assert_eq!(code(&old, b"TEST", 3), "snapshot.version");
        }
        assert_eq!(
            code(&sealed[..sealed.len() - 1], b"TEST", 3),
            "snapshot.truncated"
        );
        for i in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[i] ^= 0x10;
            assert!(open(b"TEST", 3, &flipped).is_err(), "byte {i}");
        }
    }

    #[test]
    fn reader_refuses_reads_past_the_end() {
        let mut w = Writer::default();
        w.u32(7);
        w.str("ab");
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(r.str().unwrap(), "ab");
        r.finish().unwrap();
        assert!(r.u8().is_err());
        let mut r = Reader::new(&[255, 255, 255, 255]);
        assert!(r.count(1).is_err());
    }
}
