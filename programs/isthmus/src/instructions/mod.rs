//! One file per instruction: its accounts struct (with the declared constraints) beside its
//! handler.

pub mod crank_blockhashes;
pub mod deposit;
pub mod execute;
pub mod initialize;
pub mod link_wallet;
pub mod withdraw;

pub use crank_blockhashes::*;
pub use deposit::*;
pub use execute::*;
pub use initialize::*;
pub use link_wallet::*;
pub use withdraw::*;
