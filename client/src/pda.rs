//! The program-derived addresses of the program's accounts (seeds: `isthmus_interface::seeds`).

use crate::{LOADER_V3, PROGRAM_ID};
use isthmus_interface::seeds;
use solana_address::Address;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

/// Addresses remembered at most; past that the memo starts again.
const MEMO_LIMIT: usize = 1 << 16;

/// Derived addresses and bumps by their seeds (each seed prefixed with its length).
type Memo = RwLock<HashMap<Vec<u8>, (Address, u8)>>;

/// `find_program_address` memoized: each derivation is a sha256 and a curve check per bump
/// tried (tens of microseconds), and an emulation derives the same accounts' addresses over
/// and over (eth_call spent most of its time here).
fn find(seeds: &[&[u8]]) -> (Address, u8) {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let mut key = Vec::with_capacity(seeds.iter().map(|s| s.len() + 1).sum());
    for seed in seeds {
        key.push(seed.len() as u8);
        key.extend_from_slice(seed);
    }
    if let Some(found) = memo.read().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return *found;
    }
    let found = Address::find_program_address(seeds, &PROGRAM_ID);
    let mut memo = memo.write().unwrap_or_else(|p| p.into_inner());
    if memo.len() >= MEMO_LIMIT {
        memo.clear();
    }
    memo.insert(key, found);
    found
}

pub fn config() -> Address {
    find(&[seeds::CONFIG]).0
}

pub fn vault() -> Address {
    find(&[seeds::VAULT]).0
}

/// An Ethereum address's EthAccount and its bump.
pub fn account(address: &[u8; 20]) -> (Address, u8) {
    find(&[seeds::ACCOUNT, address])
}

pub fn code(address: &[u8; 20]) -> (Address, u8) {
    find(&[seeds::CODE, address])
}

/// The StorageCell of a 32-byte big-endian slot.
pub fn storage(address: &[u8; 20], slot: &[u8; 32]) -> Address {
    storage_and_bump(address, slot).0
}

/// The StorageCell of a slot and its bump (for writing one).
pub fn storage_and_bump(address: &[u8; 20], slot: &[u8; 32]) -> (Address, u8) {
    find(&[seeds::STORAGE, address, slot])
}

pub fn blockhashes() -> Address {
    find(&[seeds::BLOCKHASHES]).0
}

/// A contract's FeeMarket (the zero address's for creations).
pub fn fee_market(address: &[u8; 20]) -> (Address, u8) {
    find(&[seeds::FEE, address])
}

pub fn reverse(wallet: &Address) -> (Address, u8) {
    find(&[seeds::REVERSE, wallet.as_ref()])
}

pub fn holder(operator: &Address, index: u64) -> Address {
    find(&[seeds::HOLDER, operator.as_ref(), &index.to_le_bytes()]).0
}

/// The program's ProgramData under the upgradeable loader.
pub fn program_data() -> Address {
    Address::find_program_address(&[PROGRAM_ID.as_ref()], &LOADER_V3).0
}
