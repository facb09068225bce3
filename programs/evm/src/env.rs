//! The block and transaction a machine runs under, fixed when the machine is created.

use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Block values the opcodes read (NUMBER, TIMESTAMP, COINBASE, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct BlockEnv {
    pub number: u64,
    pub coinbase: Address,
    pub timestamp: u64,
    pub gas_limit: u64,
    pub base_fee: U256,
    /// PREVRANDAO (post-merge DIFFICULTY).
    pub prevrandao: B256,
    /// EIP-4844 excess blob gas, from which BLOBBASEFEE is derived.
    pub excess_blob_gas: u64,
    pub chain_id: u64,
}

/// One EIP-2930 access-list entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AccessListItem {
    pub address: Address,
    pub storage_keys: Vec<B256>,
}

/// The transaction kinds, by their EIP-2718 type byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum TxKind {
    #[default]
    Legacy,
    AccessList,
    DynamicFee,
    Blob,
}

/// A transaction as the interpreter runs it: decoded, with its sender already recovered.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct TxEnv {
    pub kind: TxKind,
    pub caller: Address,
    pub gas_limit: u64,
    /// Legacy/2930: the gas price. 1559/4844: max fee per gas.
    pub gas_price: U256,
    /// 1559/4844 only: max priority fee per gas.
    pub gas_priority_fee: Option<U256>,
    /// `None` creates a contract.
    pub to: Option<Address>,
    pub value: U256,
    pub data: Vec<u8>,
    pub nonce: u64,
    /// `None` for pre-EIP-155 legacy transactions, which are valid on any chain.
    pub chain_id: Option<u64>,
    pub access_list: Vec<AccessListItem>,
    pub blob_hashes: Vec<B256>,
    pub max_fee_per_blob_gas: U256,
}

/// EIP-4844 constants (Cancun).
pub mod blob {
    pub const GAS_PER_BLOB: u64 = 1 << 17;
    pub const MAX_BLOBS_PER_BLOCK: usize = 6;
    pub const MIN_BLOB_GASPRICE: u64 = 1;
    pub const BLOB_GASPRICE_UPDATE_FRACTION: u64 = 3_338_477;
    pub const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;
}

impl BlockEnv {
    /// BLOBBASEFEE: `fake_exponential(MIN_BLOB_GASPRICE, excess_blob_gas, UPDATE_FRACTION)`.
    pub fn blob_base_fee(&self) -> u128 {
        fake_exponential(
            blob::MIN_BLOB_GASPRICE as u128,
            self.excess_blob_gas as u128,
            blob::BLOB_GASPRICE_UPDATE_FRACTION as u128,
        )
    }
}

/// EIP-4844's integer approximation of `factor * e ** (numerator / denominator)`.
fn fake_exponential(factor: u128, numerator: u128, denominator: u128) -> u128 {
    let mut i = 1u128;
    let mut output = 0u128;
    let mut accum = factor * denominator;
    while accum > 0 {
        output = output.saturating_add(accum);
        accum = accum.saturating_mul(numerator) / (denominator * i);
        i += 1;
    }
    output / denominator
}

impl TxEnv {
    /// The price per gas the sender pays under `base_fee` (EIP-1559 rules; legacy pays gas_price).
    pub fn effective_gas_price(&self, base_fee: U256) -> U256 {
        match self.gas_priority_fee {
            None => self.gas_price,
            Some(priority) => core::cmp::min(self.gas_price, base_fee.saturating_add(priority)),
        }
    }

    /// Total blob gas this transaction uses.
    pub fn blob_gas(&self) -> u64 {
        self.blob_hashes.len() as u64 * blob::GAS_PER_BLOB
    }
}
