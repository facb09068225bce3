use anchor_lang::prelude::*;

/// The local fee market of one contract, PDA `["fee", <20-byte address>]` (the zero address for
/// contract creations). Created on the first transaction to the address, rent paid by the
/// operator; rules in [`crate::fee_market`].
#[account]
pub struct FeeMarket {
    /// The contract (the transactions' `to`).
    pub address: [u8; 20],
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// The slot `used` counts.
    pub last_slot: PodU64,
    /// Compute units transactions to this contract used in `last_slot`.
    pub used: PodU64,
    /// The contract's base fee in `last_slot`, wei per gas.
    pub base_fee: PodU64,
}
