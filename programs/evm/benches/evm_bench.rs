//! isthmus-evm against revm (Cancun) on the same workloads, in one process:
//! `cargo bench -p isthmus-evm --bench evm-bench`.
//!
//! Each sample runs one transaction from a fresh in-memory pre-state on both sides; building the
//! state (and revm's EVM object, and isthmus' `Machine`) is left out of the timing. The table
//! shows the median of the samples (taken alternately) after a warm-up, and the ratio isthmus / revm.
//!
//! Note on fairness: revm's database holds code already analysed (JUMPDEST bitmap) when it is
//! inserted, during setup; isthmus-evm analyses code when it first loads it, inside the timing,
//! as it must on-chain. The "revm+analysis" column adds revm's own analysis of the pre-state's
//! code, timed separately.

#[path = "../tests/common/mod.rs"]
mod common;

use common::world::{memory_state, revm_db, revm_evm, revm_tx, Case};
use isthmus_evm::{HostCrypto, Machine, MemoryState, RunOutcome, Status};
use revm::context_interface::result::ExecutionResult as RResult;
use revm::primitives::Bytes;
use revm::state::Bytecode as RBytecode;
use revm::ExecuteEvm;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long each workload is sampled for, both sides together (after the warm-up).
const SAMPLE_TIME: Duration = Duration::from_millis(3000);
const MIN_SAMPLES: usize = 7;
const MAX_SAMPLES: usize = 5_000;

fn run_isthmus(case: &Case) -> Duration {
    run_isthmus_on(case, memory_state(case))
}

fn run_isthmus_on(case: &Case, mut state: MemoryState) -> Duration {
    let mut machine = Machine::new(case.block.clone(), case.tx.clone());
    let started = Instant::now();
    let outcome = machine.run(&mut state, &HostCrypto, u64::MAX);
    let elapsed = started.elapsed();
    match black_box(&outcome) {
        RunOutcome::Done(result) if result.status == Status::Success => {}
        other => panic!("isthmus-evm: the workload failed: {other:?}"),
    }
    elapsed
}

fn run_revm(case: &Case) -> Duration {
    let mut evm = revm_evm(revm_db(case), &case.block);
    let tx = revm_tx(&case.tx);
    let started = Instant::now();
    let result = evm.transact(tx);
    let elapsed = started.elapsed();
    match black_box(&result) {
        Ok(r) if matches!(r.result, RResult::Success { .. }) => {}
        other => panic!("revm: the workload failed: {other:?}"),
    }
    elapsed
}

/// revm analyses code (its JUMPDEST table) when the code enters its database, which is set up
/// outside the timing; isthmus-evm analyses it when a transaction first loads it. This times
/// revm's analysis of every code in the pre-state, to show revm's time with it added.
fn revm_code_analysis(case: &Case) -> Duration {
    let codes: Vec<Bytes> = case
        .pre
        .values()
        .filter(|a| !a.code.is_empty())
        .map(|a| Bytes::from(a.code.clone()))
        .collect();
    let started = Instant::now();
    for code in codes {
        black_box(RBytecode::new_legacy(code));
    }
    started.elapsed()
}

/// The median time of each runner, sampled in turn (so that load from elsewhere on the machine
/// falls on all alike) after a warm-up.
fn measure(runners: &[&dyn Fn() -> Duration]) -> Vec<Duration> {
    let warm_up = Instant::now();
    let mut fastest = vec![Duration::MAX; runners.len()];
    while warm_up.elapsed() < Duration::from_millis(300) || fastest[0] == Duration::MAX {
        for (run, best) in runners.iter().zip(&mut fastest) {
            *best = (*best).min(run());
        }
    }
    let round: Duration = fastest.iter().sum();
    let samples = (SAMPLE_TIME.as_nanos() / round.as_nanos().max(1)) as usize;
    let samples = samples.clamp(MIN_SAMPLES, MAX_SAMPLES);
    let mut times = vec![Vec::with_capacity(samples); runners.len()];
    for _ in 0..samples {
        for (run, times) in runners.iter().zip(&mut times) {
            times.push(run());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[samples / 2]
        })
        .collect()
}

fn show(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} us", ns / 1e3)
    }
}

/// Keeps freed memory in the process and every allocation in the heap (glibc): by default glibc
/// returns a freed top of the heap past 128 KiB to the system and serves blocks past a threshold
/// it adjusts as it goes with `mmap`, so a workload's time depended on which ran before it (the
/// call chain, whose revm frames take a 32 KiB stack each: revm 12 us run alone, 6 us after the
/// others). Pinned, both sides run on a settled heap, as a long-running node does.
fn settle_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; nothing is allocated yet.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}

fn main() {
    settle_allocator();
    // `cargo bench` passes `--bench`; a name filter may follow. `--profile` runs only the
    // isthmus side (with ISTHMUS_PROFILE_REVM set, revm's), a few times, untimed: for `perf record`
    // or `valgrind --tool=callgrind`.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if std::env::args().any(|a| a == "--profile") {
        let profile_revm = std::env::var_os("ISTHMUS_PROFILE_REVM").is_some();
        for (name, case) in common::workloads::all() {
            if filter.as_deref().is_none_or(|f| name.contains(f)) {
                let runs = std::env::var("ISTHMUS_PROFILE_RUNS")
                    .map_or(3, |v| v.parse().expect("a count"));
                // The pre-state is built once and cloned: building it hashes every code and
                // block hash, which would otherwise be most of the profile.
                let state = memory_state(&case);
                for _ in 0..runs {
                    if profile_revm {
                        run_revm(&case);
                    } else {
                        run_isthmus_on(&case, state.clone());
                    }
                }
            }
        }
        return;
    }
    println!(
        "{:<24} {:>11} {:>11} {:>7} {:>13} {:>7} {:>10}",
        "workload", "isthmus", "revm", "ratio", "revm+analysis", "ratio", "gas"
    );
    for (name, case) in common::workloads::all() {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let gas = match common::world::run_isthmus(&case).1 {
            RunOutcome::Done(result) => result.gas_used,
            other => panic!("{name}: {other:?}"),
        };
        let times = measure(&[&|| run_isthmus(&case), &|| run_revm(&case), &|| {
            revm_code_analysis(&case)
        }]);
        let (ours, theirs, analysis) = (times[0], times[1], times[2]);
        let ratio = |t: Duration| ours.as_secs_f64() / t.as_secs_f64();
        println!(
            "{:<24} {:>11} {:>11} {:>6.2}x {:>13} {:>6.2}x {:>10}",
            name,
            show(ours),
            show(theirs),
            ratio(theirs),
            show(theirs + analysis),
            ratio(theirs + analysis),
            gas
        );
    }
}
