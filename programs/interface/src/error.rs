//! The program's errors: `InstructionError::Custom(6000 + n)`, `n` the position in
//! [`for_each_error!`] (Anchor's numbering, append only). The list is stated here once: the
//! program declares its Anchor error enum from it (so the IDL has it), and every off-chain
//! crate reads [`ProgramError`].

/// Calls `$callback! { Name = "message", ... }` with every program error, in code order.
#[macro_export]
macro_rules! for_each_error {
    ($callback:ident) => {
        $callback! {
        ZeroChainId = "chain id must not be zero",
        BadOperatorCount = "between 1 and MAX_OPERATORS operators are required",
        DuplicateOperator = "an operator is listed twice",
        BadFeeMarket = "fee-market parameters out of range",
        BadProgramData = "the program-data account is not this program's loader-v3 program data",
        NotUpgradeAuthority = "only the program's upgrade authority may initialize",
        ZeroDeposit = "a deposit must move at least one lamport",
        BalanceOverflow = "the balance would overflow 256 bits",
        AddressMismatch = "the account belongs to another Ethereum address",
        // ---- execute (append only: the codes are the order) ----
        NotOperator = "the signer is not one of the config's operators",
        MalformedTransaction = "the Ethereum transaction does not decode",
        BadSignature = "the Ethereum transaction's signature is invalid",
        WrongChainId = "the Ethereum transaction is for another chain",
        UnprotectedTransaction = "the Ethereum transaction has no chain id (pre-EIP-155)",
        NonceMismatch = "the transaction's nonce is not the sender's nonce (replay or gap)",
        InsufficientFunds = "the sender cannot pay gas_limit * max fee + value",
        InvalidTransaction = "the Ethereum transaction is invalid",
        AccountNotProvided = "an account the transaction touches was not passed",
        BadEvmAccount = "an EVM account is malformed or not at its PDA",
        AccountNotWritable = "an account the transaction writes was passed read-only",
        CodeAccountExists = "a code account of another length already exists at this address",
        NotFinished = "the transaction did not finish within one instruction",
        // ---- holders and iterative execution ----
        BadHolder = "the holder account is not a holder of this program at its address",
        NotHolderOperator = "the holder belongs to another operator",
        HolderExists = "the holder account already exists",
        HolderTooSmall = "the holder is too small (grow it with holder_resize, by at most 10 KiB at a time)",
        HolderBusy = "the holder runs an iterative transaction: cancel it or step it to the end first",
        HolderIdle = "the holder runs no iterative transaction",
        HolderEmpty = "the holder holds no transaction",
        CodeNeedsSteps = "the transaction creates code larger than one instruction can store: run it with step",
        // ---- registries and fee market ----
        NotSlotHashes = "the account passed as the SlotHashes sysvar is not it",
        BadFeeMarketAccount = "the fee-market account is not the PDA of the transaction's contract",
        FeeCapBelowBaseFee = "the transaction's max fee per gas is below the contract's base fee",
        ContractComputeCapExceeded = "the contract's compute cap for this slot would be exceeded",
        BadLinkSignature = "the link signature is invalid or not by the Ethereum address",
        WalletNotLinked = "the wallet is not linked to an Ethereum address (link_wallet) and its own derived address has no account",
        ZeroWithdraw = "a withdrawal must move at least one lamport",
        InsufficientBalance = "the Ethereum address's balance is below the withdrawal",
        VaultBelowRent = "the withdrawal would leave the vault below its rent-exempt minimum",
        // ---- administration ----
        NotAdmin = "only the config's admin may change it",
        // ---- development chains ----
        ImpersonationDisabled = "impersonated transactions run only on a chain initialized for development",
        // ---- forks ----
        UnknownFork = "the fork byte names no fork this program runs (0 Cancun, 1 Prague, 2 Osaka)",
        BadCodeSizeLimit = "the code size limit exceeds what one account can hold",
        ForkGoesBack = "a chain's fork may only move forward (code deployed under the newer one may need it)",
        // ---- Solana costs ----
        SolanaCostsNotCovered = "the gas limit does not cover the EVM's gas plus the transaction's Solana costs (rent of the accounts it creates, the signature)",
        }
    };
}

/// The first code of the program's own errors (Anchor's `ERROR_CODE_OFFSET`).
pub const ERROR_CODE_OFFSET: u32 = 6000;

macro_rules! program_error_enum {
    ($($name:ident = $message:tt,)*) => {
        /// One of the program's errors.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum ProgramError {
            $($name,)*
        }

        impl ProgramError {
            /// Every error, in code order.
            pub const ALL: &'static [ProgramError] = &[$(ProgramError::$name,)*];

            /// `InstructionError::Custom(code)`.
            pub const fn code(self) -> u32 {
                ERROR_CODE_OFFSET + self as u32
            }

            /// The variant's name, as in the IDL.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ProgramError::$name => stringify!($name),)*
                }
            }

            /// The message the program logs with it.
            pub const fn message(self) -> &'static str {
                match self {
                    $(ProgramError::$name => $message,)*
                }
            }

            /// The error of a custom code, if it is one of the program's.
            pub fn from_code(code: u32) -> Option<Self> {
                let index = code.checked_sub(ERROR_CODE_OFFSET)? as usize;
                Self::ALL.get(index).copied()
            }
        }
    };
}

for_each_error!(program_error_enum);

impl core::fmt::Display for ProgramError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} ({}): {}", self.name(), self.code(), self.message())
    }
}

/// Anchor's own codes for the constraints it checks before the program's code runs.
pub mod anchor {
    /// An account that must be writable is not (`ConstraintMut`).
    pub const CONSTRAINT_MUT: u32 = 2000;
    /// A `Program<T>` account is not executable (`ConstraintExecutable`).
    pub const CONSTRAINT_EXECUTABLE: u32 = 2007;
    /// A PDA is not at its seeds (`ConstraintSeeds`).
    pub const CONSTRAINT_SEEDS: u32 = 2006;
    /// An existing account has the wrong size for its type (`ConstraintSpace`).
    pub const CONSTRAINT_SPACE: u32 = 2019;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_positions() {
        assert_eq!(ProgramError::ZeroChainId.code(), 6000);
        assert_eq!(ProgramError::NotOperator.code(), 6009);
        assert_eq!(ProgramError::CodeNeedsSteps.code(), 6029);
        assert_eq!(ProgramError::VaultBelowRent.code(), 6038);
        for (i, e) in ProgramError::ALL.iter().enumerate() {
            assert_eq!(ProgramError::from_code(6000 + i as u32), Some(*e));
        }
        assert_eq!(ProgramError::from_code(5999), None);
        assert_eq!(
            ProgramError::from_code(6000 + ProgramError::ALL.len() as u32),
            None
        );
    }
}
