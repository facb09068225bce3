//! `ReverseEntry`, PDA `["reverse", wallet]`: the Ethereum address a Solana wallet linked itself
//! to (`link_wallet`).

use super::{check, REVERSE_ENTRY_DISCRIMINATOR};
use crate::DecodeError;

pub const WALLET: usize = 8;
pub const ADDRESS: usize = 40;
pub const BUMP: usize = 60;
pub const LEN: usize = 61;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReverseEntry {
    pub wallet: [u8; 32],
    pub address: [u8; 20],
    pub bump: u8,
}

impl ReverseEntry {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &REVERSE_ENTRY_DISCRIMINATOR, LEN)?;
        Ok(Self {
            wallet: data[WALLET..WALLET + 32].try_into().unwrap(),
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            bump: data[BUMP],
        })
    }
}
