//! Strict RLP decoding of the four transaction envelopes into a [`TxEnv`] and its [`Signature`].
//!
//! Strict because the transaction hash is the keccak of the bytes as sent: any encoding that is
//! not the one canonical encoding would give a second hash for the same transaction, so
//! non-canonical integers, headers, lengths and trailing bytes are all refused.
//!
//! Items are read from `&[u8]` with `alloy_rlp::Header` and copied into `Vec`s and arrays, never
//! into `bytes::Bytes` (its atomics are unavailable on-chain).

use super::{DecodeError, Signature};
use crate::env::{AccessListItem, Authorization, TxEnv, TxKind};
use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;
use alloy_rlp::Header;

/// A decoded envelope and the message its signature signs.
pub(super) struct Decoded {
    pub tx: TxEnv,
    pub signature: Signature,
    /// [`super::signing::signing_payload`] of `tx`, made from the raw bytes of the unsigned
    /// fields: decoding is strict, so they are the canonical encoding a re-encoding would give,
    /// and copying them saves encoding every field again (thousands of compute units on-chain).
    pub signing_payload: Vec<u8>,
}

/// Decodes a raw envelope: `type || rlp(fields)` for typed transactions, `rlp(fields)` for legacy.
pub(super) fn decode_envelope(raw: &[u8]) -> Result<Decoded, DecodeError> {
    let (&first, body) = raw.split_first().ok_or(DecodeError::Empty)?;
    match first {
        0x01 => decode_typed(TxKind::AccessList, first, body),
        0x02 => decode_typed(TxKind::DynamicFee, first, body),
        0x03 => decode_typed(TxKind::Blob, first, body),
        0x04 => decode_typed(TxKind::SetCode, first, body),
        0x00..=0x7f => Err(DecodeError::UnsupportedType(first)),
        0xc0..=0xff => decode_legacy(raw),
        _ => Err(DecodeError::InvalidEnvelope(first)),
    }
}

/// `type_byte` (none for legacy) `|| rlp_list(unsigned || extra)`.
fn signing_payload(type_byte: Option<u8>, unsigned: &[u8], extra: &[u8]) -> Vec<u8> {
    let header = Header {
        list: true,
        payload_length: unsigned.len() + extra.len(),
    };
    let mut out = Vec::with_capacity(1 + header.length_with_payload());
    out.extend(type_byte);
    header.encode(&mut out);
    out.extend_from_slice(unsigned);
    out.extend_from_slice(extra);
    out
}

/// Number of RLP items in each kind's signed field list.
const fn field_count(kind: TxKind) -> usize {
    match kind {
        TxKind::Legacy => 9,
        TxKind::AccessList => 11,
        TxKind::DynamicFee => 12,
        TxKind::Blob => 14,
        TxKind::SetCode => 13,
    }
}

/// `[nonce, gasPrice, gas, to, value, data, v, r, s]`.
fn decode_legacy(raw: &[u8]) -> Result<Decoded, DecodeError> {
    let mut fields = Fields::outer(raw, TxKind::Legacy)?;
    let payload = fields.buf;
    let mut tx = TxEnv {
        kind: TxKind::Legacy,
        ..TxEnv::default()
    };
    tx.nonce = fields.u64("nonce")?;
    tx.gas_price = fields.u256("gas price")?;
    tx.gas_limit = fields.u64("gas limit")?;
    tx.to = fields.to()?;
    tx.value = fields.u256("value")?;
    tx.data = fields.bytes("data")?.to_vec();
    let unsigned = fields.consumed_of(payload);
    let v = fields.u64("signature v")?;
    let (y_parity, chain_id) = split_v(v)?;
    tx.chain_id = chain_id;
    let r = fields.u256("signature r")?;
    let s = fields.u256("signature s")?;
    // EIP-155: the chain id and two empty strings stand where v, r and s go.
    let mut extra = Vec::new();
    if let Some(chain_id) = chain_id {
        alloy_rlp::Encodable::encode(&chain_id, &mut extra);
        extra.extend_from_slice(&[alloy_rlp::EMPTY_STRING_CODE; 2]);
    }
    Ok(Decoded {
        signing_payload: signing_payload(None, unsigned, &extra),
        tx,
        signature: Signature { y_parity, r, s, v },
    })
}

/// The parity and chain id a legacy `v` stands for: 27/28 before EIP-155, `chain_id * 2 + 35/36`
/// after.
fn split_v(v: u64) -> Result<(bool, Option<u64>), DecodeError> {
    match v {
        27 | 28 => Ok((v == 28, None)),
        35.. => Ok(((v - 35) % 2 == 1, Some((v - 35) / 2))),
        _ => Err(DecodeError::InvalidV(v)),
    }
}

/// EIP-2930, EIP-1559, EIP-4844 (without sidecar) and EIP-7702 field lists, which share their
/// shape: `[chainId, nonce, fees.., gas, to, value, data, accessList, blob fields or
/// authorizationList.., yParity, r, s]`.
fn decode_typed(kind: TxKind, type_byte: u8, body: &[u8]) -> Result<Decoded, DecodeError> {
    let mut fields = Fields::outer(body, kind)?;
    let payload = fields.buf;
    let mut tx = TxEnv {
        kind,
        ..TxEnv::default()
    };
    tx.chain_id = Some(fields.u64("chain id")?);
    tx.nonce = fields.u64("nonce")?;
    if kind == TxKind::AccessList {
        tx.gas_price = fields.u256("gas price")?;
    } else {
        tx.gas_priority_fee = Some(fields.u256("max priority fee per gas")?);
        tx.gas_price = fields.u256("max fee per gas")?;
    }
    tx.gas_limit = fields.u64("gas limit")?;
    tx.to = fields.to()?;
    if kind == TxKind::Blob && tx.to.is_none() {
        return Err(DecodeError::BlobCreate);
    }
    if kind == TxKind::SetCode && tx.to.is_none() {
        return Err(DecodeError::SetCodeCreate);
    }
    tx.value = fields.u256("value")?;
    tx.data = fields.bytes("data")?.to_vec();
    tx.access_list = fields.access_list()?;
    if kind == TxKind::Blob {
        tx.max_fee_per_blob_gas = fields.u256("max fee per blob gas")?;
        tx.blob_hashes = fields.words("blob versioned hashes", "blob versioned hash")?;
    }
    if kind == TxKind::SetCode {
        tx.authorization_list = fields.authorization_list()?;
    }
    let unsigned = fields.consumed_of(payload);
    let y_parity = fields.y_parity()?;
    let r = fields.u256("signature r")?;
    let s = fields.u256("signature s")?;
    Ok(Decoded {
        signing_payload: signing_payload(Some(type_byte), unsigned, &[]),
        tx,
        signature: Signature {
            y_parity,
            r,
            s,
            v: y_parity as u64,
        },
    })
}

/// Maps an alloy-rlp error met while reading `field` to ours.
fn rlp_error(field: &'static str, error: alloy_rlp::Error) -> DecodeError {
    use alloy_rlp::Error;
    match error {
        Error::InputTooShort => DecodeError::Truncated { field },
        Error::LeadingZero | Error::NonCanonicalSingleByte | Error::NonCanonicalSize => {
            DecodeError::NonCanonical { field }
        }
        Error::UnexpectedList => DecodeError::ExpectedBytes { field },
        Error::UnexpectedString => DecodeError::ExpectedList { field },
        _ => DecodeError::Malformed { field },
    }
}

/// Counts the items of a list payload up to the first bad header, and returns that header's error.
fn count_items(mut payload: &[u8]) -> (usize, Option<alloy_rlp::Error>) {
    let mut count = 0;
    while !payload.is_empty() {
        match Header::decode(&mut payload) {
            // `Header::decode` has checked that the payload is there.
            Ok(header) => payload = &payload[header.payload_length..],
            Err(error) => return (count, Some(error)),
        }
        count += 1;
    }
    (count, None)
}

/// A cursor over the items of one RLP list, read in order by field.
struct Fields<'a> {
    buf: &'a [u8],
}

impl<'a> Fields<'a> {
    /// The transaction's own list: exactly `input`, with the item count of `kind`.
    fn outer(input: &'a [u8], kind: TxKind) -> Result<Self, DecodeError> {
        let mut rest = input;
        let payload =
            Header::decode_bytes(&mut rest, true).map_err(|e| rlp_error("transaction", e))?;
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes { extra: rest.len() });
        }
        // The network form of a blob transaction wraps the signed fields in a list of their own.
        if kind == TxKind::Blob
            && payload
                .first()
                .is_some_and(|&b| b >= alloy_rlp::EMPTY_LIST_CODE)
        {
            return Err(DecodeError::BlobSidecar);
        }
        Self::checked(payload, "transaction", field_count(kind))
    }

    /// A list payload that must hold exactly `expected` items.
    ///
    /// A bad header among the expected items is left for the read that reaches it, which reports
    /// it under the item's own name.
    fn checked(
        payload: &'a [u8],
        field: &'static str,
        expected: usize,
    ) -> Result<Self, DecodeError> {
        match count_items(payload) {
            (got, None) if got != expected => Err(DecodeError::WrongItemCount {
                field,
                expected,
                got,
            }),
            (got, Some(error)) if got >= expected => Err(rlp_error(field, error)),
            _ => Ok(Self { buf: payload }),
        }
    }

    fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The part of `payload` (this cursor's list, as it started) read so far.
    fn consumed_of(&self, payload: &'a [u8]) -> &'a [u8] {
        &payload[..payload.len() - self.buf.len()]
    }

    /// The next item as a byte string.
    fn bytes(&mut self, field: &'static str) -> Result<&'a [u8], DecodeError> {
        Header::decode_bytes(&mut self.buf, false).map_err(|e| rlp_error(field, e))
    }

    /// The next item as a list.
    fn list(&mut self, field: &'static str) -> Result<Fields<'a>, DecodeError> {
        let payload = Header::decode_bytes(&mut self.buf, true).map_err(|e| rlp_error(field, e))?;
        Ok(Fields { buf: payload })
    }

    /// The big-endian bytes of a canonical integer: no leading zeros, zero is empty.
    fn uint(&mut self, field: &'static str, max_bits: u32) -> Result<&'a [u8], DecodeError> {
        let bytes = self.bytes(field)?;
        if bytes.first() == Some(&0) {
            return Err(DecodeError::LeadingZeros { field });
        }
        if bytes.len() * 8 > max_bits as usize {
            return Err(DecodeError::TooLarge { field, max_bits });
        }
        Ok(bytes)
    }

    fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let bytes = self.uint(field, 64)?;
        Ok(bytes.iter().fold(0, |value, &b| value << 8 | b as u64))
    }

    fn u256(&mut self, field: &'static str) -> Result<U256, DecodeError> {
        let bytes = self.uint(field, 256)?;
        Ok(U256::from_be_slice(bytes))
    }

    /// A byte string of exactly `N` bytes.
    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let bytes = self.bytes(field)?;
        bytes.try_into().map_err(|_| DecodeError::WrongLength {
            field,
            expected: N,
            got: bytes.len(),
        })
    }

    /// `to`: empty for a contract creation, else a 20-byte address.
    fn to(&mut self) -> Result<Option<Address>, DecodeError> {
        match self.bytes("to")? {
            [] => Ok(None),
            bytes => bytes
                .try_into()
                .map(Some)
                .map_err(|_| DecodeError::InvalidTo { len: bytes.len() }),
        }
    }

    /// A list of 32-byte words (storage keys, blob versioned hashes).
    fn words(&mut self, field: &'static str, item: &'static str) -> Result<Vec<B256>, DecodeError> {
        let mut list = self.list(field)?;
        let mut words = Vec::new();
        while !list.is_empty() {
            words.push(list.array::<32>(item)?);
        }
        Ok(words)
    }

    /// EIP-2930 access list: `[[address, [storageKey, ...]], ...]`.
    fn access_list(&mut self) -> Result<Vec<AccessListItem>, DecodeError> {
        let mut list = self.list("access list")?;
        let mut items = Vec::new();
        while !list.is_empty() {
            let payload = list.list("access list entry")?.buf;
            let mut entry = Fields::checked(payload, "access list entry", 2)?;
            let address = entry.array::<20>("access list address")?;
            let storage_keys =
                entry.words("access list storage keys", "access list storage key")?;
            items.push(AccessListItem {
                address,
                storage_keys,
            });
        }
        Ok(items)
    }

    /// EIP-7702 authorization list: `[[chainId, address, nonce, yParity, r, s], ...]`. Each field
    /// must fit its bounds (a parity up to 255 still decodes: it voids only its authorization).
    fn authorization_list(&mut self) -> Result<Vec<Authorization>, DecodeError> {
        let mut list = self.list("authorization list")?;
        let mut items = Vec::new();
        while !list.is_empty() {
            let payload = list.list("authorization")?.buf;
            let mut entry = Fields::checked(payload, "authorization", 6)?;
            let chain_id = entry.u256("authorization chain id")?;
            let address = entry.array::<20>("authorization address")?;
            let nonce = entry.u64("authorization nonce")?;
            let y_parity = entry.u64_bits("authorization y parity", 8)? as u8;
            let r = entry.u256("authorization r")?;
            let s = entry.u256("authorization s")?;
            items.push(Authorization {
                chain_id,
                address,
                nonce,
                y_parity,
                r,
                s,
            });
        }
        Ok(items)
    }

    /// An integer of at most `max_bits` bits.
    fn u64_bits(&mut self, field: &'static str, max_bits: u32) -> Result<u64, DecodeError> {
        let bytes = self.uint(field, max_bits)?;
        Ok(bytes.iter().fold(0, |value, &b| value << 8 | b as u64))
    }

    /// A typed transaction's signature parity: the integer 0 or 1.
    fn y_parity(&mut self) -> Result<bool, DecodeError> {
        match self.uint("signature y parity", 256)? {
            [] => Ok(false),
            [1] => Ok(true),
            _ => Err(DecodeError::InvalidYParity),
        }
    }
}
