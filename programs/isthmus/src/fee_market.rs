//! The per-contract local fee market: each contract (the zero address stands for creations) has a
//! [`FeeMarket`] account, PDA `["fee", address]`, with its own base fee and the compute its
//! transactions used in the current slot.
//!
//! Rules (parameters in the config, [`FeeMarketParams`]; arithmetic in
//! `isthmus_interface::fee_market`, which the emulator and rpc-proxy use too):
//! - A transaction carries the fee market of its `to` (a fixed account) and those of every other
//!   contract whose code it runs (remaining accounts; the relayer learns them from the emulator).
//!   Each is opened for this slot ([`Markets::open`]): when the slot is after its `last_slot`,
//!   its base fee first moves EIP-1559-style toward the target `cap / 2` ([`roll`]).
//! - The highest of those base fees is the transaction's BASEFEE; a max fee per gas below it is
//!   refused ([`check_fee_cap`]).
//! - After execution, the compute of the gas the transaction used ([`compute_of_gas`], the same
//!   on-chain and off-chain; `sol_remaining_compute_units` is not active on mainnet-beta) is added
//!   to each of them; a transaction that would take any over `cap` in this slot is refused
//!   ([`Markets::charge`]). A contract whose code ran without its market passed refuses the
//!   transaction, so calling a hot contract through another one does not escape its cap; a market
//!   that does not exist yet is created then, at the floor.
//!
//! A refusal is a program error, so the Solana transaction fails and nothing changes (also the
//! creation or roll-forward of a fee account). A transaction run in several steps keeps the base
//! fee its first step opened (its BASEFEE); each step opens the markets again (rolling them into
//! the step's slot) and charges the gas of its own opcodes.

use crate::error::IsthmusError;
use crate::host::SolanaHost;
use crate::state::FeeMarket;
use alloc::vec::Vec;
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;
use isthmus_evm::{CodeRun, U256};
pub use isthmus_interface::account::fee_market::LEN;
pub use isthmus_interface::fee_market::{
    compute_of_gas, markets_of, roll, FeeMarketParams, MAX_EMPTY_SLOTS,
};
pub use isthmus_interface::seeds::FEE as SEED;

/// The fee markets one executing instruction carries, opened for its slot.
pub struct Markets {
    /// (contract, its FeeMarket account), the fixed one first, each once.
    markets: Vec<([u8; 20], AccountView)>,
    /// The highest base fee among them in this slot.
    pub base_fee: u64,
    params: FeeMarketParams,
    slot: u64,
    /// Rent of the markets created here (a contract's first transaction pays it on a chain
    /// that charges Solana costs).
    pub rent: u64,
}

impl Markets {
    /// Opens the fixed market of `to` (creating it if needed, rent paid by `payer`) and the
    /// other markets the host was passed (which must be writable), all for `slot`.
    pub fn open(
        program_id: &Address,
        fixed: &AccountView,
        to: &[u8; 20],
        host: &SolanaHost,
        params: &FeeMarketParams,
        slot: u64,
        payer: &AccountView,
    ) -> Result<Self> {
        let (mut base_fee, rent) = open(program_id, fixed, to, params, slot, payer)?;
        let mut markets = alloc::vec![(*to, *fixed)];
        for (contract, view) in host.fee_markets() {
            if view.address() == fixed.address() || markets.iter().any(|(c, _)| *c == contract) {
                continue;
            }
            require!(view.is_writable(), IsthmusError::AccountNotWritable);
            base_fee = base_fee.max(roll_into(&view, params, slot)?);
            markets.push((contract, view));
        }
        Ok(Self {
            markets,
            base_fee,
            params: *params,
            slot,
            rent,
        })
    }

    /// Adds the compute of `gas` to every market carried; refuses if one goes over its cap.
    pub fn charge(&self, gas: u64) -> Result<()> {
        let compute = compute_of_gas(gas);
        for (_, view) in &self.markets {
            charge(view, compute, self.params.contract_compute_cap)?;
        }
        Ok(())
    }

    /// Makes sure every contract whose code ran (`code_run`) has its market among those carried,
    /// creating (at the floor, rent paid by `payer`) the missing ones passed as their empty PDA
    /// and charging them the compute of `gas`. A market neither carried nor passed empty refuses
    /// the transaction (`AccountNotProvided`).
    pub fn cover(
        &mut self,
        program_id: &Address,
        host: &mut SolanaHost,
        code_run: &CodeRun,
        gas: u64,
        payer: &AccountView,
    ) -> Result<()> {
        let (params, slot) = (&self.params, self.slot);
        for contract in markets_of(&code_run.contracts, code_run.initcode) {
            if self.markets.iter().any(|(c, _)| *c == contract) {
                continue;
            }
            let view = host.absent_fee_market(&contract)?;
            self.rent += open(program_id, &view, &contract, params, slot, payer)?.1;
            charge(&view, compute_of_gas(gas), params.contract_compute_cap)?;
            self.markets.push((contract, view));
        }
        Ok(())
    }
}

/// Validates the fee-market account `view` of `contract` (or creates it, rent paid by `payer`),
/// moves it to `slot` and returns the contract's base fee for a transaction in `slot`, and the
/// rent of the account if it was created here.
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
) -> Result<(u64, u64)> {
    let mut rent = 0;
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
        rent = crate::pda::create_account(program_id, payer, view, LEN, &[SEED, contract], bump)?;
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
    Ok((roll_into(view, params, slot)?, rent))
}

/// Moves an opened fee market (validated) to `slot` and returns its base fee there.
fn roll_into(view: &AccountView, params: &FeeMarketParams, slot: u64) -> Result<u64> {
    let mut view = *view;
    let mut data = view.try_borrow_mut()?;
    let market: &mut FeeMarket = anchor_lang::bytemuck::from_bytes_mut(&mut data[8..LEN]);
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
fn charge(view: &AccountView, compute_units: u64, cap: u64) -> Result<()> {
    let mut view = *view;
    let mut data = view.try_borrow_mut()?;
    let market: &mut FeeMarket = anchor_lang::bytemuck::from_bytes_mut(&mut data[8..LEN]);
    let used = market.used.get().saturating_add(compute_units);
    require!(used <= cap, IsthmusError::ContractComputeCapExceeded);
    market.used = used.into();
    Ok(())
}
