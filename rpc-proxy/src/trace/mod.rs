//! Transaction traces as geth's `debug_trace*` give them: the struct logger (every opcode with
//! its pc, gas, cost, depth, stack, memory and storage) and `callTracer` (the tree of calls with
//! value, gas, input, output, error, revert reason and, with `withLog`, logs).
//!
//! The interpreter has no tracing hook: the machine runs one opcode at a time and is read
//! between steps ([`Machine::frames`]), so the on-chain build carries nothing for it.

pub mod call_tracer;
pub mod prestate;
pub mod replay;
pub mod struct_log;

use isthmus_evm::interpreter::Frame;
use isthmus_evm::opcode;
use isthmus_evm::{Crypto, Machine, RunOutcome, State, Status, U256};
use std::collections::BTreeMap;
use std::time::Instant;

/// What the struct logger records beside pc, op, gas and depth (geth's defaults: stack and
/// storage on, memory and return data off).
#[derive(Clone, Copy, Debug)]
pub struct LogOptions {
    pub stack: bool,
    pub memory: bool,
    pub storage: bool,
    pub return_data: bool,
}

impl Default for LogOptions {
    fn default() -> Self {
        Self {
            stack: true,
            memory: false,
            storage: true,
            return_data: false,
        }
    }
}

/// One opcode, as it was about to run.
#[derive(Clone, Debug)]
pub struct Step {
    pub pc: u32,
    pub op: u8,
    pub gas: u64,
    pub gas_cost: u64,
    /// 1 for the transaction's own call.
    pub depth: usize,
    pub refund: i64,
    pub stack: Option<Vec<U256>>,
    pub memory: Option<Vec<u8>>,
    /// The slots of the running contract read or written so far (SLOAD, SSTORE steps only).
    pub storage: Option<BTreeMap<[u8; 32], [u8; 32]>>,
    pub return_data: Option<Vec<u8>>,
}

/// One call or creation.
#[derive(Clone, Debug, Default)]
pub struct CallFrame {
    /// CALL, STATICCALL, DELEGATECALL, CALLCODE, CREATE or CREATE2.
    pub kind: &'static str,
    pub from: [u8; 20],
    pub to: [u8; 20],
    pub value: Option<U256>,
    pub gas: u64,
    pub gas_used: u64,
    pub input: Vec<u8>,
    pub output: Vec<u8>,
    pub error: Option<String>,
    pub calls: Vec<CallFrame>,
    pub logs: Vec<CallLog>,
    /// The caller's gas when this call began (after paying for it): what it has more of when
    /// the call ends is what the call gave back.
    parent_gas_at_start: u64,
    /// The opcode this call ran last (REVERT, or where it halted).
    last_op: u8,
}

/// A log emitted inside a call (callTracer's `withLog`).
#[derive(Clone, Debug)]
pub struct CallLog {
    pub address: [u8; 20],
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
    /// How many sub-calls of its call came before it.
    pub position: usize,
}

/// A traced transaction.
pub struct Trace {
    pub steps: Vec<Step>,
    pub root: CallFrame,
    pub outcome: RunOutcome,
}

impl Trace {
    /// Gas charged, whether it failed and what it returned.
    pub fn summary(&self) -> (u64, bool, Vec<u8>) {
        match &self.outcome {
            RunOutcome::Done(r) => (r.gas_used, r.status != Status::Success, r.output.clone()),
            _ => (0, true, Vec::new()),
        }
    }
}

/// What to record.
#[derive(Clone, Copy, Debug, Default)]
pub struct Record {
    /// The struct logger's steps (`None`: no steps, only the calls).
    pub steps: Option<LogOptions>,
}

/// Runs `machine` to its end one opcode at a time, recording what `record` asks for; gives up
/// at `deadline` (geth's tracer timeout).
pub fn trace(
    mut machine: Machine,
    state: &mut dyn State,
    crypto: &dyn Crypto,
    record: Record,
    deadline: Instant,
) -> Result<Trace, String> {
    let tx = machine.tx().clone();
    let mut steps: Vec<Step> = Vec::new();
    let mut open: Vec<CallFrame> = Vec::new();
    let mut storage: Vec<BTreeMap<[u8; 32], [u8; 32]>> = Vec::new();
    // The opcode before: its depth, gas and opcode (its step, when recorded, is `steps`' last).
    let mut previous: Option<(usize, u64, u8)> = None;
    // Start: validation and the first frame, no opcode yet.
    let mut outcome = machine.run(state, crypto, 0);
    let mut count: u64 = 0;
    while outcome == RunOutcome::Paused {
        count += 1;
        if count.is_multiple_of(10_000) && Instant::now() >= deadline {
            return Err("execution timeout".into());
        }
        let frames = machine.frames();
        let depth = frames.len();
        close_frames(&mut open, frames, &mut storage);
        while open.len() < depth {
            let parent_op = previous.map(|(_, _, op)| op).unwrap_or(0);
            let frame = &frames[open.len()];
            let parent_gas = match open.len() {
                0 => 0,
                d => frames[d - 1].gas.remaining,
            };
            open.push(open_frame(
                frame,
                parent_op,
                open.is_empty(),
                &tx,
                parent_gas,
            ));
            storage.push(BTreeMap::new());
        }
        let frame = frames.last().expect("a paused machine has a frame");
        let code = frame.code.code();
        let pc = frame.pc as usize;
        let op = code.get(pc).copied().unwrap_or(opcode::STOP);
        let gas = frame.gas.remaining;
        // The step before costs what it took from its frame: up to this step in the same frame,
        // or, when it started a call, up to the call's start (the gas given to it included).
        if let (Some((prev_depth, prev_gas, _)), Some(step)) = (previous, steps.last_mut()) {
            let after = if prev_depth == depth {
                Some(gas)
            } else if prev_depth + 1 == depth {
                Some(frames[prev_depth - 1].gas.remaining)
            } else {
                None
            };
            if let Some(after) = after {
                step.gas_cost = prev_gas.saturating_sub(after);
            }
        }
        if let Some(current) = open.last_mut() {
            current.last_op = op;
            if let Some(log) = log_of(frame, op, current.calls.len()) {
                current.logs.push(log);
            }
        }
        let touched = storage.last_mut().expect("storage per frame");
        if let Some(options) = record.steps {
            if matches!(op, opcode::SLOAD | opcode::SSTORE) && options.storage {
                note_storage(frame, op, state, touched);
            }
            steps.push(Step {
                pc: frame.pc,
                op,
                gas,
                gas_cost: 0,
                depth,
                refund: frame.gas.refund,
                stack: options.stack.then(|| frame.stack.as_slice().to_vec()),
                memory: options
                    .memory
                    .then(|| frame.memory.slice(0, frame.memory.len()).to_vec()),
                storage: (options.storage && matches!(op, opcode::SLOAD | opcode::SSTORE))
                    .then(|| touched.clone()),
                return_data: options.return_data.then(|| frame.return_data.clone()),
            });
        }
        previous = Some((depth, gas, op));
        outcome = machine.run(state, crypto, 1);
    }
    // The transaction ended: every frame still open closes with it.
    let mut root = None;
    while let Some(mut frame) = open.pop() {
        if open.is_empty() {
            if let RunOutcome::Done(result) = &outcome {
                frame.gas_used = result.gas_used;
                frame.output = result.output.clone();
                frame.error = match &result.status {
                    Status::Success => None,
                    Status::Revert => Some("execution reverted".into()),
                    Status::Halt(reason) => Some(crate::geth::halt(reason)),
                };
                if result.status != Status::Success {
                    frame.logs.clear();
                }
            }
            root = Some(frame);
        } else {
            // A frame the end of the transaction cut short (out of gas at depth): failed.
            frame.error = Some("out of gas".into());
            frame.logs.clear();
            open.last_mut().expect("a parent").calls.push(frame);
        }
    }
    let root = root.unwrap_or_else(|| {
        // No code ran (a transfer, or a refused transaction): the top-level call alone.
        let mut frame = CallFrame {
            kind: if tx.to.is_some() { "CALL" } else { "CREATE" },
            from: tx.caller,
            to: tx.to.unwrap_or_default(),
            value: Some(tx.value),
            gas: tx.gas_limit,
            input: tx.data.clone(),
            ..Default::default()
        };
        if let RunOutcome::Done(result) = &outcome {
            frame.gas_used = result.gas_used;
            frame.output = result.output.clone();
            if let Some(change) = result.changes.accounts.first() {
                if tx.to.is_none() {
                    frame.to = change.address;
                }
            }
        }
        frame
    });
    Ok(Trace {
        steps,
        root,
        outcome,
    })
}

/// A call frame the machine just entered; `parent_op` is the opcode that made it.
fn open_frame(
    frame: &Frame,
    parent_op: u8,
    top: bool,
    tx: &isthmus_evm::TxEnv,
    parent_gas: u64,
) -> CallFrame {
    let creates = matches!(
        frame.kind,
        isthmus_evm::interpreter::FrameKind::Create { .. }
    );
    let kind = if top {
        if creates {
            "CREATE"
        } else {
            "CALL"
        }
    } else {
        match parent_op {
            opcode::STATICCALL => "STATICCALL",
            opcode::DELEGATECALL => "DELEGATECALL",
            opcode::CALLCODE => "CALLCODE",
            opcode::CREATE => "CREATE",
            opcode::CREATE2 => "CREATE2",
            _ => "CALL",
        }
    };
    CallFrame {
        kind,
        from: frame.caller,
        to: frame.address,
        value: (kind != "STATICCALL" && kind != "DELEGATECALL").then_some(frame.value),
        gas: if top { tx.gas_limit } else { frame.gas.limit },
        input: if creates && top {
            tx.data.clone()
        } else {
            frame.input.clone()
        },
        parent_gas_at_start: parent_gas,
        ..Default::default()
    }
}

/// Closes the open call frames deeper than the machine now is: their output is the parent's
/// return data, their success the word the call pushed, their gas what the parent got back.
fn close_frames(
    open: &mut Vec<CallFrame>,
    frames: &[Frame],
    storage: &mut Vec<BTreeMap<[u8; 32], [u8; 32]>>,
) {
    while open.len() > frames.len() {
        let mut frame = open.pop().expect("an open frame");
        storage.pop();
        let parent = &frames[open.len() - 1];
        let succeeded = parent
            .stack
            .as_slice()
            .last()
            .is_some_and(|word| !word.is_zero());
        let returned = parent
            .gas
            .remaining
            .saturating_sub(frame.parent_gas_at_start);
        frame.gas_used = frame.gas.saturating_sub(returned);
        let creates = matches!(frame.kind, "CREATE" | "CREATE2");
        if !creates || !succeeded {
            frame.output = parent.return_data.clone();
        }
        if !succeeded {
            frame.error = Some(match frame.last_op {
                opcode::REVERT => "execution reverted".into(),
                opcode::INVALID => "invalid opcode: INVALID".into(),
                op if opcode::name(op).is_none() => {
                    format!("invalid opcode: opcode {op:#x} not defined")
                }
                opcode::JUMP | opcode::JUMPI => "invalid jump destination".into(),
                _ => "out of gas".into(),
            });
            frame.logs.clear();
        }
        open.last_mut().expect("a parent").calls.push(frame);
    }
}

/// The log a LOG opcode is about to emit, read from its stack and memory.
fn log_of(frame: &Frame, op: u8, position: usize) -> Option<CallLog> {
    if !(opcode::LOG0..=opcode::LOG4).contains(&op) {
        return None;
    }
    let topics = (op - opcode::LOG0) as usize;
    let stack = frame.stack.as_slice();
    if stack.len() < 2 + topics {
        return None;
    }
    let word = |i: usize| stack[stack.len() - 1 - i];
    let offset = usize::try_from(word(0)).ok()?;
    let len = usize::try_from(word(1)).ok()?;
    let data = if len == 0 {
        Vec::new()
    } else if offset.checked_add(len)? <= frame.memory.len() {
        frame.memory.slice(offset, len).to_vec()
    } else {
        // Beyond memory: zeros (the expansion is paid when the opcode runs).
        let mut data = vec![0; len.min(1 << 20)];
        let have = frame.memory.len().saturating_sub(offset).min(data.len());
        if have > 0 {
            data[..have].copy_from_slice(frame.memory.slice(offset, have));
        }
        data
    };
    Some(CallLog {
        address: frame.address,
        topics: (0..topics).map(|i| word(2 + i).to_be_bytes()).collect(),
        data,
        position,
    })
}

/// The slot an SLOAD reads (its value as it stands) or an SSTORE writes, into `touched`.
fn note_storage(
    frame: &Frame,
    op: u8,
    state: &mut dyn State,
    touched: &mut BTreeMap<[u8; 32], [u8; 32]>,
) {
    let stack = frame.stack.as_slice();
    let Some(slot) = stack.last() else {
        return;
    };
    let value = if op == opcode::SSTORE {
        match stack.len().checked_sub(2).map(|i| stack[i]) {
            Some(v) => v,
            None => return,
        }
    } else {
        // What SLOAD will read: the value written earlier in this transaction if any, else
        // the state's.
        match touched.get(&slot.to_be_bytes()) {
            Some(v) => U256::from_be_bytes(*v),
            None => state.storage(&frame.address, slot).unwrap_or_default(),
        }
    };
    touched.insert(slot.to_be_bytes(), value.to_be_bytes());
}
