//! `update_config`: the config's admin (the upgrade authority that initialized the program)
//! replaces the operator list and the fee market's parameters. Adding an operator is the list
//! with it, removing one the list without it; the same rules as `initialize` hold (1 to
//! [`MAX_OPERATORS`] distinct keys, valid fee-market parameters). Anyone else is refused and
//! nothing changes.
//!
//! A removed operator can no longer `execute`, `step` or `cancel`: cancel or finish its running
//! holders before removing it.

use crate::error::IsthmusError;
use crate::state::*;
use alloc::vec::Vec;
use anchor_lang::prelude::*;

/// `update_config`'s argument: the config's new operators and fee market.
#[derive(Clone, Debug, AnchorSerialize, AnchorDeserialize, IdlType)]
pub struct UpdateConfigArgs {
    /// 1 to [`MAX_OPERATORS`] distinct operator keys.
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
}

#[derive(Accounts)]
pub struct UpdateConfig {
    /// The config's admin.
    pub admin: Signer,
    #[account(mut, seeds = [b"config"], bump = config.bump)]
    pub config: Account<Config>,
}

impl UpdateConfig {
    pub fn update_config(&mut self, args: UpdateConfigArgs) -> Result<()> {
        require!(
            self.config.admin == *self.admin.address(),
            IsthmusError::NotAdmin
        );
        check_operators(&args.operators)?;
        require!(args.fee_market.is_valid(), IsthmusError::BadFeeMarket);
        let config = &mut self.config;
        config.operators.set_from_slice(&args.operators);
        config.contract_compute_cap = args.fee_market.contract_compute_cap.into();
        config.min_base_fee = args.fee_market.min_base_fee.into();
        config.base_fee_change_denominator = args.fee_market.base_fee_change_denominator.into();
        Ok(())
    }
}
