//! The program's errors: `InstructionError::Custom(6000 + n)`, in declaration order (Anchor's
//! numbering). Constraint failures Anchor checks itself (owner, signer, seeds, writability,
//! account type) come back as Anchor's own codes; see the README's error table.

use anchor_lang::prelude::*;

#[error_code]
pub enum IsthmusError {
    #[msg("chain id must not be zero")]
    ZeroChainId,
    #[msg("between 1 and MAX_OPERATORS operators are required")]
    BadOperatorCount,
    #[msg("an operator is listed twice")]
    DuplicateOperator,
    #[msg("fee-market parameters out of range")]
    BadFeeMarket,
    #[msg("the program-data account is not this program's loader-v3 program data")]
    BadProgramData,
    #[msg("only the program's upgrade authority may initialize")]
    NotUpgradeAuthority,
    #[msg("a deposit must move at least one lamport")]
    ZeroDeposit,
    #[msg("the balance would overflow 256 bits")]
    BalanceOverflow,
    #[msg("the account belongs to another Ethereum address")]
    AddressMismatch,
}
