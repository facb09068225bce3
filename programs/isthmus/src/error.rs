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
    // ---- execute (append only: the codes are the order) ----
    #[msg("the signer is not one of the config's operators")]
    NotOperator,
    #[msg("the Ethereum transaction does not decode")]
    MalformedTransaction,
    #[msg("the Ethereum transaction's signature is invalid")]
    BadSignature,
    #[msg("the Ethereum transaction is for another chain")]
    WrongChainId,
    #[msg("the Ethereum transaction has no chain id (pre-EIP-155)")]
    UnprotectedTransaction,
    #[msg("the transaction's nonce is not the sender's nonce (replay or gap)")]
    NonceMismatch,
    #[msg("the sender cannot pay gas_limit * max fee + value")]
    InsufficientFunds,
    #[msg("the Ethereum transaction is invalid")]
    InvalidTransaction,
    #[msg("an account the transaction touches was not passed")]
    AccountNotProvided,
    #[msg("an EVM account is malformed or not at its PDA")]
    BadEvmAccount,
    #[msg("an account the transaction writes was passed read-only")]
    AccountNotWritable,
    #[msg("a code account of another length already exists at this address")]
    CodeAccountExists,
    #[msg("the transaction did not finish within one instruction")]
    NotFinished,
    // ---- holders and iterative execution ----
    #[msg("the holder account is not a holder of this program at its address")]
    BadHolder,
    #[msg("the holder belongs to another operator")]
    NotHolderOperator,
    #[msg("the holder account already exists")]
    HolderExists,
    #[msg("the holder is too small (grow it with holder_resize, by at most 10 KiB at a time)")]
    HolderTooSmall,
    #[msg("the holder runs an iterative transaction: cancel it or step it to the end first")]
    HolderBusy,
    #[msg("the holder runs no iterative transaction")]
    HolderIdle,
    #[msg("the holder holds no transaction")]
    HolderEmpty,
    #[msg("the transaction creates code larger than one instruction can store: run it with step")]
    CodeNeedsSteps,
    // ---- registries and fee market ----
    #[msg("the account passed as the SlotHashes sysvar is not it")]
    NotSlotHashes,
    #[msg("the fee-market account is not the PDA of the transaction's contract")]
    BadFeeMarketAccount,
    #[msg("the transaction's max fee per gas is below the contract's base fee")]
    FeeCapBelowBaseFee,
    #[msg("the contract's compute cap for this slot would be exceeded")]
    ContractComputeCapExceeded,
    #[msg("the link signature is invalid or not by the Ethereum address")]
    BadLinkSignature,
    #[msg("the wallet is not linked to an Ethereum address (link_wallet) and its own derived address has no account")]
    WalletNotLinked,
    #[msg("a withdrawal must move at least one lamport")]
    ZeroWithdraw,
    #[msg("the Ethereum address's balance is below the withdrawal")]
    InsufficientBalance,
    #[msg("the withdrawal would leave the vault below its rent-exempt minimum")]
    VaultBelowRent,
}
