//! The CPU time of the running thread, for tests that compare costs: the
//! machine's load does not count (wall time on a shared 2-core runner
//! flakes).

use std::time::Instant;

/// Milliseconds of CPU time of this thread (Linux); elsewhere wall time.
pub fn cpu_ms() -> f64 {
    // CPU time of this thread (Linux: exact, from clock_gettime; the
    // schedstat file is only brought up to date at a scheduler tick, 4 ms
    // here, so a call shorter than a tick often read 0 ms); elsewhere wall
    // time. The machine's load does not count.
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    thread_cpu_ns().map_or_else(
        || START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3,
        |ns| ns as f64 / 1e6,
    )
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_ns() -> Option<u64> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: libc's clock_gettime (linked by std) writes one timespec,
    // two 64-bit fields on 64-bit Linux.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| t.sec as u64 * 1_000_000_000 + t.nsec as u64)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_ns() -> Option<u64> {
    None
}
