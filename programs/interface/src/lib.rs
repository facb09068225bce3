//! The Isthmus program's interface, stated once for everything that talks to it: the program
//! itself (`programs/isthmus`), the emulator, the relayer and rpc-proxy.
//!
//! - [`account`]: the byte layout of every account the program owns, with decoding and encoding;
//! - [`seeds`]: the seeds of its program-derived addresses;
//! - [`instruction`]: instruction discriminators and argument encoding;
//! - [`error`]: the program's error numbers, names and messages;
//! - [`event`]: the events it logs (receipts, step progress), decoded;
//! - [`fee_market`]: the per-contract local fee market's arithmetic;
//! - [`solana_costs`]: the rent and fees a transaction costs on Solana, as gas its sender pays;
//! - [`transaction`]: the raw transactions it takes (signed, or impersonated on a development
//!   chain), decoded with their sender;
//! - [`block`]: what NUMBER, TIMESTAMP, BLOCKHASH, PREVRANDAO, BASEFEE, COINBASE and GASLIMIT are
//!   for a given slot, clock, blockhash registry, fee market and operator.
//!
//! `no_std`, without Anchor or Solana SDK types: addresses are `[u8; 32]`, so the program (its
//! own Cargo workspace, Anchor 2) and the off-chain crates (LiteSVM's Solana crates) can both
//! take it by path.

#![no_std]
extern crate alloc;

pub mod account;
pub mod block;
pub mod error;
pub mod event;
pub mod fee_market;
pub mod instruction;
mod reader;
pub mod seeds;
pub mod solana_costs;
pub mod transaction;

pub use error::ProgramError;

/// The program id, `BFk33YFp3PLZJdVfpvFTU7dmuvdNudnfADhVkniCC9cn` (the program's `declare_id!`;
/// Anchor 2's entrypoint refuses to run under any other).
pub const PROGRAM_ID: [u8; 32] = [
    152, 91, 169, 34, 229, 114, 26, 8, 34, 39, 56, 21, 106, 124, 183, 183, 22, 139, 169, 139, 141,
    214, 24, 7, 32, 134, 131, 47, 218, 163, 216, 3,
];

/// One lamport is this many wei: SOL is the gas token with 18 decimals, like ether.
pub const WEI_PER_LAMPORT: u64 = 1_000_000_000;

/// Why bytes are not the account or event they should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Too short, too long, or a length field pointing past the end.
    Length,
    /// Another account or event type.
    Discriminator,
    /// A field holds a value the program never writes.
    Value,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            DecodeError::Length => "wrong length",
            DecodeError::Discriminator => "wrong discriminator",
            DecodeError::Value => "a field out of range",
        })
    }
}
