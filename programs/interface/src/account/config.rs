//! `Config`, PDA `["config"]`: chain id, operators and fee-market parameters. Written by
//! `initialize`.

use super::{check, CONFIG_DISCRIMINATOR};
use crate::block::fork_from_byte;
use crate::fee_market::FeeMarketParams;
use crate::reader::u64_at;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::Fork;

/// Most operators the config lists.
pub const MAX_OPERATORS: usize = 8;

pub const ADMIN: usize = 8;
pub const CHAIN_ID: usize = 40;
/// u16 count, then [`MAX_OPERATORS`] 32-byte keys (Anchor's `PodVec<Address, 8>`).
pub const OPERATOR_COUNT: usize = 48;
pub const OPERATORS: usize = 50;
pub const CONTRACT_COMPUTE_CAP: usize = OPERATORS + 32 * MAX_OPERATORS;
pub const MIN_BASE_FEE: usize = CONTRACT_COMPUTE_CAP + 8;
pub const BASE_FEE_CHANGE_DENOMINATOR: usize = MIN_BASE_FEE + 8;
pub const BUMP: usize = BASE_FEE_CHANGE_DENOMINATOR + 8;
pub const VAULT_BUMP: usize = BUMP + 1;
/// u8, 0 or 1: [`Config::development`].
pub const DEVELOPMENT: usize = VAULT_BUMP + 1;
/// u8: [`Config::fork`], as [`crate::block::fork_byte`] encodes it.
pub const FORK: usize = DEVELOPMENT + 1;
pub const LEN: usize = FORK + 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Who may change the configuration (the upgrade authority at initialization).
    pub admin: [u8; 32],
    /// The EIP-155 chain id every transaction must carry.
    pub chain_id: u64,
    /// Solana keys allowed to relay transactions.
    pub operators: Vec<[u8; 32]>,
    pub fee_market: FeeMarketParams,
    pub bump: u8,
    pub vault_bump: u8,
    /// A development chain's (set at `initialize`, never changed): impersonated transactions
    /// (`crate::transaction::IMPERSONATED`) run. A cluster deployment initializes without it.
    pub development: bool,
    /// The Ethereum fork the chain's transactions run under (set at `initialize`).
    pub fork: Fork,
}

impl Config {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &CONFIG_DISCRIMINATOR, LEN)?;
        let count = u16::from_le_bytes([data[OPERATOR_COUNT], data[OPERATOR_COUNT + 1]]) as usize;
        if count > MAX_OPERATORS {
            return Err(DecodeError::Value);
        }
        Ok(Self {
            admin: data[ADMIN..ADMIN + 32].try_into().unwrap(),
            chain_id: u64_at(data, CHAIN_ID),
            operators: (0..count)
                .map(|i| {
                    let at = OPERATORS + 32 * i;
                    data[at..at + 32].try_into().unwrap()
                })
                .collect(),
            fee_market: FeeMarketParams {
                contract_compute_cap: u64_at(data, CONTRACT_COMPUTE_CAP),
                min_base_fee: u64_at(data, MIN_BASE_FEE),
                base_fee_change_denominator: u64_at(data, BASE_FEE_CHANGE_DENOMINATOR),
            },
            bump: data[BUMP],
            vault_bump: data[VAULT_BUMP],
            development: match data[DEVELOPMENT] {
                0 => false,
                1 => true,
                _ => return Err(DecodeError::Value),
            },
            fork: fork_from_byte(data[FORK]).ok_or(DecodeError::Value)?,
        })
    }

    pub fn is_operator(&self, key: &[u8; 32]) -> bool {
        self.operators.contains(key)
    }
}
