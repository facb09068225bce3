use anchor_lang::prelude::*;

pub use isthmus_evm::primitives::KECCAK_EMPTY;
pub use isthmus_interface::WEI_PER_LAMPORT;

/// The Ethereum account of one address, PDA `["account", address]`; its byte layout is
/// `isthmus_interface::account::eth_account` (a unit test checks the two agree).
///
/// `balance` is a 256-bit unsigned integer stored **little-endian** (the byte order of
/// `ruint::U256::to_le_bytes`, whose limbs are little-endian `u64`s: on SBF a load is a copy).
#[account]
pub struct EthAccount {
    /// The Ethereum address (also in the seeds; kept so the account describes itself).
    pub address: [u8; 20],
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Layout version of this account (1).
    pub version: u8,
    pub nonce: PodU64,
    /// Balance in wei, 256-bit little-endian.
    pub balance: [u8; 32],
    /// keccak256 of the code; [`KECCAK_EMPTY`] when the account has none.
    pub code_hash: [u8; 32],
    /// Bumped when the account is destroyed and re-created, so storage written under an older
    /// generation reads as empty.
    pub generation: PodU64,
    /// Storage slots 0..8 (big-endian values): a contract's first state variables, kept here
    /// instead of one storage-cell account each. Cleared with a new generation.
    pub inline_storage: [[u8; 32]; 8],
}

impl EthAccount {
    pub const VERSION: u8 = isthmus_interface::account::eth_account::CURRENT_VERSION;

    /// Adds `wei` to the balance; `false` (balance unchanged) on 256-bit overflow.
    pub fn credit(&mut self, wei: u128) -> bool {
        let mut out = [0u8; 32];
        let mut carry = wei;
        for (i, chunk) in self.balance.chunks_exact(16).enumerate() {
            let limb = u128::from_le_bytes(chunk.try_into().unwrap());
            let (sum, overflow_a) = limb.overflowing_add(carry);
            out[i * 16..i * 16 + 16].copy_from_slice(&sum.to_le_bytes());
            carry = overflow_a as u128;
        }
        if carry != 0 {
            return false;
        }
        self.balance = out;
        true
    }
}
