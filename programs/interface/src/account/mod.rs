//! The byte layout of every account the program owns. Each starts with Anchor's 8-byte
//! discriminator, sha256("account:<Name>")[..8]; integers are little-endian; no padding.
//! Each module gives the offsets (what the program reads in place), a plain struct, and its
//! `decode` (checked: length, discriminator) and `encode`.

pub mod blockhashes;
pub mod code;
pub mod config;
pub mod eth_account;
pub mod fee_market;
pub mod holder;
pub mod reverse;
pub mod storage_cell;
pub mod vault;

pub use blockhashes::{BlockhashRegistry, BlockhashWindow};
pub use code::EthCode;
pub use config::Config;
pub use eth_account::EthAccount;
pub use fee_market::FeeMarket;
pub use holder::HolderHeader;
pub use reverse::ReverseEntry;
pub use storage_cell::StorageCell;

use crate::DecodeError;

/// sha256("account:Config")[..8]
pub const CONFIG_DISCRIMINATOR: [u8; 8] = [155, 12, 170, 224, 30, 250, 204, 130];
/// sha256("account:Vault")[..8]
pub const VAULT_DISCRIMINATOR: [u8; 8] = [211, 8, 232, 43, 2, 152, 117, 119];
/// sha256("account:EthAccount")[..8]
pub const ETH_ACCOUNT_DISCRIMINATOR: [u8; 8] = [28, 110, 10, 1, 209, 218, 157, 75];
/// sha256("account:EthCode")[..8]
pub const ETH_CODE_DISCRIMINATOR: [u8; 8] = [125, 235, 231, 73, 138, 19, 229, 152];
/// sha256("account:StorageCell")[..8]
pub const STORAGE_CELL_DISCRIMINATOR: [u8; 8] = [91, 170, 17, 210, 106, 3, 1, 217];
/// sha256("account:FeeMarket")[..8]
pub const FEE_MARKET_DISCRIMINATOR: [u8; 8] = [43, 241, 241, 160, 84, 75, 71, 218];
/// sha256("account:BlockhashRegistry")[..8]
pub const BLOCKHASH_REGISTRY_DISCRIMINATOR: [u8; 8] = [40, 21, 16, 71, 22, 0, 97, 169];
/// sha256("account:ReverseEntry")[..8]
pub const REVERSE_ENTRY_DISCRIMINATOR: [u8; 8] = [116, 69, 120, 215, 183, 220, 172, 4];
/// sha256("account:Holder")[..8]
pub const HOLDER_DISCRIMINATOR: [u8; 8] = [37, 121, 1, 40, 55, 46, 199, 157];

/// Checks an account's discriminator and that it is exactly `len` bytes.
pub(crate) fn check(data: &[u8], discriminator: &[u8; 8], len: usize) -> Result<(), DecodeError> {
    check_at_least(data, discriminator, len)?;
    if data.len() != len {
        return Err(DecodeError::Length);
    }
    Ok(())
}

/// Checks an account's discriminator and that it has at least `len` bytes.
pub(crate) fn check_at_least(
    data: &[u8],
    discriminator: &[u8; 8],
    len: usize,
) -> Result<(), DecodeError> {
    if data.len() < 8 || data[..8] != *discriminator {
        return Err(DecodeError::Discriminator);
    }
    if data.len() < len {
        return Err(DecodeError::Length);
    }
    Ok(())
}
