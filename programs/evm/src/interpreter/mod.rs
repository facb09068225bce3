//! The interpreter: call frames, the dispatch loop and the opcode handlers.
//!
//! A [`Frame`] holds everything one call or creation needs (code, pc, stack, memory, gas, return
//! data); [`execute`] runs one frame until it ends, asks for a sub-call, or spends its step budget.
//! Nested calls never recurse: the [`crate::Machine`] keeps frames in a vector.

#[macro_use]
mod macros;
pub mod instructions;
pub mod memory;
pub mod stack;

/// Code and opcode bytes sit below the journal, which caches analysed code; kept reachable here
/// under their old paths (`interpreter::bytecode`, `interpreter::opcode`).
pub use crate::{bytecode, opcode};

use crate::bytecode::Bytecode;
use crate::crypto::Crypto;
use crate::env::{BlockEnv, TxEnv};
use crate::journal::{Checkpoint, Journal};
use crate::primitives::{as_usize, Address, U256};
use crate::result::HaltReason;
use crate::state::{State, StateError};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};
use memory::Memory;
use stack::Stack;

/// Gas of one frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Gas {
    pub limit: u64,
    pub remaining: u64,
    /// Refund counter (EIP-3529); passed up to the parent only on success.
    pub refund: i64,
}

impl Gas {
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            remaining: limit,
            refund: 0,
        }
    }

    /// Spends `cost`; `false` (spending nothing) if there is not enough.
    #[inline]
    #[must_use]
    pub fn charge(&mut self, cost: u64) -> bool {
        match self.remaining.checked_sub(cost) {
            Some(left) => {
                self.remaining = left;
                true
            }
            None => false,
        }
    }
}

/// What the parent does with a frame's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum FrameKind {
    /// A call: the output is copied to the parent's memory at this range.
    Call { return_offset: u64, return_len: u64 },
    /// A creation: on success the output becomes the code at `address`.
    Create { address: Address },
}

/// One call or creation in progress.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Frame {
    #[borsh(
        serialize_with = "crate::bytecode::rc_borsh::serialize",
        deserialize_with = "crate::bytecode::rc_borsh::deserialize"
    )]
    pub code: Rc<Bytecode>,
    pub pc: u32,
    pub stack: Stack,
    pub memory: Memory,
    pub gas: Gas,
    /// Output of the last sub-call (RETURNDATASIZE / RETURNDATACOPY).
    pub return_data: Vec<u8>,
    /// The account whose storage and balance this code acts on.
    pub address: Address,
    pub caller: Address,
    /// CALLVALUE.
    pub value: U256,
    pub input: Vec<u8>,
    pub is_static: bool,
    pub depth: u16,
    /// Where the journal stood when this frame began; a failure reverts to it.
    pub checkpoint: Checkpoint,
    pub kind: FrameKind,
}

/// The call opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallScheme {
    Call,
    CallCode,
    DelegateCall,
    StaticCall,
}

/// A sub-call requested by a frame; gas has been charged to the caller already.
#[derive(Clone, Debug)]
pub struct CallInputs {
    pub scheme: CallScheme,
    /// Gas the child gets (stipend included).
    pub gas_limit: u64,
    /// Whose code runs.
    pub code_address: Address,
    /// The address the child acts as.
    pub target: Address,
    pub caller: Address,
    /// Value moved (CALL, CALLCODE) or just reported (DELEGATECALL).
    pub value: U256,
    pub transfers_value: bool,
    pub input: Vec<u8>,
    pub is_static: bool,
    pub return_offset: u64,
    pub return_len: u64,
    /// The code at `code_address`, when the caller already loaded it (the call opcodes do).
    pub code: Option<Rc<Bytecode>>,
}

/// A creation requested by a frame; gas has been charged to the caller already.
#[derive(Clone, Debug)]
pub struct CreateInputs {
    pub caller: Address,
    pub value: U256,
    pub initcode: Vec<u8>,
    pub gas_limit: u64,
    /// `Some(salt)` for CREATE2.
    pub salt: Option<U256>,
}

/// Why [`execute`] returned.
#[derive(Debug)]
pub enum Exit {
    Stop,
    Return(Vec<u8>),
    Revert(Vec<u8>),
    Halt(HaltReason),
    Call(Box<CallInputs>),
    Create(Box<CreateInputs>),
    /// The step budget ran out before the next opcode.
    Pause,
    Fatal(StateError),
}

/// Everything an opcode handler may touch.
///
/// While [`execute`] runs, the frame's program counter, gas and stack live here rather than in
/// the frame (`frame.pc`, `frame.gas` and `frame.stack` are stale until it returns): one pointer
/// away from every handler instead of two.
pub struct Interp<'a> {
    pub frame: &'a mut Frame,
    pub journal: &'a mut Journal,
    pub block: &'a BlockEnv,
    pub tx: &'a TxEnv,
    pub state: &'a mut dyn State,
    pub crypto: &'a dyn Crypto,
    pub exit: Option<Exit>,
    /// The next opcode's offset in the code.
    pub pc: usize,
    pub gas: Gas,
    pub stack: Stack,
    /// The frame's padded code ([`Bytecode::padded`]), valid while [`execute`] runs.
    code: *const u8,
}

impl<'a> Interp<'a> {
    pub fn new(
        frame: &'a mut Frame,
        journal: &'a mut Journal,
        block: &'a BlockEnv,
        tx: &'a TxEnv,
        state: &'a mut dyn State,
        crypto: &'a dyn Crypto,
    ) -> Self {
        Self {
            frame,
            journal,
            block,
            tx,
            state,
            crypto,
            exit: None,
            pc: 0,
            gas: Gas::default(),
            stack: Stack::default(),
            code: core::ptr::null(),
        }
    }
}

impl Interp<'_> {
    /// `N` code bytes from `at`, where `at <= code length + 1` (a PUSH operand: the padding makes
    /// one that runs past the end read zeros).
    #[inline(always)]
    pub fn code_bytes<const N: usize>(&self, at: usize) -> &[u8; N] {
        debug_assert!(at + N <= self.frame.code.padded().len());
        // SAFETY: `code` points at the frame's padded code for the whole of `execute`, the only
        // caller of handlers; `at` is at most one past the opcode that asks, and the padding
        // holds 33 bytes behind the code.
        unsafe { &*(self.code.add(at) as *const [u8; N]) }
    }

    /// Ends the frame with an exceptional halt.
    #[cold]
    #[inline(never)]
    pub fn halt(&mut self, reason: HaltReason) {
        self.exit = Some(Exit::Halt(reason));
    }

    /// Ends the transaction: the host could not answer.
    #[cold]
    pub fn fatal(&mut self, error: StateError) {
        self.exit = Some(Exit::Fatal(error));
    }

    /// Checks and pays for the memory range `[offset, offset + len)`; returns it as `usize`s.
    /// `None` means out of gas (including ranges too large to address).
    #[inline]
    pub fn memory_range(&mut self, offset: &U256, len: &U256) -> Option<(usize, usize)> {
        let len = as_usize(len)?;
        if len == 0 {
            return Some((0, 0));
        }
        let offset = as_usize(offset)?;
        self.expand_memory(offset, len)?;
        Some((offset, len))
    }

    /// Grows memory to cover `[offset, offset + len)`, charging the expansion (len > 0).
    #[inline]
    pub fn expand_memory(&mut self, offset: usize, len: usize) -> Option<()> {
        let end = offset.checked_add(len)? as u64;
        let new_words = crate::gas::words(end);
        let old_words = self.frame.memory.words();
        if new_words > old_words {
            // Keep sizes where the quadratic cost cannot overflow; no gas limit pays for more.
            if new_words > u32::MAX as u64 {
                return None;
            }
            let cost = crate::gas::memory_cost(new_words) - crate::gas::memory_cost(old_words);
            if !self.gas.charge(cost) {
                return None;
            }
            self.frame.memory.resize_words(new_words);
        }
        Some(())
    }
}

/// Runs `frame` until it exits or `steps` (opcodes) run out; `steps` is decremented per opcode.
pub fn execute(it: &mut Interp<'_>, steps: &mut u64) -> Exit {
    let code = it.frame.code.clone();
    let padded = code.padded();
    // A machine read back from bytes could hold any pc; the code itself reaches at most 32 past
    // its end (a PUSH32 as its last opcode, paused before the STOP the padding reads as).
    if it.frame.pc as usize > code.len() + 32 {
        return Exit::Halt(HaltReason::InvalidJump);
    }
    it.code = padded.as_ptr();
    it.pc = it.frame.pc as usize;
    it.gas = it.frame.gas;
    it.stack = core::mem::take(&mut it.frame.stack);
    it.stack.bound_capacity();
    let table = &instructions::TABLE;
    let mut left = *steps;
    let exit = loop {
        if left == 0 {
            break Exit::Pause;
        }
        left -= 1;
        // SAFETY: pc <= code length + 32 < padded length: it starts within the code, a jump lands
        // on a JUMPDEST inside it, and each opcode moves it by at most 33 from a position inside
        // the code (at the code's end the padding reads as STOP).
        let op = unsafe { *padded.get_unchecked(it.pc) };
        it.pc += 1;
        let entry = &table[op as usize];
        if !it.gas.charge(entry.gas) {
            break Exit::Halt(HaltReason::OutOfGas);
        }
        instructions::dispatch(it, op, entry.run);
        if it.exit.is_some() {
            break it.exit.take().expect("checked");
        }
    };
    *steps = left;
    it.frame.pc = it.pc as u32;
    it.frame.gas = it.gas;
    it.frame.stack = core::mem::take(&mut it.stack);
    it.code = core::ptr::null();
    exit
}
