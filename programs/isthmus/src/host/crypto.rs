//! [`Crypto`] for the interpreter: [`SyscallCrypto`] from `isthmus-syscalls` (programs/syscalls),
//! over Solana syscalls where mainnet has them and in Rust where not (its crate documentation has
//! the table of which precompile uses which syscall, and why), and the keccak helpers the program
//! uses beside the interpreter. The CU probe (programs/evm-cu-probe) runs the same implementation.
//!
//! Host builds (the IDL, unit tests) have no syscalls: there the syscall-backed methods panic;
//! the off-chain hosts use `isthmus_evm::HostCrypto`.
//!
//! [`Crypto`]: isthmus_evm::Crypto

pub use isthmus_syscalls::{keccak256, keccak256_parts, SyscallCrypto};
