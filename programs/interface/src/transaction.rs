//! The raw transactions the program takes: an EIP-2718 envelope a wallet signed, or, on a
//! development chain only (`Config::development`, decided at `initialize`), an impersonated one:
//! [`IMPERSONATED`], the sender's 20 bytes, then a signed envelope whose signature is not checked
//! (anvil's and Hardhat's `impersonateAccount`: a test acts as an address whose key nobody holds,
//! an EntryPoint or a proxy admin, even one with code). A wallet's envelope never starts with
//! [`IMPERSONATED`]: typed envelopes start below 0x80, legacy ones with an RLP list header that
//! would announce over 2^48 bytes.

use alloc::vec::Vec;
use isthmus_evm::crypto::Crypto;
use isthmus_evm::primitives::Address;
use isthmus_evm::transaction::{self, RawTransactionError, SignedTransaction};
use isthmus_evm::{BlockEnv, Machine};

/// The first bytes of an impersonated transaction.
pub const IMPERSONATED: [u8; 4] = [0xfe, b'i', b'm', b'p'];

/// A raw transaction, decoded, its sender known.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// With `tx.caller` the sender; `hash` is keccak256 of the whole raw transaction.
    pub signed: SignedTransaction,
    pub sender: Address,
    /// Whether the sender was named rather than recovered from a signature.
    pub impersonated: bool,
}

impl Incoming {
    /// The interpreter for it in `block`. An impersonated sender may hold code (as on anvil:
    /// an EntryPoint, a proxy admin): EIP-3607 is lifted for it, here for every host.
    pub fn into_machine(self, block: BlockEnv) -> Machine {
        let mut machine = Machine::new(block, self.signed.tx);
        if self.impersonated {
            machine.allow_sender_code();
        }
        machine
    }
}

/// Why a raw transaction is refused before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomingError {
    Malformed,
    BadSignature,
}

/// `signed` sent as `sender` ([`IMPERSONATED`]).
pub fn impersonate(sender: &Address, signed: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(IMPERSONATED.len() + 20 + signed.len());
    raw.extend_from_slice(&IMPERSONATED);
    raw.extend_from_slice(sender);
    raw.extend_from_slice(signed);
    raw
}

/// The named sender and the envelope of an impersonated transaction; `None` for any other.
pub fn impersonated(raw: &[u8]) -> Option<(Address, &[u8])> {
    let rest = raw.strip_prefix(&IMPERSONATED)?;
    let sender: Address = rest.get(..20)?.try_into().ok()?;
    Some((sender, &rest[20..]))
}

/// Decodes `raw` strictly and finds its sender: recovered from the signature, or named by an
/// impersonated transaction (whether those are allowed is the caller's to check).
pub fn decode(raw: &[u8], crypto: &dyn Crypto) -> Result<Incoming, IncomingError> {
    match impersonated(raw) {
        Some((sender, envelope)) => {
            let mut signed =
                transaction::decode(envelope, crypto).map_err(|_| IncomingError::Malformed)?;
            signed.tx.caller = sender;
            signed.hash = crypto.keccak256(raw);
            Ok(Incoming {
                signed,
                sender,
                impersonated: true,
            })
        }
        None => {
            let signed = transaction::decode_and_recover(raw, crypto).map_err(|e| match e {
                RawTransactionError::Decode(_) => IncomingError::Malformed,
                RawTransactionError::Signature(_) => IncomingError::BadSignature,
            })?;
            let sender = signed.tx.caller;
            Ok(Incoming {
                signed,
                sender,
                impersonated: false,
            })
        }
    }
}
