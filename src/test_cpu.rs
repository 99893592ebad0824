//! Test only: this thread's CPU time, for the unit tests' time budgets.
//! Wall time also counts the wait for a core (13× the CPU time at a load
//! average of 16 on 2 cores, a shared CI runner's state).

use std::time::{Duration, Instant};

/// This thread's CPU time in ms (Linux: the scheduler's count, brought up
/// to date at each tick, a few ms: fine for budgets of a second; no
/// `unsafe` clock call in the library crate), else wall time since the
/// first call.
pub fn cpu_ms() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split(' ').next()?.parse::<u64>().ok())
        .map_or_else(
            || START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3,
            |ns| ns as f64 / 1e6,
        )
}

/// The CPU time since `start`, a [`cpu_ms`] reading.
pub fn since(start: f64) -> Duration {
    Duration::from_secs_f64(((cpu_ms() - start) / 1e3).max(0.0))
}
