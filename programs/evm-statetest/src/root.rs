//! The two hashes a vector is judged by: the post-state root and the logs hash.

use alloy_primitives::{keccak256, Bytes};
use alloy_trie::{HashBuilder, Nibbles, TrieAccount};
use isthmus_evm::memory_state::MemoryAccount;
use isthmus_evm::{Log, MemoryState, B256, U256};
use std::collections::BTreeMap;

/// The root of the secure Merkle-Patricia trie of all accounts:
/// keccak256(address) -> rlp([nonce, balance, storageRoot, codeHash]).
pub fn state_root(state: &MemoryState) -> B256 {
    let leaves = state
        .accounts
        .iter()
        .map(|(address, account)| (keccak256(address), alloy_rlp::encode(trie_account(account))));
    trie_root(leaves)
}

fn trie_account(account: &MemoryAccount) -> TrieAccount {
    TrieAccount {
        nonce: account.info.nonce,
        balance: account.info.balance,
        storage_root: storage_root(&account.storage).into(),
        code_hash: account.info.code_hash.into(),
    }
}

/// The root of an account's storage trie: keccak256(slot) -> rlp(value), zero slots left out.
pub fn storage_root(storage: &BTreeMap<U256, U256>) -> B256 {
    let leaves = storage
        .iter()
        .filter(|(_, value)| !value.is_zero())
        .map(|(slot, value)| {
            (
                keccak256(slot.to_be_bytes::<32>()),
                alloy_rlp::encode(value),
            )
        });
    trie_root(leaves)
}

/// keccak256 of the RLP list of logs, each `[address, [topics...], data]`.
pub fn logs_hash(logs: &[Log]) -> B256 {
    let logs: Vec<alloy_primitives::Log> = logs
        .iter()
        .map(|log| {
            alloy_primitives::Log::new_unchecked(
                log.address.into(),
                log.topics.iter().map(|&t| t.into()).collect(),
                Bytes::copy_from_slice(&log.data),
            )
        })
        .collect();
    keccak256(alloy_rlp::encode(&logs)).0
}

/// Builds a trie from (hashed key, value) leaves; `HashBuilder` needs them in key order.
fn trie_root(leaves: impl Iterator<Item = (alloy_primitives::B256, Vec<u8>)>) -> B256 {
    let mut leaves: Vec<_> = leaves.collect();
    leaves.sort_unstable_by_key(|leaf| leaf.0);
    let mut builder = HashBuilder::default();
    for (key, value) in &leaves {
        builder.add_leaf(Nibbles::unpack(key), value);
    }
    builder.root().0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_trie_and_empty_logs() {
        let empty_root = alloy_trie::EMPTY_ROOT_HASH.0;
        assert_eq!(state_root(&MemoryState::default()), empty_root);
        assert_eq!(storage_root(&BTreeMap::new()), empty_root);
        // keccak256(rlp([])) = keccak256(0xc0), the `logs` of every vector without logs.
        assert_eq!(
            crate::json::hex(&logs_hash(&[])),
            "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
        );
    }
}
