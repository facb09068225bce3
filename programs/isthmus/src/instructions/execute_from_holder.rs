//! `execute_from_holder`: like `execute`, for a transaction too large for one Solana transaction
//! but small enough in compute for one instruction: the raw transaction comes from the operator's
//! idle holder, written there with `holder_write`. On success the holder is emptied for the next
//! transaction; on failure it keeps the bytes (nothing changes, as for `execute`).

use crate::blockhashes::SLOT_HASHES_ID;
use crate::error::IsthmusError;
use crate::execution::BlockAccounts;
use crate::instructions::execute::run_whole;
use crate::state::holder::{self, HEADER, STATUS_IDLE};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct ExecuteFromHolder {
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// As for `execute`: the blockhash registry, the fee market of the transaction's contract,
    /// the SlotHashes sysvar.
    #[account(seeds = [b"blockhashes"], bump)]
    pub blockhashes: Account<BlockhashRegistry>,
    /// CHECK: validated by `fee_market::open` against the transaction's `to`.
    #[account(mut)]
    pub fee_market: UncheckedAccount,
    #[account(address = SLOT_HASHES_ID @ IsthmusError::NotSlotHashes)]
    pub slot_hashes: UncheckedAccount,
    /// CHECK: validated by `load_holder` (owner, discriminator, PDA, operator).
    #[account(mut)]
    pub holder: UncheckedAccount,
    pub system_program: Program<System>,
    // Remaining accounts: as for `execute`.
}

impl ExecuteFromHolder {
    pub fn execute_from_holder(
        &mut self,
        program_id: &Address,
        remaining: Vec<AccountView>,
    ) -> Result<()> {
        require!(
            self.config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let mut view = *self.holder.account();
        let mut header = holder::load_holder(program_id, &view, self.operator.address())?;
        require!(header.status == STATUS_IDLE, IsthmusError::HolderBusy);
        require!(header.tx_len > 0, IsthmusError::HolderEmpty);
        let accounts = BlockAccounts {
            blockhashes: &self.blockhashes,
            fee_market: self.fee_market.account(),
            slot_hashes: self.slot_hashes.account(),
        };
        {
            let data = view.try_borrow()?;
            run_whole(
                program_id,
                &self.config,
                self.operator.account(),
                &accounts,
                remaining,
                &data[HEADER..HEADER + header.tx_len],
            )?;
        }
        header.tx_len = 0;
        holder::write_header(&mut view, &header)
    }
}
