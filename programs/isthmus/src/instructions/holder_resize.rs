//! `holder_resize`: grows a holder (by at most 10 KiB per instruction, Solana's limit) or shrinks
//! an idle one, cutting the transaction it holds to what still fits (to the header size: empties
//! it). Large transactions and large saved machines need more than a new holder's 10 KiB;
//! a `step` whose saved machine outgrows the holder by more than 10 KiB fails until it is grown.

use crate::error::IsthmusError;
use crate::state::holder::{self, HEADER, STATUS_IDLE};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct HolderResize {
    /// The holder's operator; pays the extra rent.
    #[account(mut)]
    pub operator: Signer,
    /// CHECK: validated by `load_holder` (owner, discriminator, PDA, operator).
    #[account(mut)]
    pub holder: UncheckedAccount,
    pub system_program: Program<System>,
}

impl HolderResize {
    pub fn holder_resize(&mut self, program_id: &Address, size: u32) -> Result<()> {
        let mut view = *self.holder.account();
        let mut header = holder::load_holder(program_id, &view, self.operator.address())?;
        let size = size as usize;
        if size > view.data_len() {
            holder::ensure_len(&mut view, self.operator.account(), size)
        } else {
            // Shrinking an idle holder cuts the transaction it holds to what still fits (to
            // `HEADER` bytes: empties it, e.g. after a refused transaction).
            require!(header.status == STATUS_IDLE, IsthmusError::HolderBusy);
            require!(size >= HEADER, IsthmusError::HolderTooSmall);
            header.tx_len = header.tx_len.min(size - HEADER);
            holder::write_header(&mut view, &header)?;
            holder::resize(&mut view, self.operator.account(), size)
        }
    }
}
