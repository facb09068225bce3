//! Account layouts. Every account is an Anchor zero-copy account: an 8-byte discriminator
//! (sha256("account:<Name>")[..8]) followed by the `repr(C)` struct, whose fields are all
//! alignment-1 (`[u8; N]`, `Pod*` wrappers), so there is no padding and the layout is the same on
//! every target. Integers are little-endian.

pub mod blockhashes;
pub mod config;
pub mod eth_account;
pub mod fee_market;
pub mod holder;
pub mod reverse;
pub mod vault;

pub use blockhashes::*;
pub use config::*;
pub use eth_account::*;
pub use fee_market::*;
pub use reverse::*;
pub use vault::*;

/// PDA seeds (the literals are repeated in the `seeds = [...]` constraints so that Anchor
/// computes the bumps at compile time).
pub mod seeds {
    /// `["config"]`: the single [`super::Config`].
    pub const CONFIG: &[u8] = b"config";
    /// `["vault"]`: the single [`super::Vault`], which holds every deposited lamport.
    pub const VAULT: &[u8] = b"vault";
    /// `["account", <20-byte Ethereum address>]`: that address's [`super::EthAccount`].
    pub const ACCOUNT: &[u8] = b"account";
    /// `["blockhashes"]`: the single [`super::BlockhashRegistry`].
    pub const BLOCKHASHES: &[u8] = b"blockhashes";
    /// `["fee", <20-byte address>]`: that contract's [`super::FeeMarket`].
    pub const FEE: &[u8] = b"fee";
    /// `["reverse", <32-byte wallet>]`: that wallet's [`super::ReverseEntry`].
    pub const REVERSE: &[u8] = b"reverse";
}
