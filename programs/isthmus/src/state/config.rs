use anchor_lang::prelude::*;

pub use isthmus_interface::account::config::MAX_OPERATORS;
use isthmus_interface::fee_market::FeeMarketParams as Params;

/// Fee-market parameters, as passed to `initialize` (the IDL's type; the rules and their
/// validity are `isthmus_interface::fee_market`).
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
    /// Whether senders pay what their transaction costs on Solana (the rent of the accounts it
    /// creates, the operator's signature) as gas on top of the EVM's; otherwise the operator
    /// bears it (a development chain, whose gas figures then are Ethereum's).
    pub charge_solana_costs: bool,
}

impl FeeMarketParams {
    /// Whether the parameters make a working market ([`Params::is_valid`]).
    pub fn is_valid(&self) -> bool {
        Params::from(*self).is_valid()
    }
}

impl From<FeeMarketParams> for Params {
    fn from(p: FeeMarketParams) -> Self {
        Params {
            contract_compute_cap: p.contract_compute_cap,
            min_base_fee: p.min_base_fee,
            base_fee_change_denominator: p.base_fee_change_denominator,
            charge_solana_costs: p.charge_solana_costs,
        }
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
    /// 1 on a development chain: impersonated transactions run (decided at `initialize`,
    /// never changed; a cluster deployment has 0).
    pub development: u8,
    /// The Ethereum fork transactions run under (`isthmus_interface::block::fork_byte`: 0
    /// Cancun, 1 Prague, 2 Osaka), set at `initialize`, moved forward by `update_config`.
    pub fork: u8,
    /// The largest code a creation may deploy; 0: EIP-170's (decided at `initialize`).
    pub code_size_limit: PodU32,
    /// 1: senders pay their transactions' Solana costs ([`FeeMarketParams`]).
    pub charge_solana_costs: u8,
}

/// An operator list the config accepts: 1 to [`MAX_OPERATORS`] keys, none twice.
pub fn check_operators(operators: &[Address]) -> Result<()> {
    require!(
        (1..=MAX_OPERATORS).contains(&operators.len()),
        crate::error::IsthmusError::BadOperatorCount
    );
    for (i, op) in operators.iter().enumerate() {
        require!(
            !operators[..i].contains(op),
            crate::error::IsthmusError::DuplicateOperator
        );
    }
    Ok(())
}

impl Config {
    pub fn fee_market(&self) -> Params {
        Params {
            contract_compute_cap: self.contract_compute_cap.get(),
            min_base_fee: self.min_base_fee.get(),
            base_fee_change_denominator: self.base_fee_change_denominator.get(),
            charge_solana_costs: self.charge_solana_costs != 0,
        }
    }

    /// Whether senders pay their transactions' Solana costs ([`FeeMarketParams`]).
    pub fn charges_solana_costs(&self) -> bool {
        self.charge_solana_costs != 0
    }

    /// Records the fee market's parameters (`initialize`, `update_config`; already checked).
    pub fn set_fee_market(&mut self, params: &FeeMarketParams) {
        self.contract_compute_cap = params.contract_compute_cap.into();
        self.min_base_fee = params.min_base_fee.into();
        self.base_fee_change_denominator = params.base_fee_change_denominator.into();
        self.charge_solana_costs = params.charge_solana_costs as u8;
    }

    /// What every block of this chain runs under (`isthmus_interface::block::block_env`);
    /// `initialize` admits only fork bytes that name a fork.
    pub fn rules(&self) -> isthmus_interface::block::ChainRules {
        isthmus_interface::block::ChainRules {
            chain_id: self.chain_id.get(),
            fork: isthmus_interface::block::fork_from_byte(self.fork).unwrap_or_default(),
            code_size_limit: Some(self.code_size_limit.get()).filter(|limit| *limit != 0),
        }
    }

    pub fn is_operator(&self, key: &Address) -> bool {
        self.operators.as_slice().iter().any(|op| op == key)
    }
}
