//! `evm-cu-probe`: a tiny Solana (SBF) program that runs EVM bytecode through `isthmus-evm`, so
//! that the compute units of the interpreter can be measured per opcode.
//!
//! One instruction carries a [`message`]: the bytecode to run (sent compactly as repeated
//! segments, expanded on-chain, because a Solana transaction holds at most 1,232 bytes), the
//! calldata and the gas limit. The program puts the code into an in-memory world
//! ([`isthmus_evm::MemoryState`]) with a funded sender, runs one transaction with a
//! [`isthmus_evm::Machine`], logs the outcome with `sol_log_64` and sets it as return data
//! ([`message::Report`]). It succeeds when the transaction finished (whatever its EVM status) and
//! fails otherwise.
//!
//! The host side of the measurement is `tools/cu-probe` (LiteSVM), which sends a workload from
//! [`workloads`] and a baseline without the measured opcode and divides the difference.
//!
//! Build for SBF with `scripts/build-sbf.sh` (result: `target/deploy/evm_cu_probe.so`). On the
//! host the crate compiles as a plain library (the entrypoint, allocator and panic handler exist
//! only for `target_arch = "bpf"`).
#![cfg_attr(target_arch = "bpf", no_std)]
extern crate alloc;

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

pub mod bls_map;
pub mod message;
pub mod probe;
#[cfg(not(target_arch = "bpf"))]
pub mod workloads;

#[cfg(target_arch = "bpf")]
mod onchain;
