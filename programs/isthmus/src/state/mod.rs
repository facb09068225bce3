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

/// PDA seeds: `isthmus_interface::seeds` (the literals are repeated in the `seeds = [...]`
/// constraints so that Anchor computes the bumps at compile time; a unit test checks them).
pub use isthmus_interface::seeds;
