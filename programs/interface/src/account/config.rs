//! `Config`, PDA `["config"]`: chain id, operators and fee-market parameters. Written by
//! `initialize`.

use super::{check, CONFIG_DISCRIMINATOR};
use crate::block::{fork_from_byte, ChainRules};
use crate::fee_market::FeeMarketParams;
use crate::reader::u64_at;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::Fork;

/// Most operators the config lists.
pub const MAX_OPERATORS: usize = 8;

/// The largest code size limit a chain may set: what one account holds (10 MiB) less the code
/// account's header. (A creation is bounded long before by the 256 KiB heap it runs in.)
pub const MAX_CODE_SIZE_LIMIT: u32 = 10 * 1024 * 1024 - 64;

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
/// u32: [`Config::code_size_limit`], 0 for EIP-170's.
pub const CODE_SIZE_LIMIT: usize = FORK + 1;
/// u8, 0 or 1: [`FeeMarketParams::charge_solana_costs`].
pub const CHARGE_SOLANA_COSTS: usize = CODE_SIZE_LIMIT + 4;
pub const LEN: usize = CHARGE_SOLANA_COSTS + 1;

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
    /// The Ethereum fork the chain's transactions run under (set at `initialize`, moved forward
    /// by `update_config`).
    pub fork: Fork,
    /// The largest code a creation may deploy; `None`: EIP-170's 24,576 bytes (set at
    /// `initialize`; development chains raise it, as anvil's `--code-size-limit` does).
    pub code_size_limit: Option<u32>,
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
                charge_solana_costs: match data[CHARGE_SOLANA_COSTS] {
                    0 => false,
                    1 => true,
                    _ => return Err(DecodeError::Value),
                },
            },
            bump: data[BUMP],
            vault_bump: data[VAULT_BUMP],
            development: match data[DEVELOPMENT] {
                0 => false,
                1 => true,
                _ => return Err(DecodeError::Value),
            },
            fork: fork_from_byte(data[FORK]).ok_or(DecodeError::Value)?,
            code_size_limit: Some(u32::from_le_bytes(
                data[CODE_SIZE_LIMIT..CODE_SIZE_LIMIT + 4]
                    .try_into()
                    .unwrap(),
            ))
            .filter(|limit| *limit != 0),
        })
    }

    /// What the config fixes for every block ([`crate::block::block_env`]).
    pub fn rules(&self) -> ChainRules {
        ChainRules {
            chain_id: self.chain_id,
            fork: self.fork,
            code_size_limit: self.code_size_limit,
        }
    }

    pub fn is_operator(&self, key: &[u8; 32]) -> bool {
        self.operators.contains(key)
    }
}
