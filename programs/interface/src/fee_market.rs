//! The per-contract local fee market: each contract has its own base fee (its `FeeMarket`
//! account) and may use at most `contract_compute_cap` compute units a slot.
//!
//! When a transaction lands in a slot after `last_slot`, the base fee first moves EIP-1559-style
//! from `last_slot`'s usage toward the target `cap / 2`: up by
//! `max(1, base * (used - target) / target / denominator)`, down by
//! `base * (target - used) / target / denominator`; each slot in between counts as an empty slot
//! (at most [`MAX_EMPTY_SLOTS`]); never below `min_base_fee`. That base fee is the transaction's
//! BASEFEE; a max fee per gas below it is refused.
//!
//! Every contract whose code runs in a transaction counts ([`markets_of`]): the transaction's
//! BASEFEE is the highest base fee among them, and its compute is added to each of them. That
//! compute is measured from gas, [`compute_of_gas`], not with `sol_remaining_compute_units`
//! (not active on mainnet-beta): gas is what the transaction's code did, the same on-chain and in
//! the emulator, so eth_gasPrice and the relayer's prediction see the base fee the chain will.

use crate::account::FeeMarket;
use alloc::vec::Vec;

/// Compute units a unit of gas counts for in a contract's usage. Measured on the program
/// (`cu-report`, 2026-12): an ETH transfer ~2.4 CU per gas, an ERC-20 transfer ~2.2, an ERC-721
/// mint ~1.7, deployments ~0.4 (code deposit is gas-heavy and compute-light), arithmetic loops
/// ~22 (issue 14 cuts those). 2 matches the state-bound calls that dominate traffic.
pub const CU_PER_GAS: u64 = 2;

/// What `gas` adds to a contract's usage.
pub fn compute_of_gas(gas: u64) -> u64 {
    gas.saturating_mul(CU_PER_GAS)
}

/// The contracts whose fee markets a run charges: the code addresses that ran (each once), and
/// the zero address (the market of creations) when initcode ran.
pub fn markets_of(contracts: &[[u8; 20]], initcode: bool) -> Vec<[u8; 20]> {
    let mut markets: Vec<[u8; 20]> = Vec::with_capacity(contracts.len() + 1);
    if initcode {
        markets.push([0; 20]);
    }
    for contract in contracts {
        if !markets.contains(contract) {
            markets.push(*contract);
        }
    }
    markets
}

/// Solana's compute limit for one block (slot).
pub const BLOCK_COMPUTE_LIMIT: u64 = 48_000_000;

/// At most this many empty slots are applied when a contract was idle (each lowers the base fee
/// by `1 / denominator`; 512 of them take any fee to the floor with Ethereum's 8), so the
/// roll-forward costs a bounded amount of compute.
pub const MAX_EMPTY_SLOTS: u64 = 512;

/// The fee market's parameters (the config's, set by `initialize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeMarketParams {
    /// Compute units one contract may use in one slot.
    pub contract_compute_cap: u64,
    /// Floor of every contract's base fee, wei per gas (also a new contract's base fee).
    pub min_base_fee: u64,
    /// EIP-1559's `BASE_FEE_MAX_CHANGE_DENOMINATOR`.
    pub base_fee_change_denominator: u64,
    /// Whether senders pay the transaction's Solana costs (rent of the accounts it creates, the
    /// operator's signature) as gas ([`crate::solana_costs`]); otherwise the operator bears them
    /// (a development chain, whose gas figures then match Ethereum's).
    pub charge_solana_costs: bool,
}

impl FeeMarketParams {
    /// A quarter of a block's compute, half of it the target; 1 gwei floor; Ethereum's 1/8 step;
    /// Solana costs borne by the operator.
    pub const DEFAULT: Self = Self {
        contract_compute_cap: BLOCK_COMPUTE_LIMIT / 4,
        min_base_fee: 1_000_000_000,
        base_fee_change_denominator: 8,
        charge_solana_costs: false,
    };

    /// Whether the parameters make a working market: a cap of at least 2 CU (so the target is not
    /// zero) and at most a block, a non-zero floor (a zero base fee could never rise again under a
    /// multiplicative rule), a non-zero step denominator.
    pub fn is_valid(&self) -> bool {
        (2..=BLOCK_COMPUTE_LIMIT).contains(&self.contract_compute_cap)
            && self.min_base_fee > 0
            && self.base_fee_change_denominator > 0
    }
}

impl Default for FeeMarketParams {
    fn default() -> Self {
        Self::DEFAULT
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

/// The base fee a transaction to a contract pays in `slot`: its market rolled forward, or the
/// floor for a contract without one yet (the program creates it at the floor).
pub fn base_fee_at(market: Option<&FeeMarket>, params: &FeeMarketParams, slot: u64) -> u64 {
    match market {
        Some(m) => roll(m.base_fee, m.used, m.last_slot, slot, params),
        None => params.min_base_fee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: FeeMarketParams = FeeMarketParams {
        contract_compute_cap: 1_000,
        min_base_fee: 100,
        base_fee_change_denominator: 8,
        charge_solana_costs: false,
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

    #[test]
    fn a_new_contract_starts_at_the_floor() {
        assert_eq!(base_fee_at(None, &P, 50), 100);
        let m = FeeMarket {
            address: [1; 20],
            bump: 255,
            last_slot: 10,
            used: 1_000,
            base_fee: 800,
        };
        assert_eq!(base_fee_at(Some(&m), &P, 11), 900);
        assert_eq!(base_fee_at(Some(&m), &P, 10), 800);
    }
}
