//! The block a transaction runs in, as the program decides it; the emulator follows the same
//! rules, so eth_call, eth_estimateGas and the relayer's prediction see what the chain will:
//!
//! - NUMBER is the Solana slot and TIMESTAMP the cluster clock, both fixed when the transaction
//!   starts (also across the steps of an iterative one);
//! - COINBASE is the relaying operator's Ethereum address, [`operator_address`];
//! - BASEFEE is the local base fee of the transaction's contract (`to`; the zero address for a
//!   creation) in that slot, [`crate::fee_market::base_fee_at`];
//! - PREVRANDAO is the newest hash in the SlotHashes sysvar;
//! - BLOCKHASH(n) answers from the blockhash registry after it recorded SlotHashes
//!   ([`refreshed_registry`]): the last 256 slots;
//! - GASLIMIT is [`BLOCK_GAS_LIMIT`].

use crate::account::BlockhashRegistry;
use isthmus_evm::{BlockEnv, Crypto, U256};

/// The block gas limit the interpreter enforces per transaction (Ethereum mainnet's). What one
/// Solana transaction can run is bounded by its compute budget long before; larger transactions
/// run in steps.
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;

/// An operator's Ethereum address, keccak256(Solana key)[12..]: the COINBASE of the
/// transactions it relays, credited their gas.
pub fn operator_address(key: &[u8; 32], crypto: &impl Crypto) -> [u8; 20] {
    crypto.keccak256(key)[12..].try_into().unwrap()
}

/// The entries of the SlotHashes sysvar's bytes (u64 count, then (u64 slot, 32-byte hash)
/// pairs), newest first. A truncated sysvar yields what it holds.
pub fn slot_hashes(data: &[u8]) -> impl Iterator<Item = (u64, [u8; 32])> + '_ {
    let count = data
        .get(..8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .unwrap_or(0) as usize;
    data.get(8..)
        .unwrap_or_default()
        .chunks_exact(40)
        .take(count)
        .map(|e| {
            (
                u64::from_le_bytes(e[..8].try_into().unwrap()),
                e[8..].try_into().unwrap(),
            )
        })
}

/// PREVRANDAO: the newest slot hash (zero while SlotHashes is empty).
pub fn prevrandao(newest_slot_hash: Option<[u8; 32]>) -> [u8; 32] {
    newest_slot_hash.unwrap_or([0; 32])
}

/// The blockhash registry an executing instruction answers BLOCKHASH from: the stored one (a new
/// one if it does not exist yet) after recording the SlotHashes entries, and PREVRANDAO.
pub fn refreshed_registry(
    stored: Option<BlockhashRegistry>,
    slot_hashes: &[(u64, [u8; 32])],
) -> (BlockhashRegistry, [u8; 32]) {
    let mut registry = stored.unwrap_or_default();
    registry
        .window()
        .record(slot_hashes.iter().map(|(slot, hash)| (*slot, hash)));
    let prevrandao = prevrandao(slot_hashes.first().map(|(_, hash)| *hash));
    (registry, prevrandao)
}

/// The block of a transaction that starts in `slot` at `unix_timestamp`, relayed by the
/// operator whose Ethereum address is `coinbase`, paying `base_fee`.
pub fn block_env(
    slot: u64,
    unix_timestamp: i64,
    coinbase: [u8; 20],
    chain_id: u64,
    base_fee: u64,
    prevrandao: [u8; 32],
) -> BlockEnv {
    BlockEnv {
        number: slot,
        coinbase,
        timestamp: unix_timestamp as u64,
        gas_limit: BLOCK_GAS_LIMIT,
        base_fee: U256::from(base_fee),
        prevrandao,
        excess_blob_gas: 0,
        chain_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn slot_hashes_are_read_newest_first() {
        let mut data = alloc::vec![0u8; 8 + 40 * 3];
        data[..8].copy_from_slice(&2u64.to_le_bytes());
        for (i, slot) in [9u64, 7].iter().enumerate() {
            data[8 + 40 * i..16 + 40 * i].copy_from_slice(&slot.to_le_bytes());
            data[16 + 40 * i] = *slot as u8;
        }
        let entries: Vec<_> = slot_hashes(&data).collect();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].0, entries[0].1[0]), (9, 9));
        assert_eq!((entries[1].0, entries[1].1[0]), (7, 7));
        let (registry, prevrandao) = refreshed_registry(None, &entries);
        assert_eq!(prevrandao[0], 9);
        assert_eq!(registry.hash(7)[0], 7);
        assert_eq!(registry.hash(8), [0; 32]);
        assert_eq!(slot_hashes(&[1, 2]).count(), 0);
    }
}
