//! The block and transaction a machine runs under, fixed when the machine is created.

use crate::fork::Fork;
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
    /// The rules the block runs under. Osaka by default; a host states it where it builds the
    /// block (the program passes its config's).
    pub fork: Fork,
    /// The largest code a creation may deploy; `None`: EIP-170's 24,576 bytes. Initcode may be
    /// twice as large (EIP-3860). Development chains raise it, as anvil's `--code-size-limit`
    /// and Hardhat's `allowUnlimitedContractSize` do, for test contracts that exceed it.
    pub code_size_limit: Option<u32>,
    /// From Prague: the host keeps block hashes itself and makes no per-block system call, so
    /// the EIP-2935 history contract is answered from [`crate::State::block_hash`]
    /// ([`crate::history`]). Isthmus chains set it; the state tests, whose pre-state holds the
    /// contract, do not.
    pub serve_history: bool,
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
    /// EIP-7702 (type 4): sets the code of the signers of its authorizations.
    SetCode,
}

/// One signed EIP-7702 authorization, as the transaction carries it: "let my account run the code
/// at `address`", valid on chain `chain_id` (0: any chain) while the account's nonce is `nonce`.
/// Its signer (the authority) is recovered when the transaction starts; a bad signature only
/// makes that one authorization void, never the transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Authorization {
    pub chain_id: U256,
    pub address: Address,
    pub nonce: u64,
    /// The signature's parity as sent; anything but 0 or 1 voids the authorization.
    pub y_parity: u8,
    pub r: U256,
    pub s: U256,
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
    /// EIP-7702 authorizations (set-code transactions only).
    pub authorization_list: Vec<Authorization>,
}

/// EIP-4844 constants; the ones that changed per fork are in [`Fork::blob_params`].
pub mod blob {
    use super::{fake_exponential, Fork};

    pub const GAS_PER_BLOB: u64 = 1 << 17;
    pub const MIN_BLOB_GASPRICE: u64 = 1;
    pub const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;
    /// EIP-7918: the execution cost a blob must at least pay for, in units of the base fee.
    pub const BLOB_BASE_COST: u64 = 1 << 13;

    /// BLOBBASEFEE under `fork`: `fake_exponential(MIN_BLOB_GASPRICE, excess, UPDATE_FRACTION)`.
    pub fn base_fee(fork: Fork, excess_blob_gas: u64) -> u128 {
        fake_exponential(
            MIN_BLOB_GASPRICE as u128,
            excess_blob_gas as u128,
            fork.blob_params().update_fraction as u128,
        )
    }

    /// The excess blob gas of the block after a parent with these values: block-level (a chain
    /// that keeps blob accounting derives each block's `excess_blob_gas` with it). From Osaka on,
    /// EIP-7918 keeps the excess growing while the blob fee is below what the blobs' execution
    /// costs (`BLOB_BASE_COST * base_fee`), so the blob price cannot sink to 1 wei while blocks
    /// are full.
    pub fn next_excess_blob_gas(
        fork: Fork,
        parent_excess: u64,
        parent_blob_gas_used: u64,
        parent_base_fee: u64,
    ) -> u64 {
        let params = fork.blob_params();
        let target = params.target_per_block * GAS_PER_BLOB;
        let max = params.max_per_block * GAS_PER_BLOB;
        let total = parent_excess.saturating_add(parent_blob_gas_used);
        if total < target {
            return 0;
        }
        if fork.is_enabled(Fork::Osaka) {
            let execution_cost = BLOB_BASE_COST as u128 * parent_base_fee as u128;
            let blob_cost = GAS_PER_BLOB as u128 * base_fee(fork, parent_excess);
            if execution_cost > blob_cost {
                return parent_excess + parent_blob_gas_used * (max - target) / max;
            }
        }
        total - target
    }
}

impl BlockEnv {
    /// The largest code a creation may deploy (EIP-170, or the chain's own limit).
    pub fn max_code_size(&self) -> usize {
        self.code_size_limit
            .map_or(crate::gas::MAX_CODE_SIZE, |limit| limit as usize)
    }

    /// The largest initcode a creation may carry: twice [`Self::max_code_size`] (EIP-3860).
    pub fn max_initcode_size(&self) -> usize {
        2 * self.max_code_size()
    }

    /// BLOBBASEFEE: `fake_exponential(MIN_BLOB_GASPRICE, excess_blob_gas, UPDATE_FRACTION)`
    /// with the block's fork's fraction.
    pub fn blob_base_fee(&self) -> u128 {
        blob::base_fee(self.fork, self.excess_blob_gas)
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

#[cfg(test)]
mod tests {
    use super::blob::{base_fee, next_excess_blob_gas, GAS_PER_BLOB};
    use super::Fork;

    #[test]
    fn blob_base_fee_uses_the_fork_fraction() {
        assert_eq!(base_fee(Fork::Cancun, 0), 1);
        // e^(10M / 3.34M) ~ 20 under Cancun, e^(10M / 5.0M) ~ 7 under Prague.
        assert_eq!(base_fee(Fork::Cancun, 10_000_000), 19);
        assert_eq!(base_fee(Fork::Prague, 10_000_000), 7);
    }

    #[test]
    fn excess_blob_gas_follows_eip7918_in_osaka() {
        let target = 6 * GAS_PER_BLOB;
        let full = 9 * GAS_PER_BLOB;
        // Below the target: no excess.
        assert_eq!(next_excess_blob_gas(Fork::Prague, 0, target - 1, 7), 0);
        // Prague: excess + used - target.
        assert_eq!(
            next_excess_blob_gas(Fork::Prague, 0, full, 1 << 40),
            full - target
        );
        // Osaka with a base fee that dwarfs the blob fee: grows by used * (max - target) / max.
        assert_eq!(
            next_excess_blob_gas(Fork::Osaka, 0, full, 1 << 40),
            full * 3 / 9
        );
        // Osaka with a cheap base fee: the Prague rule.
        assert_eq!(next_excess_blob_gas(Fork::Osaka, 0, full, 1), full - target);
    }
}
