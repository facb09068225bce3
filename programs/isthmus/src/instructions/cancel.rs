//! `cancel`: the operator gives up an iterative transaction that cannot finish (it needs more
//! compute than steps can give, or keeps restarting). Like a transaction that runs out of gas on
//! Ethereum, it fails and is charged: the sender's nonce is used and it pays the gas spent so far
//! at its effective price (at most its balance), to the operator; the unused gas is not charged.
//! None of its other effects are applied. If the sender's nonce has moved on meanwhile (another
//! transaction used it), nothing is charged and the transaction is dropped. Either way the holder
//! is idle and empty again.
//!
//! Remaining accounts: the sender's account (writable) and the operator's Ethereum account
//! (writable, or its empty PDA).

use crate::error::IsthmusError;
use crate::events::{Dropped, Executed};
use crate::execution;
use crate::host::SolanaHost;
use crate::instructions::step::empty;
use crate::state::holder::{self, Progress, HEADER, STATUS_RUNNING};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::result::{AccountChange, StateChanges};
use isthmus_evm::{State, U256};
use isthmus_interface::solana_costs;

/// `Executed.outcome` of a cancelled transaction.
pub const OUTCOME_CANCELLED: u8 = 3;

#[derive(Accounts)]
pub struct Cancel {
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// CHECK: validated by `load_holder` (owner, discriminator, PDA, operator).
    #[account(mut)]
    pub holder: UncheckedAccount,
    pub system_program: Program<System>,
}

impl Cancel {
    pub fn cancel(&mut self, program_id: &Address, remaining: Vec<AccountView>) -> Result<()> {
        require!(
            self.config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let mut view = *self.holder.account();
        let header = holder::load_holder(program_id, &view, self.operator.address())?;
        require!(header.status == STATUS_RUNNING, IsthmusError::HolderIdle);
        let progress = {
            let data = view.try_borrow()?;
            let start = HEADER + header.tx_len;
            Progress::decode(&data[start..start + header.progress_len])?
        };
        let machine = &progress.machine;
        let (tx, block) = (machine.tx(), machine.block());
        let mut host = SolanaHost::load(program_id, remaining)?;
        let sender = host
            .account(&tx.caller)
            .map_err(|e| execution::missing_state(&e))?;

        match sender {
            Some(mut info) if info.nonce == tx.nonce => {
                let price = tx.effective_gas_price(block.base_fee);
                // On a charging chain the steps' Solana costs too (the rent they paid, the
                // signature), within the gas limit.
                let mut gas_spent = machine.gas_spent();
                if self.config.charges_solana_costs() {
                    let lamports = solana_costs::lamports(header.rent);
                    gas_spent = gas_spent
                        .saturating_add(solana_costs::gas_for(lamports, price))
                        .min(tx.gas_limit);
                }
                let fee = price
                    .saturating_mul(U256::from(gas_spent))
                    .min(info.balance);
                info.nonce += 1;
                info.balance -= fee;
                let mut changes = StateChanges {
                    accounts: alloc::vec![AccountChange {
                        address: tx.caller,
                        info: Some(info),
                        code: None,
                        storage_cleared: false,
                        storage: Vec::new(),
                    }],
                };
                execution::credit(&mut changes, &mut host, &block.coinbase, fee)?;
                host.apply(&changes, self.operator.account())?;
                emit!(Executed {
                    tx_hash: header.tx_hash,
                    sender: tx.caller,
                    nonce: tx.nonce,
                    status: 0,
                    outcome: OUTCOME_CANCELLED,
                    gas_used: gas_spent,
                    effective_gas_price: price.to_le_bytes::<32>(),
                    created_address: None,
                    log_count: 0,
                    revert_data: Vec::new(),
                });
            }
            _ => emit!(Dropped {
                tx_hash: header.tx_hash,
                reason: 6000 + IsthmusError::NonceMismatch as u32,
            }),
        }
        empty(&mut view, header)
    }
}
