//! Native timing of `Workspace::from_json_text` and `Workspace::from_bytes`
//! (issue 17: 10,000 groups in ≤ 20 ms / ≤ 1 ms in Node), for profiling
//! without Node: `cargo run --release --example workspace_load -- STATE.json
//! [TIMES]` (STATE.json e.g. `JSON.stringify(bigState(10000))` of
//! tests/js/fixtures/baseten-big.mjs). The release profile is the package's
//! (size-tuned), so the split is the WASM build's.
use std::time::{Duration, Instant};

use groupgate::baseten::Workspace;
use groupgate::Limits;

fn median(mut f: impl FnMut(), times: usize) -> Duration {
    let mut all: Vec<Duration> = (0..times)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    all.sort();
    all[times / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: workspace_load STATE.json [TIMES]");
    let times: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(21);
    let text = std::fs::read_to_string(path).expect("readable state");
    let ws = Workspace::from_json_text(&text, Limits::DEFAULT).expect("a valid state");
    let bytes = ws.to_bytes();
    let from = median(
        || drop(Workspace::from_json_text(&text, Limits::DEFAULT)),
        times,
    );
    let load = median(|| drop(Workspace::from_bytes(&bytes)), times);
    println!(
        "{} groups: from_json_text {from:?}, from_bytes {load:?} ({} bytes)",
        ws.group_count(),
        bytes.len()
    );
}
