//! `holder_delete`: an operator closes its holder and takes back the rent. A holder running an
//! iterative transaction must be cancelled first, so no charged gas goes unrecorded.

use crate::error::IsthmusError;
use crate::state::holder::{self, STATUS_IDLE};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct HolderDelete {
    /// Receives the holder's lamports.
    #[account(mut)]
    pub operator: Signer,
    /// CHECK: validated by `load_holder` (owner, discriminator, PDA, operator).
    #[account(mut)]
    pub holder: UncheckedAccount,
}

impl HolderDelete {
    pub fn holder_delete(&mut self, program_id: &Address) -> Result<()> {
        let mut view = *self.holder.account();
        let header = holder::load_holder(program_id, &view, self.operator.address())?;
        require!(header.status == STATUS_IDLE, IsthmusError::HolderBusy);
        let mut operator = *self.operator.account();
        let lamports = view.lamports();
        operator.set_lamports(
            operator
                .lamports()
                .checked_add(lamports)
                .ok_or(ProgramError::ArithmeticOverflow)?,
        );
        view.set_lamports(0);
        view.close()?;
        Ok(())
    }
}
