//! `crank_blockhashes`: anyone refreshes the blockhash registry from the SlotHashes sysvar, so
//! BLOCKHASH keeps the whole 256-slot window even when no transaction executed for a while
//! (SlotHashes itself keeps 512 slots, so a crank every few minutes loses nothing). The first call
//! (or the first `execute`) creates the registry, paid by its signer.

use crate::blockhashes::{self, SLOT_HASHES_ID};
use crate::error::IsthmusError;
use crate::state::*;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CrankBlockhashes {
    /// Anyone; pays the registry's rent if it does not exist yet.
    #[account(mut)]
    pub payer: Signer,
    #[account(init_if_needed, payer = payer, seeds = [b"blockhashes"], bump)]
    pub blockhashes: Account<BlockhashRegistry>,
    /// The SlotHashes sysvar.
    #[account(address = SLOT_HASHES_ID @ IsthmusError::NotSlotHashes)]
    pub slot_hashes: UncheckedAccount,
    pub system_program: Program<System>,
}

impl CrankBlockhashes {
    pub fn crank(&mut self, bumps: &CrankBlockhashesBumps) -> Result<()> {
        self.blockhashes.bump = bumps.blockhashes;
        blockhashes::refresh(&mut self.blockhashes, &self.slot_hashes)?;
        Ok(())
    }
}
