//! Transaction validity: every reason an Ethereum node refuses a transaction before running it.

use crate::env::{blob, BlockEnv, TxEnv, TxKind};
use crate::fork::Fork;
use crate::gas;
use crate::primitives::{is_empty_code, U256};
use crate::result::InvalidTransaction;
use crate::state::AccountInfo;

/// Checks `tx` against the block and its sender's account. `sender_delegated`: the sender's code
/// is an EIP-7702 delegation designator, which (from Prague on) does not bar it from sending.
pub fn validate(
    block: &BlockEnv,
    tx: &TxEnv,
    sender: &AccountInfo,
    sender_delegated: bool,
) -> Result<(), InvalidTransaction> {
    validate_static(block, tx)?;
    validate_against_sender(
        tx,
        sender,
        sender_delegated && block.fork.is_enabled(Fork::Prague),
    )
}

/// The checks that need no account state (type, chain, fees, gas, sizes, blobs, authorizations).
pub fn validate_static(block: &BlockEnv, tx: &TxEnv) -> Result<(), InvalidTransaction> {
    if tx.kind == TxKind::SetCode {
        validate_set_code(block, tx)?;
    }
    if let Some(cap) = block.fork.tx_gas_limit_cap() {
        if tx.gas_limit > cap {
            return Err(InvalidTransaction::GasLimitAboveCap {
                gas_limit: tx.gas_limit,
                cap,
            });
        }
    }
    if let Some(chain_id) = tx.chain_id {
        if chain_id != block.chain_id {
            return Err(InvalidTransaction::WrongChainId {
                expected: block.chain_id,
                got: chain_id,
            });
        }
    }
    if let Some(priority) = tx.gas_priority_fee {
        if priority > tx.gas_price {
            return Err(InvalidTransaction::PriorityFeeAboveFeeCap);
        }
    }
    if tx.gas_price < block.base_fee {
        return Err(InvalidTransaction::FeeCapTooLow {
            fee_cap: tx.gas_price,
            base_fee: block.base_fee,
        });
    }
    if tx.kind == TxKind::Blob {
        validate_blobs(block, tx)?;
    }
    if tx.gas_limit > block.gas_limit {
        return Err(InvalidTransaction::GasLimitAboveBlock {
            gas_limit: tx.gas_limit,
            block_gas_limit: block.gas_limit,
        });
    }
    if tx.to.is_none() && tx.data.len() > block.max_initcode_size() {
        return Err(InvalidTransaction::InitcodeTooLarge {
            size: tx.data.len(),
        });
    }
    let mut intrinsic = gas::intrinsic_gas(tx);
    if block.fork.is_enabled(Fork::Prague) {
        intrinsic = intrinsic.max(gas::floor_gas(tx));
    }
    if tx.gas_limit < intrinsic {
        return Err(InvalidTransaction::IntrinsicGasTooLow {
            gas_limit: tx.gas_limit,
            intrinsic,
        });
    }
    Ok(())
}

fn validate_blobs(block: &BlockEnv, tx: &TxEnv) -> Result<(), InvalidTransaction> {
    if tx.to.is_none() {
        return Err(InvalidTransaction::BlobCreate);
    }
    if tx.blob_hashes.is_empty() {
        return Err(InvalidTransaction::NoBlobs);
    }
    if tx.blob_hashes.len() as u64 > block.fork.blob_params().max_per_tx {
        return Err(InvalidTransaction::TooManyBlobs {
            count: tx.blob_hashes.len(),
        });
    }
    if tx
        .blob_hashes
        .iter()
        .any(|h| h[0] != blob::VERSIONED_HASH_VERSION_KZG)
    {
        return Err(InvalidTransaction::BlobVersionedHash);
    }
    if tx.max_fee_per_blob_gas < U256::from(block.blob_base_fee()) {
        return Err(InvalidTransaction::BlobFeeCapTooLow);
    }
    Ok(())
}

/// EIP-7702: set-code transactions exist from Prague on, call an account and authorize something.
fn validate_set_code(block: &BlockEnv, tx: &TxEnv) -> Result<(), InvalidTransaction> {
    if !block.fork.is_enabled(Fork::Prague) {
        return Err(InvalidTransaction::UnsupportedType);
    }
    if tx.to.is_none() {
        return Err(InvalidTransaction::SetCodeCreate);
    }
    if tx.authorization_list.is_empty() {
        return Err(InvalidTransaction::EmptyAuthorizationList);
    }
    Ok(())
}

/// The checks against the sender: code (EIP-3607, which lets a delegated account send), nonce,
/// funds.
pub fn validate_against_sender(
    tx: &TxEnv,
    sender: &AccountInfo,
    sender_delegated: bool,
) -> Result<(), InvalidTransaction> {
    if !is_empty_code(&sender.code_hash) && !sender_delegated {
        return Err(InvalidTransaction::SenderHasCode);
    }
    if sender.nonce == u64::MAX {
        return Err(InvalidTransaction::NonceOverflow);
    }
    if tx.nonce != sender.nonce {
        return Err(InvalidTransaction::NonceMismatch {
            expected: sender.nonce,
            got: tx.nonce,
        });
    }
    let needed = max_cost(tx).ok_or(InvalidTransaction::FeeOverflow)?;
    if sender.balance < needed {
        return Err(InvalidTransaction::InsufficientFunds {
            balance: sender.balance,
            needed,
        });
    }
    Ok(())
}

/// The most the sender can be charged: `gas_limit * max fee + value + blob gas * max blob fee`.
fn max_cost(tx: &TxEnv) -> Option<U256> {
    let gas = tx.gas_price.checked_mul(U256::from(tx.gas_limit))?;
    let cost = gas.checked_add(tx.value)?;
    // (a 256-bit product is hundreds of compute units on-chain: none for a transaction without blobs)
    match tx.blob_gas() {
        0 => Some(cost),
        blob_gas => cost.checked_add(tx.max_fee_per_blob_gas.checked_mul(U256::from(blob_gas))?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Authorization;
    use alloc::vec;

    fn block(fork: Fork) -> BlockEnv {
        BlockEnv {
            gas_limit: 30_000_000,
            chain_id: 1,
            fork,
            ..BlockEnv::default()
        }
    }

    fn tx(kind: TxKind) -> TxEnv {
        TxEnv {
            kind,
            gas_limit: 100_000,
            gas_priority_fee: (kind != TxKind::Legacy).then_some(U256::ZERO),
            to: Some([1; 20]),
            chain_id: Some(1),
            ..TxEnv::default()
        }
    }

    #[test]
    fn set_code_needs_prague_a_recipient_and_authorizations() {
        let mut set_code = tx(TxKind::SetCode);
        set_code.authorization_list = vec![Authorization::default()];
        assert_eq!(
            validate_static(&block(Fork::Cancun), &set_code),
            Err(InvalidTransaction::UnsupportedType)
        );
        assert_eq!(validate_static(&block(Fork::Prague), &set_code), Ok(()));
        let mut create = set_code.clone();
        create.to = None;
        assert_eq!(
            validate_static(&block(Fork::Osaka), &create),
            Err(InvalidTransaction::SetCodeCreate)
        );
        set_code.authorization_list.clear();
        assert_eq!(
            validate_static(&block(Fork::Osaka), &set_code),
            Err(InvalidTransaction::EmptyAuthorizationList)
        );
    }

    #[test]
    fn osaka_caps_the_gas_limit() {
        let mut big = tx(TxKind::Legacy);
        big.gas_limit = (1 << 24) + 1;
        assert_eq!(validate_static(&block(Fork::Prague), &big), Ok(()));
        assert_eq!(
            validate_static(&block(Fork::Osaka), &big),
            Err(InvalidTransaction::GasLimitAboveCap {
                gas_limit: (1 << 24) + 1,
                cap: 1 << 24
            })
        );
        big.gas_limit = 1 << 24;
        assert_eq!(validate_static(&block(Fork::Osaka), &big), Ok(()));
    }

    #[test]
    fn prague_refuses_a_gas_limit_below_the_calldata_floor() {
        let mut data_heavy = tx(TxKind::Legacy);
        data_heavy.data = vec![0xff; 1000];
        // Intrinsic 21,000 + 16,000; floor 21,000 + 40,000.
        data_heavy.gas_limit = 50_000;
        assert_eq!(validate_static(&block(Fork::Cancun), &data_heavy), Ok(()));
        assert_eq!(
            validate_static(&block(Fork::Prague), &data_heavy),
            Err(InvalidTransaction::IntrinsicGasTooLow {
                gas_limit: 50_000,
                intrinsic: 61_000
            })
        );
    }

    #[test]
    fn blob_count_per_transaction_follows_the_fork() {
        let mut blobs = tx(TxKind::Blob);
        blobs.max_fee_per_blob_gas = U256::from(1);
        blobs.blob_hashes = vec![[1; 32]; 7];
        let too_many = Err(InvalidTransaction::TooManyBlobs { count: 7 });
        assert_eq!(validate_static(&block(Fork::Cancun), &blobs), too_many);
        assert_eq!(validate_static(&block(Fork::Prague), &blobs), Ok(()));
        assert_eq!(validate_static(&block(Fork::Osaka), &blobs), too_many);
    }

    #[test]
    fn a_delegated_sender_may_send() {
        let sender = AccountInfo {
            balance: U256::from(1),
            nonce: 0,
            code_hash: [7; 32],
        };
        let legacy = tx(TxKind::Legacy);
        assert_eq!(
            validate_against_sender(&legacy, &sender, false),
            Err(InvalidTransaction::SenderHasCode)
        );
        assert_eq!(validate_against_sender(&legacy, &sender, true), Ok(()));
        assert_eq!(
            validate(&block(Fork::Cancun), &legacy, &sender, true),
            Err(InvalidTransaction::SenderHasCode)
        );
    }
}
