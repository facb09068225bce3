//! `Vault`, PDA `["vault"]`: holds every deposited lamport; its data is only its bump.

pub const BUMP: usize = 8;
pub const LEN: usize = 9;
