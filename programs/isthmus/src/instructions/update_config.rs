//! `update_config`: the config's admin (the upgrade authority that initialized the program)
//! replaces the operator list and the fee market's parameters, and may move the chain to a later
//! fork (a hard fork: transactions from then on run under it; one already stepping keeps the fork
//! it began with). Adding an operator is the list with it, removing one the list without it; the
//! same rules as `initialize` hold (1 to [`MAX_OPERATORS`] distinct keys, valid fee-market
//! parameters, a known fork), and a fork never moves back. Anyone else is refused and nothing
//! changes.
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
    /// A later fork to move to (0 Cancun, 1 Prague, 2 Osaka); `None` keeps the current one.
    pub fork: Option<u8>,
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
        if let Some(fork) = args.fork {
            require!(
                isthmus_interface::block::fork_from_byte(fork).is_some(),
                IsthmusError::UnknownFork
            );
            require!(fork >= self.config.fork, IsthmusError::ForkGoesBack);
        }
        let config = &mut self.config;
        if let Some(fork) = args.fork {
            config.fork = fork;
        }
        config.operators.set_from_slice(&args.operators);
        config.set_fee_market(&args.fee_market);
        Ok(())
    }
}
