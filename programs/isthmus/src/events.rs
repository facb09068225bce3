//! Events, written to the program log with `sol_log_data` ("Program data: <base64>"): an 8-byte
//! discriminator (sha256("event:<Name>")[..8]) followed by the fields in Borsh layout.

use alloc::vec::Vec;
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

/// The receipt of one executed Ethereum transaction (see the README's "Receipts"). Followed by
/// one [`EvmLog`] per log record, in order.
#[event]
pub struct Executed {
    /// keccak256 of the raw signed transaction.
    pub tx_hash: [u8; 32],
    pub sender: [u8; 20],
    pub nonce: u64,
    /// The Ethereum receipt status: 1 success, 0 failure (revert or exceptional halt).
    pub status: u8,
    /// 0 success, 1 revert, 2 exceptional halt.
    pub outcome: u8,
    /// Gas charged, after the refund.
    pub gas_used: u64,
    /// Wei per gas the sender paid, 256-bit little-endian.
    pub effective_gas_price: [u8; 32],
    /// The contract a creation transaction created.
    pub created_address: Option<[u8; 20]>,
    /// Number of [`EvmLog`] events that follow.
    pub log_count: u32,
    /// The revert data when `outcome` is 1, else empty.
    pub revert_data: Vec<u8>,
}

/// One LOG record of an executed transaction.
#[event]
pub struct EvmLog {
    pub tx_hash: [u8; 32],
    /// Position among the transaction's logs, from 0.
    pub index: u32,
    pub address: [u8; 20],
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

/// Written before `AccountNotProvided`: the account the transaction needed (`kind` 0: the
/// address's account, 1: its code, 2: the storage cell of `slot`).
#[event]
pub struct MissingAccount {
    pub address: [u8; 20],
    pub kind: u8,
    pub slot: [u8; 32],
}

pub fn log_missing(address: &[u8; 20], kind: u8, slot: &[u8; 32]) {
    emit!(MissingAccount {
        address: *address,
        kind,
        slot: *slot,
    });
}

/// An iterative transaction paused at the end of a `step` (its receipt comes with the step that
/// finishes it).
#[event]
pub struct StepProgress {
    pub tx_hash: [u8; 32],
    /// Opcodes executed so far, over all steps (since the last restart).
    pub steps: u64,
    /// Gas spent so far, before refunds.
    pub gas_spent: u64,
    /// Times the transaction started over because an account it had read was changed by another
    /// transaction between its steps.
    pub restarts: u32,
    /// Why it paused: 0 `max_steps` ran, 1 compute, 2 heap, 3 the holder must grow first
    /// (`holder_resize`), 4 only begun (large transaction), 5 finished, settled next step.
    pub pause: u8,
}

/// An iterative transaction that became invalid when it started over (another transaction had
/// used its nonce or spent the balance it needed): it is dropped, charged nothing, and the
/// holder is idle again. `reason` is the `IsthmusError` code it would have failed with.
#[event]
pub struct Dropped {
    pub tx_hash: [u8; 32],
    pub reason: u32,
}

/// A Solana wallet linked itself to an Ethereum address (`link_wallet`).
#[event]
pub struct WalletLinked {
    pub wallet: Address,
    pub address: [u8; 20],
}

/// A linked wallet withdrew lamports from its Ethereum address's balance.
#[event]
pub struct Withdrawn {
    /// The Ethereum address debited (`lamports * 10^9` wei).
    pub address: [u8; 20],
    /// The Solana wallet paid.
    pub wallet: Address,
    pub lamports: u64,
}
