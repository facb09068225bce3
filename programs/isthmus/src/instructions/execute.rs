//! `execute`: an operator relays one signed Ethereum transaction, carried whole in the instruction
//! data, and the program runs it to completion in this instruction.
//!
//! 1. The signer must be one of the config's operators.
//! 2. The raw transaction (EIP-2718 envelope: legacy, 2930, 1559, 4844 without sidecar) is decoded
//!    strictly; pre-EIP-155 legacy transactions (no chain id) are refused, any other chain id than
//!    the config's is refused; the sender is recovered with the `secp256k1_recover` syscall.
//! 3. The blockhash registry is refreshed from the SlotHashes sysvar (BLOCKHASH answers the last
//!    256 slots; PREVRANDAO is the most recent slot hash). The fee market of the transaction's
//!    `to` (zero address for a creation) moves to this slot and gives the BASEFEE; a max fee per
//!    gas below it is refused ([`crate::fee_market`]).
//! 4. The interpreter runs it over the remaining accounts (see [`crate::host::state`]): it
//!    validates nonce, balance and fees itself and refuses an invalid transaction before running.
//! 5. The state changes are written back, new accounts created with rent paid by the operator.
//! 6. Gas: the sender is charged `gas_used * effective_gas_price` (the interpreter does this,
//!    refunding the unused gas). COINBASE is the operator's Ethereum address
//!    ([`crate::host::operator_address`]); the interpreter credits it the priority fee and this
//!    instruction credits it the base-fee part as well (Ethereum burns it; here it pays the
//!    operator, and the wei stay backed by the vault's lamports).
//! 7. The receipt is logged: one [`Executed`] event, then one [`EvmLog`] per log.
//! 8. The compute units this instruction used are added to the contract's usage in this slot;
//!    over the contract's cap, the transaction is refused.
//!
//! Any refusal (bad signature, chain id, nonce, funds, a missing or substituted account) is a
//! program error, so the Solana transaction fails and nothing changes. A transaction that runs
//! and reverts or halts is a success on Solana: its nonce and gas are charged, like on Ethereum.

use crate::blockhashes::{self, SLOT_HASHES_ID};
use crate::error::IsthmusError;
use crate::events::{EvmLog, Executed};
use crate::fee_market;
use crate::host::{operator_address, SolanaHost, SyscallCrypto};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::pinocchio::sysvars::{clock::Clock, Sysvar};
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::{AccountChange, StateChanges};
use isthmus_evm::{
    transaction, AccountInfo, BlockEnv, InvalidTransaction, Machine, RunOutcome, State, StateError,
    Status, U256,
};

/// The block gas limit the interpreter enforces per transaction (Ethereum mainnet's). What one
/// Solana transaction can run is bounded by its compute budget (1.4M CU) long before.
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;

#[derive(Accounts)]
pub struct Execute {
    /// One of the config's operators: relays the transaction, pays the rent of the accounts it
    /// creates, and is paid the gas (in wei, to its Ethereum address).
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// The blockhash registry, refreshed from SlotHashes before the transaction runs (created on
    /// first use, rent paid by the operator).
    #[account(init_if_needed, payer = operator, seeds = [b"blockhashes"], bump)]
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
}

impl Execute {
    pub fn execute(
        &mut self,
        program_id: &Address,
        remaining: Vec<AccountView>,
        raw_tx: &[u8],
        bumps: &ExecuteBumps,
    ) -> Result<()> {
        let start_cu = fee_market::remaining_compute_units();
        let config = &self.config;
        require!(
            config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let chain_id = config.chain_id.get();
        let params = config.fee_market();
        let crypto = SyscallCrypto;

        let mut signed =
            transaction::decode(raw_tx, &crypto).map_err(|_| IsthmusError::MalformedTransaction)?;
        match signed.tx.chain_id {
            Some(id) if id == chain_id => {}
            Some(_) => return Err(IsthmusError::WrongChainId.into()),
            None => return Err(IsthmusError::UnprotectedTransaction.into()),
        }
        let sender = signed
            .recover_sender(&crypto)
            .map_err(|_| IsthmusError::BadSignature)?;
        let tx_hash = signed.hash;
        let nonce = signed.tx.nonce;

        let operator_key: [u8; 32] = self.operator.address().as_ref().try_into().unwrap();
        let coinbase = operator_address(&operator_key);
        let clock = Clock::get()?;

        self.blockhashes.bump = bumps.blockhashes;
        let prevrandao = blockhashes::refresh(&mut self.blockhashes, &self.slot_hashes)?;

        let contract = signed.tx.to.unwrap_or([0; 20]);
        let base_fee = fee_market::open(
            program_id,
            &self.fee_market,
            &contract,
            &params,
            clock.slot,
            self.operator.account(),
        )?;
        fee_market::check_fee_cap(&signed.tx.gas_price, base_fee)?;
        let base_fee = U256::from(base_fee);

        let block = BlockEnv {
            number: clock.slot,
            coinbase,
            timestamp: clock.unix_timestamp as u64,
            gas_limit: BLOCK_GAS_LIMIT,
            base_fee,
            prevrandao,
            excess_blob_gas: 0,
            chain_id,
        };

        let mut host = SolanaHost::load(program_id, remaining)?;
        host.set_block_hashes(&self.blockhashes);
        let mut machine = Machine::new(block, signed.tx);
        let result = match machine.run(&mut host, &crypto, u64::MAX) {
            RunOutcome::Done(result) => result,
            RunOutcome::Invalid(invalid) => return Err(invalid_error(&invalid).into()),
            RunOutcome::Fatal(error) => {
                match &error {
                    StateError::AccountUnavailable(address) => {
                        crate::events::log_missing(address, 0, &[0; 32])
                    }
                    StateError::StorageUnavailable(address, slot) => {
                        crate::events::log_missing(address, 2, &slot.to_be_bytes())
                    }
                    StateError::BlockHashUnavailable(_) => {}
                }
                return Err(IsthmusError::AccountNotProvided.into());
            }
            RunOutcome::Paused => return Err(IsthmusError::NotFinished.into()),
        };
        let price = machine.tx().effective_gas_price(base_fee);

        let mut changes = result.changes;
        let base_part = base_fee * U256::from(result.gas_used);
        credit(&mut changes, &mut host, &coinbase, base_part)?;
        host.apply(&changes, self.operator.account())?;

        let (status, outcome) = match result.status {
            Status::Success => (1, 0),
            Status::Revert => (0, 1),
            Status::Halt(_) => (0, 2),
        };
        emit!(Executed {
            tx_hash,
            sender,
            nonce,
            status,
            outcome,
            gas_used: result.gas_used,
            effective_gas_price: price.to_le_bytes::<32>(),
            created_address: result.created_address,
            log_count: result.logs.len() as u32,
            revert_data: if outcome == 1 {
                result.output
            } else {
                Vec::new()
            },
        });
        for (index, log) in result.logs.into_iter().enumerate() {
            emit!(EvmLog {
                tx_hash,
                index: index as u32,
                address: log.address,
                topics: log.topics,
                data: log.data,
            });
        }
        log_heap_used();

        let used = start_cu.saturating_sub(fee_market::remaining_compute_units());
        fee_market::charge(&self.fee_market, used, params.contract_compute_cap)
    }
}

/// Adds `amount` wei to `address`'s final balance in `changes`.
fn credit(
    changes: &mut StateChanges,
    host: &mut SolanaHost,
    address: &[u8; 20],
    amount: U256,
) -> Result<()> {
    if amount.is_zero() {
        return Ok(());
    }
    let empty = AccountInfo {
        balance: U256::ZERO,
        nonce: 0,
        code_hash: KECCAK_EMPTY,
    };
    let change = match changes.accounts.iter_mut().find(|c| &c.address == address) {
        Some(change) => change,
        None => {
            let info = host
                .account(address)
                .map_err(|_| IsthmusError::AccountNotProvided)?
                .unwrap_or_else(|| empty.clone());
            changes.accounts.push(AccountChange {
                address: *address,
                info: Some(info),
                code: None,
                storage_cleared: false,
                storage: Vec::new(),
            });
            changes.accounts.last_mut().unwrap()
        }
    };
    // `None`: deleted as empty (EIP-161), so it starts from zero.
    let info = change.info.get_or_insert(empty);
    info.balance = info
        .balance
        .checked_add(amount)
        .ok_or(IsthmusError::BalanceOverflow)?;
    Ok(())
}

/// Logs the heap the instruction used, `Program log: 0x68656170, 0x<bytes>, 0x0, 0x0, 0x0`
/// ("heap"): pinocchio's bump allocator (installed by `#[program]`) never frees and keeps its
/// position in the first word of the heap, so that position is the high-water mark. The
/// transaction must request a heap frame that holds it (256 KiB, which the allocator assumes).
fn log_heap_used() {
    #[cfg(target_arch = "bpf")]
    unsafe {
        const HEAP_START: usize = 0x3_0000_0000;
        let position = *(HEAP_START as *const usize);
        anchor_lang::pinocchio::syscalls::sol_log_64_(
            0x6865_6170,
            position.saturating_sub(HEAP_START) as u64,
            0,
            0,
            0,
        );
    }
}

fn invalid_error(invalid: &InvalidTransaction) -> IsthmusError {
    match invalid {
        InvalidTransaction::NonceMismatch { .. } | InvalidTransaction::NonceOverflow => {
            IsthmusError::NonceMismatch
        }
        InvalidTransaction::InsufficientFunds { .. } => IsthmusError::InsufficientFunds,
        InvalidTransaction::WrongChainId { .. } => IsthmusError::WrongChainId,
        InvalidTransaction::FeeCapTooLow { .. } => IsthmusError::FeeCapBelowBaseFee,
        _ => IsthmusError::InvalidTransaction,
    }
}
