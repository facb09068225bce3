//! Isthmus EVM: an Ethereum interpreter (Cancun, Prague, Osaka: [`Fork`]) built for a Solana
//! program.
//!
//! The same code runs on-chain (SBF, `no_std` + `alloc`) and off-chain (the emulator, tests,
//! tools). It reads the world through [`State`], does its cryptography through [`Crypto`], keeps
//! every write in a [`journal::Journal`] until the transaction ends, and keeps its whole execution
//! state in a [`Machine`] that can be saved to bytes between steps and resumed.
#![cfg_attr(not(feature = "std"), no_std)]
extern crate alloc;

/// Whether buffers start at the program's sizes: on SBF, where the heap is small and never
/// freed, and with the `onchain-heap` feature (the heap benchmark). Off-chain they start larger,
/// which saves reallocations and copies.
const ONCHAIN_HEAP: bool = cfg!(any(target_arch = "bpf", feature = "onchain-heap"));

pub mod arith;
pub mod bytecode;
pub mod crypto;
pub mod delegation;
pub mod env;
pub mod fork;
pub mod gas;
pub mod history;
pub mod interpreter;
pub mod journal;
pub mod machine;
pub mod memory_state;
pub mod opcode;
pub mod precompiles;
pub mod primitives;
pub mod result;
pub mod state;
pub mod transaction;
pub mod validation;

pub use crypto::Crypto;
#[cfg(feature = "host-crypto")]
pub use crypto::HostCrypto;
pub use env::{Authorization, BlockEnv, TxEnv};
pub use fork::Fork;
pub use machine::{CodeRun, Machine, RunOutcome};
pub use memory_state::MemoryState;
pub use primitives::{Address, B256, U256};
pub use result::{ExecutionResult, HaltReason, InvalidTransaction, Log, Status};
pub use state::{AccountInfo, State, StateError};
