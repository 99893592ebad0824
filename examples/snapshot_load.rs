//! Native timing of `FilePolicy::from_bytes` (issue 12: 10,000 rules load
//! in ≤ 1 ms), for profiling the load without Node:
//! `cargo run --release --example snapshot_load -- CORPUS.json [TIMES]`,
//! CORPUS.json a benches/shapes.mjs corpus (`{groups: [...]}`).
use std::time::{Duration, Instant};

use groupgate::files::{FilePolicy, PolicyOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .expect("usage: snapshot_load CORPUS.json [TIMES]");
    let times: usize = args.next().map_or(1000, |t| t.parse().expect("TIMES"));
    let corpus: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("JSON");
    let t = Instant::now();
    let policy =
        FilePolicy::from_json(&corpus["groups"], PolicyOptions::default()).expect("compile");
    let build = t.elapsed();
    let bytes = policy.to_bytes();
    let (t, cpu) = (Instant::now(), cpu_time());
    for _ in 0..times {
        std::hint::black_box(FilePolicy::from_bytes(std::hint::black_box(&bytes)).expect("load"));
    }
    let load = t.elapsed() / times as u32;
    let load_cpu = cpu_time().map(|c| (c - cpu.unwrap_or_default()) / times as u32);
    println!(
        "{} bytes; build from JSON {build:?}; from_bytes {load:?} wall, {load_cpu:?} CPU (mean of {times})",
        bytes.len()
    );
}

/// This thread's CPU time (Linux: the first field of schedstat, in ns): on
/// a shared machine the wall time mostly measures the wait for a core.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        s.split_whitespace().next()?.parse().ok()?,
    ))
}
