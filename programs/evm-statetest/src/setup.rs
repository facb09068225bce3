//! Turns a test's JSON into what the machine runs on: the block, the transaction and the
//! pre-state.

use crate::json::{AuthorizationEntry, Hex, Wide};
use crate::json::{Env, Indexes, PreAccount, Transaction};
use alloy_primitives::keccak256;
use isthmus_evm::env::{AccessListItem, TxKind};
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::{
    AccountInfo, Address, Authorization, BlockEnv, Fork, MemoryState, TxEnv, B256, U256,
};
use std::collections::BTreeMap;

/// State tests run on mainnet's chain id.
pub const CHAIN_ID: u64 = 1;

/// Why a vector's transaction could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// The test itself is malformed (an index out of range, a missing field).
    BadTest(String),
    /// The transaction cannot exist: a field does not fit what it is encoded as. The vector must
    /// expect it to be refused.
    Unencodable(String),
}

/// The block the transaction runs in, under `fork`.
pub fn block_env(env: &Env, fork: Fork) -> BlockEnv {
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
        fork,
        code_size_limit: None,
        // The fixtures' pre-state holds the history contract and its slots.
        serve_history: false,
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
pub fn tx_env(tx: &Transaction, indexes: Indexes) -> Result<TxEnv, SetupError> {
    fn pick<'a, T>(list: &'a [T], index: usize, what: &str) -> Result<&'a T, SetupError> {
        list.get(index).ok_or_else(|| {
            SetupError::BadTest(format!(
                "{what} index {index} out of range ({})",
                list.len()
            ))
        })
    }
    let bad = |e: &str| SetupError::BadTest(e.to_string());
    let data = pick(&tx.data, indexes.data, "data")?.0.clone();
    let gas_limit = fits_u64(pick(&tx.gas_limit, indexes.gas, "gasLimit")?, "gasLimit")?;
    let value = fits_u256(pick(&tx.value, indexes.value, "value")?, "value")?;
    let access_list = match &tx.access_lists {
        Some(lists) => pick(lists, indexes.data, "accessLists")?.as_ref(),
        None => None,
    };

    let kind = if tx.authorization_list.is_some() {
        TxKind::SetCode
    } else if tx.blob_versioned_hashes.is_some() {
        TxKind::Blob
    } else if tx.max_fee_per_gas.is_some() {
        TxKind::DynamicFee
    } else if access_list.is_some() {
        TxKind::AccessList
    } else {
        TxKind::Legacy
    };
    let (gas_price, gas_priority_fee) = match kind {
        TxKind::Legacy | TxKind::AccessList => (
            fits_u256(tx.gas_price.as_ref().ok_or(bad("no gasPrice"))?, "gasPrice")?,
            None,
        ),
        TxKind::DynamicFee | TxKind::Blob | TxKind::SetCode => (
            fits_u256(
                tx.max_fee_per_gas.as_ref().ok_or(bad("no maxFeePerGas"))?,
                "maxFeePerGas",
            )?,
            Some(fits_u256(
                tx.max_priority_fee_per_gas
                    .as_ref()
                    .ok_or(bad("no maxPriorityFeePerGas"))?,
                "maxPriorityFeePerGas",
            )?),
        ),
    };
    let to = match tx.to.0.len() {
        0 => None,
        20 => Some(tx.to.0.as_slice().try_into().expect("20 bytes")),
        n => return Err(bad(&format!("`to` has {n} bytes"))),
    };
    let authorization_list = tx
        .authorization_list
        .iter()
        .flatten()
        .map(authorization)
        .collect::<Result<Vec<_>, _>>()?;
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

    let max_fee_per_blob_gas = match &tx.max_fee_per_blob_gas {
        Some(fee) => fits_u256(fee, "maxFeePerBlobGas")?,
        None => U256::ZERO,
    };
    Ok(TxEnv {
        kind,
        caller: sender(tx).map_err(SetupError::BadTest)?,
        gas_limit,
        gas_price,
        gas_priority_fee,
        to,
        value,
        data,
        nonce: fits_u64(&tx.nonce, "nonce")?,
        chain_id: Some(CHAIN_ID),
        access_list,
        blob_hashes: tx
            .blob_versioned_hashes
            .iter()
            .flatten()
            .map(|h| h.0)
            .collect(),
        max_fee_per_blob_gas,
        authorization_list,
    })
}

fn fits_u256(value: &Hex<Wide>, field: &str) -> Result<U256, SetupError> {
    value
        .0
        .u256()
        .ok_or_else(|| SetupError::Unencodable(format!("{field} does not fit 256 bits")))
}

fn fits_u64(value: &Hex<Wide>, field: &str) -> Result<u64, SetupError> {
    value
        .0
        .u64()
        .ok_or_else(|| SetupError::Unencodable(format!("{field} does not fit 64 bits")))
}

/// One authorization as the transaction carries it (the parity from `yParity`, else `v`).
fn authorization(entry: &AuthorizationEntry) -> Result<Authorization, SetupError> {
    let parity = entry
        .y_parity
        .as_ref()
        .or(entry.v.as_ref())
        .ok_or_else(|| SetupError::BadTest("authorization without yParity or v".into()))?;
    let y_parity = fits_u256(parity, "authorization yParity")?;
    let y_parity = u8::try_from(y_parity)
        .map_err(|_| SetupError::Unencodable("authorization yParity does not fit 8 bits".into()))?;
    Ok(Authorization {
        chain_id: fits_u256(&entry.chain_id, "authorization chainId")?,
        address: entry.address.0,
        nonce: fits_u64(&entry.nonce, "authorization nonce")?,
        y_parity,
        r: fits_u256(&entry.r, "authorization r")?,
        s: fits_u256(&entry.s, "authorization s")?,
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

    #[test]
    fn a_value_over_256_bits_is_an_unencodable_transaction() {
        // ValueOverflowParis: a value one hex digit too long, which once failed the whole file.
        let json = r#"{"data":["0x"],"gasLimit":["0x5208"],"nonce":"0x00","to":"",
            "value":["0x01", "0x10000000000000000000000000000000000000000000000000000000000000000"],
            "gasPrice":"0x0a","sender":"0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"}"#;
        let tx: Transaction = serde_json::from_str(json).unwrap();
        let at = |value| Indexes {
            data: 0,
            gas: 0,
            value,
        };
        assert_eq!(tx_env(&tx, at(0)).unwrap().value, U256::from(1));
        assert!(matches!(
            tx_env(&tx, at(1)),
            Err(SetupError::Unencodable(e)) if e.contains("value")
        ));
        assert!(matches!(tx_env(&tx, at(2)), Err(SetupError::BadTest(_))));
    }

    #[test]
    fn set_code_template_builds_its_authorizations() {
        let json = r#"{"data":["0x"],"gasLimit":["0x0f4240"],"value":["0x00"],"nonce":"0x00",
            "to":"0x308d4fb82c3d5fc05022dad61266a0759ec4b73d","maxFeePerGas":"0x07",
            "maxPriorityFeePerGas":"0x00","accessLists":[[]],
            "sender":"0x0c4848f99786f3a750cfc6d0cb62e9edf64d31bb",
            "authorizationList":[{"chainId":"0x00","address":"0xfbe95a58917d8536842271e6c811ad8ab4d12280",
              "nonce":"0x00","v":"0x01","yParity":"0x01","signer":"0x4c27a74c25067330da74487a844de15e7747b7ee",
              "r":"0x4f15ccc0d9bf3764fbd1d8ca5080bed22e1aca53c61134017502c78b4a1bbf44",
              "s":"0x06c20bfe36dc74f3e0175bc9e5b7aac3dc6b2be918b48c26c30a947bd36392bd"}]}"#;
        let tx: Transaction = serde_json::from_str(json).unwrap();
        let env = tx_env(
            &tx,
            Indexes {
                data: 0,
                gas: 0,
                value: 0,
            },
        )
        .unwrap();
        assert_eq!(env.kind, TxKind::SetCode);
        let [auth] = env.authorization_list.as_slice() else {
            panic!("one authorization");
        };
        assert_eq!(auth.y_parity, 1);
        assert_eq!(
            isthmus_evm::transaction::authority(auth, &isthmus_evm::HostCrypto)
                .map(|a| crate::json::hex(&a)),
            Some("0x4c27a74c25067330da74487a844de15e7747b7ee".to_string())
        );
    }
}
