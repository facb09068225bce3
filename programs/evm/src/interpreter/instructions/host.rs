//! Opcodes that read or change accounts: BALANCE, EXTCODE*, BLOCKHASH, SELFBALANCE, SLOAD,
//! SSTORE, TLOAD, TSTORE, LOGn, SELFDESTRUCT.

use super::system::{copy_to_memory, Source};
use crate::gas;
use crate::interpreter::{Exit, Interp};
use crate::opcode;
use crate::primitives::{as_u64_saturated, as_usize, word_to_address, U256};
use crate::result::{HaltReason, Log};
use alloc::vec::Vec;

/// Warms the account in `word` and charges its access; evaluates to its address.
macro_rules! access_account {
    ($it:expr, $word:expr) => {{
        let address = word_to_address(&$word);
        let cold = host!($it, $it.journal.warm_account($it.state, &address));
        gas!($it, gas::account_access_cost(cold));
        address
    }};
}

pub fn balance(it: &mut Interp<'_>) {
    pop!(it; word);
    let address = access_account!(it, word);
    it.journal.observe_balance(&address);
    let balance = it.journal.cached(&address).info.balance;
    push!(it, balance);
}

pub fn selfbalance(it: &mut Interp<'_>) {
    let address = it.frame.address;
    let balance = host!(it, it.journal.load(it.state, &address)).info.balance;
    it.journal.observe_balance(&address);
    push!(it, balance);
}

pub fn extcodesize(it: &mut Interp<'_>) {
    pop!(it; word);
    let address = access_account!(it, word);
    let code = host!(it, it.journal.code(it.state, &address));
    push!(it, U256::from(code.len()));
}

pub fn extcodehash(it: &mut Interp<'_>) {
    pop!(it; word);
    let address = access_account!(it, word);
    let hash = if it.journal.is_empty_observed(&address) {
        U256::ZERO
    } else {
        U256::from_be_bytes(it.journal.cached(&address).info.code_hash)
    };
    push!(it, hash);
}

pub fn extcodecopy(it: &mut Interp<'_>) {
    pop!(it; word, memory_offset, code_offset, len);
    let address = access_account!(it, word);
    let code = host!(it, it.journal.code(it.state, &address));
    // Copy from the other account's code by borrowing it in place of the frame's own.
    let own = core::mem::replace(&mut it.frame.code, code);
    copy_to_memory(it, memory_offset, code_offset, len, Source::Code);
    it.frame.code = own;
}

pub fn blockhash(it: &mut Interp<'_>) {
    pop!(it; number);
    let requested = as_u64_saturated(&number);
    let current = it.block.number;
    let hash = if requested < current && current - requested <= 256 {
        U256::from_be_bytes(host!(it, it.state.block_hash(requested)))
    } else {
        U256::ZERO
    };
    push!(it, hash);
}

pub fn sload(it: &mut Interp<'_>) {
    pop!(it; key);
    let address = it.frame.address;
    let (value, cold) = host!(it, it.journal.sload(it.state, &address, key));
    gas!(it, gas::sload_cost(cold));
    push!(it, value);
}

pub fn sstore(it: &mut Interp<'_>) {
    require_non_static!(it);
    pop!(it; key, value);
    // EIP-2200: no SSTORE with the call stipend or less left.
    if it.gas.remaining <= gas::SSTORE_SENTRY {
        return it.halt(HaltReason::OutOfGas);
    }
    let address = it.frame.address;
    let outcome = host!(it, it.journal.sstore(it.state, &address, key, value));
    gas!(
        it,
        gas::sstore_cost(&outcome.original, &outcome.present, &value, outcome.is_cold)
    );
    it.gas.refund += gas::sstore_refund(&outcome.original, &outcome.present, &value);
}

pub fn tload(it: &mut Interp<'_>) {
    pop_top!(it; ; key);
    *key = it.journal.tload(&it.frame.address, *key);
}

pub fn tstore(it: &mut Interp<'_>) {
    require_non_static!(it);
    pop!(it; key, value);
    let address = it.frame.address;
    it.journal.tstore(&address, key, value);
}

pub fn log(it: &mut Interp<'_>) {
    require_non_static!(it);
    let topics = (it.code_bytes::<1>(it.pc - 1)[0] - opcode::LOG0) as usize;
    pop!(it; offset, len);
    let Some(len_usize) = as_usize(&len) else {
        return it.halt(HaltReason::OutOfGas);
    };
    gas!(it, gas::log_cost(topics as u64, len_usize as u64));
    let (offset, len) = memory_range!(it, offset, len);
    if it.stack.len() < topics {
        return it.halt(HaltReason::StackUnderflow);
    }
    let topics: Vec<[u8; 32]> = (0..topics)
        .map(|_| it.stack.popn::<1>().expect("depth checked")[0].to_be_bytes::<32>())
        .collect();
    let data = if len == 0 {
        Vec::new()
    } else {
        it.frame.memory.slice(offset, len).to_vec()
    };
    it.journal.log(Log {
        address: it.frame.address,
        topics,
        data,
    });
}

pub fn selfdestruct(it: &mut Interp<'_>) {
    require_non_static!(it);
    pop!(it; word);
    let target = word_to_address(&word);
    // EIP-2929: only a cold beneficiary costs extra; a warm one is covered by the base cost.
    if host!(it, it.journal.warm_account(it.state, &target)) {
        gas!(it, gas::COLD_ACCOUNT_ACCESS);
    }
    let address = it.frame.address;
    let account = host!(it, it.journal.load(it.state, &address));
    let (balance, created) = (account.info.balance, account.created);
    it.journal.observe_balance(&address);
    if !balance.is_zero() && it.journal.is_empty_observed(&target) {
        gas!(it, gas::NEW_ACCOUNT);
    }
    if target != address {
        host!(
            it,
            it.journal.transfer(it.state, &address, &target, balance)
        );
    } else {
        host!(it, it.journal.touch(it.state, &address));
    }
    // EIP-6780: only a contract created in this transaction is deleted (and its balance burnt).
    if created {
        if !it.journal.cached(&address).info.balance.is_zero() {
            it.journal.set_balance(&address, U256::ZERO);
        }
        it.journal.mark_destroyed(&address);
    }
    it.exit = Some(Exit::Stop);
}
