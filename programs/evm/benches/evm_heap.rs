//! Peak heap of isthmus-evm, measured with a counting global allocator:
//! `cargo bench -p isthmus-evm --bench evm-heap`.
//!
//! Measured from just before `Machine::new` to just after the result (the pre-state is built
//! before). "peak" is the most bytes live at once above what was live at the start; "allocated"
//! is the sum of every allocation (a realloc counts its new size), which is what Solana's default
//! bump allocator (32 KiB, never frees) would consume.

#[path = "../tests/common/mod.rs"]
mod common;

use common::world::{memory_state, Case};
use isthmus_evm::{HostCrypto, Machine, RunOutcome, Status};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
/// With ISTHMUS_HEAP_LOG set, the sizes of the first allocations of each measured run (positive:
/// alloc or realloc to that size, negative: free), printed after it.
static LOG: [AtomicIsize; 512] = [const { AtomicIsize::new(0) }; 512];
static LOG_LEN: AtomicUsize = AtomicUsize::new(0);
static LOGGING: AtomicBool = AtomicBool::new(false);

fn log(size: isize) {
    if LOGGING.load(Relaxed) {
        let at = LOG_LEN.fetch_add(1, Relaxed);
        if at < LOG.len() {
            LOG[at].store(size, Relaxed);
        }
    }
}

impl Counting {
    fn grow(by: usize) {
        let now = CURRENT.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
        ALLOCATED.fetch_add(by, Relaxed);
        ALLOCATIONS.fetch_add(1, Relaxed);
        log(by as isize);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            Self::grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            Self::grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
        log(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            CURRENT.fetch_sub(layout.size(), Relaxed);
            log(-(layout.size() as isize));
            Self::grow(new_size);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Heap {
    peak: usize,
    allocated: usize,
    allocations: usize,
}

/// Runs `case` once through isthmus-evm and reports its heap use.
fn measure(case: &Case) -> (Heap, u64) {
    let mut state = memory_state(case);
    let (block, tx) = (case.block.clone(), case.tx.clone());
    let start = CURRENT.load(Relaxed);
    PEAK.store(start, Relaxed);
    let allocated = ALLOCATED.load(Relaxed);
    let allocations = ALLOCATIONS.load(Relaxed);

    LOG_LEN.store(0, Relaxed);
    LOGGING.store(std::env::var_os("ISTHMUS_HEAP_LOG").is_some(), Relaxed);
    let mut machine = Machine::new(block, tx);
    let outcome = machine.run(&mut state, &HostCrypto, u64::MAX);
    LOGGING.store(false, Relaxed);

    let heap = Heap {
        peak: PEAK.load(Relaxed) - start,
        allocated: ALLOCATED.load(Relaxed) - allocated,
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
    };
    let gas = match &outcome {
        RunOutcome::Done(result) if result.status == Status::Success => result.gas_used,
        other => panic!("the workload failed: {other:?}"),
    };
    drop(outcome);
    drop(machine);
    let logged = LOG_LEN.load(Relaxed).min(LOG.len());
    if logged > 0 {
        let sizes: Vec<isize> = LOG[..logged].iter().map(|s| s.load(Relaxed)).collect();
        println!("  allocation log (+alloc, -free): {sizes:?}");
    }
    (heap, gas)
}

/// The largest `Machine::to_bytes` over a run paused after every opcode.
fn largest_saved_machine(case: &Case) -> usize {
    let mut state = memory_state(case);
    let mut machine = Machine::new(case.block.clone(), case.tx.clone());
    let mut largest = 0;
    while machine.run(&mut state, &HostCrypto, 1) == RunOutcome::Paused {
        largest = largest.max(machine.to_bytes().len());
    }
    largest
}

fn main() {
    use common::workloads;
    let cases = [
        ("erc20 transfer", workloads::erc20_transfer()),
        ("call chain (10 deep)", workloads::call_chain(10)),
        ("erc20 deploy", workloads::erc20_deploy()),
        ("call loop (1000 calls)", workloads::call_loop()),
    ];
    println!(
        "{:<24} {:>12} {:>16} {:>12} {:>20} {:>10}",
        "workload", "peak bytes", "allocated bytes", "allocations", "largest saved bytes", "gas"
    );
    for (name, case) in cases {
        let (heap, gas) = measure(&case);
        let saved = largest_saved_machine(&case);
        println!(
            "{:<24} {:>12} {:>16} {:>12} {:>20} {:>10}",
            name, heap.peak, heap.allocated, heap.allocations, saved, gas
        );
    }
}
