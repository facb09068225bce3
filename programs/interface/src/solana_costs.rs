//! What a transaction costs on Solana beyond its EVM execution, and how the sender pays it when
//! the chain's config says so ([`crate::fee_market::FeeMarketParams::charge_solana_costs`]).
//!
//! The operator signs and pays for the Solana transaction and the rent of every account the
//! Ethereum transaction creates (EthAccount, code, storage cells, a contract's first fee market).
//! On a charging chain that is turned into gas, as Arbitrum adds its L1 cost and Neon EVM its
//! Solana costs to `gasUsed`: `ceil(lamports * WEI_PER_LAMPORT / effective_gas_price)` gas on top
//! of the EVM's, paid to the operator like the rest. `eth_estimateGas` includes it (the emulator
//! counts the same creations), and a gas limit that does not cover it is refused before anything
//! changes ([`charge`]). The rent is counted by size with Solana's default rent, so the emulator
//! predicts it exactly from which accounts are missing.

use crate::WEI_PER_LAMPORT;
use isthmus_evm::U256;

/// Solana's fee for one signature (the operator's, on the executing transaction).
pub const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// Solana's default rent: lamports per byte-year, and the years that make an account exempt.
const LAMPORTS_PER_BYTE_YEAR: u64 = 3_480;
const EXEMPTION_YEARS: u64 = 2;
/// Bytes Solana counts for every account besides its data.
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// The rent-exempt minimum of a `space`-byte account (Solana's `Rent::minimum_balance` with the
/// default rent every cluster runs).
pub fn rent_exempt(space: usize) -> u64 {
    (ACCOUNT_STORAGE_OVERHEAD + space as u64) * LAMPORTS_PER_BYTE_YEAR * EXEMPTION_YEARS
}

/// What growing an account from `from` to `to` bytes adds to its rent (0 when it shrinks).
pub fn rent_growth(from: usize, to: usize) -> u64 {
    rent_exempt(to).saturating_sub(rent_exempt(from))
}

/// Gas worth `lamports` at `price` wei per gas, rounded up (the price is at least the chain's
/// non-zero base-fee floor); saturates.
pub fn gas_for(lamports: u64, price: U256) -> u64 {
    if price.is_zero() {
        return u64::MAX;
    }
    let wei = U256::from(lamports) * U256::from(WEI_PER_LAMPORT);
    let gas = wei.div_ceil(price);
    u64::try_from(gas).unwrap_or(u64::MAX)
}

/// The Solana costs a finished transaction adds: `rent` of what it created, one signature.
pub fn lamports(rent: u64) -> u64 {
    rent.saturating_add(LAMPORTS_PER_SIGNATURE)
}

/// The charge a transaction's Solana costs add to its EVM gas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Charge {
    /// Gas added to the EVM's `gas_used`.
    pub gas: u64,
    /// What the sender pays for it and the operator is paid: `gas * price` wei.
    pub wei: U256,
}

/// The charge for `lamports` of Solana costs on a transaction that used `evm_gas` of its
/// `gas_limit` at `price`; `Err(needed)`: the gas limit does not cover both (`needed` is what
/// would), and the transaction is refused.
pub fn charge(lamports: u64, evm_gas: u64, gas_limit: u64, price: U256) -> Result<Charge, u64> {
    let gas = gas_for(lamports, price);
    let needed = evm_gas.saturating_add(gas);
    if needed > gas_limit {
        return Err(needed);
    }
    Ok(Charge {
        gas,
        wei: U256::from(gas) * price,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rent_is_solanas_default() {
        // `solana rent 0` on any cluster: 890,880 lamports; 165 bytes (a token account):
        // 2,039,280.
        assert_eq!(rent_exempt(0), 890_880);
        assert_eq!(rent_exempt(165), 2_039_280);
        assert_eq!(rent_growth(100, 50), 0);
        assert_eq!(rent_growth(0, 165), 2_039_280 - 890_880);
    }

    #[test]
    fn gas_rounds_up_and_the_limit_must_cover_it() {
        let gwei = U256::from(1_000_000_000u64);
        assert_eq!(gas_for(1, gwei), 1);
        assert_eq!(gas_for(1, gwei * U256::from(3)), 1); // 1/3 of a gas rounds up
        assert_eq!(gas_for(10, gwei * U256::from(3)), 4);
        assert_eq!(gas_for(5, U256::ZERO), u64::MAX);
        let paid = charge(5_000, 21_000, 26_000, gwei).unwrap();
        assert_eq!(paid.gas, 5_000);
        assert_eq!(paid.wei, U256::from(5_000u64) * gwei);
        assert_eq!(charge(5_000, 21_000, 25_999, gwei), Err(26_000));
    }
}
