//! `EthCode`, PDA `["code", address]`: a 33-byte header, then the contract's code.

use super::{check_at_least, ETH_CODE_DISCRIMINATOR};
use crate::reader::u32_at;
use crate::DecodeError;
use alloc::vec::Vec;

pub const ADDRESS: usize = 8;
pub const BUMP: usize = 28;
/// u32: the code's length.
pub const CODE_LEN: usize = 29;
pub const CODE: usize = 33;
/// Bytes of an `EthCode` account holding `code_len` bytes of code.
pub const fn len(code_len: usize) -> usize {
    CODE + code_len
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthCode {
    pub address: [u8; 20],
    pub bump: u8,
    pub code: Vec<u8>,
}

impl EthCode {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check_at_least(data, &ETH_CODE_DISCRIMINATOR, CODE)?;
        let code_len = u32_at(data, CODE_LEN) as usize;
        if data.len() != len(code_len) {
            return Err(DecodeError::Length);
        }
        Ok(Self {
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            bump: data[BUMP],
            code: data[CODE..].to_vec(),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut data = Vec::with_capacity(len(self.code.len()));
        data.extend_from_slice(&ETH_CODE_DISCRIMINATOR);
        data.extend_from_slice(&self.address);
        data.push(self.bump);
        data.extend_from_slice(&(self.code.len() as u32).to_le_bytes());
        data.extend_from_slice(&self.code);
        data
    }
}
