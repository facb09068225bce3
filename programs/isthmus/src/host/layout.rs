//! The byte layouts the host reads and writes in place: those of `isthmus_interface::account`
//! (EthAccount, EthCode, StorageCell), under the names the host uses, and two readers.

pub use isthmus_interface::account::eth_account as account;
pub use isthmus_interface::account::storage_cell as storage;
pub use isthmus_interface::account::{code, ETH_ACCOUNT_DISCRIMINATOR as ETH_ACCOUNT_DISC};
pub use isthmus_interface::account::{
    fee_market, ETH_CODE_DISCRIMINATOR as ETH_CODE_DISC,
    FEE_MARKET_DISCRIMINATOR as FEE_MARKET_DISC, STORAGE_CELL_DISCRIMINATOR as STORAGE_CELL_DISC,
};
pub use isthmus_interface::seeds::{
    ACCOUNT as SEED_ACCOUNT, CODE as SEED_CODE, FEE as SEED_FEE, STORAGE as SEED_STORAGE,
};

#[inline]
pub fn u64_at(data: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(data[at..at + 8].try_into().unwrap())
}

#[inline]
pub fn array_at<const N: usize>(data: &[u8], at: usize) -> [u8; N] {
    data[at..at + N].try_into().unwrap()
}
