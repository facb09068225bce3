//! One file per instruction: its accounts struct (with the declared constraints) beside its
//! handler.

pub mod cancel;
pub mod crank_blockhashes;
pub mod deposit;
pub mod execute;
pub mod execute_from_holder;
pub mod holder_create;
pub mod holder_delete;
pub mod holder_resize;
pub mod holder_write;
pub mod initialize;
pub mod link_wallet;
pub mod step;
pub mod update_config;
pub mod withdraw;

pub use cancel::*;
pub use crank_blockhashes::*;
pub use deposit::*;
pub use execute::*;
pub use execute_from_holder::*;
pub use holder_create::*;
pub use holder_delete::*;
pub use holder_resize::*;
pub use holder_write::*;
pub use initialize::*;
pub use link_wallet::*;
pub use step::*;
pub use update_config::*;
pub use withdraw::*;
