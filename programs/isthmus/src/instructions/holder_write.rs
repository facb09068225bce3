//! `holder_write`: an operator writes one chunk of a raw Ethereum transaction into its idle
//! holder at `offset`. The transaction is the bytes `[0, tx_len)`, `tx_len` being the highest end
//! of any write since the holder was emptied (by a transaction that ran, `cancel`, or
//! `holder_resize` cutting it); chunks may come in any order. The holder grows
//! when needed (at most 10 KiB per instruction), the operator paying the rent.

use crate::error::IsthmusError;
use crate::state::holder::{self, HEADER, STATUS_IDLE};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct HolderWrite {
    #[account(mut)]
    pub operator: Signer,
    /// CHECK: validated by `load_holder` (owner, discriminator, PDA, operator).
    #[account(mut)]
    pub holder: UncheckedAccount,
    pub system_program: Program<System>,
}

impl HolderWrite {
    pub fn holder_write(&mut self, program_id: &Address, offset: u32, data: &[u8]) -> Result<()> {
        let mut view = *self.holder.account();
        let mut header = holder::load_holder(program_id, &view, self.operator.address())?;
        require!(header.status == STATUS_IDLE, IsthmusError::HolderBusy);
        let end = (offset as usize)
            .checked_add(data.len())
            .ok_or(IsthmusError::HolderTooSmall)?;
        holder::ensure_len(&mut view, self.operator.account(), HEADER + end)?;
        {
            let mut bytes = view.try_borrow_mut()?;
            bytes[HEADER + offset as usize..HEADER + end].copy_from_slice(data);
        }
        header.tx_len = header.tx_len.max(end);
        header.progress_len = 0;
        holder::write_header(&mut view, &header)
    }
}
