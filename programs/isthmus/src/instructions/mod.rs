//! One file per instruction: its accounts struct (with the declared constraints) beside its
//! handler.

pub mod deposit;
pub mod execute;
pub mod initialize;

pub use deposit::*;
pub use execute::*;
pub use initialize::*;
