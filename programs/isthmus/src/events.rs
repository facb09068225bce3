//! Events, written to the program log with `sol_log_data` ("Program data: <base64>"): an 8-byte
//! discriminator (sha256("event:<Name>")[..8]) followed by the fields in Borsh layout.

use anchor_lang::prelude::*;

/// The program was initialized.
#[event]
pub struct Initialized {
    pub admin: Address,
    pub chain_id: u64,
}

/// A Solana wallet deposited lamports to an Ethereum address.
#[event]
pub struct Deposited {
    /// The Ethereum address credited.
    pub address: [u8; 20],
    /// The Solana wallet that paid.
    pub depositor: Address,
    pub lamports: u64,
}
