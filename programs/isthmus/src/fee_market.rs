//! The per-contract local fee market: each contract (the transaction's `to`; the zero address for
//! creations) has a [`FeeMarket`] account, PDA `["fee", address]`, with its own base fee and the
//! compute units its transactions used in the current slot.
//!
//! Rules (parameters in the config, [`FeeMarketParams`]):
//! - When a transaction lands in a slot after `last_slot`, the base fee first moves EIP-1559-style
//!   toward the target `cap / 2` ([`roll`]: `isthmus_interface::fee_market`, which the emulator
//!   and rpc-proxy use too). See [`open`].
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
use crate::state::FeeMarket;
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::U256;
pub use isthmus_interface::account::fee_market::LEN;
pub use isthmus_interface::fee_market::{roll, FeeMarketParams, MAX_EMPTY_SLOTS};
pub use isthmus_interface::seeds::FEE as SEED;

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
