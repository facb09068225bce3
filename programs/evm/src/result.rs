//! What a finished transaction hands back to its host.

use crate::primitives::{Address, B256, U256};
use crate::state::{AccountInfo, StateError};
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// One LOG record.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Log {
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Vec<u8>,
}

/// Why a frame or the whole transaction stopped without success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum HaltReason {
    OutOfGas,
    StackUnderflow,
    StackOverflow,
    InvalidJump,
    InvalidOpcode,
    /// A state change (SSTORE, LOG, CREATE, value CALL, SELFDESTRUCT, TSTORE) in a static call.
    StaticStateChange,
    /// RETURNDATACOPY past the end of the return data.
    OutOfOffset,
    /// CREATE collided with an existing account.
    CreateCollision,
    /// Deployed code over the EIP-170 limit.
    CodeSizeLimit,
    /// Deployed code starting with 0xEF (EIP-3541).
    InvalidCodePrefix,
    /// Initcode over the EIP-3860 limit (CREATE/CREATE2 inside execution).
    InitcodeSizeLimit,
    CallDepth,
    OutOfFunds,
    NonceOverflow,
    PrecompileError,
}

/// How the transaction ended.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Status {
    /// Success; `output` is the return data (or the deployed code for a creation).
    Success,
    /// REVERT; `output` carries the revert data.
    Revert,
    /// Exceptional halt: all gas consumed.
    Halt(HaltReason),
}

/// Why a transaction is not valid: it is refused before execution and changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum InvalidTransaction {
    /// The transaction's nonce is not the sender's nonce.
    NonceMismatch {
        expected: u64,
        got: u64,
    },
    /// The sender's nonce is at its maximum (EIP-2681).
    NonceOverflow,
    /// The sender cannot cover `gas_limit * max fee + value (+ blob fee)`.
    InsufficientFunds {
        balance: U256,
        needed: U256,
    },
    /// The max fee per gas is below the block's base fee.
    FeeCapTooLow {
        fee_cap: U256,
        base_fee: U256,
    },
    /// The priority fee is above the max fee.
    PriorityFeeAboveFeeCap,
    /// The gas limit is above the block gas limit.
    GasLimitAboveBlock {
        gas_limit: u64,
        block_gas_limit: u64,
    },
    /// The gas limit does not cover the intrinsic gas (from Prague on, nor the EIP-7623 floor,
    /// whichever is higher: `intrinsic` is that).
    IntrinsicGasTooLow {
        gas_limit: u64,
        intrinsic: u64,
    },
    /// The gas limit is above EIP-7825's cap on one transaction (Osaka).
    GasLimitAboveCap {
        gas_limit: u64,
        cap: u64,
    },
    /// A set-code transaction without authorizations (EIP-7702).
    EmptyAuthorizationList,
    /// A set-code transaction without a recipient (EIP-7702 forbids creating contracts).
    SetCodeCreate,
    /// Creation initcode over 49,152 bytes (EIP-3860).
    InitcodeTooLarge {
        size: usize,
    },
    /// The transaction names another chain.
    WrongChainId {
        expected: u64,
        got: u64,
    },
    /// The sender has code (EIP-3607).
    SenderHasCode,
    /// Blob transaction errors (EIP-4844).
    BlobCreate,
    NoBlobs,
    TooManyBlobs {
        count: usize,
    },
    BlobVersionedHash,
    BlobFeeCapTooLow,
    /// A type the current fork does not accept (set-code before Prague).
    UnsupportedType,
    /// Fee values overflow 256 bits.
    FeeOverflow,
    /// The gas limit covers the EVM's gas but not that plus what the host charges besides (on
    /// Isthmus, a transaction's Solana costs: the rent of the accounts it creates): found only
    /// once it has run, and refused whole.
    HostCostsNotCovered {
        gas_limit: u64,
        needed: u64,
    },
}

/// The account-level outcome of a transaction, ready for the host to apply.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct StateChanges {
    pub accounts: Vec<AccountChange>,
}

/// The final state of one account the transaction wrote.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AccountChange {
    pub address: Address,
    /// `None`: the account is deleted (SELFDESTRUCT of a new contract, or EIP-161 empty + touched).
    pub info: Option<AccountInfo>,
    /// New code, set when the account was created in this transaction or its code replaced by
    /// an EIP-7702 authorization (a delegation designator, or empty when one was cleared; then
    /// `storage_cleared` stays false).
    pub code: Option<Vec<u8>>,
    /// The account was (re)created in this transaction: any storage it had before is gone.
    pub storage_cleared: bool,
    /// Changed slots: (slot, new value).
    pub storage: Vec<(U256, U256)>,
}

/// The result of a finished transaction.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ExecutionResult {
    pub status: Status,
    /// Gas charged to the sender, after the refund.
    pub gas_used: u64,
    /// The refund that was applied (already subtracted from `gas_used`).
    pub gas_refunded: u64,
    pub output: Vec<u8>,
    pub logs: Vec<Log>,
    /// The address of the contract created by a creation transaction, when it succeeded.
    pub created_address: Option<Address>,
    pub changes: StateChanges,
}

/// A host failure that stopped the transaction; nothing is applied.
pub type FatalError = StateError;
