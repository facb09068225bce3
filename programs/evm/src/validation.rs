//! Transaction validity: every reason an Ethereum node refuses a transaction before running it.

use crate::env::{blob, BlockEnv, TxEnv, TxKind};
use crate::gas;
use crate::primitives::{KECCAK_EMPTY, U256};
use crate::result::InvalidTransaction;
use crate::state::AccountInfo;

/// Checks `tx` against the block and its sender's account.
pub fn validate(
    block: &BlockEnv,
    tx: &TxEnv,
    sender: &AccountInfo,
) -> Result<(), InvalidTransaction> {
    validate_static(block, tx)?;
    validate_against_sender(tx, sender)
}

/// The checks that need no account state (chain, fees, gas, sizes, blobs).
pub fn validate_static(block: &BlockEnv, tx: &TxEnv) -> Result<(), InvalidTransaction> {
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
    if tx.to.is_none() && tx.data.len() > gas::MAX_INITCODE_SIZE {
        return Err(InvalidTransaction::InitcodeTooLarge {
            size: tx.data.len(),
        });
    }
    let intrinsic = gas::intrinsic_gas(tx);
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
    if tx.blob_hashes.len() > blob::MAX_BLOBS_PER_BLOCK {
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

/// The checks against the sender: code (EIP-3607), nonce, funds.
pub fn validate_against_sender(tx: &TxEnv, sender: &AccountInfo) -> Result<(), InvalidTransaction> {
    if sender.code_hash != KECCAK_EMPTY {
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
    let blob = tx
        .max_fee_per_blob_gas
        .checked_mul(U256::from(tx.blob_gas()))?;
    gas.checked_add(tx.value)?.checked_add(blob)
}
