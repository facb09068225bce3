//! The per-contract local fee market: each contract (the transaction's `to`; the zero address for
//! creations) has a [`FeeMarket`] account, PDA `["fee", address]`, with its own base fee and the
//! compute units its transactions used in the current slot.
//!
//! Rules (parameters in the config, [`FeeMarketParams`]):
//! - When a transaction lands in a slot after `last_slot`, the base fee first moves EIP-1559-style
//!   from `last_slot`'s usage toward the target `cap / 2`: up by
//!   `max(1, base * (used - target) / target / denominator)`, down by
//!   `base * (target - used) / target / denominator`; each slot in between counts as an empty
//!   slot (a bounded loop, [`MAX_EMPTY_SLOTS`]); never below `min_base_fee`. See [`open`].
//! - That base fee is the transaction's BASEFEE; a transaction whose max fee per gas is below it
//!   is refused ([`check_fee_cap`]).
//! - After execution the compute units the instruction used (measured with
//!   `sol_remaining_compute_units`, [`remaining_compute_units`]) are added to the slot's usage; a
//!   transaction that would take the contract over `cap` in this slot is refused ([`charge`]).
//!
//! A refusal is a program error, so the Solana transaction fails and nothing changes (also the
//! creation or roll-forward of the fee account). Any executing instruction (single-shot, from a
//! holder, iterative steps) calls [`open`] and [`charge`] around its work: a transaction run in
//! several steps keeps the base fee its first step's [`open`] returned (its BASEFEE), and each step
//! opens the account again (rolling it into the step's slot) and charges its own compute.
//!
//! `sol_remaining_compute_units` is feature-gated (SIMD-0049) and not active on mainnet-beta; see
//! the program README. [`remaining_compute_units`] is the one place that reads it.

use crate::error::IsthmusError;
use crate::state::{FeeMarket, FeeMarketParams};
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::U256;

/// Seed prefix of fee-market accounts.
pub const SEED: &[u8] = b"fee";
/// Bytes of a [`FeeMarket`] account: discriminator + 20 + 1 + 3 * 8.
pub const LEN: usize = 8 + core::mem::size_of::<FeeMarket>();
/// At most this many empty slots are applied when a contract was idle (each lowers the base fee by
/// `1 / denominator`; 512 of them take any fee to the floor with Ethereum's 8), so the roll-forward
/// costs a bounded amount of compute.
pub const MAX_EMPTY_SLOTS: u64 = 512;

/// Compute units left to this transaction (`sol_remaining_compute_units`). Measure before and after
/// the work and [`charge`] the difference.
#[inline]
pub fn remaining_compute_units() -> u64 {
    #[cfg(target_arch = "bpf")]
    unsafe {
        anchor_lang::pinocchio::syscalls::sol_remaining_compute_units()
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        0
    }
}

/// The base fee after one slot that used `used` compute units (EIP-1559, target `cap / 2`).
pub fn next_base_fee(base: u64, used: u64, params: &FeeMarketParams) -> u64 {
    let target = (params.contract_compute_cap / 2).max(1);
    let denominator = params.base_fee_change_denominator.max(1) as u128;
    let next = if used > target {
        let delta = (base as u128 * (used - target) as u128 / target as u128 / denominator).max(1);
        (base as u128 + delta).min(u64::MAX as u128) as u64
    } else if used < target {
        let delta = base as u128 * (target - used) as u128 / target as u128 / denominator;
        base - delta as u64
    } else {
        base
    };
    next.max(params.min_base_fee)
}

/// The base fee in `slot` of a contract whose base fee was `base` in `last_slot`, which used
/// `used`: one step for `last_slot`, then one empty-slot step per slot in between (at most
/// [`MAX_EMPTY_SLOTS`], and none once the floor is reached).
pub fn roll(base: u64, used: u64, last_slot: u64, slot: u64, params: &FeeMarketParams) -> u64 {
    if slot <= last_slot {
        return base;
    }
    let mut base = next_base_fee(base, used, params);
    let empty = (slot - last_slot - 1).min(MAX_EMPTY_SLOTS);
    for _ in 0..empty {
        let next = next_base_fee(base, 0, params);
        if next == base {
            break;
        }
        base = next;
    }
    base
}

/// Validates the fee-market account `view` of `contract` (or creates it, rent paid by `payer`),
/// moves it to `slot` and returns the contract's base fee for a transaction in `slot`.
///
/// Checks: an existing account must be owned by this program, have the [`FeeMarket`]
/// discriminator and length, name `contract`, and sit at the PDA re-derived from its bump; a
/// missing one must be passed at `contract`'s PDA. Writability is the caller's constraint
/// (`#[account(mut)]`).
pub fn open(
    program_id: &Address,
    view: &AccountView,
    contract: &[u8; 20],
    params: &FeeMarketParams,
    slot: u64,
    payer: &AccountView,
) -> Result<u64> {
    if view.owned_by(program_id) {
        let bump = {
            let data = view.try_borrow()?;
            require!(
                data.len() == LEN && data[..8] == *FeeMarket::DISCRIMINATOR,
                IsthmusError::BadFeeMarketAccount
            );
            let market: &FeeMarket = anchor_lang::bytemuck::from_bytes(&data[8..]);
            require!(
                &market.address == contract,
                IsthmusError::BadFeeMarketAccount
            );
            market.bump
        };
        require!(
            crate::pda::create(&[SEED, contract, &[bump]], program_id).as_ref()
                == Some(view.address()),
            IsthmusError::BadFeeMarketAccount
        );
    } else {
        require!(
            view.owned_by(&anchor_lang::system_program::ID) && view.data_len() == 0,
            IsthmusError::BadFeeMarketAccount
        );
        let (pda, bump) = crate::pda::find(&[SEED, contract], program_id);
        require!(&pda == view.address(), IsthmusError::BadFeeMarketAccount);
        crate::pda::create_account(program_id, payer, view, LEN, &[SEED, contract], bump)?;
        let mut view = *view;
        let mut data = view.try_borrow_mut()?;
        data[..8].copy_from_slice(FeeMarket::DISCRIMINATOR);
        let market: &mut FeeMarket = anchor_lang::bytemuck::from_bytes_mut(&mut data[8..]);
        market.address = *contract;
        market.bump = bump;
        market.last_slot = slot.into();
        market.used = 0u64.into();
        market.base_fee = params.min_base_fee.into();
    }
    let mut view = *view;
    let mut data = view.try_borrow_mut()?;
    let market: &mut FeeMarket = anchor_lang::bytemuck::from_bytes_mut(&mut data[8..]);
    let last_slot = market.last_slot.get();
    if slot > last_slot {
        let base = roll(
            market.base_fee.get(),
            market.used.get(),
            last_slot,
            slot,
            params,
        );
        market.base_fee = base.into();
        market.last_slot = slot.into();
        market.used = 0u64.into();
    }
    Ok(market.base_fee.get())
}

/// Refuses a transaction whose max fee per gas (`gas_price` of a legacy or 2930 transaction) is
/// below the contract's base fee.
pub fn check_fee_cap(max_fee_per_gas: &U256, base_fee: u64) -> Result<()> {
    require!(
        *max_fee_per_gas >= U256::from(base_fee),
        IsthmusError::FeeCapBelowBaseFee
    );
    Ok(())
}

/// Adds `compute_units` to the slot's usage of the fee-market account `view` (already [`open`]ed
/// in this slot); refuses if that would exceed `cap`.
pub fn charge(view: &AccountView, compute_units: u64, cap: u64) -> Result<()> {
    let mut view = *view;
    let mut data = view.try_borrow_mut()?;
    let market: &mut FeeMarket = anchor_lang::bytemuck::from_bytes_mut(&mut data[8..LEN]);
    let used = market.used.get().saturating_add(compute_units);
    require!(used <= cap, IsthmusError::ContractComputeCapExceeded);
    market.used = used.into();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: FeeMarketParams = FeeMarketParams {
        contract_compute_cap: 1_000,
        min_base_fee: 100,
        base_fee_change_denominator: 8,
    };

    #[test]
    fn moves_like_eip1559() {
        // Full slot: +1/8; empty slot: -1/8; at target: unchanged; never below the floor.
        assert_eq!(next_base_fee(800, 1_000, &P), 900);
        assert_eq!(next_base_fee(800, 0, &P), 700);
        assert_eq!(next_base_fee(800, 500, &P), 800);
        assert_eq!(next_base_fee(100, 0, &P), 100);
        // Just above target: at least +1.
        assert_eq!(next_base_fee(100, 501, &P), 101);
        assert_eq!(next_base_fee(u64::MAX, 1_000, &P), u64::MAX);
    }

    #[test]
    fn idle_slots_count_as_empty() {
        // One full slot, then two empty ones: 800 -> 900 -> 788 -> 690.
        assert_eq!(roll(800, 1_000, 10, 13, &P), 690);
        assert_eq!(roll(800, 1_000, 10, 10, &P), 800);
        assert_eq!(roll(u64::MAX, 0, 0, u64::MAX, &P), 100);
    }
}
