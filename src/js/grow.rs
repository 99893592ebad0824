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
//! steps, and at most 4 MiB past what the allocations need, or a sixteenth
//! of memory past 64 MiB (the README's memory bound leaves that slack). Small blocks freed are kept on lists
//! per size for the next allocations of that size (see [`SMALL_MAX`]).
//! The only `unsafe` code of the crate.
#![allow(unsafe_code)]

use core::arch::wasm32::memory_size;
use std::alloc::{GlobalAlloc, Layout, System};

const PAGE: usize = 64 << 10;
/// The largest step ahead below 64 MiB of memory (past it, a sixteenth):
/// within the slack of the README's memory bound and under the bounds
/// suites' 8 MiB floor for judging growth per doubling.
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
    // Alignment 8, dlmalloc's own on wasm32: a larger one would take its
    // `memalign` path, one more function for V8 to compile on a cold build.
    // Past 64 MiB, a sixteenth of memory: with 4 MiB steps a 4 GB heap
    // grew a thousand times, and V8 collects the caller's heap at a grow:
    // quadratic (a 30 MB `validate` of tiny objects took 54 s; attacker,
    // session 9). A sixteenth keeps the grows logarithmic and the slack
    // within the README's per-byte bound.
    let bytes = now * PAGE;
    let Ok(layout) = Layout::from_size_align((bytes / 8).min(AHEAD_MAX.max(bytes / 16)), 8) else {
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

/// Small blocks: sizes up to [`SMALL_MAX`] bytes with an alignment of at
/// most 8 are rounded up to a multiple of 8 and, once freed, kept on a free
/// list per size (at most [`KEEP`] each) for the next allocation of that
/// size: a push or a pop instead of dlmalloc's bins, which matters in V8's
/// baseline tier, where a policy's build runs (issue 12: about 20
/// allocations per rule).
const SMALL_MAX: usize = 128;
const CLASSES: usize = SMALL_MAX / 8;
/// Free blocks kept per size: at most 16 × 512 × 128 B = 1 MiB held back
/// from dlmalloc; past that a block goes back to it.
const KEEP: u32 = 512;

struct Lists {
    heads: [*mut u8; CLASSES],
    counts: [u32; CLASSES],
}

struct Small(core::cell::UnsafeCell<Lists>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one
// thread: the lists are never touched concurrently.
unsafe impl Sync for Small {}

static SMALL: Small = Small(core::cell::UnsafeCell::new(Lists {
    heads: [core::ptr::null_mut(); CLASSES],
    counts: [0; CLASSES],
}));

/// The size class of `layout` (its size is `(class + 1) * 8`), if small.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    (layout.size() <= SMALL_MAX && layout.align() <= 8)
        .then(|| layout.size().max(1).div_ceil(8) - 1)
}

/// The layout dlmalloc sees for a block of size class `c`.
#[inline]
fn class_layout(c: usize) -> Layout {
    // (c + 1) * 8 <= 128 and 8 is a power of two: never the fallback.
    Layout::from_size_align((c + 1) * 8, 8).unwrap_or(Layout::new::<u64>())
}

impl Ahead {
    #[inline]
    unsafe fn small_alloc(&self, c: usize) -> *mut u8 {
        // SAFETY: one thread (see `Small`); a listed block is free, at
        // least 8 bytes, and holds the next block's address in its first
        // word.
        unsafe {
            let lists = &mut *SMALL.0.get();
            let head = lists.heads[c];
            if !head.is_null() {
                lists.heads[c] = *(head as *mut *mut u8);
                lists.counts[c] -= 1;
                return head;
            }
            let pages = memory_size(0);
            let p = System.alloc(class_layout(c));
            ahead(pages);
            p
        }
    }

    #[inline]
    unsafe fn small_free(&self, ptr: *mut u8, c: usize) {
        // SAFETY: one thread; `ptr` is a block of class `c` the caller owns
        // and gives up: it becomes the list's head.
        unsafe {
            let lists = &mut *SMALL.0.get();
            if lists.counts[c] >= KEEP {
                System.dealloc(ptr, class_layout(c));
                return;
            }
            *(ptr as *mut *mut u8) = lists.heads[c];
            lists.heads[c] = ptr;
            lists.counts[c] += 1;
        }
    }
}

// SAFETY: large blocks are `System`'s, with the caller's arguments; small
// ones are `System`'s blocks of their class's layout, handed out once.
unsafe impl GlobalAlloc for Ahead {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if let Some(c) = class(layout) {
            // SAFETY: the caller's contract, passed on.
            return unsafe { self.small_alloc(c) };
        }
        let pages = memory_size(0);
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        ahead(pages);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if let Some(c) = class(layout) {
            // SAFETY: the block has at least `layout.size()` bytes.
            unsafe {
                let p = self.small_alloc(c);
                if !p.is_null() {
                    core::ptr::write_bytes(p, 0, layout.size());
                }
                return p;
            }
        }
        let pages = memory_size(0);
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        ahead(pages);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            match class(layout) {
                Some(c) => self.small_free(ptr, c),
                None => System.dealloc(ptr, layout),
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        match (class(layout), class(new)) {
            (Some(a), Some(b)) if a == b => ptr,
            (None, None) => {
                let pages = memory_size(0);
                // SAFETY: the caller's contract, passed on.
                let p = unsafe { System.realloc(ptr, layout, new_size) };
                ahead(pages);
                p
            }
            // SAFETY: a new block, the common bytes copied, the old freed.
            _ => unsafe {
                let p = self.alloc(new);
                if !p.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                p
            },
        }
    }
}
