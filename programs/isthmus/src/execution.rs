//! What every executing instruction shares (`execute`, `execute_from_holder`, `step`, `cancel`):
//! decoding and checking the signed transaction, the block values, turning the interpreter's
//! outcome into a program result, and settling a finished transaction (gas to the operator, state
//! written back, receipt logged).

use crate::blockhashes;
use crate::error::IsthmusError;
use crate::events::{EvmLog, Executed};
use crate::fee_market::{self, Markets};
use crate::host::{operator_address, SolanaHost, SyscallCrypto};
use crate::state::{BlockhashRegistry, Config};
use alloc::vec::Vec;
use anchor_lang::pinocchio::sysvars::{clock::Clock, Sysvar};
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::{AccountChange, ExecutionResult, StateChanges};
use isthmus_evm::{
    AccountInfo, BlockEnv, InvalidTransaction, RunOutcome, State, StateError, Status, TxEnv, U256,
};
use isthmus_interface::block::BlockHashes;
use isthmus_interface::solana_costs;
use isthmus_interface::transaction::{decode, Incoming, IncomingError};

pub use isthmus_interface::block::BLOCK_GAS_LIMIT;

/// Decodes `raw` (the EIP-2718 envelope wallets sign) strictly, refuses other chains and
/// pre-EIP-155 transactions, and recovers the sender with the `secp256k1_recover` syscall; an
/// impersonated transaction names its sender instead, and runs only on a development chain.
pub fn check_transaction(raw: &[u8], config: &Config) -> Result<Incoming> {
    let incoming = decode(raw, &SyscallCrypto).map_err(|e| match e {
        IncomingError::Malformed => IsthmusError::MalformedTransaction,
        IncomingError::BadSignature => IsthmusError::BadSignature,
    })?;
    require!(
        !incoming.impersonated || config.development != 0,
        IsthmusError::ImpersonationDisabled
    );
    match incoming.signed.tx.chain_id {
        Some(id) if id == config.chain_id.get() => {}
        Some(_) => return Err(IsthmusError::WrongChainId.into()),
        None => return Err(IsthmusError::UnprotectedTransaction.into()),
    }
    Ok(incoming)
}

/// The fixed accounts every executing instruction carries besides the operator and the config.
pub struct BlockAccounts<'r> {
    /// The blockhash registry (BLOCKHASH), read-only: only its crank writes it.
    pub blockhashes: &'r BlockhashRegistry,
    /// The fee market of the transaction's `to` (the zero address for a creation).
    pub fee_market: &'r AccountView,
    /// The SlotHashes sysvar (BLOCKHASH, PREVRANDAO).
    pub slot_hashes: &'r AccountView,
}

impl<'r> BlockAccounts<'r> {
    /// What BLOCKHASH and PREVRANDAO answer from ([`BlockHashes`]): the registry and the
    /// sysvar, in place.
    pub fn block_hashes(&self) -> Result<BlockHashes<'r>> {
        require!(
            self.slot_hashes.address() == &blockhashes::SLOT_HASHES_ID,
            IsthmusError::NotSlotHashes
        );
        let registry = self.blockhashes;
        // SAFETY: the sysvar is read-only for every program: nothing writes it while borrowed.
        let slot_hashes = unsafe { self.slot_hashes.borrow_unchecked() };
        Ok(BlockHashes {
            registry: Some((
                registry.newest_slot.get(),
                &registry.valid,
                &registry.hashes,
            )),
            slot_hashes,
        })
    }

    /// The fee markets of the transaction to `to` (the fixed one and those among the host's
    /// accounts), opened for `slot` ([`Markets::open`]).
    pub fn markets(
        &self,
        program_id: &Address,
        host: &SolanaHost,
        config: &Config,
        to: &Option<[u8; 20]>,
        slot: u64,
        payer: &AccountView,
    ) -> Result<Markets> {
        Markets::open(
            program_id,
            self.fee_market,
            &to.unwrap_or([0; 20]),
            host,
            &config.fee_market(),
            slot,
            payer,
        )
    }
}

/// The block a transaction starts in, by the rules of `isthmus_interface::block` (which the
/// emulator follows too): NUMBER is the slot, TIMESTAMP the cluster clock, COINBASE the relaying
/// operator's Ethereum address, PREVRANDAO the newest slot hash, BASEFEE the highest base fee of
/// the fee markets it carries (opened here for this slot, and returned to be charged); a max fee
/// per gas below it is refused.
pub fn open_block(
    program_id: &Address,
    operator: &AccountView,
    config: &Config,
    accounts: &BlockAccounts,
    host: &SolanaHost,
    tx: &TxEnv,
) -> Result<(BlockEnv, Markets)> {
    let prevrandao = accounts.block_hashes()?.prevrandao();
    let clock = Clock::get()?;
    let markets = accounts.markets(program_id, host, config, &tx.to, clock.slot, operator)?;
    fee_market::check_fee_cap(&tx.gas_price, markets.base_fee)?;
    let key: [u8; 32] = operator.address().as_ref().try_into().unwrap();
    let block = isthmus_interface::block::block_env(
        clock.slot,
        clock.unix_timestamp,
        operator_address(&key),
        config.rules(),
        markets.base_fee,
        prevrandao,
    );
    Ok((block, markets))
}

/// The finished transaction of an outcome; an invalid transaction or state the accounts passed
/// cannot answer is an error (and so changes nothing).
pub fn finished(outcome: RunOutcome) -> Result<ExecutionResult> {
    match outcome {
        RunOutcome::Done(result) => Ok(result),
        RunOutcome::Invalid(invalid) => Err(invalid_error(&invalid).into()),
        RunOutcome::Fatal(error) => Err(missing_state(&error)),
        RunOutcome::Paused => Err(IsthmusError::NotFinished.into()),
    }
}

/// Logs which account the transaction needed ([`crate::events::MissingAccount`]) and returns
/// `AccountNotProvided`.
pub fn missing_state(error: &StateError) -> Error {
    match error {
        StateError::AccountUnavailable(address) => crate::events::log_missing(address, 0, &[0; 32]),
        StateError::StorageUnavailable(address, slot) => {
            crate::events::log_missing(address, 2, &slot.to_be_bytes())
        }
        StateError::BlockHashUnavailable(_) => {}
    }
    IsthmusError::AccountNotProvided.into()
}

pub fn invalid_error(invalid: &InvalidTransaction) -> IsthmusError {
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

/// Settles a finished transaction: credits the base-fee part of the gas to the operator
/// (Ethereum burns it; here it pays the operator, and the wei stay backed by the vault's
/// lamports; the interpreter has already credited the priority fee to COINBASE), writes the
/// state changes back (new accounts' rent paid by `payer`), charges the sender its Solana costs
/// when `solana_costs` is `Some(rent its earlier instructions paid)` (a charging chain,
/// [`isthmus_interface::solana_costs`]), and logs the receipt.
pub fn settle(
    host: &mut SolanaHost,
    payer: &AccountView,
    block: &BlockEnv,
    tx: &TxEnv,
    tx_hash: [u8; 32],
    result: ExecutionResult,
    solana_costs: Option<u64>,
) -> Result<()> {
    let mut changes = result.changes;
    let base_part = block.base_fee * U256::from(result.gas_used);
    credit(&mut changes, host, &block.coinbase, base_part)?;
    let coinbase_existed = host.has_account(&block.coinbase);
    host.apply(&changes, payer)?;
    let price = tx.effective_gas_price(block.base_fee);
    let mut gas_used = result.gas_used;
    if let Some(earlier_rent) = solana_costs {
        // COINBASE's own account, made on its first payment, is the operator's: not charged.
        let own = if coinbase_existed {
            0
        } else {
            solana_costs::rent_exempt(isthmus_interface::account::eth_account::LEN)
        };
        let rent = earlier_rent.saturating_add(host.rent.saturating_sub(own));
        let lamports = solana_costs::lamports(rent);
        let charge = solana_costs::charge(lamports, gas_used, tx.gas_limit, price)
            .map_err(|_| IsthmusError::SolanaCostsNotCovered)?;
        host.transfer_applied(&tx.caller, &block.coinbase, charge.wei)?;
        gas_used += charge.gas;
    }

    let (status, outcome) = match result.status {
        Status::Success => (1, 0),
        Status::Revert => (0, 1),
        Status::Halt(_) => (0, 2),
    };
    emit!(Executed {
        tx_hash,
        sender: tx.caller,
        nonce: tx.nonce,
        status,
        outcome,
        gas_used,
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
    Ok(())
}

/// Adds `amount` wei to `address`'s final balance in `changes`.
pub fn credit(
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
    let change = match changes
        .accounts
        .iter_mut()
        .position(|c| &c.address == address)
    {
        Some(i) => &mut changes.accounts[i],
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

/// The heap this instruction has in use at the end of the bump region (the first word of the heap,
/// both for pinocchio's bump allocator and for [`crate::allocator`]). Zero off-chain.
pub fn heap_used() -> usize {
    #[cfg(target_arch = "bpf")]
    unsafe {
        const HEAP_START: usize = 0x3_0000_0000;
        let position = *(HEAP_START as *const usize);
        position.saturating_sub(HEAP_START)
    }
    #[cfg(not(target_arch = "bpf"))]
    0
}

/// The most heap this instruction has used.
#[cfg(target_arch = "bpf")]
fn heap_peak() -> usize {
    if cfg!(feature = "custom-heap") {
        crate::allocator::peak_used()
    } else {
        heap_used()
    }
}

/// Logs the most heap the instruction used, `Program log: 0x68656170, 0x<bytes>, 0x0, 0x0, 0x0`
/// ("heap"). The transaction must request a heap frame that holds it (256 KiB, which the
/// allocator assumes).
pub fn log_heap_used() {
    #[cfg(target_arch = "bpf")]
    unsafe {
        anchor_lang::pinocchio::syscalls::sol_log_64_(0x6865_6170, heap_peak() as u64, 0, 0, 0);
    }
}

/// With the `cu-trace` feature: logs `Program log: 0x6375, <phase>, 0x0, 0x0, 0x0` ("cu") and then
/// the remaining compute units, at the phases of a transaction's run (`run_whole`); each trace
/// costs 200 CU. Compiled out otherwise.
#[inline(always)]
pub fn cu_trace(_phase: u64) {
    #[cfg(all(feature = "cu-trace", target_arch = "bpf"))]
    unsafe {
        anchor_lang::pinocchio::syscalls::sol_log_64_(0x6375, _phase, 0, 0, 0);
        anchor_lang::pinocchio::syscalls::sol_log_compute_units_();
    }
}
