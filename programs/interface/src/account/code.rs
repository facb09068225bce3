//! `EthCode`, PDA `["code", address]`: a 33-byte header, the contract's code, then the code's
//! JUMPDEST analysis (one bit per code byte, `ceil(len / 64)` little-endian u64 words, as
//! [`isthmus_evm::bytecode::jumpdest_bitmap`] computes it). The program writes the analysis once,
//! when the code is deployed: a call then reads it instead of scanning the code (about 8 CU a
//! byte on SBF), for the price of an eighth more rent.

use super::{check_at_least, ETH_CODE_DISCRIMINATOR};
use crate::reader::u32_at;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::bytecode::{jumpdest_bitmap, Bytecode};

pub const ADDRESS: usize = 8;
pub const BUMP: usize = 28;
/// u32: the code's length.
pub const CODE_LEN: usize = 29;
pub const CODE: usize = 33;

/// Bytes of the JUMPDEST analysis of `code_len` bytes of code.
pub const fn analysis_len(code_len: usize) -> usize {
    code_len.div_ceil(64) * 8
}

/// Bytes of an `EthCode` account holding `code_len` bytes of code (and their analysis).
pub const fn len(code_len: usize) -> usize {
    CODE + code_len + analysis_len(code_len)
}

/// Writes `code`'s length, the code and its analysis into `data` (an account of
/// [`len`]`(code.len())` bytes; the header before [`CODE_LEN`] is left as it is).
pub fn write_code(data: &mut [u8], code: &[u8]) {
    data[CODE_LEN..CODE].copy_from_slice(&(code.len() as u32).to_le_bytes());
    let (stored, analysis) = data[CODE..].split_at_mut(code.len());
    stored.copy_from_slice(code);
    for (bytes, word) in analysis
        .chunks_exact_mut(8)
        .zip(jumpdest_bitmap(code).iter())
    {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
}

/// The analysis stored after `code_len` bytes of code, as the interpreter takes it.
pub fn read_analysis(data: &[u8], code_len: usize) -> Vec<u64> {
    let at = CODE + code_len;
    data[at..at + analysis_len(code_len)]
        .chunks_exact(8)
        .map(|bytes| u64::from_le_bytes(bytes.try_into().unwrap()))
        .collect()
}

/// The code length of an `EthCode` account, checked against the account's length: the code and
/// its analysis, or the code alone (an account written before code accounts kept the analysis).
fn check_len(data: &[u8]) -> Result<usize, DecodeError> {
    check_at_least(data, &ETH_CODE_DISCRIMINATOR, CODE)?;
    let code_len = u32_at(data, CODE_LEN) as usize;
    if data.len() != len(code_len) && data.len() != CODE + code_len {
        return Err(DecodeError::Length);
    }
    Ok(code_len)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EthCode {
    pub address: [u8; 20],
    pub bump: u8,
    pub code: Vec<u8>,
}

impl EthCode {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let code_len = check_len(data)?;
        Ok(Self {
            address: data[ADDRESS..ADDRESS + 20].try_into().unwrap(),
            bump: data[BUMP],
            code: data[CODE..CODE + code_len].to_vec(),
        })
    }

    /// The code as the interpreter runs it, with the analysis the program stored beside it (an
    /// older account without one is analysed at its first jump).
    pub fn bytecode(data: &[u8]) -> Result<Bytecode, DecodeError> {
        let code_len = check_len(data)?;
        let code = data[CODE..CODE + code_len].to_vec();
        Ok(if data.len() == len(code_len) {
            Bytecode::with_jumpdests(code, read_analysis(data, code_len))
        } else {
            Bytecode::new(code)
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut data = alloc::vec![0u8; len(self.code.len())];
        data[..8].copy_from_slice(&ETH_CODE_DISCRIMINATOR);
        data[ADDRESS..ADDRESS + 20].copy_from_slice(&self.address);
        data[BUMP] = self.bump;
        write_code(&mut data, &self.code);
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_analysis_is_the_codes() {
        // PUSH1 0x5b (data, not a JUMPDEST), JUMPDEST at 2, and a JUMPDEST at 64 (second word).
        let mut code = alloc::vec![0x60, 0x5b, 0x5b];
        code.resize(64, 0x00);
        code.push(0x5b);
        let account = EthCode {
            address: [7; 20],
            bump: 254,
            code: code.clone(),
        };
        let data = account.encode();
        assert_eq!(data.len(), CODE + 65 + 16);
        assert_eq!(read_analysis(&data, 65), alloc::vec![1 << 2, 1]);
        assert_eq!(EthCode::decode(&data), Ok(account));
        let bytecode = EthCode::bytecode(&data).unwrap();
        assert_eq!(bytecode.code(), &code[..]);
        assert!(bytecode.is_jumpdest(2) && bytecode.is_jumpdest(64));
        assert!(!bytecode.is_jumpdest(1));
        assert_eq!(
            EthCode::decode(&data[..data.len() - 1]),
            Err(DecodeError::Length)
        );
        // An account written before the analysis was kept: the code alone, analysed when run.
        let legacy = &data[..CODE + 65];
        assert_eq!(EthCode::decode(legacy).unwrap().code, code);
        let bytecode = EthCode::bytecode(legacy).unwrap();
        assert!(bytecode.is_jumpdest(2) && bytecode.is_jumpdest(64) && !bytecode.is_jumpdest(1));
    }
}
