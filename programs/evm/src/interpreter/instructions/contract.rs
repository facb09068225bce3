//! CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2: they charge the caller and hand a
//! request to the machine, which runs the child frame.

use crate::delegation;
use crate::fork::Fork;
use crate::gas;
use crate::interpreter::{CallInputs, CallScheme, CreateInputs, Exit, Interp};
use crate::primitives::{as_u64_saturated, as_usize, word_to_address, U256};
use crate::result::HaltReason;
use alloc::boxed::Box;
use alloc::vec::Vec;

pub fn call(it: &mut Interp<'_>) {
    call_with(it, CallScheme::Call);
}

pub fn callcode(it: &mut Interp<'_>) {
    call_with(it, CallScheme::CallCode);
}

pub fn delegatecall(it: &mut Interp<'_>) {
    call_with(it, CallScheme::DelegateCall);
}

pub fn staticcall(it: &mut Interp<'_>) {
    call_with(it, CallScheme::StaticCall);
}

fn call_with(it: &mut Interp<'_>, scheme: CallScheme) {
    let has_value = matches!(scheme, CallScheme::Call | CallScheme::CallCode);
    pop!(it; gas_word, to_word);
    let value = if has_value {
        pop!(it; value);
        value
    } else {
        U256::ZERO
    };
    pop!(it; in_offset, in_len, out_offset, out_len);
    if scheme == CallScheme::Call && it.frame.is_static && !value.is_zero() {
        return it.halt(HaltReason::StaticStateChange);
    }
    let (in_offset, in_len) = memory_range!(it, in_offset, in_len);
    let (out_offset, out_len) = memory_range!(it, out_offset, out_len);
    let input = if in_len == 0 {
        Vec::new()
    } else {
        it.frame.memory.slice(in_offset, in_len).to_vec()
    };

    let to = word_to_address(&to_word);
    // The target's code is loaded with its warming (one journal lookup) and goes with the call.
    // EIP-7702: calling a delegated account also accesses its delegate, whose code runs.
    let (cold, code) = host!(it, it.journal.warm_account_with_code(it.state, &to));
    let mut cost = gas::account_access_cost(cold);
    let delegated = it.block.fork.is_enabled(Fork::Prague);
    if let Some(delegate) = delegated.then(|| delegation::target(code.code())).flatten() {
        let cold = host!(it, it.journal.warm_account(it.state, &delegate));
        cost += gas::account_access_cost(cold);
    }
    let transfers_value = has_value && !value.is_zero();
    if transfers_value {
        cost += gas::CALL_VALUE;
        if scheme == CallScheme::Call && it.journal.is_empty_observed(&to) {
            cost += gas::NEW_ACCOUNT;
        }
    }
    gas!(it, cost);

    // EIP-150: the child gets at most all but one 64th of what is left.
    let mut gas_limit = gas::all_but_one_64th(it.gas.remaining).min(as_u64_saturated(&gas_word));
    gas!(it, gas_limit);
    if transfers_value {
        gas_limit += gas::CALL_STIPEND;
    }

    let frame = &*it.frame;
    let (target, caller, value) = match scheme {
        CallScheme::Call | CallScheme::StaticCall => (to, frame.address, value),
        CallScheme::CallCode => (frame.address, frame.address, value),
        CallScheme::DelegateCall => (frame.address, frame.caller, frame.value),
    };
    it.exit = Some(Exit::Call(Box::new(CallInputs {
        scheme,
        gas_limit,
        code_address: to,
        target,
        caller,
        value,
        transfers_value,
        input,
        is_static: frame.is_static || scheme == CallScheme::StaticCall,
        return_offset: out_offset as u64,
        return_len: out_len as u64,
        code: Some(code),
    })));
}

pub fn create(it: &mut Interp<'_>) {
    create_with(it, false);
}

pub fn create2(it: &mut Interp<'_>) {
    create_with(it, true);
}

fn create_with(it: &mut Interp<'_>, is_create2: bool) {
    require_non_static!(it);
    pop!(it; value, offset, len);
    let salt = if is_create2 {
        pop!(it; salt);
        Some(salt)
    } else {
        None
    };
    let Some(len_usize) = as_usize(&len) else {
        return it.halt(HaltReason::OutOfGas);
    };
    if len_usize > it.block.max_initcode_size() {
        return it.halt(HaltReason::InitcodeSizeLimit);
    }
    gas!(it, gas::initcode_cost(len_usize as u64));
    if is_create2 {
        gas!(it, gas::KECCAK256_WORD * gas::words(len_usize as u64));
    }
    let (offset, len) = memory_range!(it, offset, len);
    let initcode = if len == 0 {
        Vec::new()
    } else {
        it.frame.memory.slice(offset, len).to_vec()
    };
    let gas_limit = gas::all_but_one_64th(it.gas.remaining);
    gas!(it, gas_limit);
    it.exit = Some(Exit::Create(Box::new(CreateInputs {
        caller: it.frame.address,
        value,
        initcode,
        gas_limit,
        salt,
    })));
}
