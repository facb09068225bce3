//! `step`: runs at most `max_steps` opcodes of a transaction from the operator's holder, for
//! transactions that need more than one Solana transaction. The operator sends `step` until the
//! receipt appears, picking `max_steps` so the step fits its compute budget (the relayer simulates
//! the step first): the program cannot ask how much compute is left, since
//! `sol_remaining_compute_units` is not active on mainnet-beta. A step that runs out of compute
//! fails and changes nothing. `max_steps` 0 runs until the end, the heap or the holder is full.
//!
//! - **Begin** (idle holder): the raw transaction is checked (decoding, chain id, signature) and
//!   an interpreter created; the block values (slot, time, operator) are fixed here for all steps.
//! - **Continue** (running holder): the saved interpreter is resumed.
//! - **Finalize**: when the transaction ends, its changes are applied and its receipt logged in
//!   the same instruction if enough compute is left, otherwise in the next `step`.
//!
//! Nothing is written to EVM accounts before the transaction ends, so no other transaction sees
//! its partial writes. Isolation the other way is **detect and restart**: each step records a
//! fingerprint (keccak256 of owner and data, an EthAccount's balance apart: see
//! [`crate::host::state::ReadEntry`]) of every account the transaction read; the next step first
//! checks them, and if another transaction changed one in between, the transaction starts
//! over from its first opcode (counted in `restarts`; a transaction that is no longer valid then,
//! e.g. its nonce used, is dropped with a [`crate::events::Dropped`] event). Locks were the
//! alternative: they need every account known before the first step and a timeout when an
//! operator vanishes, and they would stall unrelated users of a popular contract; restarts cost
//! only the conflicting transaction's own compute, and a stuck holder never blocks anyone.

use crate::blockhashes::SLOT_HASHES_ID;
use crate::error::IsthmusError;
use crate::events::{Dropped, StepProgress};
use crate::execution::{self, check_transaction, BlockAccounts};
use crate::host::state::ReadEntry;
use crate::host::{SolanaHost, SyscallCrypto};
use crate::state::holder::{self, Progress, HEADER, STATUS_IDLE, STATUS_RUNNING};
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::pinocchio::sysvars::{clock::Clock, Sysvar};
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::{Machine, RunOutcome};

/// Opcodes run between two checks of the heap left.
const CHUNK: u64 = 64;
/// Transactions with more data than this only begin in their first step (checked, saved): the
/// check's copies of the data and the start's would not leave heap for running.
const BEGIN_ONLY_ABOVE: usize = 8 * 1024;
/// Heap in use (the end of the allocator's bump region) beyond which the step pauses, leaving room
/// for what the next few opcodes allocate (the heap frame is 256 KiB; saving allocates nothing
/// large: the machine is written straight into the holder).
const HEAP_PAUSE: usize = 192 * 1024;

#[derive(Accounts)]
pub struct Step {
    #[account(mut)]
    pub operator: Signer,
    #[account(seeds = [b"config"], bump)]
    pub config: Account<Config>,
    /// As for `execute`: the blockhash registry (read-only), the fee market of the
    /// transaction's `to`, the SlotHashes sysvar.
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
    // Remaining accounts: as for `execute`, the same in every step.
}

impl Step {
    pub fn step(
        &mut self,
        program_id: &Address,
        remaining: Vec<AccountView>,
        max_steps: u64,
    ) -> Result<()> {
        require!(
            self.config.is_operator(self.operator.address()),
            IsthmusError::NotOperator
        );
        let mut view = *self.holder.account();
        let mut header = holder::load_holder(program_id, &view, self.operator.address())?;
        let mut host = SolanaHost::load(program_id, remaining)?;
        let accounts = BlockAccounts {
            blockhashes: &self.blockhashes,
            fee_market: self.fee_market.account(),
            slot_hashes: self.slot_hashes.account(),
        };
        let operator = self.operator.account();
        let slot = Clock::get()?.slot;

        let (mut progress, mut markets) = if header.status == STATUS_IDLE {
            require!(header.tx_len > 0, IsthmusError::HolderEmpty);
            let checked = {
                let data = view.try_borrow()?;
                check_transaction(&data[HEADER..HEADER + header.tx_len], &self.config)?
            };
            let (block, markets) = execution::open_block(
                program_id,
                operator,
                &self.config,
                &accounts,
                &host,
                &checked.signed.tx,
            )?;
            header.tx_hash = checked.signed.hash;
            header.rent = 0;
            let progress = Progress {
                restarts: 0,
                reads: Vec::new(),
                machine: checked.into_machine(block),
            };
            (progress, markets)
        } else {
            let mut progress = {
                let data = view.try_borrow()?;
                let start = HEADER + header.tx_len;
                Progress::decode(&data[start..start + header.progress_len])?
            };
            // The block (slot, base fee) stays the one of the first step; the fee markets are
            // rolled to this slot, to be charged this step's gas.
            let to = progress.machine.tx().to;
            let markets = accounts.markets(program_id, &host, &self.config, &to, slot, operator)?;
            if !host.unchanged_since(&progress.reads, progress.machine.balance_observed())? {
                progress.start_over();
            }
            (progress, markets)
        };

        host.set_block_hashes(accounts.block_hashes()?);
        let gas_before = progress.machine.gas_spent();
        let observed_before = progress.machine.balance_observed().len();
        let began_here = header.status == STATUS_IDLE;
        let (outcome, mut pause) =
            if began_here && progress.machine.tx().data.len() > BEGIN_ONLY_ABOVE {
                (RunOutcome::Paused, Pause::BeganOnly)
            } else {
                let room = HolderRoom {
                    capacity: holder_room(&view, &header),
                    // The read set may grow by a few accounts in this step.
                    overhead: 8 + (progress.reads.len() + 16) * ReadEntry::LEN,
                };
                run_within_budget(&mut progress.machine, &mut host, max_steps, room)
            };
        if matches!(outcome, RunOutcome::Done(_)) {
            pause = Pause::Settling;
        }
        // A balance that grew between steps while unobserved, and that this step's opcodes then
        // observed: what ran since no longer holds (a deposit raced a BALANCE). Start over.
        let observed = progress.machine.balance_observed();
        let (outcome, pause) = if !began_here
            && observed.len() > observed_before
            && !host.balances_hold(&progress.reads, observed)?
        {
            progress.start_over();
            host.forget_reads();
            (RunOutcome::Paused, Pause::Restarted)
        } else {
            (outcome, pause)
        };
        let gas = progress.machine.gas_spent().saturating_sub(gas_before);
        markets.charge(gas)?;
        match outcome {
            RunOutcome::Done(mut result) if host.prepare_code(&result.changes, operator)? => {
                let machine = &progress.machine;
                host.rebase_balances(&mut result.changes, &progress.reads);
                markets.cover(program_id, &mut host, machine.code_run(), gas, operator)?;
                let solana_costs = self
                    .config
                    .charges_solana_costs()
                    .then_some(header.rent.saturating_add(markets.rent));
                execution::settle(
                    &mut host,
                    operator,
                    machine.block(),
                    machine.tx(),
                    header.tx_hash,
                    result,
                    solana_costs,
                )?;
                execution::log_heap_used();
                empty(&mut view, header)?;
            }
            outcome @ (RunOutcome::Paused | RunOutcome::Done(_)) => {
                // What this step created for the transaction (its fee markets, large code
                // accounts growing) is charged when it settles.
                header.rent = header.rent.saturating_add(markets.rent + host.rent);
                if matches!(outcome, RunOutcome::Done(_)) {
                    // Saved finished: the next step settles this outcome.
                    progress.machine.keep_outcome(outcome);
                }
                save(&mut view, operator, header, &host, progress, pause)?;
            }
            RunOutcome::Invalid(invalid) if header.status == STATUS_RUNNING => {
                // Started over and no longer valid: dropped, nothing charged.
                emit!(Dropped {
                    tx_hash: header.tx_hash,
                    reason: 6000 + execution::invalid_error(&invalid) as u32,
                });
                empty(&mut view, header)?;
            }
            RunOutcome::Invalid(invalid) => return Err(execution::invalid_error(&invalid).into()),
            RunOutcome::Fatal(error) => return Err(execution::missing_state(&error)),
        }
        Ok(())
    }
}

/// Saves the paused (or finished, not yet settled) transaction into the holder, with the
/// fingerprints of what it has read, and logs its progress.
fn save(
    view: &mut AccountView,
    operator: &AccountView,
    mut header: holder::HolderHeader,
    host: &SolanaHost,
    mut progress: Progress,
    pause: Pause,
) -> Result<()> {
    host.read_set(&mut progress.reads)?;
    emit!(StepProgress {
        tx_hash: header.tx_hash,
        steps: progress.machine.steps(),
        gas_spent: progress.machine.gas_spent(),
        restarts: progress.restarts,
        pause: pause as u8,
    });
    let len = progress.encoded_len();
    let start = HEADER + header.tx_len;
    holder::ensure_len(view, operator, start + len)?;
    progress.write_to(&mut view.try_borrow_mut()?[start..start + len])?;
    header.status = STATUS_RUNNING;
    header.progress_len = len;
    execution::log_heap_used();
    holder::write_header(view, &header)
}

/// Why a step paused (`StepProgress.pause`), so the relayer knows what to do next.
#[derive(Clone, Copy)]
pub enum Pause {
    /// `max_steps` opcodes ran.
    Steps = 0,
    // 1 was "the compute left is what saving needs", when the program could read it.
    /// The heap is nearly full.
    Heap = 2,
    /// The saved machine would outgrow the holder by more than one instruction may grow it: grow
    /// it with `holder_resize` before the next step.
    HolderFull = 3,
    /// A large transaction was only checked and saved in its first step.
    BeganOnly = 4,
    /// Finished, to be settled by the next step (large code accounts still growing).
    Settling = 5,
    /// Started over at the end of the step: a balance that had grown since it was read was
    /// observed in this step.
    Restarted = 6,
}

/// What the holder has for the saved progress: beyond the transaction, plus the 10 KiB this
/// instruction may add, less a margin.
fn holder_room(view: &AccountView, header: &holder::HolderHeader) -> usize {
    const MARGIN: usize = 2 * 1024;
    (view.data_len() + holder::MAX_GROWTH).saturating_sub(HEADER + header.tx_len + MARGIN)
}

/// How much progress the holder can take ([`holder_room`]), and what the saved progress takes
/// besides the machine (the read set).
struct HolderRoom {
    capacity: usize,
    overhead: usize,
}

/// Runs `machine` until it ends, `max_steps` opcodes ran (0: no limit), the heap left is only
/// what saving needs, or the saved machine would no longer fit the holder (`room`). Beyond its
/// memories' spare capacity the machine grows only as the heap does, so its exact (dearer) size
/// is computed again only when the heap has grown by the room left.
fn run_within_budget(
    machine: &mut Machine,
    host: &mut SolanaHost,
    max_steps: u64,
    room: HolderRoom,
) -> (RunOutcome, Pause) {
    let limit = if max_steps == 0 { u64::MAX } else { max_steps };
    // What the machine may still grow by before it would not fit: its memories can fill their
    // spare capacity without the heap growing; anything more allocates.
    let left = |machine: &Machine| -> Option<usize> {
        room.capacity
            .checked_sub(room.overhead + machine.serialized_len() + machine.spare_memory())
            .filter(|left| *left > 0)
    };
    let Some(first) = left(machine) else {
        return (RunOutcome::Paused, Pause::HolderFull);
    };
    let mut heap_limit = execution::heap_used() + first;
    let start = machine.steps();
    loop {
        let done = machine.steps() - start;
        let pause = if done >= limit {
            Some(Pause::Steps)
        } else if execution::heap_used() > HEAP_PAUSE {
            Some(Pause::Heap)
        } else if execution::heap_used() > heap_limit {
            match left(machine) {
                Some(more) => {
                    heap_limit = execution::heap_used() + more;
                    None
                }
                None => Some(Pause::HolderFull),
            }
        } else {
            None
        };
        if let Some(pause) = pause {
            return (RunOutcome::Paused, pause);
        }
        match machine.run(host, &SyscallCrypto, CHUNK.min(limit - done)) {
            RunOutcome::Paused => continue,
            outcome => return (outcome, Pause::Steps),
        }
    }
}

/// Leaves the holder idle and empty, ready for the next transaction.
pub fn empty(view: &mut AccountView, mut header: holder::HolderHeader) -> Result<()> {
    header.status = STATUS_IDLE;
    header.tx_len = 0;
    header.progress_len = 0;
    header.rent = 0;
    holder::write_header(view, &header)
}
