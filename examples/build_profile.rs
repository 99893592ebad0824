//! Native CPU time and peak heap of compiling a policy from JSON text (issue
//! 11, construction bound), for profiling without Node:
//! `cargo run --release --example build_profile -- [RULES] [SHAPE]`; SHAPE
//! a shape of the bounds suites (`tests/support/shapes.rs`): `star` (the
//! 1 KB star denies, default), `nontrie`, `letters` (1 KB globs `*` + 500
//! letters + `*` + 500 letters, each its own: no shared prefix, every rule
//! its own chain of NFA states), …
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use groupgate::files::{FilePolicy, PolicyOptions};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(live, Relaxed);
        TOTAL.fetch_add(l.size(), Relaxed);
        CALLS.fetch_add(1, Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
}

#[path = "../tests/support/shapes.rs"]
mod shapes;
use shapes::shape;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(100_000, |t| t.parse().expect("RULES"));
    let name = args.next().unwrap_or_else(|| "star".into());
    let mut rules =
        vec![r#"{"effect":"allow","actions":["visible","modify"],"patterns":"**"}"#.to_string()];
    rules.extend((0..n - 1).map(|i| {
        format!(
            r#"{{"effect":"deny","actions":["visible","modify"],"patterns":"{}"}}"#,
            shape(&name, i)
        )
    }));
    let text = format!(
        r#"[{{"id":"g","permissions":["documents"],"filePermissions":[{}]}}]"#,
        rules.join(",")
    );
    let (live, total, calls) = (LIVE.load(Relaxed), TOTAL.load(Relaxed), CALLS.load(Relaxed));
    PEAK.store(live, Relaxed);
    let cpu = cpu_time();
    let policy = FilePolicy::from_json_text(&text, PolicyOptions::default()).expect("compile");
    let took = cpu_time() - cpu;
    let kept = LIVE.load(Relaxed) - live;
    drop(policy);
    let mb = |b: usize| b as f64 / 1048576.0;
    println!(
        "{n} {name} rules, {:.1} MB of JSON: {took:?} CPU; heap peak +{:.1} MB, kept {:.1} MB, allocated {:.1} MB in all ({:.1} allocations per rule)",
        mb(text.len()),
        mb(PEAK.load(Relaxed) - live),
        mb(kept),
        mb(TOTAL.load(Relaxed) - total),
        (CALLS.load(Relaxed) - calls) as f64 / n as f64
    );
}

fn cpu_time() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    Duration::from_nanos(
        s.split_whitespace()
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0),
    )
}
