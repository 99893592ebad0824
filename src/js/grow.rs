//! WASM memory that grows in proportion to itself, not 64 KB at a time.
//!
//! std's allocator on wasm32 (dlmalloc) asks for memory in 64 KB steps, and
//! V8 charges about a millisecond per `memory.grow` and may collect the
//! caller's whole JS heap at each one: a first large `preview` grew memory
//! thousands of times and took 2.9 s where a grown instance takes 0.9 s.
//! This shim delegates every call to that allocator; when a call has grown
//! memory, it takes one more block of an eighth of the memory (at most
//! 4 MiB) and frees it at once, so the allocator's free top holds it and
//! the next allocations reuse it: memory grows geometrically, in O(log)
//! steps, and at most 4 MiB past what the allocations need (the README's
//! memory bound leaves that slack). The only `unsafe` code of the crate.
#![allow(unsafe_code)]

use core::arch::wasm32::memory_size;
use std::alloc::{GlobalAlloc, Layout, System};

const PAGE: usize = 64 << 10;
/// The largest step ahead: within the slack of the README's memory bound
/// and under the bounds suites' 8 MiB floor for judging growth per doubling.
const AHEAD_MAX: usize = 4 << 20;

struct Ahead;

#[global_allocator]
static GLOBAL: Ahead = Ahead;

/// After a call that found memory at `pages` pages: if it grew memory,
/// grow once more by an eighth of it, through the allocator, and give
/// that block back.
fn ahead(pages: usize) {
    let now = memory_size(0);
    if now == pages {
        return;
    }
    let Ok(layout) = Layout::from_size_align((now * PAGE / 8).min(AHEAD_MAX), 16) else {
        return;
    };
    if layout.size() < PAGE {
        return;
    }
    // SAFETY: the layout has a non-zero size; the block is freed with the
    // layout it was allocated with, and never read or written.
    unsafe {
        let block = System.alloc(layout);
        if !block.is_null() {
            System.dealloc(block, layout);
        }
    }
}

// SAFETY: every method delegates to `System` with the caller's arguments,
// so `System`'s guarantees are this allocator's.
unsafe impl GlobalAlloc for Ahead {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        ahead(pages);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        ahead(pages);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let pages = memory_size(0);
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        ahead(pages);
        p
    }
}
