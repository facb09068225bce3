//! STOP, JUMP, JUMPI, PC, JUMPDEST, RETURN, REVERT, INVALID.

use crate::interpreter::{Exit, Interp};
use crate::primitives::{as_usize, is_zero, U256};
use crate::result::HaltReason;

pub fn stop(it: &mut Interp<'_>) {
    it.exit = Some(Exit::Stop);
}

#[inline]
fn jump_to(it: &mut Interp<'_>, target: &U256) {
    match as_usize(target) {
        Some(dest) if it.frame.code.is_jumpdest(dest) => it.pc = dest,
        _ => it.halt(HaltReason::InvalidJump),
    }
}

pub fn jump(it: &mut Interp<'_>) {
    pop!(it; target);
    jump_to(it, &target);
}

pub fn jumpi(it: &mut Interp<'_>) {
    pop!(it; target, condition);
    if !is_zero(&condition) {
        jump_to(it, &target);
    }
}

pub fn pc(it: &mut Interp<'_>) {
    // pc already points past this opcode.
    push!(it, U256::from(it.pc - 1));
}

pub fn jumpdest(_it: &mut Interp<'_>) {}

/// The memory range named by the top two words, copied out.
fn output(it: &mut Interp<'_>) -> Option<alloc::vec::Vec<u8>> {
    let Some([offset, len]) = it.stack.popn() else {
        it.halt(HaltReason::StackUnderflow);
        return None;
    };
    let Some((offset, len)) = it.memory_range(&offset, &len) else {
        it.halt(HaltReason::OutOfGas);
        return None;
    };
    Some(if len == 0 {
        alloc::vec::Vec::new()
    } else {
        it.frame.memory.slice(offset, len).to_vec()
    })
}

pub fn ret(it: &mut Interp<'_>) {
    if let Some(data) = output(it) {
        it.exit = Some(Exit::Return(data));
    }
}

pub fn revert(it: &mut Interp<'_>) {
    if let Some(data) = output(it) {
        it.exit = Some(Exit::Revert(data));
    }
}

/// INVALID (0xFE) and every unassigned byte.
pub fn invalid(it: &mut Interp<'_>) {
    it.halt(HaltReason::InvalidOpcode);
}
