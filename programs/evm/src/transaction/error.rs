//! Why a raw transaction was refused. The messages are written to be shown as they are in a
//! JSON-RPC error (`eth_sendRawTransaction`), so they name the field and what was wrong with it.

use core::fmt;

/// Why a raw transaction could not be decoded.
///
/// `field` names the RLP item at fault in plain words ("nonce", "access list address", ...);
/// `"transaction"` is the outer list itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes at all.
    Empty,
    /// The first byte is an EIP-2718 type byte (0x00-0x7f) that we do not accept.
    UnsupportedType(u8),
    /// The first byte is neither a type byte nor the start of an RLP list.
    InvalidEnvelope(u8),
    /// An item claims more bytes than the input has.
    Truncated { field: &'static str },
    /// Bytes after the end of the transaction's RLP list.
    TrailingBytes { extra: usize },
    /// An RLP header that is not the shortest one (a single byte wrapped in a header, a long
    /// length form for a short item, a length with leading zeros).
    NonCanonical { field: &'static str },
    /// An integer with leading zero bytes (zero itself must be the empty string).
    LeadingZeros { field: &'static str },
    /// A list where a byte string belongs.
    ExpectedBytes { field: &'static str },
    /// A byte string where a list belongs.
    ExpectedList { field: &'static str },
    /// Any other malformed RLP.
    Malformed { field: &'static str },
    /// A list with the wrong number of items.
    WrongItemCount {
        field: &'static str,
        expected: usize,
        got: usize,
    },
    /// An integer too large for the field (nonce and gas limit are 64-bit).
    TooLarge { field: &'static str, max_bits: u32 },
    /// A fixed-size byte string (address, storage key, versioned hash) of the wrong length.
    WrongLength {
        field: &'static str,
        expected: usize,
        got: usize,
    },
    /// `to` is neither empty (contract creation) nor a 20-byte address.
    InvalidTo { len: usize },
    /// A blob transaction without a recipient: EIP-4844 forbids creating contracts.
    BlobCreate,
    /// A set-code transaction without a recipient: EIP-7702 forbids creating contracts.
    SetCodeCreate,
    /// A blob transaction in its network form, with the blobs, commitments and proofs attached.
    BlobSidecar,
    /// The typed transaction's signature parity is neither 0 nor 1.
    InvalidYParity,
    /// The legacy `v` is neither 27/28 nor `chain_id * 2 + 35/36` (EIP-155).
    InvalidV(u64),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty transaction"),
            Self::UnsupportedType(ty) => write!(f, "transaction type {ty:#04x} is not supported"),
            Self::InvalidEnvelope(byte) => write!(
                f,
                "transaction must start with a type byte or an RLP list, found {byte:#04x}"
            ),
            Self::Truncated { field } => {
                write!(
                    f,
                    "transaction is truncated: {field} runs past the end of the input"
                )
            }
            Self::TrailingBytes { extra } => {
                write!(
                    f,
                    "{extra} unexpected bytes after the end of the transaction"
                )
            }
            Self::NonCanonical { field } => write!(f, "{field} is not canonically RLP-encoded"),
            Self::LeadingZeros { field } => write!(f, "{field} has leading zero bytes"),
            Self::ExpectedBytes { field } => {
                write!(f, "{field} must be a byte string, found a list")
            }
            Self::ExpectedList { field } => {
                write!(f, "{field} must be a list, found a byte string")
            }
            Self::Malformed { field } => write!(f, "{field} is malformed RLP"),
            Self::WrongItemCount {
                field,
                expected,
                got,
            } => {
                write!(f, "{field} has {got} items, expected {expected}")
            }
            Self::TooLarge { field, max_bits } => {
                write!(f, "{field} does not fit in {max_bits} bits")
            }
            Self::WrongLength {
                field,
                expected,
                got,
            } => {
                write!(f, "{field} is {got} bytes long, expected {expected}")
            }
            Self::InvalidTo { len } => write!(
                f,
                "`to` must be empty (contract creation) or a 20-byte address, got {len} bytes"
            ),
            Self::BlobCreate => f.write_str(
                "blob transactions cannot create contracts: `to` must be a 20-byte address",
            ),
            Self::SetCodeCreate => f.write_str(
                "set-code transactions cannot create contracts: `to` must be a 20-byte address",
            ),
            Self::BlobSidecar => f.write_str(
                "blob transactions with blobs attached are not supported: send the transaction \
                 without its blobs, commitments and proofs",
            ),
            Self::InvalidYParity => f.write_str("signature y parity must be 0 or 1"),
            Self::InvalidV(v) => write!(
                f,
                "legacy signature v = {v} is invalid: expected 27, 28 or chain_id * 2 + 35/36"
            ),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Why the sender of a decoded transaction could not be recovered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// r is zero or not below the secp256k1 group order.
    InvalidR,
    /// s is zero or not below the secp256k1 group order.
    InvalidS,
    /// s is above half the group order: malleable, refused since EIP-2 (Homestead).
    HighS,
    /// No public key matches the signature.
    Unrecoverable,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidR => "invalid signature: r is zero or not below the secp256k1 order",
            Self::InvalidS => "invalid signature: s is zero or not below the secp256k1 order",
            Self::HighS => {
                "invalid signature: s is in the upper half of the secp256k1 order (EIP-2)"
            }
            Self::Unrecoverable => "invalid signature: no public key matches it",
        })
    }
}

impl core::error::Error for SignatureError {}
