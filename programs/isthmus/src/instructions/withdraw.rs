//! `withdraw(lamports)`: a wallet linked to an Ethereum address (`link_wallet`) takes
//! `lamports` out of the vault, and `lamports * 10^9` wei off that address's balance (a wallet
//! that never linked: off its own derived address, keccak256(wallet)[12..], which is how an
//! operator collects the gas it was paid), so the sum
//! of all balances stays what the vault's lamports back. The vault is owned by this program, so
//! the lamports move directly, without a system-program call.
//!
//! The reverse entry and the Ethereum account are read by hand (not as Anchor accounts) so that an
//! unlinked wallet or an address without an account is refused with this program's own error.

use crate::error::IsthmusError;
use crate::events::Withdrawn;
use crate::host::layout::{account, ETH_ACCOUNT_DISC, SEED_ACCOUNT};
use crate::state::*;
use anchor_lang::pinocchio::sysvars::{rent::Rent, Sysvar};
use anchor_lang::prelude::*;
use isthmus_evm::U256;

#[derive(Accounts)]
pub struct Withdraw {
    /// The linked wallet; receives the lamports.
    #[account(mut)]
    pub wallet: Signer,
    /// The wallet's reverse entry, PDA `["reverse", wallet]`: which Ethereum address it acts for.
    #[account(seeds = [b"reverse", wallet.address().as_ref()], bump)]
    pub reverse: UncheckedAccount,
    /// That address's EthAccount, PDA `["account", address]` (checked in the handler).
    #[account(mut)]
    pub account: UncheckedAccount,
    #[account(mut, seeds = [b"vault"], bump)]
    pub vault: Account<Vault>,
}

impl Withdraw {
    pub fn withdraw(&mut self, program_id: &Address, lamports: u64) -> Result<()> {
        require!(lamports > 0, IsthmusError::ZeroWithdraw);

        // The reverse entry; a wallet that never linked acts for its own derived address,
        // keccak256(wallet)[12..], where an operator's gas payments land (its COINBASE).
        let linked = self.reverse.owned_by(program_id);
        let address: [u8; 20] = if linked {
            let data = self.reverse.try_borrow()?;
            require!(
                data.len() == 8 + core::mem::size_of::<ReverseEntry>()
                    && data[..8] == *ReverseEntry::DISCRIMINATOR,
                IsthmusError::WalletNotLinked
            );
            let entry: &ReverseEntry = anchor_lang::bytemuck::from_bytes(&data[8..]);
            entry.address
        } else {
            let key: [u8; 32] = self.wallet.address().as_ref().try_into().unwrap();
            crate::host::operator_address(&key)
        };

        // The address's account: no account means no balance (for an unlinked wallet: link first).
        let mut view = *self.account.account();
        require!(
            view.owned_by(program_id),
            if linked {
                IsthmusError::InsufficientBalance
            } else {
                IsthmusError::WalletNotLinked
            }
        );
        let wei = U256::from(lamports as u128 * WEI_PER_LAMPORT as u128);
        {
            let mut data = view.try_borrow_mut()?;
            require!(
                data.len() == account::LEN && data[..8] == ETH_ACCOUNT_DISC,
                IsthmusError::AddressMismatch
            );
            require!(
                data[account::ADDRESS..account::ADDRESS + 20] == address,
                IsthmusError::AddressMismatch
            );
            let bump = data[account::BUMP];
            let pda = crate::pda::create(&[SEED_ACCOUNT, &address, &[bump]], program_id);
            require!(
                pda.as_ref() == Some(self.account.address()),
                IsthmusError::AddressMismatch
            );
            let balance_bytes: [u8; 32] = data[account::BALANCE..account::BALANCE + 32]
                .try_into()
                .unwrap();
            let balance = U256::from_le_bytes(balance_bytes);
            require!(balance >= wei, IsthmusError::InsufficientBalance);
            data[account::BALANCE..account::BALANCE + 32]
                .copy_from_slice(&(balance - wei).to_le_bytes::<32>());
        }

        // The vault keeps its own rent-exempt minimum.
        let mut vault = *self.vault.account();
        let floor = Rent::get()?.try_minimum_balance(vault.data_len())?;
        let left = vault
            .lamports()
            .checked_sub(lamports)
            .filter(|left| *left >= floor)
            .ok_or(IsthmusError::VaultBelowRent)?;
        vault.set_lamports(left);
        let mut wallet = *self.wallet.account();
        wallet.set_lamports(
            wallet
                .lamports()
                .checked_add(lamports)
                .ok_or(IsthmusError::BalanceOverflow)?,
        );

        emit!(Withdrawn {
            address,
            wallet: *self.wallet.address(),
            lamports,
        });
        Ok(())
    }
}
