//! `deposit`: a Solana wallet moves lamports into the vault and credits an Ethereum address with
//! `lamports * 10^9` wei. The address's account (`["account", address]`) is created on its first
//! deposit, paid for by the depositor (also when someone has sent lamports to the address
//! beforehand: Anchor tops it up instead of failing).

// anchor-lang 2.0.0-rc.2's generated exit hook decodes the `#[instruction]` arguments again and
// leaves them unused.
#![allow(unused_variables)]

use crate::error::IsthmusError;
use crate::events::Deposited;
use crate::state::*;
use anchor_lang::prelude::*;

#[derive(Accounts)]
#[instruction(address: [u8; 20])]
pub struct Deposit {
    /// Pays the deposit (and the new account's rent).
    #[account(mut)]
    pub depositor: Signer,
    /// The vault; it only exists once the program is initialized.
    #[account(mut, seeds = [b"vault"], bump)]
    pub vault: Account<Vault>,
    /// The Ethereum address's account.
    #[account(
        init_if_needed,
        payer = depositor,
        seeds = [b"account", address.as_ref()],
        bump
    )]
    pub account: Account<EthAccount>,
    pub system_program: Program<System>,
}

impl Deposit {
    pub fn deposit(
        &mut self,
        address: [u8; 20],
        lamports: u64,
        bumps: &DepositBumps,
    ) -> Result<()> {
        require!(lamports > 0, IsthmusError::ZeroDeposit);

        let account = &mut self.account;
        if account.version == 0 {
            // Created just now by `init_if_needed` (zeroed data).
            account.address = address;
            account.bump = bumps.account;
            account.version = EthAccount::VERSION;
            account.code_hash = KECCAK_EMPTY;
        } else {
            // The seeds already bind the account to `address`; a mismatch means corrupt state.
            require!(account.address == address, IsthmusError::AddressMismatch);
        }
        let wei = lamports as u128 * WEI_PER_LAMPORT as u128;
        require!(account.credit(wei), IsthmusError::BalanceOverflow);

        // Through Anchor's CPI handles, which release the vault's data borrow for the call
        // (pinocchio's checked CPI would refuse the borrowed vault).
        system_program::transfer(
            CpiContext::new(
                self.system_program.address(),
                system_program::Transfer {
                    from: self.depositor.to_cpi_handle_mut(),
                    to: self.vault.to_cpi_handle_mut(),
                },
            ),
            lamports,
        )?;

        emit!(Deposited {
            address,
            depositor: *self.depositor.address(),
            lamports,
        });
        Ok(())
    }
}
