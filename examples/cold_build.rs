//! Native timing of `FilePolicy::from_json_text` (issue 12: cold start), for
//! profiling the build without Node (perf, call counts) and for the native
//! floor of the work (the release profile, opt-level "z", like the .wasm):
//! `cargo run --release --example cold_build -- CORPUS.json [TIMES]`,
//! CORPUS.json a benches/shapes.mjs corpus (`{groups: [...]}`).
use std::time::Instant;

use groupgate::files::{FilePolicy, PolicyOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: cold_build CORPUS.json [TIMES]");
    let times: usize = args.next().map_or(100, |t| t.parse().expect("TIMES"));
    let corpus: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("JSON");
    let text = corpus["groups"].to_string();
    let mut best = f64::MAX;
    for _ in 0..times {
        let t = Instant::now();
        let p = FilePolicy::from_json_text(std::hint::black_box(&text), PolicyOptions::default())
            .expect("compile");
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        drop(std::hint::black_box(p));
    }
    println!(
        "{} bytes of groups; best build {best:.3} ms of {times}",
        text.len()
    );
}
