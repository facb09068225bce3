//! `execute`: an operator relays one signed Ethereum transaction, carried whole in the instruction
//! data, and the program runs it to completion in this instruction.
//!
//! 1. The signer must be one of the config's operators.
//! 2. The raw transaction (EIP-2718 envelope: legacy, 2930, 1559, 4844 without sidecar) is decoded
//!    strictly; pre-EIP-155 legacy transactions (no chain id) are refused, any other chain id than
//!    the config's is refused; the sender is recovered with the `secp256k1_recover` syscall.
//! 3. BLOCKHASH answers the last 256 slots from the blockhash registry and the SlotHashes
//!    sysvar, both read-only; PREVRANDAO is the most recent slot hash. The fee markets the
//!    transaction carries (its `to`'s, the zero address's for a creation, and those of the other
//!    contracts it runs) move to this slot; the highest base fee is BASEFEE, and a max fee per
//!    gas below it is refused ([`crate::fee_market`]).
//! 4. The interpreter runs it over the remaining accounts (see [`crate::host::state`]): it
//!    validates nonce, balance and fees itself and refuses an invalid transaction before running.
//! 5. The state changes are written back, new accounts created with rent paid by the operator.
//! 6. Gas: the sender is charged `gas_used * effective_gas_price` (the interpreter does this,
//!    refunding the unused gas). COINBASE is the operator's Ethereum address
//!    ([`crate::host::operator_address`]); the interpreter credits it the priority fee and this
//!    instruction credits it the base-fee part as well (Ethereum burns it; here it pays the
//!    operator, and the wei stay backed by the vault's lamports).
//! 7. The receipt is logged: one [`crate::events::Executed`] event, then one [`crate::events::EvmLog`] per log.
//! 8. The compute of its gas is added to the usage of every contract whose code ran, in this
//!    slot; over a contract's cap, the transaction is refused.
//!
//! Any refusal (bad signature, chain id, nonce, funds, a missing or substituted account) is a
//! program error, so the Solana transaction fails and nothing changes. A transaction that runs
//! and reverts or halts is a success on Solana: its nonce and gas are charged, like on Ethereum.

use crate::blockhashes::SLOT_HASHES_ID;
use crate::error::IsthmusError;
use crate::execution::{self, check_transaction, BlockAccounts};
use crate::host::{SolanaHost, SyscallCrypto};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct Execute {
    /// One of the config's operators: relays the transaction, pays the rent of the accounts it
    /// creates, and is paid the gas (in wei, to its Ethereum address).
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// The blockhash registry (created by `initialize`), read-only.
    #[account(seeds = [b"blockhashes"], bump)]
    pub blockhashes: Account<BlockhashRegistry>,
    /// The fee-market account of the transaction's `to` (the zero address for a creation), PDA
    /// `["fee", address]`; created on first use. Validated by [`fee_market::open`], since its
    /// seeds come from the transaction.
    #[account(mut)]
    pub fee_market: UncheckedAccount,
    /// The SlotHashes sysvar.
    #[account(address = SLOT_HASHES_ID @ IsthmusError::NotSlotHashes)]
    pub slot_hashes: UncheckedAccount,
    pub system_program: Program<System>,
    // Remaining accounts: the EthAccount PDAs of every address the transaction touches (the
    // sender, the operator's Ethereum address, the callee, ...), their EthCode PDAs when they
    // have code, the StorageCell PDAs of the slots read or written; writable when written; an
    // address without an account (or a slot without a cell) is passed as its still-empty PDA.
    // The FeeMarket PDAs (writable) of the contracts other than `to` whose code runs.
}

impl Execute {
    pub fn execute(
        &mut self,
        program_id: &Address,
        remaining: Vec<AccountView>,
        raw_tx: &[u8],
    ) -> Result<()> {
        require!(
            self.config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let accounts = BlockAccounts {
            blockhashes: &self.blockhashes,
            fee_market: self.fee_market.account(),
            slot_hashes: self.slot_hashes.account(),
        };
        run_whole(
            program_id,
            &self.config,
            self.operator.account(),
            &accounts,
            remaining,
            raw_tx,
        )
    }
}

/// Checks and runs one raw transaction to the end in this instruction, settles it, and charges
/// its gas to the fee markets of the contracts it ran (shared by `execute` and
/// `execute_from_holder`).
pub fn run_whole(
    program_id: &Address,
    config: &Config,
    operator: &AccountView,
    accounts: &BlockAccounts,
    remaining: Vec<AccountView>,
    raw_tx: &[u8],
) -> Result<()> {
    execution::cu_trace(0);
    let checked = check_transaction(raw_tx, config)?;
    execution::cu_trace(1);
    let mut host = SolanaHost::load(program_id, remaining)?;
    execution::cu_trace(2);
    let (block, mut markets) = execution::open_block(
        program_id,
        operator,
        config,
        accounts,
        &host,
        &checked.signed.tx,
    )?;
    host.set_block_hashes(accounts.block_hashes()?);
    let hash = checked.signed.hash;
    let mut machine = checked.into_machine(block);
    execution::cu_trace(3);
    let result = execution::finished(machine.run(&mut host, &SyscallCrypto, u64::MAX))?;
    execution::cu_trace(4);
    require!(
        host.prepare_code(&result.changes, operator)?,
        IsthmusError::CodeNeedsSteps
    );
    let gas = result.gas_used;
    markets.charge(gas)?;
    markets.cover(program_id, &mut host, machine.code_run(), gas, operator)?;
    execution::cu_trace(5);
    let solana_costs = config.charges_solana_costs().then_some(markets.rent);
    execution::settle(
        &mut host,
        operator,
        machine.block(),
        machine.tx(),
        hash,
        result,
        solana_costs,
    )?;
    execution::cu_trace(6);
    execution::log_heap_used();
    Ok(())
}
