//! Signed Ethereum transactions: strict decoding of the raw envelopes wallets send (legacy with and
//! without EIP-155, EIP-2930, EIP-1559, EIP-4844 without sidecar, EIP-7702), sender recovery,
//! EIP-7702 authority recovery, and encoding back to the same bytes.
//!
//! On-chain the program decodes the transaction an instruction carries and recovers its sender
//! through the secp256k1 syscall; off-chain the RPC proxy does the same before accepting it, so
//! both refuse exactly the same inputs.

mod authorization;
mod decode;
mod encode;
mod error;
mod signing;
#[cfg(all(test, feature = "host-crypto"))]
mod tests;

pub use authorization::{authority, authorization_signing_hash};
pub use encode::encode;
pub use error::{DecodeError, SignatureError};
pub use signing::{signing_hash, signing_payload};

use crate::crypto::Crypto;
use crate::env::{TxEnv, TxKind};
use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;

/// A decoded transaction with its signature, sender not yet recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTransaction {
    /// The transaction; `caller` stays zero until [`SignedTransaction::recover_sender`].
    pub tx: TxEnv,
    pub signature: Signature,
    /// keccak256 of the raw envelope: the transaction hash wallets and explorers show.
    pub hash: B256,
}

/// An ECDSA secp256k1 signature as a transaction carries it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// Recovery id: the parity of the y coordinate of the point R.
    pub y_parity: bool,
    pub r: U256,
    pub s: U256,
    /// The legacy `v` as sent (27/28 or `chain_id * 2 + 35/36`); for typed transactions the
    /// parity as 0/1, which is what JSON-RPC reports as `v`.
    pub v: u64,
}

/// Decodes a raw signed transaction (what `eth_sendRawTransaction` receives) and hashes it.
/// The sender is left for [`SignedTransaction::recover_sender`], the expensive part.
pub fn decode(raw: &[u8], crypto: &dyn Crypto) -> Result<SignedTransaction, DecodeError> {
    let decoded = decode::decode_envelope(raw)?;
    Ok(SignedTransaction {
        tx: decoded.tx,
        signature: decoded.signature,
        hash: crypto.keccak256(raw),
    })
}

/// Why a raw transaction was refused: its encoding or its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawTransactionError {
    Decode(DecodeError),
    Signature(SignatureError),
}

/// [`decode`] and [`SignedTransaction::recover_sender`] in one, hashing the signed message as
/// taken from `raw` instead of encoding the decoded fields again (on-chain, thousands of compute
/// units less). Not inlined: the message stays out of its callers' stack frames (the program's
/// `step` is at SBF's 4 KiB limit).
#[inline(never)]
pub fn decode_and_recover(
    raw: &[u8],
    crypto: &dyn Crypto,
) -> Result<SignedTransaction, RawTransactionError> {
    let decoded = decode::decode_envelope(raw).map_err(RawTransactionError::Decode)?;
    let signing_hash = crypto.keccak256(&decoded.signing_payload);
    let mut signed = SignedTransaction {
        tx: decoded.tx,
        signature: decoded.signature,
        hash: crypto.keccak256(raw),
    };
    signed.tx.caller = signing::recover_hash(&signing_hash, &signed.signature, crypto)
        .map_err(RawTransactionError::Signature)?;
    Ok(signed)
}

impl SignedTransaction {
    /// Checks the signature (r and s in [1, n-1], s <= n/2), recovers the signer's address and
    /// stores it in `tx.caller`.
    pub fn recover_sender(&mut self, crypto: &dyn Crypto) -> Result<Address, SignatureError> {
        let sender = signing::recover(&self.tx, &self.signature, crypto)?;
        self.tx.caller = sender;
        Ok(sender)
    }

    /// The raw envelope again: the same bytes that were decoded.
    pub fn encode(&self) -> Vec<u8> {
        encode(&self.tx, &self.signature)
    }
}

/// The EIP-2718 type byte of `kind` (0 for legacy, which is sent without one).
pub const fn type_byte(kind: TxKind) -> u8 {
    match kind {
        TxKind::Legacy => 0x00,
        TxKind::AccessList => 0x01,
        TxKind::DynamicFee => 0x02,
        TxKind::Blob => 0x03,
        TxKind::SetCode => 0x04,
    }
}
