//! The block a transaction runs in, as the program decides it; the emulator follows the same
//! rules, so eth_call, eth_estimateGas and the relayer's prediction see what the chain will:
//!
//! - NUMBER is the Solana slot and TIMESTAMP the cluster clock, both fixed when the transaction
//!   starts (also across the steps of an iterative one);
//! - COINBASE is the relaying operator's Ethereum address, [`operator_address`];
//! - BASEFEE is the highest local base fee in that slot ([`crate::fee_market::base_fee_at`])
//!   among the contracts whose fee markets the transaction carries: its `to`'s (the zero address
//!   for a creation) and those of every other contract whose code it runs;
//! - PREVRANDAO is the newest hash in the SlotHashes sysvar;
//! - BLOCKHASH(n) answers the last 256 slots from the blockhash registry and the SlotHashes
//!   sysvar, both read-only ([`BlockHashes`]): executions never write the registry, so they do not
//!   all lock one account;
//! - GASLIMIT is [`BLOCK_GAS_LIMIT`].

use crate::account::blockhashes::{window_hash, WINDOW};
use alloc::vec::Vec;
use isthmus_evm::{BlockEnv, Crypto, Fork, U256};

/// The block gas limit the interpreter enforces per transaction (Ethereum mainnet's). What one
/// Solana transaction can run is bounded by its compute budget long before; larger transactions
/// run in steps.
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;

/// An operator's Ethereum address, keccak256(Solana key)[12..]: the COINBASE of the
/// transactions it relays, credited their gas.
pub fn operator_address(key: &[u8; 32], crypto: &impl Crypto) -> [u8; 20] {
    crypto.keccak256(key)[12..].try_into().unwrap()
}

/// The SlotHashes sysvar's bytes holding `entries` (newest first): the layout [`slot_hashes`]
/// reads, without the runtime's padding to the full sysvar.
pub fn encode_slot_hashes(entries: &[(u64, [u8; 32])]) -> Vec<u8> {
    let mut data = Vec::with_capacity(8 + 40 * entries.len());
    data.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for (slot, hash) in entries {
        data.extend_from_slice(&slot.to_le_bytes());
        data.extend_from_slice(hash);
    }
    data
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

/// The hash of slot `slot` in SlotHashes sysvar bytes (entries newest first, so binary search).
pub fn slot_hash_of(data: &[u8], slot: u64) -> Option<[u8; 32]> {
    let count = data
        .get(..8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()) as usize)
        .unwrap_or(0)
        .min(data.len().saturating_sub(8) / 40);
    let entry_slot =
        |i: usize| u64::from_le_bytes(data[8 + 40 * i..16 + 40 * i].try_into().unwrap());
    let (mut low, mut high) = (0, count);
    while low < high {
        let mid = (low + high) / 2;
        match entry_slot(mid) {
            s if s == slot => return Some(data[16 + 40 * mid..48 + 40 * mid].try_into().unwrap()),
            s if s > slot => low = mid + 1,
            _ => high = mid,
        }
    }
    None
}

/// The registry's window as BLOCKHASH reads it: newest slot, validity bits, hashes.
pub type RegistryWindow<'a> = (u64, &'a [u8; 32], &'a [[u8; 32]; WINDOW as usize]);

/// What BLOCKHASH answers from: the blockhash registry (kept by its crank) and the SlotHashes
/// sysvar, both read as they are. The sysvar holds the newest 512 slots, so the 256-slot window
/// is whole even when the registry has not been cranked for a while; the registry answers the
/// same hashes (it is filled from the sysvar) and keeps the window when the sysvar is short.
pub struct BlockHashes<'a> {
    /// The registry's newest slot, validity bits and hashes (`None`: it does not exist yet).
    pub registry: Option<RegistryWindow<'a>>,
    /// The SlotHashes sysvar's bytes.
    pub slot_hashes: &'a [u8],
}

impl BlockHashes<'_> {
    /// The newest slot either source knows.
    pub fn newest_slot(&self) -> u64 {
        let registry = match self.registry {
            Some((newest, valid, _)) if *valid != [0; 32] => newest,
            _ => 0,
        };
        let sysvar = slot_hashes(self.slot_hashes)
            .next()
            .map(|(s, _)| s)
            .unwrap_or(0);
        registry.max(sysvar)
    }

    /// BLOCKHASH(`slot`): the hash of one of the 256 slots up to the newest known, zero outside
    /// that window and for a skipped slot.
    pub fn hash(&self, slot: u64) -> [u8; 32] {
        let newest = self.newest_slot();
        if slot > newest || newest - slot >= WINDOW {
            return [0; 32];
        }
        if let Some((registry_newest, valid, hashes)) = self.registry {
            let hash = window_hash(registry_newest, valid, hashes, slot);
            if hash != [0; 32] {
                return hash;
            }
        }
        slot_hash_of(self.slot_hashes, slot).unwrap_or([0; 32])
    }

    /// PREVRANDAO: the newest hash in the sysvar.
    pub fn prevrandao(&self) -> [u8; 32] {
        prevrandao(slot_hashes(self.slot_hashes).next().map(|(_, h)| h))
    }
}

/// The config's byte for a fork (`Config::fork`, `initialize`'s argument): 0 Cancun, 1 Prague,
/// 2 Osaka.
pub const fn fork_byte(fork: Fork) -> u8 {
    match fork {
        Fork::Cancun => 0,
        Fork::Prague => 1,
        Fork::Osaka => 2,
    }
}

/// The fork a config byte names; `None` for a byte no fork has.
pub fn fork_from_byte(byte: u8) -> Option<Fork> {
    Fork::ALL.into_iter().find(|fork| fork_byte(*fork) == byte)
}

/// What a chain's config fixes for every block: its EIP-155 id, its fork and the largest code
/// a creation may deploy (`None`: EIP-170's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainRules {
    pub chain_id: u64,
    pub fork: Fork,
    pub code_size_limit: Option<u32>,
}

/// The block of a transaction that starts in `slot` at `unix_timestamp`, relayed by the
/// operator whose Ethereum address is `coinbase`, paying `base_fee`, on a chain of `rules`.
pub fn block_env(
    slot: u64,
    unix_timestamp: i64,
    coinbase: [u8; 20],
    rules: ChainRules,
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
        chain_id: rules.chain_id,
        fork: rules.fork,
        code_size_limit: rules.code_size_limit,
        // Block hashes live in the registry and SlotHashes, with no per-block system call: the
        // EIP-2935 history contract is answered from them (from Prague).
        serve_history: true,
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
        let hashes = BlockHashes {
            registry: None,
            slot_hashes: &data,
        };
        assert_eq!(hashes.prevrandao()[0], 9);
        assert_eq!(hashes.hash(7)[0], 7);
        assert_eq!(hashes.hash(8), [0; 32]);
        assert_eq!(hashes.hash(10), [0; 32]);
        // The registry answers what the sysvar no longer holds, within the window.
        let mut valid = [0u8; 32];
        let mut table = [[0u8; 32]; WINDOW as usize];
        valid[0] |= 1 << 5;
        table[5] = [5; 32];
        let both = BlockHashes {
            registry: Some((6, &valid, &table)),
            slot_hashes: &data,
        };
        assert_eq!(both.hash(5), [5; 32]);
        assert_eq!(both.hash(9)[0], 9);
        assert_eq!(slot_hash_of(&data, 4), None);
        assert_eq!(slot_hashes(&[1, 2]).count(), 0);
    }
}
