//! POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16: one handler per width, so the operand size
//! is a constant rather than re-read from the code.

use crate::interpreter::Interp;
use crate::primitives::U256;
use crate::result::HaltReason;

pub fn pop(it: &mut Interp<'_>) {
    pop!(it; _value);
}

pub fn push0(it: &mut Interp<'_>) {
    push!(it, U256::ZERO);
}

/// PUSH`N`. The padding after the code makes a truncated final PUSH read zeros.
pub fn push<const N: usize>(it: &mut Interp<'_>) {
    let operand = it.code_bytes::<N>(it.pc);
    let value = if N <= 8 {
        U256::from(
            operand
                .iter()
                .fold(0u64, |acc, byte| (acc << 8) | *byte as u64),
        )
    } else {
        U256::from_be_slice(operand)
    };
    push!(it, value);
    it.pc += N;
}

/// DUP`N`.
pub fn dup<const N: usize>(it: &mut Interp<'_>) {
    match it.stack.dup(N) {
        None => it.halt(HaltReason::StackUnderflow),
        Some(false) => it.halt(HaltReason::StackOverflow),
        Some(true) => {}
    }
}

/// SWAP`N`.
pub fn swap<const N: usize>(it: &mut Interp<'_>) {
    if !it.stack.swap(N) {
        it.halt(HaltReason::StackUnderflow);
    }
}
