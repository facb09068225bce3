//! `Holder`, PDA `["holder", operator, index (u64 little-endian)]`: an operator's scratch space
//! for one Ethereum transaction at a time, variable length, laid out by hand (a fixed-size Anchor
//! account cannot grow):
//!
//! | bytes | field |
//! |---|---|
//! | 0..8 | discriminator, sha256("account:Holder")[..8] |
//! | 8..40 | operator: the only key that may write, step, cancel or delete |
//! | 40..48 | index, u64 |
//! | 48 | bump |
//! | 49 | status: [`STATUS_IDLE`] (accepts writes) or [`STATUS_RUNNING`] |
//! | 50..54 | tx_len, u32: bytes of raw transaction written (the highest end of a write) |
//! | 54..58 | progress_len, u32: bytes of saved progress (running only) |
//! | 58..90 | tx_hash of the running transaction |
//! | 90..98 | rent, u64: lamports of rent the running transaction's steps have paid so far (its fee markets, its large code), charged with the rest when it settles ([`crate::solana_costs`]) |
//! | 98..104 | reserved |
//! | 104.. | the raw transaction (tx_len bytes), then the saved progress |

use super::{check_at_least, HOLDER_DISCRIMINATOR};
use crate::reader::{u32_at, u64_at};
use crate::DecodeError;

pub const OPERATOR: usize = 8;
pub const INDEX: usize = 40;
pub const BUMP: usize = 48;
pub const STATUS: usize = 49;
pub const TX_LEN: usize = 50;
pub const PROGRESS_LEN: usize = 54;
pub const TX_HASH: usize = 58;
pub const RENT: usize = 90;
/// Where the raw transaction starts.
pub const HEADER: usize = 104;

pub const STATUS_IDLE: u8 = 0;
/// An iterative transaction has begun and not finished.
pub const STATUS_RUNNING: u8 = 1;

/// The most a holder may hold (Solana's account size limit).
pub const MAX_LEN: usize = 10 * 1024 * 1024;
/// Solana's limit on how much one instruction may grow (or create) an account by.
pub const MAX_GROWTH: usize = 10 * 1024;
/// Bytes of raw transaction a relayer writes per `holder_write` (fits a Solana transaction with
/// its accounts).
pub const WRITE_CHUNK: usize = 900;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderHeader {
    pub operator: [u8; 32],
    pub index: u64,
    pub bump: u8,
    pub status: u8,
    pub tx_len: u32,
    pub progress_len: u32,
    pub tx_hash: [u8; 32],
    pub rent: u64,
}

impl HolderHeader {
    /// The header of a holder's bytes; the lengths must fit the account.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check_at_least(data, &HOLDER_DISCRIMINATOR, HEADER)?;
        let header = Self {
            operator: data[OPERATOR..OPERATOR + 32].try_into().unwrap(),
            index: u64_at(data, INDEX),
            bump: data[BUMP],
            status: data[STATUS],
            tx_len: u32_at(data, TX_LEN),
            progress_len: u32_at(data, PROGRESS_LEN),
            tx_hash: data[TX_HASH..TX_HASH + 32].try_into().unwrap(),
            rent: u64_at(data, RENT),
        };
        if HEADER + header.tx_len as usize + header.progress_len as usize > data.len() {
            return Err(DecodeError::Length);
        }
        Ok(header)
    }

    pub fn is_running(&self) -> bool {
        self.status == STATUS_RUNNING
    }
}

/// The raw transaction a holder holds (its header already decoded from `data`).
pub fn raw_transaction<'a>(data: &'a [u8], header: &HolderHeader) -> &'a [u8] {
    &data[HEADER..HEADER + header.tx_len as usize]
}
