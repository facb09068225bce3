//! Why a transaction is invalid, in geth's words: clients and their users match on these
//! messages (ethers maps "nonce too low", "insufficient funds", "replacement transaction
//! underpriced" and "intrinsic gas too low" to error codes).

use isthmus_evm::InvalidTransaction as I;

pub fn invalid(reason: &I) -> String {
    match reason {
        I::NonceMismatch { expected, got } if got < expected => {
            format!("nonce too low: next nonce {expected}, tx nonce {got}")
        }
        I::NonceMismatch { expected, got } => {
            format!("nonce too high: next nonce {expected}, tx nonce {got}")
        }
        I::NonceOverflow => "nonce has max value".into(),
        I::InsufficientFunds { balance, needed } => {
            format!("insufficient funds for gas * price + value: have {balance} want {needed}")
        }
        I::FeeCapTooLow { fee_cap, base_fee } => format!(
            "max fee per gas less than block base fee: maxFeePerGas: {fee_cap}, baseFee: {base_fee}"
        ),
        I::PriorityFeeAboveFeeCap => "max priority fee per gas higher than max fee per gas".into(),
        I::GasLimitAboveBlock { .. } => "exceeds block gas limit".into(),
        I::IntrinsicGasTooLow {
            gas_limit,
            intrinsic,
        } => format!("intrinsic gas too low: have {gas_limit}, want {intrinsic}"),
        I::InitcodeTooLarge { size } => {
            format!("max initcode size exceeded: code size {size}, limit 49152")
        }
        I::WrongChainId { expected, got } => {
            format!("invalid chain id for signer: have {got} want {expected}")
        }
        I::SenderHasCode => "sender not an eoa".into(),
        I::BlobCreate
        | I::NoBlobs
        | I::TooManyBlobs { .. }
        | I::BlobVersionedHash
        | I::BlobFeeCapTooLow => "transaction type not supported: blob transactions".into(),
        I::UnsupportedType => "transaction type not supported".into(),
        I::GasLimitAboveCap { gas_limit, cap } => {
            format!("transaction gas limit too high (cap: {cap}, tx: {gas_limit})")
        }
        I::EmptyAuthorizationList => "EIP-7702 transaction with empty auth list".into(),
        I::SetCodeCreate => "EIP-7702 transaction cannot be used to create contract".into(),
        I::FeeOverflow => "fee cap higher than 2^256-1".into(),
        // "intrinsic gas too low", which clients map to their own error, with why.
        I::HostCostsNotCovered { gas_limit, needed } => format!(
            "intrinsic gas too low: have {gas_limit}, want {needed} (the EVM's gas plus the \
             Solana costs: rent of the accounts the transaction creates, the signature)"
        ),
    }
}

/// An exceptional halt in geth's words (its `vm` errors, as tracers print them).
pub fn halt(reason: &isthmus_evm::HaltReason) -> String {
    use isthmus_evm::HaltReason as H;
    match reason {
        H::OutOfGas => "out of gas",
        H::StackUnderflow => "stack underflow",
        H::StackOverflow => "stack limit reached 1024 (1023)",
        H::InvalidJump => "invalid jump destination",
        H::InvalidOpcode => "invalid opcode",
        H::StaticStateChange => "write protection",
        H::OutOfOffset => "return data out of bounds",
        H::CreateCollision => "contract address collision",
        H::CodeSizeLimit => "max code size exceeded",
        H::InvalidCodePrefix => "invalid code: must not begin with 0xef",
        H::InitcodeSizeLimit => "max initcode size exceeded",
        H::CallDepth => "max call depth exceeded",
        H::OutOfFunds => "insufficient balance for transfer",
        H::NonceOverflow => "nonce uint64 overflow",
        H::PrecompileError => "precompile failed",
    }
    .into()
}
