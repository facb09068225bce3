use anchor_lang::prelude::*;

/// The vault, PDA `["vault"]`, owned by the program: it holds every lamport deposited (above its
/// own rent-exempt minimum). Being program-owned, the program pays out of it (withdrawals, gas to
/// operators) by moving lamports directly, without a system-program call.
#[account]
pub struct Vault {
    pub bump: u8,
}
