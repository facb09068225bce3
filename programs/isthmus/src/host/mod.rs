//! The Solana host of the interpreter (`isthmus-evm`): account-backed [`State`] and the writing
//! back of state changes ([`state`]), syscall-backed [`Crypto`] ([`crypto`]), the account byte
//! layouts ([`layout`]), and on SBF the critical-section implementation `isthmus-evm`'s
//! dependencies need.
//!
//! [`State`]: isthmus_evm::State
//! [`Crypto`]: isthmus_evm::Crypto

pub mod crypto;
pub mod layout;
pub mod state;

pub use crypto::SyscallCrypto;
pub use state::SolanaHost;

/// The Ethereum address of an operator's Solana key (`isthmus_interface::block::operator_address`):
/// the block's COINBASE while the operator relays, and where its gas payments are credited.
pub fn operator_address(key: &[u8; 32]) -> [u8; 20] {
    isthmus_interface::block::operator_address(key, &SyscallCrypto)
}

/// The critical section portable-atomic needs for compare-and-swap on SBF (used by `bytes`, which
/// alloy-rlp pulls into `isthmus-evm`). A program runs on one thread with no interrupts, so a
/// critical section has nothing to exclude.
#[cfg(all(target_arch = "bpf", not(feature = "no-entrypoint")))]
mod single_threaded {
    struct SingleThreaded;
    critical_section::set_impl!(SingleThreaded);

    unsafe impl critical_section::Impl for SingleThreaded {
        unsafe fn acquire() -> critical_section::RawRestoreState {}
        unsafe fn release(_restore: critical_section::RawRestoreState) {}
    }
}
