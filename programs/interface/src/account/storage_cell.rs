//! `StorageCell`, PDA `["storage", address, slot (32 bytes, big-endian)]`: one storage slot beyond
//! those an `EthAccount` holds inline.

use super::{check, STORAGE_CELL_DISCRIMINATOR};
use crate::reader::u64_at;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::U256;

pub const ADDRESS: usize = 8;
/// 32 bytes, big-endian (as in the seeds).
pub const SLOT: usize = 28;
pub const BUMP: usize = 60;
/// u64: the owning account's generation when the value was written; a cell of another generation
/// reads as zero.
pub const GENERATION: usize = 61;
/// 32 bytes, big-endian.
pub const VALUE: usize = 69;
pub const LEN: usize = 101;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageCell {
    pub address: [u8; 20],
    pub slot: [u8; 32],
    pub bump: u8,
    pub generation: u64,
    /// Big-endian.
    pub value: [u8; 32],
}

impl StorageCell {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &STORAGE_CELL_DISCRIMINATOR, LEN)?;
        Ok(Self {
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            slot: data[SLOT..SLOT + 32].try_into().unwrap(),
            bump: data[BUMP],
            generation: u64_at(data, GENERATION),
            value: data[VALUE..VALUE + 32].try_into().unwrap(),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut data = Vec::with_capacity(LEN);
        data.extend_from_slice(&STORAGE_CELL_DISCRIMINATOR);
        data.extend_from_slice(&self.address);
        data.extend_from_slice(&self.slot);
        data.push(self.bump);
        data.extend_from_slice(&self.generation.to_le_bytes());
        data.extend_from_slice(&self.value);
        data
    }

    /// The value the interpreter reads when the account is at `account_generation`.
    pub fn value_at(&self, account_generation: u64) -> U256 {
        if self.generation == account_generation {
            U256::from_be_bytes(self.value)
        } else {
            U256::ZERO
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_is_what_decode_reads() {
        let cell = StorageCell {
            address: [7; 20],
            slot: [9; 32],
            bump: 254,
            generation: 3,
            value: [1; 32],
        };
        let data = cell.encode();
        assert_eq!(data.len(), LEN);
        assert_eq!(StorageCell::decode(&data), Ok(cell.clone()));
        assert_eq!(cell.value_at(3), U256::from_be_bytes([1; 32]));
        assert_eq!(cell.value_at(4), U256::ZERO);
    }
}
