//! The speed of the machine a bounds child runs on, for scaling its CPU
//! budgets (README "Security"): a fixed workload that does not run groupgate
//! (so a slower groupgate cannot raise its own budgets) and pays what the
//! bounds cases pay: strings and JSON, a hash map and a sort, random reads of
//! a 32 MB array, and the first touch of every page of a fresh 64 MiB
//! allocation (page faults: about 3 µs a page on this project's VMs, the cost
//! of a case that grows the heap by hundreds of MB).

use std::collections::HashMap;
use std::hint::black_box;

use super::cpu::cpu_ms;

fn workload() -> usize {
    let mut x: u32 = 0x9e37_79b9;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let items: Vec<serde_json::Value> = (0..10_000)
        .map(|i| serde_json::json!({"id": format!("g{:x}", rnd()), "models": [rnd() % 1000, format!("m{i}")], "on": i % 2 == 0}))
        .collect();
    let text = serde_json::to_string(&items).expect("JSON");
    let back: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    let mut by_key = HashMap::new();
    for o in &back {
        by_key.insert(format!("{}{}", o["id"], o["models"][1]), o);
    }
    let mut keys: Vec<&String> = by_key.keys().collect();
    keys.sort();
    let mut sum = keys.len();
    let mut a = vec![0i32; 8 << 20];
    for i in (0..a.len()).step_by(16) {
        a[i] = i as i32;
    }
    for _ in 0..500_000 {
        sum = sum.wrapping_add(a[rnd() as usize & (a.len() - 1)] as usize);
    }
    let mut fresh = black_box(vec![0u8; 64 << 20]);
    for i in (0..fresh.len()).step_by(4096) {
        fresh[i] = 1;
    }
    sum + black_box(&fresh)[4096] as usize
}

/// CPU milliseconds of the workload: the least of three runs (noise only adds time).
pub fn calibration_ms() -> f64 {
    (0..3)
        .map(|_| {
            let t = cpu_ms();
            black_box(workload());
            cpu_ms() - t
        })
        .fold(f64::INFINITY, f64::min)
}
