//! POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16.

use crate::interpreter::opcode::{DUP1, PUSH1, SWAP1};
use crate::interpreter::Interp;
use crate::primitives::U256;
use crate::result::HaltReason;

pub fn pop(it: &mut Interp<'_>) {
    pop!(it; _value);
}

pub fn push0(it: &mut Interp<'_>) {
    push!(it, U256::ZERO);
}

/// PUSHn: the operand size comes from the opcode byte just read.
pub fn push(it: &mut Interp<'_>) {
    let pc = it.frame.pc as usize;
    let code = it.frame.code.padded();
    let n = (code[pc - 1] - PUSH1) as usize + 1;
    // The padding after the code makes a truncated final PUSH read zeros.
    let ok = it.frame.stack.push_slice(&code[pc..pc + n]);
    if !ok {
        return it.halt(HaltReason::StackOverflow);
    }
    it.frame.pc += n as u32;
}

pub fn dup(it: &mut Interp<'_>) {
    let n = (it.frame.code.padded()[it.frame.pc as usize - 1] - DUP1) as usize + 1;
    match it.frame.stack.dup(n) {
        None => it.halt(HaltReason::StackUnderflow),
        Some(false) => it.halt(HaltReason::StackOverflow),
        Some(true) => {}
    }
}

pub fn swap(it: &mut Interp<'_>) {
    let n = (it.frame.code.padded()[it.frame.pc as usize - 1] - SWAP1) as usize + 1;
    if !it.frame.stack.swap(n) {
        it.halt(HaltReason::StackUnderflow);
    }
}
