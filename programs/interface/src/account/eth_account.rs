//! `EthAccount`, PDA `["account", address]`: one Ethereum address's nonce, balance, code hash,
//! generation and its first storage slots.

use super::{check, ETH_ACCOUNT_DISCRIMINATOR};
use crate::reader::u64_at;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::{AccountInfo, U256};

pub const ADDRESS: usize = 8;
pub const BUMP: usize = 28;
pub const VERSION: usize = 29;
pub const NONCE: usize = 30;
/// 32 bytes, little-endian (the limb order of `U256::to_le_bytes`: a load is a copy on SBF).
pub const BALANCE: usize = 38;
pub const CODE_HASH: usize = 70;
/// u64: bumped when the account is destroyed and re-created, so storage of an older generation
/// reads as zero.
pub const GENERATION: usize = 102;
/// Storage slots `0..INLINE_SLOTS`, 32 bytes each, big-endian: a contract's first state variables
/// live in its own account instead of a storage cell each.
pub const INLINE: usize = 110;
pub const INLINE_SLOTS: usize = 8;
pub const LEN: usize = INLINE + INLINE_SLOTS * 32;

/// The layout version the program writes.
pub const CURRENT_VERSION: u8 = 1;

/// The inline index of a 32-byte big-endian storage slot, if the account itself holds it.
pub fn inline_index(slot: &[u8; 32]) -> Option<usize> {
    (slot[..31].iter().all(|b| *b == 0) && (slot[31] as usize) < INLINE_SLOTS)
        .then_some(slot[31] as usize)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthAccount {
    pub address: [u8; 20],
    pub bump: u8,
    pub version: u8,
    pub nonce: u64,
    /// Wei.
    pub balance: U256,
    /// keccak256 of the code; `KECCAK_EMPTY` without code.
    pub code_hash: [u8; 32],
    pub generation: u64,
    /// Storage slots `0..INLINE_SLOTS`, big-endian values.
    pub inline_storage: [[u8; 32]; INLINE_SLOTS],
}

impl EthAccount {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &ETH_ACCOUNT_DISCRIMINATOR, LEN)?;
        Ok(Self {
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            bump: data[BUMP],
            version: data[VERSION],
            nonce: u64_at(data, NONCE),
            balance: balance(data),
            code_hash: data[CODE_HASH..CODE_HASH + 32].try_into().unwrap(),
            generation: u64_at(data, GENERATION),
            inline_storage: core::array::from_fn(|i| inline_value(data, i)),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut data = Vec::with_capacity(LEN);
        data.extend_from_slice(&ETH_ACCOUNT_DISCRIMINATOR);
        data.extend_from_slice(&self.address);
        data.push(self.bump);
        data.push(self.version);
        data.extend_from_slice(&self.nonce.to_le_bytes());
        data.extend_from_slice(&self.balance.to_le_bytes::<32>());
        data.extend_from_slice(&self.code_hash);
        data.extend_from_slice(&self.generation.to_le_bytes());
        for value in &self.inline_storage {
            data.extend_from_slice(value);
        }
        data
    }

    /// What the interpreter sees of it.
    pub fn info(&self) -> AccountInfo {
        AccountInfo {
            balance: self.balance,
            nonce: self.nonce,
            code_hash: self.code_hash,
        }
    }

    /// Inline storage slot `index` as a number.
    pub fn slot(&self, index: usize) -> U256 {
        U256::from_be_bytes(self.inline_storage[index])
    }
}

/// The balance field of an account's bytes (length already checked).
pub fn balance(data: &[u8]) -> U256 {
    U256::from_le_bytes::<32>(data[BALANCE..BALANCE + 32].try_into().unwrap())
}

/// Inline slot `index` of an account's bytes, big-endian (length already checked).
pub fn inline_value(data: &[u8], index: usize) -> [u8; 32] {
    let at = INLINE + 32 * index;
    data[at..at + 32].try_into().unwrap()
}
