use anchor_lang::prelude::*;

/// Most operators the config lists.
pub const MAX_OPERATORS: usize = 8;

/// Solana's compute limit for one block (slot).
pub const BLOCK_COMPUTE_LIMIT: u64 = 48_000_000;

/// Fee-market parameters, as passed to `initialize`.
///
/// Each contract has its own base fee (wei per gas). A contract may use at most
/// `contract_compute_cap` compute units in one slot; after each slot its base fee moves
/// EIP-1559-style toward the target `contract_compute_cap / 2`: by at most
/// `1 / base_fee_change_denominator` of itself per slot, and never below `min_base_fee`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, AnchorSerialize, AnchorDeserialize, IdlType)]
pub struct FeeMarketParams {
    /// Compute units one contract may use in one slot (a quarter of the block: 12,000,000).
    pub contract_compute_cap: u64,
    /// Floor of every contract's base fee, in wei per gas (also the base fee of a new contract).
    pub min_base_fee: u64,
    /// EIP-1559's `BASE_FEE_MAX_CHANGE_DENOMINATOR` (Ethereum: 8).
    pub base_fee_change_denominator: u64,
}

impl FeeMarketParams {
    /// A quarter of a block's compute, half of it the target; 1 gwei floor; Ethereum's 1/8 step.
    pub const DEFAULT: Self = Self {
        contract_compute_cap: BLOCK_COMPUTE_LIMIT / 4,
        min_base_fee: 1_000_000_000,
        base_fee_change_denominator: 8,
    };

    /// Whether the parameters make a working market: a cap of at least 2 CU (so the target is not
    /// zero) and at most a block, a non-zero floor (a zero base fee could never rise again under
    /// a multiplicative rule), a non-zero step denominator.
    pub fn is_valid(&self) -> bool {
        (2..=BLOCK_COMPUTE_LIMIT).contains(&self.contract_compute_cap)
            && self.min_base_fee > 0
            && self.base_fee_change_denominator > 0
    }
}

/// The program's configuration, PDA `["config"]`. Written once by `initialize`.
#[account]
pub struct Config {
    /// Who may change the configuration (the upgrade authority at initialization).
    pub admin: Address,
    /// EIP-155 chain id every executed transaction must carry.
    pub chain_id: PodU64,
    /// Solana keys allowed to relay transactions (and paid the gas).
    pub operators: PodVec<Address, MAX_OPERATORS>,
    /// See [`FeeMarketParams`].
    pub contract_compute_cap: PodU64,
    pub min_base_fee: PodU64,
    pub base_fee_change_denominator: PodU64,
    /// Canonical bumps of this account and of the vault.
    pub bump: u8,
    pub vault_bump: u8,
}

impl Config {
    pub fn fee_market(&self) -> FeeMarketParams {
        FeeMarketParams {
            contract_compute_cap: self.contract_compute_cap.get(),
            min_base_fee: self.min_base_fee.get(),
            base_fee_change_denominator: self.base_fee_change_denominator.get(),
        }
    }

    pub fn is_operator(&self, key: &Address) -> bool {
        self.operators.as_slice().iter().any(|op| op == key)
    }
}
