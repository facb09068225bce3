//! KECCAK256, the frame's own context (ADDRESS, CALLER, CALLVALUE, call data, code, return
//! data) and GAS.

use crate::gas;
use crate::interpreter::Interp;
use crate::primitives::{address_to_word, as_usize, U256};
use crate::result::HaltReason;

pub fn keccak256(it: &mut Interp<'_>) {
    pop!(it; offset, len);
    let Some(len_usize) = as_usize(&len) else {
        return it.halt(HaltReason::OutOfGas);
    };
    gas!(it, gas::KECCAK256_WORD * gas::words(len_usize as u64));
    let (offset, len) = memory_range!(it, offset, len);
    let hash = it.crypto.keccak256(if len == 0 {
        &[]
    } else {
        it.frame.memory.slice(offset, len)
    });
    push!(it, U256::from_be_bytes(hash));
}

pub fn address(it: &mut Interp<'_>) {
    push!(it, address_to_word(&it.frame.address));
}

pub fn caller(it: &mut Interp<'_>) {
    push!(it, address_to_word(&it.frame.caller));
}

pub fn callvalue(it: &mut Interp<'_>) {
    push!(it, it.frame.value);
}

pub fn calldataload(it: &mut Interp<'_>) {
    pop_top!(it; ; offset);
    let mut word = [0u8; 32];
    if let Some(start) = as_usize(offset) {
        let input = &it.frame.input;
        if start < input.len() {
            let end = input.len().min(start + 32);
            word[..end - start].copy_from_slice(&input[start..end]);
        }
    }
    *offset = U256::from_be_bytes(word);
}

pub fn calldatasize(it: &mut Interp<'_>) {
    push!(it, U256::from(it.frame.input.len()));
}

/// The buffers a copy opcode reads from.
#[derive(Clone, Copy)]
pub(super) enum Source {
    Input,
    Code,
    ReturnData,
}

/// Pays for and performs a copy of `source[data_offset..]` into memory, zero-padded.
pub(super) fn copy_to_memory(
    it: &mut Interp<'_>,
    memory_offset: U256,
    data_offset: U256,
    len: U256,
    source: Source,
) {
    let Some(len_usize) = as_usize(&len) else {
        return it.halt(HaltReason::OutOfGas);
    };
    gas!(it, gas::copy_cost(len_usize as u64));
    let (memory_offset, len) = memory_range!(it, memory_offset, len);
    if len == 0 {
        return;
    }
    let frame = &mut *it.frame;
    let data: &[u8] = match source {
        Source::Input => &frame.input,
        Source::Code => frame.code.code(),
        Source::ReturnData => &frame.return_data,
    };
    let start = as_usize(&data_offset).unwrap_or(usize::MAX).min(data.len());
    frame.memory.set_padded(memory_offset, len, &data[start..]);
}

pub fn calldatacopy(it: &mut Interp<'_>) {
    pop!(it; memory_offset, data_offset, len);
    copy_to_memory(it, memory_offset, data_offset, len, Source::Input);
}

pub fn codesize(it: &mut Interp<'_>) {
    push!(it, U256::from(it.frame.code.len()));
}

pub fn codecopy(it: &mut Interp<'_>) {
    pop!(it; memory_offset, code_offset, len);
    copy_to_memory(it, memory_offset, code_offset, len, Source::Code);
}

pub fn returndatasize(it: &mut Interp<'_>) {
    push!(it, U256::from(it.frame.return_data.len()));
}

pub fn returndatacopy(it: &mut Interp<'_>) {
    pop!(it; memory_offset, data_offset, len);
    let end = as_usize(&data_offset).and_then(|o| as_usize(&len).and_then(|l| o.checked_add(l)));
    match end {
        Some(end) if end <= it.frame.return_data.len() => {}
        _ => return it.halt(HaltReason::OutOfOffset),
    }
    copy_to_memory(it, memory_offset, data_offset, len, Source::ReturnData);
}

pub fn gas(it: &mut Interp<'_>) {
    push!(it, U256::from(it.gas.remaining));
}
