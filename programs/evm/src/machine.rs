//! The transaction state machine: validation, fee purchase, the frame stack, and settlement.
//!
//! [`Machine::run`] executes at most a given number of opcodes and can be called again after
//! [`RunOutcome::Paused`]; between calls the machine can be saved with [`Machine::to_bytes`] and
//! restored with [`Machine::from_bytes`], which is how one Ethereum transaction spans many Solana
//! transactions. Sub-calls push a [`Frame`] onto a vector instead of recursing.

use crate::arith::mul::wrapping_mul_u64;
use crate::bytecode::Bytecode;
use crate::crypto::Crypto;
use crate::delegation;
use crate::env::{BlockEnv, TxEnv, TxKind};
use crate::fork::Fork;
use crate::gas;
use crate::interpreter::{
    self, CallInputs, CallScheme, CreateInputs, Exit, Frame, FrameKind, Gas, Interp,
};
use crate::journal::Journal;
use crate::precompiles::stepped::{Job, SteppedPrecompile};
use crate::precompiles::{self, PrecompileFailure};
use crate::primitives::{addresses_eq, is_empty_code, Address, KECCAK_EMPTY, U256};
use crate::result::{ExecutionResult, HaltReason, Status};
use crate::state::{AccountInfo, State, StateError};
use crate::validation;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

pub use crate::result::InvalidTransaction;

/// What one call to [`Machine::run`] ended with.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum RunOutcome {
    /// The step budget ran out; call `run` again (possibly after a save and restore).
    Paused,
    /// The transaction is invalid and changed nothing.
    Invalid(InvalidTransaction),
    /// The transaction finished (successfully or not); apply `changes`.
    Done(ExecutionResult),
    /// The host could not provide some state; nothing may be applied.
    Fatal(StateError),
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
enum Phase {
    NotStarted,
    Running,
    /// Finished, the outcome kept ([`Machine::keep_outcome`]): the next `run` answers it.
    Finished(RunOutcome),
    /// Running, inside a precompile call whose work is a job ([`crate::precompiles::stepped`]):
    /// the innermost call in progress, above the last frame. Here rather than a field of the
    /// machine, which on-chain lives on the step handler's full stack frame: boxed, it adds
    /// nothing to the machine's size. Last, so that machines saved before it decode as they did.
    InJob(Box<PendingJob>),
    /// Finished, the outcome handed to the caller of `run`; what it spent, for `gas_spent`.
    Handed {
        gas_spent: u64,
    },
}

/// How a frame ended, as its parent sees it.
#[derive(Debug)]
struct FrameResult {
    status: Status,
    output: Vec<u8>,
    gas: Gas,
    kind: FrameKind,
}

impl FrameResult {
    /// A sub-call or creation refused before it started: the caller keeps the gas it offered.
    fn refused(gas_limit: u64, kind: FrameKind) -> Self {
        Self {
            status: Status::Revert,
            output: Vec::new(),
            gas: Gas::new(gas_limit),
            kind,
        }
    }

    /// An exceptional halt: all gas offered is consumed.
    fn halted(reason: HaltReason, gas_limit: u64, kind: FrameKind) -> Self {
        let mut gas = Gas::new(gas_limit);
        gas.remaining = 0;
        Self {
            status: Status::Halt(reason),
            output: Vec::new(),
            gas,
            kind,
        }
    }
}

/// Frames (and contracts run) a machine reserves room for before its first: off-chain sixteen;
/// with [`crate::ONCHAIN_HEAP`] none, the first push taking four.
const FIRST_FRAMES: usize = if crate::ONCHAIN_HEAP { 0 } else { 16 };

/// One Ethereum transaction in execution. Everything it needs between steps lives here.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Machine {
    block: BlockEnv,
    tx: TxEnv,
    phase: Phase,
    journal: Journal,
    /// Nested frames, innermost last; reserved for [`FIRST_FRAMES`] so that nested calls do not
    /// move every open frame to a grown buffer.
    frames: Vec<Frame>,
    /// Opcodes executed so far, over all steps.
    steps: u64,
    /// Whose code ran ([`Machine::code_run`]).
    code_run: CodeRun,
    /// The observed balances once the journal is finalized ([`Machine::balance_observed`]).
    balance_observed: Vec<Address>,
    /// EIP-7702: gas refunded for authorizations whose authority already existed, paid whatever
    /// the execution's outcome.
    authorization_refund: u64,
    /// Whether a sender with code may send ([`Machine::allow_sender_code`]).
    sender_code_allowed: bool,
}

/// A precompile call whose work is a [`Job`]: what its result needs once the job is done.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
struct PendingJob {
    job: Job,
    /// The gas the call was given, and what the precompile charged of it before starting.
    gas_limit: u64,
    gas_used: u64,
    checkpoint: crate::journal::Checkpoint,
    kind: FrameKind,
}

/// Whose code a transaction ran, in first-run order: what a host that meters contracts (the
/// program's per-contract fee market) charges. Kept across steps and after reverts: the code ran.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CodeRun {
    /// The code addresses of the calls that ran code (for DELEGATECALL and CALLCODE, the
    /// library's; for an EIP-7702 delegated account, its delegate's), each once.
    pub contracts: Vec<Address>,
    /// Whether initcode ran (a creation transaction, CREATE or CREATE2).
    pub initcode: bool,
}

impl Machine {
    /// A machine for `tx` in `block`, under the block's fork.
    pub fn new(block: BlockEnv, tx: TxEnv) -> Self {
        Self {
            journal: Journal::new(
                block.fork,
                (block.serve_history && block.fork.is_enabled(crate::fork::Fork::Prague))
                    .then_some(block.number),
            ),
            block,
            tx,
            phase: Phase::NotStarted,
            frames: Vec::with_capacity(FIRST_FRAMES),
            steps: 0,
            code_run: CodeRun {
                contracts: Vec::with_capacity(FIRST_FRAMES),
                initcode: false,
            },
            balance_observed: Vec::new(),
            authorization_refund: 0,
            sender_code_allowed: false,
        }
    }

    /// Lets a sender that holds code send (EIP-3607 refuses it): a development chain's
    /// impersonated transactions act as contracts, as on anvil and the Hardhat node.
    pub fn allow_sender_code(&mut self) {
        self.sender_code_allowed = true;
    }

    /// The same transaction in the same block, not yet started (a transaction run again from
    /// its first opcode).
    pub fn restarted(&self) -> Self {
        let mut machine = Self::new(self.block.clone(), self.tx.clone());
        machine.sender_code_allowed = self.sender_code_allowed;
        machine
    }

    /// The accounts whose exact balance the execution has depended on so far
    /// ([`crate::journal::Journal::observe_balance`]); every other balance it read may grow
    /// underneath it without changing what it does.
    pub fn balance_observed(&self) -> &[Address] {
        if self.balance_observed.is_empty() {
            &self.journal.balance_observed
        } else {
            &self.balance_observed
        }
    }

    /// Whose code has run so far.
    pub fn code_run(&self) -> &CodeRun {
        &self.code_run
    }

    /// Runs the transaction to the end, with no step limit.
    pub fn transact(
        block: BlockEnv,
        tx: TxEnv,
        state: &mut dyn State,
        crypto: &dyn Crypto,
    ) -> RunOutcome {
        Self::new(block, tx).run(state, crypto, u64::MAX)
    }

    /// The whole machine as bytes (borsh).
    pub fn to_bytes(&self) -> Vec<u8> {
        borsh::to_vec(self).expect("writing to a Vec cannot fail")
    }

    /// The length of [`Machine::to_bytes`], computed without allocating.
    pub fn serialized_len(&self) -> usize {
        borsh::object_length(self).expect("counting bytes cannot fail")
    }

    /// Bytes the frames' memories can still grow by without allocating: with
    /// [`Machine::serialized_len`], a bound on what the saved machine can reach before the heap
    /// grows again (how a step knows when its holder would overflow).
    pub fn spare_memory(&self) -> usize {
        self.frames.iter().map(|f| f.memory.spare()).sum()
    }

    /// Writes [`Machine::to_bytes`] into `out` (at least [`Machine::serialized_len`] bytes)
    /// without allocating: on-chain the heap is 256 KiB and never freed within an instruction.
    pub fn write_to(&self, out: &mut [u8]) -> borsh::io::Result<()> {
        borsh::to_writer(out, self)
    }

    /// A machine saved by [`Machine::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> borsh::io::Result<Self> {
        borsh::from_slice(bytes)
    }

    /// Opcodes executed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The call frames in progress, outermost first: what a tracer reads between single steps
    /// (`run` with a budget of one opcode), so tracing needs no hook in the dispatch loop.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The number of call frames in progress.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Whether the transaction has been validated and its first frame begun (the first `run`).
    pub fn is_started(&self) -> bool {
        self.phase != Phase::NotStarted
    }

    /// Gas spent so far, before refunds: the transaction's gas limit less what its frames still
    /// hold (a call's 2,300-gas stipend, given on top of what the caller pays, can make this
    /// slightly low while that call runs). What a cancelled transaction is charged.
    pub fn gas_spent(&self) -> u64 {
        match &self.phase {
            Phase::NotStarted => 0,
            Phase::Finished(outcome) => self.finished_gas(outcome),
            Phase::Handed { gas_spent } => *gas_spent,
            Phase::Running | Phase::InJob(_) => {
                let job = match &self.phase {
                    Phase::InJob(j) => j.gas_limit - j.gas_used,
                    _ => 0,
                };
                let unspent: u64 = job + self.frames.iter().map(|f| f.gas.remaining).sum::<u64>();
                self.tx.gas_limit.saturating_sub(unspent)
            }
        }
    }

    pub fn block(&self) -> &BlockEnv {
        &self.block
    }

    pub fn tx(&self) -> &TxEnv {
        &self.tx
    }

    /// Runs at most `step_budget` opcodes. The outcome of a finished transaction is handed out
    /// once, not copied (on-chain a copy of every change and log costs compute): a caller that
    /// saves the machine finished, to settle it later, gives it back with
    /// [`Machine::keep_outcome`], and the next `run` answers it.
    pub fn run(
        &mut self,
        state: &mut dyn State,
        crypto: &dyn Crypto,
        step_budget: u64,
    ) -> RunOutcome {
        if !matches!(
            self.phase,
            Phase::Running | Phase::InJob(_) | Phase::NotStarted
        ) {
            return self.hand_out_kept();
        }
        let outcome = self.run_inner(state, crypto, step_budget);
        if outcome != RunOutcome::Paused {
            self.finish(&outcome);
        }
        outcome
    }

    /// Marks the machine finished, its outcome handed out (out of line: `step` runs the machine
    /// 64 opcodes at a time, and this is once a transaction).
    #[cold]
    #[inline(never)]
    fn finish(&mut self, outcome: &RunOutcome) {
        self.frames.clear();
        self.phase = Phase::Handed {
            gas_spent: self.finished_gas(outcome),
        };
    }

    /// The outcome [`Machine::keep_outcome`] kept, handed out again.
    #[cold]
    #[inline(never)]
    fn hand_out_kept(&mut self) -> RunOutcome {
        let gas_spent = self.gas_spent();
        match core::mem::replace(&mut self.phase, Phase::Handed { gas_spent }) {
            Phase::Finished(outcome) => outcome,
            _ => panic!("run again after its outcome was handed out"),
        }
    }

    /// What a finished transaction spent ([`Machine::gas_spent`]): its gas used, nothing if it
    /// was invalid, all of its limit if the host failed (its frames are gone).
    fn finished_gas(&self, outcome: &RunOutcome) -> u64 {
        match outcome {
            RunOutcome::Invalid(_) => 0,
            RunOutcome::Done(result) => result.gas_used,
            RunOutcome::Fatal(_) | RunOutcome::Paused => self.tx.gas_limit,
        }
    }

    /// Gives a finished machine its outcome back (what `run` handed out), so that it can be
    /// saved finished and the next `run` answers it.
    pub fn keep_outcome(&mut self, outcome: RunOutcome) {
        debug_assert!(matches!(self.phase, Phase::Handed { .. }));
        self.phase = Phase::Finished(outcome);
    }

    fn run_inner(
        &mut self,
        state: &mut dyn State,
        crypto: &dyn Crypto,
        step_budget: u64,
    ) -> RunOutcome {
        if self.phase == Phase::NotStarted {
            self.phase = Phase::Running;
            match self.start(state, crypto) {
                Err(outcome) => return outcome,
                Ok(Some(result)) => return self.settle(result, state),
                Ok(None) => {}
            }
        }
        let mut budget = step_budget;
        loop {
            let finished = if matches!(self.phase, Phase::InJob(_)) {
                match self.advance_job(&mut budget, crypto) {
                    Some(result) => result,
                    None => return RunOutcome::Paused,
                }
            } else {
                let frame = self
                    .frames
                    .last_mut()
                    .expect("a running machine has a frame");
                let mut it = Interp::new(
                    frame,
                    &mut self.journal,
                    &self.block,
                    &self.tx,
                    &mut *state,
                    crypto,
                );
                let before = budget;
                let exit = interpreter::execute(&mut it, &mut budget);
                self.steps += before - budget;
                match exit {
                    Exit::Pause => return RunOutcome::Paused,
                    Exit::Fatal(error) => return RunOutcome::Fatal(error),
                    Exit::Call(inputs) => match self.begin_call(inputs, state, crypto) {
                        Ok(None) => continue,
                        Ok(Some(result)) => result,
                        Err(error) => return RunOutcome::Fatal(error),
                    },
                    Exit::Create(inputs) => match self.begin_create(*inputs, state, crypto) {
                        Ok(None) => continue,
                        Ok(Some(result)) => result,
                        Err(error) => return RunOutcome::Fatal(error),
                    },
                    exit => {
                        let frame = self.frames.pop().expect("the frame that exited");
                        self.end_frame(frame, exit, crypto)
                    }
                }
            };
            // The outermost frame's end, or a job that was the transaction's own call.
            if self.frames.is_empty() {
                return self.settle(finished, state);
            }
            self.deliver(finished);
        }
    }

    /// Validates, buys gas, bumps the nonce, warms what EIP-2929/2930/3651 warm, applies the
    /// EIP-7702 authorizations, and starts the top-level call or creation. `Ok(Some)` when it
    /// finished without running code.
    fn start(
        &mut self,
        state: &mut dyn State,
        crypto: &dyn Crypto,
    ) -> Result<Option<FrameResult>, RunOutcome> {
        let fatal = RunOutcome::Fatal;
        let sender = self.tx.caller;
        let sender_info = self
            .journal
            .load(state, &sender)
            .map_err(fatal)?
            .info
            .clone();
        let sender_delegated = self.block.fork.is_enabled(Fork::Prague)
            && !is_empty_code(&sender_info.code_hash)
            && delegation::target(self.journal.code(state, &sender).map_err(fatal)?.code())
                .is_some();
        // An impersonated sender with code is checked as if it had none (any fork); the common
        // case validates the loaded account itself, without a copy.
        let without_code;
        let validated = if self.sender_code_allowed {
            without_code = AccountInfo {
                code_hash: KECCAK_EMPTY,
                ..sender_info.clone()
            };
            &without_code
        } else {
            &sender_info
        };
        validation::validate(&self.block, &self.tx, validated, sender_delegated)
            .map_err(RunOutcome::Invalid)?;

        let price = self.tx.effective_gas_price(self.block.base_fee);
        let gas_cost = wrapping_mul_u64(&price, self.tx.gas_limit);
        // (the blob base fee is a loop of 128-bit divisions on-chain: only for blob transactions)
        let blob_cost = match self.tx.blob_gas() {
            0 => U256::ZERO,
            blob_gas => U256::from(blob_gas) * U256::from(self.block.blob_base_fee()),
        };
        self.journal
            .set_balance(&sender, sender_info.balance - gas_cost - blob_cost);
        self.journal.set_nonce(&sender, sender_info.nonce + 1);
        self.warm_up(state).map_err(fatal)?;
        if self.tx.kind == TxKind::SetCode {
            self.authorization_refund = self.authorize(state, crypto).map_err(fatal)?;
        }

        let gas_limit = self.tx.gas_limit - gas::intrinsic_gas(&self.tx);
        let data = core::mem::take(&mut self.tx.data);
        let started = match self.tx.to {
            Some(to) => {
                let inputs = CallInputs {
                    scheme: CallScheme::Call,
                    gas_limit,
                    code_address: to,
                    target: to,
                    caller: sender,
                    value: self.tx.value,
                    transfers_value: true,
                    input: data.clone(),
                    is_static: false,
                    return_offset: 0,
                    return_len: 0,
                    code: None,
                };
                self.begin_call(Box::new(inputs), state, crypto)
            }
            None => {
                // With room for the code padding, so the bytecode does not copy it again.
                let mut initcode = Vec::with_capacity(data.len() + Bytecode::PADDING);
                initcode.extend_from_slice(&data);
                let inputs = CreateInputs {
                    caller: sender,
                    value: self.tx.value,
                    initcode,
                    gas_limit,
                    salt: None,
                };
                self.begin_create(inputs, state, crypto)
            }
        };
        self.tx.data = data;
        started.map_err(fatal)
    }

    fn warm_up(&mut self, state: &mut dyn State) -> Result<(), StateError> {
        let journal = &mut self.journal;
        journal.warm_account(state, &self.tx.caller)?;
        journal.warm_account(state, &self.block.coinbase)?;
        if let Some(to) = &self.tx.to {
            journal.warm_account(state, to)?;
        }
        for item in &self.tx.access_list {
            journal.warm_account(state, &item.address)?;
            for key in &item.storage_keys {
                journal.warm_slot(state, &item.address, U256::from_be_bytes(*key))?;
            }
        }
        Ok(())
    }

    /// EIP-7702: applies each valid authorization in order (an invalid one is skipped): the
    /// authority is warmed, gets the delegation designator (or loses it, for address zero) and
    /// its nonce bumped. Returns the refund for authorities that already existed.
    fn authorize(&mut self, state: &mut dyn State, crypto: &dyn Crypto) -> Result<u64, StateError> {
        let mut refund = 0;
        let authorizations = core::mem::take(&mut self.tx.authorization_list);
        for auth in &authorizations {
            if !auth.chain_id.is_zero() && auth.chain_id != U256::from(self.block.chain_id) {
                continue;
            }
            if auth.nonce == u64::MAX {
                continue;
            }
            let Some(authority) = crate::transaction::authority(auth, crypto) else {
                continue;
            };
            self.journal.warm_account(state, &authority)?;
            let code = self.journal.code(state, &authority)?;
            if !code.is_empty() && delegation::target(code.code()).is_none() {
                continue;
            }
            let account = self.journal.cached(&authority);
            if account.info.nonce != auth.nonce {
                continue;
            }
            if account.loaded.is_some() || !account.is_empty() {
                refund += gas::PER_EMPTY_ACCOUNT_COST - gas::PER_AUTH_BASE_COST;
            }
            if auth.address == [0u8; 20] {
                self.journal
                    .replace_code(&authority, Vec::new(), KECCAK_EMPTY);
            } else {
                let designator = delegation::designator(&auth.address);
                let hash = crypto.keccak256(&designator);
                self.journal.replace_code(&authority, designator, hash);
            }
            self.journal.set_nonce(&authority, auth.nonce + 1);
        }
        self.tx.authorization_list = authorizations;
        Ok(refund)
    }

    /// The code a call to `address` runs, and whose it is: the account's own, or under Prague's
    /// EIP-7702 the code of the account its delegation designator names (warmed here; empty for
    /// a precompile, which a delegation does not run).
    fn call_code(
        &mut self,
        state: &mut dyn State,
        address: &Address,
        loaded: Option<Rc<Bytecode>>,
    ) -> Result<(Rc<Bytecode>, Address), StateError> {
        let code = match loaded {
            Some(code) => code,
            None => self.journal.code(state, address)?,
        };
        if !self.block.fork.is_enabled(Fork::Prague) {
            return Ok((code, *address));
        }
        let Some(delegate) = delegation::target(code.code()) else {
            return Ok((code, *address));
        };
        self.journal.warm_account(state, &delegate)?;
        if precompiles::is_precompile(&delegate, self.block.fork) {
            return Ok((Rc::new(Bytecode::default()), delegate));
        }
        Ok((self.journal.code(state, &delegate)?, delegate))
    }

    /// Starts a call: `Ok(None)` if a frame was pushed, `Ok(Some)` if it finished at once.
    // Boxed as the interpreter hands them over (`Exit::Call`): moving them out would copy them.
    #[allow(clippy::boxed_local)]
    fn begin_call(
        &mut self,
        mut inputs: Box<CallInputs>,
        state: &mut dyn State,
        crypto: &dyn Crypto,
    ) -> Result<Option<FrameResult>, StateError> {
        let kind = FrameKind::Call {
            return_offset: inputs.return_offset,
            return_len: inputs.return_len,
        };
        let depth = self.frames.len();
        if depth > gas::CALL_DEPTH_LIMIT {
            return Ok(Some(FrameResult::refused(inputs.gas_limit, kind)));
        }
        let checkpoint = self.journal.checkpoint();
        // CALL, CALLCODE and STATICCALL move value (possibly zero, which still touches the
        // target, as geth and revm do); DELEGATECALL only reports its parent's value.
        if inputs.scheme != CallScheme::DelegateCall {
            let value = if inputs.transfers_value {
                inputs.value
            } else {
                U256::ZERO
            };
            if !self
                .journal
                .transfer(state, &inputs.caller, &inputs.target, value)?
            {
                self.journal.revert_to(checkpoint);
                return Ok(Some(FrameResult::refused(inputs.gas_limit, kind)));
            }
        }
        if let Some(stepped) = precompiles::precompile_number(&inputs.code_address, self.block.fork)
            .and_then(SteppedPrecompile::of)
            .filter(|&p| crypto.runs_stepped(p))
        {
            return Ok(self.start_job(stepped, *inputs, checkpoint, kind));
        }
        if precompiles::is_precompile(&inputs.code_address, self.block.fork) {
            let result = match precompiles::run(
                &inputs.code_address,
                &inputs.input,
                inputs.gas_limit,
                crypto,
                self.block.fork,
            ) {
                Ok(output) => {
                    let mut gas = Gas::new(inputs.gas_limit);
                    gas.remaining -= output.gas_used;
                    FrameResult {
                        status: Status::Success,
                        output: output.output,
                        gas,
                        kind,
                    }
                }
                // A precompile this host cannot compute (a host without a curve) is as if
                // absent: the call succeeds with no output and no gas beyond the call's, as on a
                // chain without it. The program computes every one (what its syscalls cannot do
                // at once runs as a job: `start_job`), and the emulator's crypto predicts it.
                Err(PrecompileFailure::Unsupported) => FrameResult {
                    status: Status::Success,
                    output: Vec::new(),
                    gas: Gas::new(inputs.gas_limit),
                    kind,
                },
                Err(failure) => self.precompile_failed(failure, checkpoint, inputs.gas_limit, kind),
            };
            return Ok(Some(result));
        }
        let (code, code_owner) = self.call_code(state, &inputs.code_address, inputs.code.take())?;
        if code.is_empty() {
            return Ok(Some(FrameResult {
                status: Status::Success,
                output: Vec::new(),
                gas: Gas::new(inputs.gas_limit),
                kind,
            }));
        }
        if !self
            .code_run
            .contracts
            .iter()
            .any(|c| addresses_eq(c, &code_owner))
        {
            self.code_run.contracts.push(code_owner);
        }
        self.frames.push(Frame {
            code,
            pc: 0,
            stack: Default::default(),
            memory: Default::default(),
            gas: Gas::new(inputs.gas_limit),
            return_data: Vec::new(),
            address: inputs.target,
            caller: inputs.caller,
            value: inputs.value,
            input: inputs.input,
            is_static: inputs.is_static,
            depth: depth as u16,
            checkpoint,
            kind,
        });
        Ok(None)
    }

    /// Charges a stepped precompile's gas and starts its job: `None` when the job is pending
    /// (the run loop advances it), `Some` when the call ended at once (out of gas, bad input).
    fn start_job(
        &mut self,
        precompile: SteppedPrecompile,
        inputs: CallInputs,
        checkpoint: crate::journal::Checkpoint,
        kind: FrameKind,
    ) -> Option<FrameResult> {
        let gas_used = precompile.gas(&inputs.input);
        let started = if gas_used > inputs.gas_limit {
            Err(PrecompileFailure::OutOfGas)
        } else {
            precompile.start(&inputs.input)
        };
        match started {
            Ok(job) => {
                self.phase = Phase::InJob(Box::new(PendingJob {
                    job,
                    gas_limit: inputs.gas_limit,
                    gas_used,
                    checkpoint,
                    kind,
                }));
                None
            }
            Err(failure) => {
                Some(self.precompile_failed(failure, checkpoint, inputs.gas_limit, kind))
            }
        }
    }

    /// Advances the pending job with `budget` (counting what it spends as steps): its call's
    /// result when it is done, `None` when the budget ran out first. Not inlined: on-chain the
    /// job's arithmetic keeps its stack frame out of the step handler's.
    #[inline(never)]
    fn advance_job(&mut self, budget: &mut u64, crypto: &dyn Crypto) -> Option<FrameResult> {
        let Phase::InJob(pending) = &mut self.phase else {
            unreachable!("a pending job")
        };
        let before = *budget;
        let done = pending.job.advance(budget, crypto);
        self.steps += before - *budget;
        let output = done?;
        let Phase::InJob(pending) = core::mem::replace(&mut self.phase, Phase::Running) else {
            unreachable!("a pending job")
        };
        Some(match output {
            Ok(output) => {
                let mut gas = Gas::new(pending.gas_limit);
                gas.remaining -= pending.gas_used;
                FrameResult {
                    status: Status::Success,
                    output,
                    gas,
                    kind: pending.kind,
                }
            }
            // As for a one-shot precompile: as if absent (see `begin_call`).
            Err(PrecompileFailure::Unsupported) => FrameResult {
                status: Status::Success,
                output: Vec::new(),
                gas: Gas::new(pending.gas_limit),
                kind: pending.kind,
            },
            Err(failure) => {
                self.precompile_failed(failure, pending.checkpoint, pending.gas_limit, pending.kind)
            }
        })
    }

    /// A precompile call that failed: its changes (the value moved) reverted, its gas consumed.
    fn precompile_failed(
        &mut self,
        failure: PrecompileFailure,
        checkpoint: crate::journal::Checkpoint,
        gas_limit: u64,
        kind: FrameKind,
    ) -> FrameResult {
        self.journal.revert_to(checkpoint);
        let reason = match failure {
            PrecompileFailure::OutOfGas => HaltReason::OutOfGas,
            _ => HaltReason::PrecompileError,
        };
        FrameResult::halted(reason, gas_limit, kind)
    }

    /// Starts a creation: `Ok(None)` if a frame was pushed, `Ok(Some)` if it ended at once.
    fn begin_create(
        &mut self,
        inputs: CreateInputs,
        state: &mut dyn State,
        crypto: &dyn Crypto,
    ) -> Result<Option<FrameResult>, StateError> {
        let depth = self.frames.len();
        let is_transaction = depth == 0;
        let caller = self.journal.load(state, &inputs.caller)?.info.clone();
        // The top-level creation was validated and its nonce bumped already.
        let nonce = if is_transaction {
            self.tx.nonce
        } else {
            caller.nonce
        };
        let address = match &inputs.salt {
            None => create_address(crypto, &inputs.caller, nonce),
            Some(salt) => create2_address(crypto, &inputs.caller, salt, &inputs.initcode),
        };
        let kind = FrameKind::Create { address };
        if !is_transaction {
            if caller.balance < inputs.value {
                self.journal.observe_balance(&inputs.caller);
            }
            if depth > gas::CALL_DEPTH_LIMIT || caller.balance < inputs.value {
                return Ok(Some(FrameResult::refused(inputs.gas_limit, kind)));
            }
            if caller.nonce == u64::MAX {
                return Ok(Some(FrameResult::refused(inputs.gas_limit, kind)));
            }
            self.journal.set_nonce(&inputs.caller, caller.nonce + 1);
        }
        self.journal.warm_account(state, &address)?;
        let target = self.journal.load(state, &address)?;
        let collides = target.info.nonce != 0 || !is_empty_code(&target.info.code_hash);
        if collides || (!target.created && state.has_storage(&address)?) {
            return Ok(Some(FrameResult::halted(
                HaltReason::CreateCollision,
                inputs.gas_limit,
                kind,
            )));
        }
        let checkpoint = self.journal.checkpoint();
        self.journal.mark_created(&address);
        let moved = self
            .journal
            .transfer(state, &inputs.caller, &address, inputs.value)?;
        debug_assert!(moved, "balance checked above");
        self.code_run.initcode = true;
        self.frames.push(Frame {
            code: Rc::new(Bytecode::new(inputs.initcode)),
            pc: 0,
            stack: Default::default(),
            memory: Default::default(),
            gas: Gas::new(inputs.gas_limit),
            return_data: Vec::new(),
            address,
            caller: inputs.caller,
            value: inputs.value,
            input: Vec::new(),
            is_static: false,
            depth: depth as u16,
            checkpoint,
            kind,
        });
        Ok(None)
    }

    /// Turns a frame's exit into its result: reverts its changes on failure and installs the
    /// code of a successful creation.
    fn end_frame(&mut self, frame: Frame, exit: Exit, crypto: &dyn Crypto) -> FrameResult {
        let kind = frame.kind;
        let mut gas = frame.gas;
        let (mut status, output) = match exit {
            Exit::Stop => (Status::Success, Vec::new()),
            Exit::Return(data) => (Status::Success, data),
            Exit::Revert(data) => (Status::Revert, data),
            Exit::Halt(reason) => (Status::Halt(reason), Vec::new()),
            Exit::Call(_) | Exit::Create(_) | Exit::Pause | Exit::Fatal(_) => {
                unreachable!("not a frame end")
            }
        };
        if let (Status::Success, FrameKind::Create { address }) = (&status, kind) {
            if let Err(reason) = deploy_checks(&output, self.block.max_code_size(), &mut gas) {
                status = Status::Halt(reason);
            } else {
                let hash = crypto.keccak256(&output);
                // With room for the code padding, so the bytecode does not copy it again.
                let mut code = Vec::with_capacity(output.len() + Bytecode::PADDING);
                code.extend_from_slice(&output);
                self.journal.set_code(&address, code, hash);
            }
        }
        match status {
            Status::Success => FrameResult {
                status,
                output,
                gas,
                kind,
            },
            Status::Revert => {
                self.journal.revert_to(frame.checkpoint);
                gas.refund = 0;
                FrameResult {
                    status,
                    output,
                    gas,
                    kind,
                }
            }
            Status::Halt(reason) => {
                self.journal.revert_to(frame.checkpoint);
                FrameResult::halted(reason, gas.limit, kind)
            }
        }
    }

    /// Hands a finished child's result to its parent frame.
    fn deliver(&mut self, result: FrameResult) {
        let parent = self.frames.last_mut().expect("a parent frame");
        parent.gas.remaining += result.gas.remaining;
        let success = result.status == Status::Success;
        if success {
            parent.gas.refund += result.gas.refund;
        }
        let return_data = if matches!(result.status, Status::Halt(_)) {
            Vec::new()
        } else {
            result.output
        };
        let pushed = match result.kind {
            FrameKind::Call {
                return_offset,
                return_len,
            } => {
                let len = (return_len as usize).min(return_data.len());
                if len > 0 {
                    parent
                        .memory
                        .slice_mut(return_offset as usize, len)
                        .copy_from_slice(&return_data[..len]);
                }
                parent.return_data = return_data;
                U256::from(success as u64)
            }
            FrameKind::Create { address } => {
                // A successful creation leaves no return data.
                parent.return_data = if success { Vec::new() } else { return_data };
                if success {
                    crate::primitives::address_to_word(&address)
                } else {
                    U256::ZERO
                }
            }
        };
        // The call or create opcode popped at least three words, so this push cannot overflow.
        let _ = parent.stack.push(pushed);
    }

    /// Refunds unused gas, pays the coinbase and turns the journal into the result.
    fn settle(&mut self, result: FrameResult, state: &mut dyn State) -> RunOutcome {
        match self.pay_fees(&result, state) {
            Ok(outcome) => outcome,
            Err(error) => RunOutcome::Fatal(error),
        }
    }

    fn pay_fees(
        &mut self,
        result: &FrameResult,
        state: &mut dyn State,
    ) -> Result<RunOutcome, StateError> {
        let tx = &self.tx;
        let success = result.status == Status::Success;
        let spent = tx.gas_limit - result.gas.remaining;
        let execution_refund = if success {
            result.gas.refund.max(0) as u64
        } else {
            0
        };
        let refund_counter = execution_refund + self.authorization_refund;
        let mut refund = refund_counter.min(spent / gas::MAX_REFUND_QUOTIENT);
        let mut gas_used = spent - refund;
        // EIP-7623: a transaction pays at least its calldata floor, refunds included.
        if self.block.fork.is_enabled(Fork::Prague) {
            let floor = gas::floor_gas(tx);
            if gas_used < floor {
                gas_used = floor;
                refund = 0;
            }
        }
        let price = tx.effective_gas_price(self.block.base_fee);

        let sender = tx.caller;
        let balance = self.journal.load(state, &sender)?.info.balance;
        self.journal.set_balance(
            &sender,
            balance + wrapping_mul_u64(&price, tx.gas_limit - gas_used),
        );

        let coinbase = self.block.coinbase;
        let tip = wrapping_mul_u64(&price.saturating_sub(self.block.base_fee), gas_used);
        self.journal.touch(state, &coinbase)?;
        let balance = self.journal.cached(&coinbase).info.balance;
        self.journal
            .set_balance(&coinbase, balance.saturating_add(tip));

        let created_address = match (result.kind, success, tx.to) {
            (FrameKind::Create { address }, true, None) => Some(address),
            _ => None,
        };
        let output = match created_address {
            Some(address) => self
                .journal
                .account(&address)
                .and_then(|a| a.code.as_ref())
                .map(|code| code.code().to_vec())
                .unwrap_or_default(),
            None => result.output.clone(),
        };
        self.journal.observe_deletions();
        self.balance_observed = core::mem::take(&mut self.journal.balance_observed);
        let (changes, logs) = core::mem::take(&mut self.journal).finalize();
        Ok(RunOutcome::Done(ExecutionResult {
            status: result.status.clone(),
            gas_used,
            gas_refunded: refund,
            output,
            logs,
            created_address,
            changes,
        }))
    }
}

/// EIP-170 size limit (`max_code_size`: the block's), EIP-3541 0xEF prefix, and the code
/// deposit charge.
fn deploy_checks(code: &[u8], max_code_size: usize, gas: &mut Gas) -> Result<(), HaltReason> {
    if code.len() > max_code_size {
        return Err(HaltReason::CodeSizeLimit);
    }
    if code.first() == Some(&0xEF) {
        return Err(HaltReason::InvalidCodePrefix);
    }
    if !gas.charge(gas::CODE_DEPOSIT_BYTE * code.len() as u64) {
        return Err(HaltReason::OutOfGas);
    }
    Ok(())
}

/// CREATE: `keccak256(rlp([sender, nonce]))[12..]`.
pub fn create_address(crypto: &dyn Crypto, sender: &Address, nonce: u64) -> Address {
    use alloy_rlp::Encodable;
    let payload_length = sender.as_slice().length() + nonce.length();
    let mut out = Vec::with_capacity(payload_length + 1);
    alloy_rlp::Header {
        list: true,
        payload_length,
    }
    .encode(&mut out);
    sender.as_slice().encode(&mut out);
    nonce.encode(&mut out);
    last_20(&crypto.keccak256(&out))
}

/// CREATE2: `keccak256(0xff ++ sender ++ salt ++ keccak256(initcode))[12..]`.
pub fn create2_address(
    crypto: &dyn Crypto,
    sender: &Address,
    salt: &U256,
    initcode: &[u8],
) -> Address {
    let mut preimage = [0u8; 85];
    preimage[0] = 0xff;
    preimage[1..21].copy_from_slice(sender);
    preimage[21..53].copy_from_slice(&salt.to_be_bytes::<32>());
    preimage[53..].copy_from_slice(&crypto.keccak256(initcode));
    last_20(&crypto.keccak256(&preimage))
}

fn last_20(hash: &[u8; 32]) -> Address {
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    address
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_state::MemoryState;
    use crate::result::InvalidTransaction;
    use crate::HostCrypto;

    /// EIP-3607 refuses a sender that holds code, unless the host allows it (impersonation on
    /// a development chain); a restarted machine keeps that.
    #[test]
    fn a_sender_with_code_sends_only_when_allowed() {
        let sender = [0xc0; 20];
        let mut state = MemoryState::default();
        state.insert_account(
            sender,
            AccountInfo {
                balance: U256::from(1_000_000_000u64),
                nonce: 0,
                code_hash: [1; 32],
            },
            alloc::vec![0x00],
        );
        let block = BlockEnv {
            gas_limit: 30_000_000,
            chain_id: 1,
            ..Default::default()
        };
        let tx = TxEnv {
            caller: sender,
            gas_limit: 21_000,
            to: Some([0x11; 20]),
            chain_id: Some(1),
            ..Default::default()
        };
        let refused = Machine::new(block.clone(), tx.clone()).run(&mut state, &HostCrypto, 100);
        assert!(
            matches!(
                refused,
                RunOutcome::Invalid(InvalidTransaction::SenderHasCode)
            ),
            "{refused:?}"
        );
        let mut allowed = Machine::new(block, tx);
        allowed.allow_sender_code();
        let again = allowed.restarted();
        for mut machine in [allowed, again] {
            match machine.run(&mut state.clone(), &HostCrypto, 100) {
                RunOutcome::Done(result) => assert_eq!(result.status, Status::Success),
                other => panic!("{other:?}"),
            }
        }
    }

    /// revm's `ok_1` P256VERIFY vector (hash, r, s, x, y): a valid signature.
    const P256_VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";

    /// Runs `tx` to the end with `crypto`, `budget` steps at a time, saving and restoring the
    /// machine at every pause: (outcome, steps, pauses).
    fn run_paused(
        block: &BlockEnv,
        tx: &TxEnv,
        state: &MemoryState,
        crypto: &dyn Crypto,
        budget: u64,
    ) -> (RunOutcome, u64, u64) {
        let mut machine = Machine::new(block.clone(), tx.clone());
        let mut state = state.clone();
        let mut pauses = 0;
        loop {
            match machine.run(&mut state, crypto, budget) {
                RunOutcome::Paused => {
                    pauses += 1;
                    assert!(machine.gas_spent() <= tx.gas_limit);
                    machine = Machine::from_bytes(&machine.to_bytes()).unwrap();
                }
                done => return (done, machine.steps(), pauses),
            }
        }
    }

    /// P256VERIFY as a job (a host that runs it in steps) answers as the one-shot precompile,
    /// called by a contract or by the transaction itself, with any step budget, across saves;
    /// the steps count the job's work.
    #[test]
    fn a_stepped_precompile_answers_as_the_one_shot_one() {
        use crate::crypto::Stepped;
        let hex = crate::precompiles::test_util::hex;
        let sender = [0xc0; 20];
        let caller = [0xca; 20];
        let mut p256 = [0u8; 20];
        p256[18] = 1;
        let mut state = MemoryState::default();
        let rich = AccountInfo {
            balance: U256::from(10u64.pow(18)),
            nonce: 0,
            code_hash: KECCAK_EMPTY,
        };
        state.insert_account(sender, rich, Vec::new());
        // CALLDATACOPY the input, STATICCALL 0x100 with it, RETURN success || return data:
        // CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY, PUSH1 32 PUSH1 32 CALLDATASIZE PUSH0 PUSH2
        // 0x0100 GAS STATICCALL, PUSH0 MSTORE, PUSH1 64 PUSH0 RETURN.
        let code = alloc::vec![
            0x36, 0x5f, 0x5f, 0x37, 0x60, 0x20, 0x60, 0x20, 0x36, 0x5f, 0x61, 0x01, 0x00, 0x5a,
            0xfa, 0x5f, 0x52, 0x60, 0x40, 0x5f, 0xf3,
        ];
        let code_hash = HostCrypto.keccak256(&code);
        let contract = AccountInfo {
            balance: U256::ZERO,
            nonce: 1,
            code_hash,
        };
        state.insert_account(caller, contract, code);
        let block = BlockEnv {
            gas_limit: 30_000_000,
            chain_id: 1,
            fork: Fork::Osaka,
            ..Default::default()
        };
        let valid = hex(P256_VALID);
        let mut wrong = valid.clone();
        wrong[0] ^= 1;
        for input in [valid, wrong, alloc::vec![1u8; 10]] {
            for to in [caller, p256] {
                let tx = TxEnv {
                    caller: sender,
                    gas_limit: 100_000,
                    to: Some(to),
                    data: input.clone(),
                    chain_id: Some(1),
                    ..Default::default()
                };
                let (one_shot, plain_steps, _) =
                    run_paused(&block, &tx, &state, &HostCrypto, u64::MAX);
                let RunOutcome::Done(result) = &one_shot else {
                    panic!("{one_shot:?}");
                };
                assert_eq!(result.status, Status::Success);
                let valid = input[0] == 0x4c;
                if to == p256 {
                    assert_eq!(result.output.len(), if valid { 32 } else { 0 });
                } else {
                    assert_eq!(result.output[31], 1, "the call succeeded");
                    // (Without return data the calldata copied there stays.)
                    assert!(!valid || result.output[63] == 1);
                }
                let job_steps = if input.len() == 160 { 10_000 } else { 0 };
                for budget in [1, 97, 5_000, u64::MAX] {
                    let (stepped, steps, pauses) =
                        run_paused(&block, &tx, &state, &Stepped(HostCrypto), budget);
                    assert_eq!(stepped, one_shot, "budget {budget}");
                    assert!(steps >= plain_steps, "budget {budget}");
                    if budget == u64::MAX {
                        assert!(
                            steps >= plain_steps + job_steps,
                            "the job's work is counted"
                        );
                        assert_eq!(pauses, 0);
                    } else if budget == 97 && job_steps > 0 {
                        assert!(pauses > 100, "the job paused: {pauses}");
                    }
                }
            }
        }
    }
}
