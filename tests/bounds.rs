//! The bounds promise (README "Security"), natively: every public entry point,
//! fed inputs up to the configured limits (SPEC §4) and the worst shapes
//! known, grows linearly, stays within its time budget and within its heap
//! bound (measured exactly, by the counting allocator below).
//! `tests/js/bounds.test.mjs` holds the shipped WASM to the same promise.
//!
//! Each case runs in a child process (this test binary, `--ignored --exact
//! child`, with `BOUNDS_CASE` set) that climbs a ladder of sizes up to the
//! limit and stops at the first step over its budget or heap bound: a
//! quadratic blow-up is caught at a small size, and a runaway input cannot
//! take the other tests (or the machine) with it: the child's heap is capped.
//!
//! Time is the CPU time of the running thread (`clock_gettime`), so waiting
//! for a core does not count; sharing the caches and memory bandwidth with
//! other work does (up to 1.6x on a 100 MB step), so a step is the least of
//! up to three runs, a failing case is run again in up to two fresh children, and the
//! children run one at a time ([`ONE_CHILD`]). `cargo test` builds without
//! optimizations, which costs a constant factor ([`DEBUG_FACTOR`]); the growth
//! between sizes, the heap bound and (in release builds) the budgets are the
//! same as for the package.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

#[path = "bounds/cap.rs"]
mod cap;
#[path = "bounds/cases.rs"]
mod cases;
#[path = "support/collide.rs"]
mod collide;
#[path = "support/cpu.rs"]
mod cpu;
#[path = "bounds/fast_paths.rs"]
mod fast_paths;
#[path = "support/shapes.rs"]
mod shapes;
#[path = "bounds/speed.rs"]
mod speed;
use cpu::cpu_ms;

use cases::{Budget, Case, CASES};

// --- heap accounting ----------------------------------------------------------------

/// The system allocator, counting live bytes and their peak; an allocation
/// that would take the live bytes over `CAP` fails (the child aborts, the
/// parent reports it as over the bound).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CAP: AtomicUsize = AtomicUsize::new(usize::MAX);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        if live > CAP.load(Relaxed) {
            LIVE.fetch_sub(layout.size(), Relaxed);
            return std::ptr::null_mut();
        }
        PEAK.fetch_max(live, Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// --- the promise ----------------------------------------------------------------------

/// CPU milliseconds per call at the limits (release builds; README "Security").
fn budget_ms(b: Budget) -> f64 {
    let ms = match b {
        Budget::Whole => 2000.0,
        Budget::Single => 10.0,
        Budget::Refuse => 100.0,
    };
    if cfg!(debug_assertions) {
        ms * DEBUG_FACTOR
    } else {
        ms
    }
}

/// The budgets are for a machine on which the calibration workload
/// (`bounds/speed.rs`, groupgate not in it) takes `REFERENCE_MS` of CPU.
/// Each child times it first and judges its steps by budget × its scale, the
/// workload's time over `REFERENCE_MS`, at least 1 and at most `MAX_SCALE`:
/// this project's VMs run a process at one of two speeds and have slow days
/// (README "Security").
const REFERENCE_MS: f64 = 90.0;
const MAX_SCALE: f64 = 3.0;

/// How much slower an unoptimized build may be (measured: 100,000 rules
/// compile in 1.5 s unoptimized, 0.44 s in the optimized WASM).
const DEBUG_FACTOR: f64 = 10.0;
/// A doubling of the input may at most triple the time (linear: 2, quadratic: 4),
/// judged once a step takes RATIO_FLOOR_MS, over two doublings (at most 9x).
const RATIO: f64 = 3.0;
const RATIO_FLOOR_MS: f64 = 100.0;
const RATIO_FLOOR_BYTES: usize = 8 << 20;
/// Heap growth during a call ≤ MEM_BASE + MEM_PER_BYTE × (bytes of its input as JSON).
const MEM_BASE: usize = 16 << 20;
const MEM_PER_BYTE: usize = 64;
/// The child's heap cap: far over every bound, far under the machine.
const CHILD_CAP: usize = 2 << 30;
/// A child that has used CHILD_CPU is stuck in one call. CPU, not wall time:
/// on a loaded machine a healthy child may wait minutes for a core
/// (CHILD_WALL is the backstop).
const CHILD_CPU: Duration = Duration::from_secs(180);
/// A step is run again (up to three times) while its runs have spent less
/// CPU than this: two whole-input budgets.
const STEP_SPEND_MS: f64 = 4000.0;
const CHILD_WALL: Duration = Duration::from_secs(1800);

#[derive(Debug)]
struct Step {
    n: usize,
    ms: f64,
    grew: usize,
    bytes: usize,
    /// The child's budget scale (its machine speed).
    scale: f64,
    outcome: String,
}

impl Step {
    /// The step's time at the reference speed: merged steps may come from
    /// children of different speeds.
    fn reference_ms(&self) -> f64 {
        self.ms / self.scale
    }
}

fn mb(b: usize) -> f64 {
    b as f64 / 1048576.0
}

/// What is wrong with the steps so far (nothing: empty). The child stops at
/// the first problem, the parent reports them all.
fn problems(case: &Case, steps: &[Step]) -> Vec<String> {
    let budget = budget_ms(case.budget);
    let mut out = Vec::new();
    for s in steps {
        if s.outcome != "ok" && Some(s.outcome.as_str()) != case.refused {
            out.push(format!("at n={}: {}", s.n, s.outcome));
        }
        if s.reference_ms() > budget || s.ms.is_nan() {
            out.push(format!(
                "at n={}: {:.1} ms CPU, over the {budget} ms budget × {:.2} (this machine's speed: {:.0} ms)",
                s.n,
                s.ms,
                s.scale,
                budget * s.scale
            ));
        }
        let bound = MEM_BASE + MEM_PER_BYTE * s.bytes;
        if s.grew > bound {
            out.push(format!(
                "at n={}: the heap grew by {:.1} MB, over the bound {:.1} MB",
                s.n,
                mb(s.grew),
                mb(bound)
            ));
        }
    }
    for (i, b) in steps.iter().enumerate().skip(1) {
        // Time is judged over two doublings (against the step two below),
        // memory over one. A step's time also pays for the memory hierarchy:
        // the 100,000-rule build of 50 MB of heap measured 3.2x its
        // 50,000-rule step on one CI machine (2.2x on another) while running
        // 4.0x the instructions of the 25,000-rule step (callgrind). Over two
        // doublings a quadratic still shows 16x against an allowance of 9x.
        let a = &steps[i.saturating_sub(2)];
        let allowance = (b.n as f64 / a.n as f64).powf(RATIO.log2());
        let (b_ms, a_ms) = (b.reference_ms(), a.reference_ms());
        if b_ms >= RATIO_FLOOR_MS && b_ms > allowance * a_ms.max(RATIO_FLOOR_MS / allowance) {
            out.push(format!(
                "n={} took {:.1} ms, n={} {:.1} ms (more than {RATIO}x per doubling: not linear)",
                a.n, a.ms, b.n, b.ms
            ));
        }
        let a = &steps[i - 1];
        // Sizes double (give or take the rounding): scale the allowance with them.
        let scale = RATIO / 2.0 * (b.n as f64 / a.n as f64);
        let floor = RATIO_FLOOR_BYTES as f64 / RATIO;
        if b.grew >= RATIO_FLOOR_BYTES && b.grew as f64 > scale * (a.grew as f64).max(floor) {
            out.push(format!("n={} grew the heap by {:.1} MB, n={} by {:.1} MB (more than {RATIO}x per doubling)", a.n, mb(a.grew), b.n, mb(b.grew)));
        }
    }
    out
}

/// The linearity judgement itself, on ladders of made-up times.
#[test]
fn growth_is_judged_over_two_doublings() {
    let case = CASES
        .iter()
        .find(|c| matches!(c.budget, Budget::Whole))
        .expect("a whole case");
    let ladder = |ms: &dyn Fn(f64) -> f64| -> Vec<Step> {
        [3125, 6250, 12500, 25000, 50000, 100000]
            .into_iter()
            .map(|n| Step {
                n,
                ms: ms(n as f64),
                grew: 0,
                bytes: 0,
                scale: 1.0,
                outcome: "ok".into(),
            })
            .collect()
    };
    // Linear, with the 3.2x top step measured on a CI machine: holds.
    let ci = [1.9, 4.5, 9.4, 19.4, 41.3, 131.8];
    let steps: Vec<Step> = ladder(&|n| ci[(n / 3125.0).log2() as usize]);
    assert_eq!(problems(case, &steps), Vec::<String>::new());
    // Linear under contention: policy_noted's ladder with the worst least-of-3
    // of each step seen at a load average of 13-16 on 2 cores (the top one
    // beside two other bounds children, 1.6x its time alone): holds.
    let loaded = [10.0, 22.3, 49.9, 102.4, 347.0, 766.4];
    let steps: Vec<Step> = ladder(&|n| loaded[(n / 3125.0).log2() as usize]);
    assert_eq!(problems(case, &steps), Vec::<String>::new());
    // n log n: holds. Quadratic, and n^1.7, are caught.
    assert!(problems(case, &ladder(&|n| n * n.ln() / 1e4)).is_empty());
    assert!(!problems(case, &ladder(&|n| n * n / 1e7)).is_empty());
    assert!(!problems(case, &ladder(&|n| n.powf(1.7) / 5e5)).is_empty());
}

/// A step is judged at the reference speed: its budget scales with its
/// child's machine, and its growth compares reference times.
#[test]
fn steps_are_judged_at_the_reference_speed() {
    let case = CASES
        .iter()
        .find(|c| matches!(c.budget, Budget::Whole) && c.refused.is_none())
        .expect("a whole case");
    let budget = budget_ms(case.budget);
    let step = |n, ms, scale| Step {
        n,
        ms,
        grew: 0,
        bytes: 0,
        scale,
        outcome: "ok".into(),
    };
    let over = 1.5 * budget;
    assert!(!problems(case, &[step(1, over, 1.0)]).is_empty());
    assert!(problems(case, &[step(1, over, 1.6)]).is_empty());
    // The same linear ladder, its top step from a child twice as slow.
    let mixed = [
        step(1, 200.0, 1.0),
        step(2, 400.0, 1.0),
        step(4, 1600.0, 2.0),
    ];
    assert!(problems(case, &mixed).is_empty());
    // A quadratic ladder stays one, whatever the child's speed.
    let quadratic = [
        step(1, 100.0, 2.0),
        step(2, 400.0, 2.0),
        step(4, 1600.0, 2.0),
    ];
    assert!(!problems(case, &quadratic).is_empty());
}

/// The sizes a case climbs: halving from the limit down to `start_at`.
fn ladder(case: &Case) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut n = case.limit;
    while n >= case.start_at.max(case.limit.div_ceil(64)) {
        sizes.insert(0, n);
        n /= 2;
    }
    sizes
}

// --- the child ----------------------------------------------------------------------------

/// The least CPU time of up to three runs (noise only adds time): a single
/// sample of 100 ms on a shared machine can double and break the ratio, and
/// one of 690 ms (a memory-heavy step, 227 MB, beside another test run) did.
/// The largest steps are repeated too, while the step has spent less than
/// [`STEP_SPEND_MS`]: they are the ones nearest their budget (in the JS
/// suite 1.2-1.5 s of 2 s at a load average of 15), and one noisy sample of
/// them was all a case had (a run over half the budget was not repeated).
fn measure(case: &Case, n: usize, scale: f64) -> Step {
    let mut input = (case.build)(n);
    let (mut ms, mut grew, mut outcome) = (f64::INFINITY, 0, String::new());
    let mut spent = 0.0;
    for _ in 0..3 {
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        let t = cpu_ms();
        outcome = match (input.run)() {
            Ok(()) => "ok".to_string(),
            Err(code) => code,
        };
        let took = cpu_ms() - t;
        ms = ms.min(took);
        spent += took;
        grew = grew.max(PEAK.load(Relaxed) - before);
        // Far over its budget: another run cannot bring it under.
        if took > 3.0 * budget_ms(case.budget) * scale || spent > STEP_SPEND_MS {
            break;
        }
    }
    Step {
        n,
        ms,
        grew,
        bytes: input.bytes,
        scale,
        outcome,
    }
}

/// This machine's speed against the reference (README "Security"), rounded
/// to hundredths, printed for the parent's log.
fn machine_scale() -> f64 {
    let calibration = speed::calibration_ms();
    let scale = (calibration / REFERENCE_MS).clamp(1.0, MAX_SCALE);
    let scale = (scale * 100.0).round() / 100.0;
    println!("SPEED calibration {calibration:.1} ms, scale {scale}");
    scale
}

#[test]
#[ignore = "a bounds case, run in a child process by the other tests of this file"]
fn child() {
    let name = std::env::var("BOUNDS_CASE").expect("BOUNDS_CASE names the case");
    let case = CASES.iter().find(|c| c.name == name).expect("a known case");
    CAP.store(CHILD_CAP, Relaxed);
    let scale = machine_scale();
    let mut steps = Vec::new();
    for n in ladder(case) {
        let mut s = measure(case, n, scale);
        // Over its budget on the scale the child took at its start: this
        // VM's speed moves by 1.5x within minutes (the JS suite saw ×1.15 at
        // a case's start and its top step at 2.3 s, 1.3 s on an idle
        // machine), so the machine is timed again beside the step, and on a
        // slower scale the step is measured again and judged on that scale.
        // The workload runs no groupgate: a slower groupgate cannot buy
        // itself time. The scale is the step's: later steps start again from
        // the child's first one.
        if s.reference_ms() > budget_ms(case.budget) && scale < MAX_SCALE {
            let now = machine_scale();
            if now > scale {
                let again = measure(case, n, now);
                s = Step {
                    ms: s.ms.min(again.ms),
                    grew: s.grew.max(again.grew),
                    ..again
                };
            }
        }
        // One line per step: a parent that has to kill this child still has them.
        println!(
            "BOUNDS {} {:.3} {} {} {} {}",
            s.n, s.ms, s.grew, s.bytes, s.scale, s.outcome
        );
        steps.push(s);
        if !problems(case, &steps).is_empty() {
            break;
        }
    }
}

// --- the parent: one test per case ------------------------------------------------------

/// Held while a child runs: one case at a time. `cargo test` runs two tests
/// at once on a 2-core runner, and CPU time is not free of the other one:
/// beside two other bounds children the 100,000-rule step of
/// `policy_noted` took 580-766 ms of CPU, alone 483-505 ms (the shared
/// cache and memory bandwidth of 100 MB heaps; a VM may also count stolen
/// time as the thread's). The time judged is the case's own.
static ONE_CHILD: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run_child(case: &Case) -> Vec<Step> {
    // A poisoned lock only means another case failed: run this one anyway.
    let _alone = ONE_CHILD.lock().unwrap_or_else(|e| e.into_inner());
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--ignored",
            "--exact",
            "child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("BOUNDS_CASE", case.name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the child");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if process_cpu(child.id()) > CHILD_CPU || start.elapsed() > CHILD_WALL {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut out)
        .expect("read stdout");
    let mut steps: Vec<Step> = out.lines().filter_map(parse_step).collect();
    let failure = match status {
        None => Some(format!(
            "still running after {} s of CPU",
            CHILD_CPU.as_secs()
        )),
        Some(s) if !s.success() => Some(format!(
            "the child failed ({s}): over the {} GB heap cap or a panic",
            CHILD_CAP >> 30
        )),
        Some(_) => None,
    };
    if let Some(f) = failure {
        let n = ladder(case).get(steps.len()).copied().unwrap_or(case.limit);
        steps.push(Step {
            n,
            ms: f64::NAN,
            grew: 0,
            bytes: 0,
            scale: 1.0,
            outcome: f,
        });
    }
    steps
}

/// CPU time a process has used (Linux; zero elsewhere: wall time decides).
fn process_cpu(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split(' ')
        .skip(12)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

fn parse_step(line: &str) -> Option<Step> {
    // libtest may have printed "test child ... " on the same line.
    let mut f = line[line.find("BOUNDS ")? + 7..].splitn(6, ' ');
    Some(Step {
        n: f.next()?.parse().ok()?,
        ms: f.next()?.parse().ok()?,
        grew: f.next()?.parse().ok()?,
        bytes: f.next()?.parse().ok()?,
        scale: f.next()?.parse().ok()?,
        outcome: f.next()?.to_string(),
    })
}

/// The steps of `again`, each with the least time and growth it and the
/// step of the same size in `first` measured.
fn least_of(first: &[Step], mut again: Vec<Step>) -> Vec<Step> {
    for s in &mut again {
        if let Some(f) = first.iter().find(|f| f.n == s.n && f.outcome == s.outcome) {
            if f.reference_ms() < s.reference_ms() {
                (s.ms, s.scale) = (f.ms, f.scale);
            }
            s.grew = s.grew.min(f.grew);
        }
    }
    again
}

fn check(name: &str) {
    let case = CASES.iter().find(|c| c.name == name).expect("a known case");
    if let Some(owner) = OPEN.iter().find(|(n, _)| *n == name).map(|(_, o)| o) {
        // A known open bound (README "Security", REQUESTS.md BOUNDS-FAIL):
        // named, not run, until its owner's fix lands.
        eprintln!("{name}: known open bound ({owner}), not run");
        return;
    }
    let mut steps = run_child(case);
    // Up to twice more, each in a fresh child, each step judged on the least
    // of its runs: noise (a VM's stolen time counts as the thread's) only
    // adds time, and what is not linear stays so in every run. A process
    // here runs at one of two speeds (session 22: the same native build,
    // best of 300, 1.1 or 1.6 ms by process), so two children could both
    // draw the slow one (a case at 2.02-2.27 s, base and main alike).
    for _ in 0..2 {
        let found = problems(case, &steps);
        if found.is_empty() {
            break;
        }
        // Said, so that a pass on a later run is seen for how close it came.
        eprintln!("{name}: run again after: {}", found.join("; "));
        steps = least_of(&steps, run_child(case));
    }
    let line: Vec<String> = steps
        .iter()
        .map(|s| {
            format!(
                "n={}: {:.1} ms (×{}), +{:.1} MB {}",
                s.n,
                s.ms,
                s.scale,
                mb(s.grew),
                s.outcome
            )
        })
        .collect();
    eprintln!("{name}: {}", line.join("; "));
    let found: Vec<String> = problems(case, &steps)
        .into_iter()
        .map(|p| format!("{name} {p}"))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(
        steps.last().map(|s| s.n),
        Some(case.limit),
        "{name} stopped early"
    );
}

/// Bounds not held yet, with who owns the fix (README "Security" lists them).
const OPEN: &[(&str, &str)] = &[];

/// One test per case, named after it.
macro_rules! bounds {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            #[cfg_attr(debug_assertions, ignore = "optimized only: cargo test --release --test bounds (./dev test runs it)")]
            fn $test() { check($name) }
        )*

        #[test]
        fn every_case_has_a_test() {
            let named = [$($name),*];
            for c in CASES {
                assert!(named.contains(&c.name), "no test runs the case {:?}", c.name);
            }
        }
    };
}

bounds! {
    policy_trie => "new FilePolicy / trie rules",
    policy_nontrie => "new FilePolicy / non-trie rules",
    policy_groups => "new FilePolicy / 10,000 groups of 10 rules",
    policy_braces => "new FilePolicy / brace-bomb globs",
    policy_stars => "new FilePolicy / star denies",
    policy_distinct => "new FilePolicy / distinct 1 KB globs",
    policy_tiny_globs => "new FilePolicy / 1 KB patterns of 512 one-byte globs",
    policy_tiny_refused_globs => "new FilePolicy / 1 KB patterns of 341 refused globs",
    policy_star_denies_last_refused => "new FilePolicy / star denies, the last glob refused",
    policy_qmarks => "new FilePolicy / ?-chain globs",
    policy_marks => "new FilePolicy / 1 KB ?-run denies",
    policy_names => "new FilePolicy / brace lists of distinct names",
    policy_most_names => "new FilePolicy / brace lists of distinct names, as many as maxAutomatonStates lets through",
    policy_shared_names => "new FilePolicy / brace lists of shared names",
    policy_deep => "new FilePolicy / literal globs 500 directories deep",
    policy_most_deep => "new FilePolicy / literal globs 500 directories deep, as many as maxAutomatonStates lets through",
    policy_noted => "new FilePolicy / rules whose every pattern has a lint note",
    policy_dirs_one_index => "new FilePolicy / 100,000 directory names of one table index",
    policy_noted_bytes => "FilePolicy.toBytes / rules whose every pattern has a lint note",
    check_trie => "check / trie rules, 4 KB path",
    check_nontrie => "check / non-trie rules, 4 KB path",
    check_suffixes => "check / suffixes of one extension, 4 KB name",
    check_stars => "check / star denies, 4 KB path",
    check_marks => "check / 1 KB denies of 1,000 ?, 4 KB random path",
    check_loops => "check / star-name-star denies, 4 KB path of names",
    check_tails => "check / star-name-star denies with distinct tails, 4 KB path of names",
    check_mixture => "check / star-name-star-? denies, 4 KB path of names and random a/b",
    check_widest => "check / star-name-star-? denies, the widest path maxMatchWork answers",
    explain_distinct => "explain / distinct star-name-star denies, 4 KB path of names",
    check_infix => "check / infix rules, 4 KB file name of their names",
    explain_infix => "explain / infix rules, 4 KB file name of their names",
    check_many_infix => "checkMany / 100 4 KB file names of 1,000 infix rules",
    lint_infix => "lint / 100 4 KB file names of 1,000 infix rules",
    check_braces => "check / brace-bomb globs, 4 KB path",
    explain_nontrie => "explain / non-trie rules, 4 KB path",
    check_many => "checkMany / 100,000 paths, 10,000 non-trie rules",
    lint_rules => "lint / allow and deny in one group",
    lint_shadow_search => "lint / denies of ** for another action beside allows",
    lint_files => "lint / 100,000 files",
    lint_files_all_match => "lint / 100,000 files, 10,000 globs matching every file",
    lint_files_automaton_all_match => "lint / 100,000 files, 1,000 automaton globs matching every file",
    lint_shared_id => "lint / rules sharing one id",
    lint_json => "FilePolicy.lint / non-trie rules",
    workspace_wide => "Workspace.from / one root, 10,000 children",
    workspace_chains => "Workspace.from / chains of depth 5",
    workspace_keys => "Workspace.from / 100,000 keys",
    workspace_keys_one_hash => "Workspace.from / 100,000 keys, prefixes of one word hash",
    workspace_root_models => "Workspace.from / a root of 10,000 models over 9,999 children",
    workspace_distinct_models => "Workspace.from / 10,000 groups of 100 distinct models",
    workspace_cascade_long_ids => "Workspace.from / 100,000 models above a 60 KB-named ancestor's (CASCADING)",
    workspace_to_bytes => "Workspace.toBytes / a root of 10,000 models over 9,999 children",
    workspace_from_bytes_root_models => "Workspace.fromBytes / a root of 10,000 models over 9,999 children",
    preview_root_models => "preview / update of a root of 10,000 models over 9,999 children",
    preview_root_limits => "preview / a root of 100,000 models over 9,999 children loses its limits",
    preview_root => "preview / update of the root of 10,000 groups",
    preview_models => "preview / 100,000 models",
    preview_slugs_one_hash => "preview / 100,000 models, slugs of one word hash",
    workspace_ids_one_hash => "Workspace.from / 100,000 keys of 10,000 groups, ids of one word hash",
    preview_duplicates => "preview / 100,000 duplicate models",
    effective_models => "effectiveModels / 100,000 models down a chain of 5",
    preview_keys_lose_models => "preview / a group of 10,000 keys losing 10,000 models (full form)",
    effective_models_long_source => "effectiveModels / 100,000 models under the limits of a root of a 256-byte id",
    workspace_bytes => "Workspace.fromBytes / 10,000 groups",
    workspace_apply => "Workspace.apply / update of the root of 10,000 groups",
    workspace_apply_models => "Workspace.apply / update with 100,000 new models",
    baseten_state => "validate baseten / state of 10,000 groups",
    baseten_models => "validate baseten / 100,000 models with rate limits",
    frontier_state => "validate frontier / 10,000 groups in state",
    frontier_orgs => "validate frontier / 100,000 orgs in state",
    frontier_unique => "validate frontier / uniqueItems over 100,000 items",
    frontier_enum => "validate frontier / enum of 10,000 values over 100,000 items",
    frontier_strings => "validate frontier / 64 KB strings",
    apinizer_paths => "validate apinizer / 100,000 relative paths",
    apinizer_duplicates => "validate apinizer / 100,000 duplicate paths",
    apinizer_headers => "validate apinizer / 100,000 headers",
    apinizer_overlap => "validate apinizer / paths against 10,000 groups' routes",
    conductor_roles => "validate conductor / 100,000 roles of a 10,000-role catalog",
    conductor_unknown => "validate conductor / 100,000 unknown roles, 10,000-role catalog",
    conductor_unknown_long_catalog => "validate conductor / 100,000 unknown roles, 16 catalog roles of 60 KB",
    permissions_conductor_long_catalog => "permissionsOf conductor / 100,000 unknown roles, 16 catalog roles of 60 KB",
    apinizer_overlap_long_names => "validate apinizer / 100,000 paths routed by 3 groups of 60 KB names",
    explain_unknown_ids => "explain / member of 100,000 unknown group ids",
    frontier_required => "validate frontier / metaschema requiring 100,000 names",
    frontier_long_properties => "validate frontier / metaschema of 10,000 long property names, as many members",
    frontier_required_missing => "validate frontier / 1,600 required names missing from 10,000 items",
    frontier_long_member_name => "validate frontier / a 60 KB member name visited 100,000 times",
    frontier_required_long_names => "validate frontier / 15 required 60 KB names looked up 100,000 times",
    frontier_absent_long_names => "validate frontier / 15 absent 60 KB property names looked up 100,000 times",
    frontier_ifs => "validate frontier / metaschema of 10,000 ifs over 10,000 members",
    frontier_enum_objects => "validate frontier / enum of 10,000 objects, 100,000 items outside it",
    gorules_flips => "validate gorules / flips of 10,000 members × 500 files",
    gorules_flips_long_member => "validate gorules / flips of a member of a 60 KB id over 100,000 files",
    permissions_chain => "permissionsOf frontier / catalog of 100,000 roles and a 100,000-permission chain",
    conductor_state => "validate conductor / state of 10,000 groups",
    gorules_rules => "validate gorules / 100,000 rules",
    gorules_refused => "validate gorules / 100,000 rules, refused caller",
    gorules_state => "validate gorules / state of 10,000 groups and members",
    gorules_files => "validate gorules / changes over 100,000 files",
    permissions_gorules => "permissionsOf gorules / 100,000 group ids, 10,000 groups",
    permissions_conductor => "permissionsOf conductor / 100,000 roles, 10,000-role catalog",
    permissions_frontier => "permissionsOf frontier / 100,000 roles",
    permissions_apinizer => "permissionsOf apinizer / 100,000 permissions",
    permissions_baseten => "permissionsOf baseten / 100,000 roles",
    glob_braces => "globMatch / brace-bomb glob",
    glob_star => "globMatch / star glob of 1 KB",
    glob_stars => "globMatch / many stars",
    glob_alternations => "globMatch / alternations of one width",
    glob_globstar_alternations => "globMatch / alternations of globstars",
    glob_globstar_alternations_then_marks => "globMatch / alternations of globstars, then a state a byte",
    refuse_path => "check / 64 MB path is refused",
    refuse_string => "validate / 64 MB string is refused",
}
