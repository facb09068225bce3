//! Encoding a [`TxEnv`] and its [`Signature`] back into the raw envelope: the exact inverse of
//! [`decode`](super::decode), for tools, tests, the relayer and the RPC proxy. The unsigned field
//! lists are shared with the signing hash, so what is signed and what is sent cannot drift apart.

use super::{type_byte, Signature};
use crate::env::{AccessListItem, Authorization, TxEnv, TxKind};
use crate::primitives::{B256, U256};
use alloc::vec::Vec;
use alloy_rlp::{Encodable, Header, EMPTY_STRING_CODE};

/// The raw signed envelope of `tx`: `rlp(fields)` for legacy, `type || rlp(fields)` otherwise.
///
/// The legacy `v` is derived from `tx.chain_id` and `signature.y_parity` (`signature.v` is not
/// read), so a signature straight from a signer encodes correctly. `tx.caller` is not part of the
/// encoding. A `TxEnv` that decoding could not produce (a blob transaction without `to`) is
/// encoded as it is and will not decode.
pub fn encode(tx: &TxEnv, signature: &Signature) -> Vec<u8> {
    let mut fields = unsigned_fields(tx);
    match tx.kind {
        TxKind::Legacy => legacy_v(tx.chain_id, signature.y_parity).encode(&mut fields),
        _ => (signature.y_parity as u8).encode(&mut fields),
    }
    encode_u256(&signature.r, &mut fields);
    encode_u256(&signature.s, &mut fields);
    envelope(tx.kind, &fields)
}

/// The legacy `v` for a parity: 27/28 without a chain id, `chain_id * 2 + 35/36` with one
/// (EIP-155). Wider than `u64` so that no chain id overflows it.
pub(super) fn legacy_v(chain_id: Option<u64>, y_parity: bool) -> u128 {
    let parity = y_parity as u128;
    match chain_id {
        None => 27 + parity,
        Some(id) => id as u128 * 2 + 35 + parity,
    }
}

/// The fields of `tx` that its signature covers, each RLP-encoded, without the list header:
/// everything up to the signature, in the kind's order.
pub(super) fn unsigned_fields(tx: &TxEnv) -> Vec<u8> {
    let mut out = Vec::with_capacity(tx.data.len() + 128);
    if tx.kind != TxKind::Legacy {
        tx.chain_id.unwrap_or_default().encode(&mut out);
    }
    tx.nonce.encode(&mut out);
    if matches!(tx.kind, TxKind::DynamicFee | TxKind::Blob | TxKind::SetCode) {
        encode_u256(&tx.gas_priority_fee.unwrap_or_default(), &mut out);
    }
    encode_u256(&tx.gas_price, &mut out);
    tx.gas_limit.encode(&mut out);
    match &tx.to {
        Some(address) => address.encode(&mut out),
        None => out.push(EMPTY_STRING_CODE),
    }
    encode_u256(&tx.value, &mut out);
    tx.data.as_slice().encode(&mut out);
    if tx.kind != TxKind::Legacy {
        encode_access_list(&tx.access_list, &mut out);
    }
    if tx.kind == TxKind::Blob {
        encode_u256(&tx.max_fee_per_blob_gas, &mut out);
        encode_words(&tx.blob_hashes, &mut out);
    }
    if tx.kind == TxKind::SetCode {
        encode_authorization_list(&tx.authorization_list, &mut out);
    }
    out
}

/// Wraps encoded `fields` in a list header, preceded by the type byte for typed transactions.
pub(super) fn envelope(kind: TxKind, fields: &[u8]) -> Vec<u8> {
    let header = Header {
        list: true,
        payload_length: fields.len(),
    };
    let mut out = Vec::with_capacity(1 + header.length_with_payload());
    if kind != TxKind::Legacy {
        out.push(type_byte(kind));
    }
    header.encode(&mut out);
    out.extend_from_slice(fields);
    out
}

/// An integer as RLP: big-endian without leading zeros, zero as the empty string.
pub(super) fn encode_u256(value: &U256, out: &mut Vec<u8>) {
    let bytes = value.to_be_bytes::<32>();
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[start..].encode(out);
}

/// Appends `payload` (already-encoded items) as one RLP list.
fn encode_list(payload: &[u8], out: &mut Vec<u8>) {
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(out);
    out.extend_from_slice(payload);
}

/// A list of 32-byte words.
fn encode_words(words: &[B256], out: &mut Vec<u8>) {
    let mut payload = Vec::with_capacity(words.len() * 33);
    for word in words {
        word.encode(&mut payload);
    }
    encode_list(&payload, out);
}

/// `[[address, [storageKey, ...]], ...]`.
fn encode_access_list(list: &[AccessListItem], out: &mut Vec<u8>) {
    let mut payload = Vec::new();
    for item in list {
        let mut entry = Vec::with_capacity(21 + 3 + item.storage_keys.len() * 33);
        item.address.encode(&mut entry);
        encode_words(&item.storage_keys, &mut entry);
        encode_list(&entry, &mut payload);
    }
    encode_list(&payload, out);
}

/// The fields an authority signs: `[chainId, address, nonce]`, each RLP-encoded, no list header.
pub(super) fn authorization_fields(auth: &Authorization) -> Vec<u8> {
    let mut out = Vec::with_capacity(33 + 21 + 9);
    encode_u256(&auth.chain_id, &mut out);
    auth.address.encode(&mut out);
    auth.nonce.encode(&mut out);
    out
}

/// `[[chainId, address, nonce, yParity, r, s], ...]`.
fn encode_authorization_list(list: &[Authorization], out: &mut Vec<u8>) {
    let mut payload = Vec::new();
    for auth in list {
        let mut entry = authorization_fields(auth);
        auth.y_parity.encode(&mut entry);
        encode_u256(&auth.r, &mut entry);
        encode_u256(&auth.s, &mut entry);
        encode_list(&entry, &mut payload);
    }
    encode_list(&payload, out);
}

/// Appends `payload` as one RLP list (for callers outside this module).
pub(super) fn list(payload: &[u8], out: &mut Vec<u8>) {
    encode_list(payload, out);
}
