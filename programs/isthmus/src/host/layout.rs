//! Byte layouts of the accounts the EVM host reads and writes (documented in the program README).
//!
//! `EthAccount` is also declared as an Anchor account (`state::EthAccount`, written by `deposit`);
//! the host reads it through the same offsets without Anchor's wrappers, because it arrives among
//! the remaining accounts. `EthCode` (variable length) and `StorageCell` are plain program-owned
//! accounts with an Anchor-style discriminator.

/// sha256("account:EthAccount")[..8]
pub const ETH_ACCOUNT_DISC: [u8; 8] = [0x1c, 0x6e, 0x0a, 0x01, 0xd1, 0xda, 0x9d, 0x4b];
/// sha256("account:EthCode")[..8]
pub const ETH_CODE_DISC: [u8; 8] = [0x7d, 0xeb, 0xe7, 0x49, 0x8a, 0x13, 0xe5, 0x98];
/// sha256("account:StorageCell")[..8]
pub const STORAGE_CELL_DISC: [u8; 8] = [0x5b, 0xaa, 0x11, 0xd2, 0x6a, 0x03, 0x01, 0xd9];

/// `EthAccount`, PDA `["account", address]`: 366 bytes.
pub mod account {
    pub const ADDRESS: usize = 8;
    pub const BUMP: usize = 28;
    pub const VERSION: usize = 29;
    pub const NONCE: usize = 30;
    /// 32 bytes, little-endian.
    pub const BALANCE: usize = 38;
    pub const CODE_HASH: usize = 70;
    pub const GENERATION: usize = 102;
    /// Storage slots 0..[`INLINE_SLOTS`], 32 bytes each, big-endian: a contract's first state
    /// variables live in its own account instead of a storage cell each.
    pub const INLINE: usize = 110;
    pub const INLINE_SLOTS: usize = 8;
    pub const LEN: usize = INLINE + INLINE_SLOTS * 32;

    /// The inline index of `slot`, if it is stored in the account.
    pub fn inline_index(slot: &[u8; 32]) -> Option<usize> {
        let (high, low) = slot.split_at(31);
        (high.iter().all(|b| *b == 0) && (low[0] as usize) < INLINE_SLOTS)
            .then_some(low[0] as usize)
    }
}

/// `EthCode`, PDA `["code", address]`: 33 bytes of header, then the code.
pub mod code {
    pub const ADDRESS: usize = 8;
    pub const BUMP: usize = 28;
    /// u32, little-endian: the code length.
    pub const CODE_LEN: usize = 29;
    pub const CODE: usize = 33;
}

/// `StorageCell`, PDA `["storage", address, slot (32 bytes, big-endian)]`: 101 bytes.
pub mod storage {
    pub const ADDRESS: usize = 8;
    /// 32 bytes, big-endian (as in the seeds).
    pub const SLOT: usize = 28;
    pub const BUMP: usize = 60;
    /// u64: the owning account's generation when the value was written; a cell of an older
    /// generation reads as zero.
    pub const GENERATION: usize = 61;
    /// 32 bytes, big-endian.
    pub const VALUE: usize = 69;
    pub const LEN: usize = 101;
}

/// PDA seed prefixes.
pub const SEED_ACCOUNT: &[u8] = b"account";
pub const SEED_CODE: &[u8] = b"code";
pub const SEED_STORAGE: &[u8] = b"storage";

#[inline]
pub fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().unwrap())
}

#[inline]
pub fn array_at<const N: usize>(data: &[u8], at: usize) -> [u8; N] {
    data[at..at + N].try_into().unwrap()
}
