//! Turns a test's JSON into what the machine runs on: the block, the transaction and the
//! pre-state.

use crate::json::Hex;
use crate::json::{Env, Indexes, PreAccount, Transaction};
use alloy_primitives::keccak256;
use isthmus_evm::env::{AccessListItem, TxKind};
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::{AccountInfo, Address, BlockEnv, MemoryState, TxEnv, B256};
use std::collections::BTreeMap;

/// State tests run on mainnet's chain id.
pub const CHAIN_ID: u64 = 1;

/// The block the transaction runs in.
pub fn block_env(env: &Env) -> BlockEnv {
    // PREVRANDAO is `currentRandom`; older fillers only give the difficulty.
    let prevrandao = match (&env.current_random, &env.current_difficulty) {
        (Some(random), _) => random.0,
        (None, Some(difficulty)) => difficulty.0.to_be_bytes::<32>(),
        (None, None) => B256::default(),
    };
    BlockEnv {
        number: env.current_number.0,
        coinbase: env.current_coinbase.0,
        timestamp: env.current_timestamp.0,
        gas_limit: env.current_gas_limit.0,
        base_fee: env
            .current_base_fee
            .as_ref()
            .map(|f| f.0)
            .unwrap_or_default(),
        prevrandao,
        excess_blob_gas: env
            .current_excess_blob_gas
            .as_ref()
            .map(|e| e.0)
            .unwrap_or(0),
        chain_id: CHAIN_ID,
    }
}

/// The accounts before the transaction, with their code hashes filled in.
pub fn pre_state(pre: &BTreeMap<Hex<Address>, PreAccount>) -> MemoryState {
    let mut state = MemoryState::default();
    for (address, account) in pre {
        let code = account.code.0.clone();
        let code_hash = if code.is_empty() {
            KECCAK_EMPTY
        } else {
            keccak256(&code).0
        };
        let info = AccountInfo {
            balance: account.balance.0,
            nonce: account.nonce.0,
            code_hash,
        };
        state.insert_account(address.0, info, code);
        for (slot, value) in &account.storage {
            state.set_storage(address.0, slot.0, value.0);
        }
    }
    state
}

/// The transaction of one vector: the template with `data`, `gasLimit` and `value` picked by
/// `indexes`. The kind follows from which fields the template has, as the fillers do.
pub fn tx_env(tx: &Transaction, indexes: Indexes) -> Result<TxEnv, String> {
    fn pick<'a, T>(list: &'a [T], index: usize, what: &str) -> Result<&'a T, String> {
        list.get(index)
            .ok_or_else(|| format!("{what} index {index} out of range ({})", list.len()))
    }
    let data = pick(&tx.data, indexes.data, "data")?.0.clone();
    let gas_limit = pick(&tx.gas_limit, indexes.gas, "gasLimit")?.0;
    let value = pick(&tx.value, indexes.value, "value")?.0;
    let access_list = match &tx.access_lists {
        Some(lists) => pick(lists, indexes.data, "accessLists")?.as_ref(),
        None => None,
    };

    let kind = if tx.blob_versioned_hashes.is_some() {
        TxKind::Blob
    } else if tx.max_fee_per_gas.is_some() {
        TxKind::DynamicFee
    } else if access_list.is_some() {
        TxKind::AccessList
    } else {
        TxKind::Legacy
    };
    let (gas_price, gas_priority_fee) = match kind {
        TxKind::Legacy | TxKind::AccessList => {
            (tx.gas_price.as_ref().ok_or("no gasPrice")?.0, None)
        }
        TxKind::DynamicFee | TxKind::Blob => (
            tx.max_fee_per_gas.as_ref().ok_or("no maxFeePerGas")?.0,
            Some(
                tx.max_priority_fee_per_gas
                    .as_ref()
                    .ok_or("no maxPriorityFeePerGas")?
                    .0,
            ),
        ),
    };
    let to = match tx.to.0.len() {
        0 => None,
        20 => Some(tx.to.0.as_slice().try_into().expect("20 bytes")),
        n => return Err(format!("`to` has {n} bytes")),
    };
    let access_list = access_list
        .map(|list| {
            list.iter()
                .map(|entry| AccessListItem {
                    address: entry.address.0,
                    storage_keys: entry.storage_keys.iter().map(|k| k.0).collect(),
                })
                .collect()
        })
        .unwrap_or_default();

    Ok(TxEnv {
        kind,
        caller: sender(tx)?,
        gas_limit,
        gas_price,
        gas_priority_fee,
        to,
        value,
        data,
        nonce: tx.nonce.0,
        chain_id: Some(CHAIN_ID),
        access_list,
        blob_hashes: tx
            .blob_versioned_hashes
            .iter()
            .flatten()
            .map(|h| h.0)
            .collect(),
        max_fee_per_blob_gas: tx
            .max_fee_per_blob_gas
            .as_ref()
            .map(|f| f.0)
            .unwrap_or_default(),
    })
}

/// `sender`, or the address of `secretKey` when the file leaves the sender out.
fn sender(tx: &Transaction) -> Result<Address, String> {
    if let Some(sender) = &tx.sender {
        return Ok(sender.0);
    }
    let secret = tx
        .secret_key
        .as_ref()
        .ok_or("neither sender nor secretKey")?;
    let key =
        k256::ecdsa::SigningKey::from_slice(&secret.0).map_err(|e| format!("secretKey: {e}"))?;
    let public = key.verifying_key().to_encoded_point(false);
    let hash = keccak256(&public.as_bytes()[1..]);
    Ok(hash.0[12..].try_into().expect("20 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_from_secret_key() {
        // The corpus's usual sender and its key.
        let json = r#"{"data":["0x"],"gasLimit":["0x01"],"value":["0x00"],"nonce":"0x00","to":"",
            "gasPrice":"0x0a",
            "secretKey":"0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"}"#;
        let tx: Transaction = serde_json::from_str(json).unwrap();
        let address = sender(&tx).unwrap();
        assert_eq!(
            crate::json::hex(&address),
            "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"
        );
        let env = tx_env(
            &tx,
            Indexes {
                data: 0,
                gas: 0,
                value: 0,
            },
        )
        .unwrap();
        assert_eq!(env.kind, TxKind::Legacy);
        assert_eq!(env.to, None);
    }
}
