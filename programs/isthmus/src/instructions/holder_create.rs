//! `holder_create`: an operator creates a holder account (see [`crate::state::holder`]) at PDA
//! `["holder", operator, index]`, `size` bytes (header included; at most 10 KiB, Solana's limit
//! for an account created by a program; grow it later with `holder_resize`).

use crate::error::IsthmusError;
use crate::state::holder::{self, HEADER, MAX_GROWTH};
use crate::state::Config;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct HolderCreate {
    /// One of the config's operators; pays the rent and owns the holder.
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// CHECK: created here at the PDA of (operator, index); checked by `create_holder`.
    #[account(mut)]
    pub holder: UncheckedAccount,
    pub system_program: Program<System>,
}

impl HolderCreate {
    pub fn holder_create(&mut self, program_id: &Address, index: u64, size: u32) -> Result<()> {
        require!(
            self.config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let size = size as usize;
        require!(
            (HEADER..=MAX_GROWTH).contains(&size),
            IsthmusError::HolderTooSmall
        );
        let mut view = *self.holder.account();
        holder::create_holder(program_id, self.operator.account(), &mut view, index, size)
    }
}
