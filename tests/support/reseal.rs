//! Snapshots re-sealed after every one-byte change (three flips a byte):
//! the checksum only catches accidents, so each must load as an error or
//! as a policy that answers without panic (tests/files.rs, narrowing.rs).

use groupgate::files::FilePolicy;

/// Calls `answer` with each variant of `policy`'s snapshot that loads.
pub fn each_resealed(policy: &FilePolicy, mut answer: impl FnMut(&FilePolicy)) {
    let bytes = policy.to_bytes();
    let payload = &bytes[24..];
    for i in 0..payload.len() {
        for flip in [1u8, 0x80, 0xff] {
            let mut b = payload.to_vec();
            b[i] ^= flip;
            let sealed = groupgate::snapshot::seal(b"FPOL", 6, &b);
            if let Ok(p) = FilePolicy::from_bytes(&sealed) {
                answer(&p);
            }
        }
    }
}
