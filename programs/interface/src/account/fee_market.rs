//! `FeeMarket`, PDA `["fee", address]`: one contract's base fee and the compute its transactions
//! used in the current slot (rules: [`crate::fee_market`]).

use super::{check, FEE_MARKET_DISCRIMINATOR};
use crate::reader::u64_at;
use crate::DecodeError;

pub const ADDRESS: usize = 8;
pub const BUMP: usize = 28;
pub const LAST_SLOT: usize = 29;
pub const USED: usize = 37;
pub const BASE_FEE: usize = 45;
pub const LEN: usize = 53;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeMarket {
    /// The contract.
    pub address: [u8; 20],
    pub bump: u8,
    /// The slot `used` counts.
    pub last_slot: u64,
    /// Compute units its transactions used in `last_slot`.
    pub used: u64,
    /// Its base fee in `last_slot`, wei per gas.
    pub base_fee: u64,
}

impl FeeMarket {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &FEE_MARKET_DISCRIMINATOR, LEN)?;
        Ok(Self {
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            bump: data[BUMP],
            last_slot: u64_at(data, LAST_SLOT),
            used: u64_at(data, USED),
            base_fee: u64_at(data, BASE_FEE),
        })
    }
}
