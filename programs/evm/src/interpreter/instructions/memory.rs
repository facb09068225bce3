//! MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY.

use crate::gas;
use crate::interpreter::Interp;
use crate::primitives::{as_usize, U256};
use crate::result::HaltReason;

/// Pays for a fixed-size access at `offset`; `None` halts out of gas.
#[inline]
fn fixed_range(it: &mut Interp<'_>, offset: &U256, len: usize) -> Option<usize> {
    let offset = as_usize(offset)?;
    it.expand_memory(offset, len)?;
    Some(offset)
}

pub fn mload(it: &mut Interp<'_>) {
    pop!(it; offset);
    let Some(offset) = fixed_range(it, &offset, 32) else {
        return it.halt(HaltReason::OutOfGas);
    };
    push!(it, U256::from_be_bytes(it.frame.memory.word(offset)));
}

pub fn mstore(it: &mut Interp<'_>) {
    pop!(it; offset, value);
    let Some(offset) = fixed_range(it, &offset, 32) else {
        return it.halt(HaltReason::OutOfGas);
    };
    it.frame
        .memory
        .slice_mut(offset, 32)
        .copy_from_slice(&value.to_be_bytes::<32>());
}

pub fn mstore8(it: &mut Interp<'_>) {
    pop!(it; offset, value);
    let Some(offset) = fixed_range(it, &offset, 1) else {
        return it.halt(HaltReason::OutOfGas);
    };
    it.frame.memory.slice_mut(offset, 1)[0] = value.byte(0);
}

pub fn msize(it: &mut Interp<'_>) {
    push!(it, U256::from(it.frame.memory.len()));
}

pub fn mcopy(it: &mut Interp<'_>) {
    pop!(it; dst, src, len);
    let Some(len_usize) = as_usize(&len) else {
        return it.halt(HaltReason::OutOfGas);
    };
    gas!(it, gas::copy_cost(len_usize as u64));
    if len_usize == 0 {
        return;
    }
    let (Some(dst), Some(src)) = (as_usize(&dst), as_usize(&src)) else {
        return it.halt(HaltReason::OutOfGas);
    };
    if it.expand_memory(dst.max(src), len_usize).is_none() {
        return it.halt(HaltReason::OutOfGas);
    }
    it.frame.memory.copy_within(src, dst, len_usize);
}
