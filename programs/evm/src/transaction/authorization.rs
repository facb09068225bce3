//! EIP-7702 authorizations: what an authority signs, and recovering the authority.

use super::encode::{authorization_fields, list};
use super::signing::recover_hash;
use super::Signature;
use crate::crypto::Crypto;
use crate::env::Authorization;
use crate::primitives::{Address, B256};
use alloc::vec::Vec;

/// EIP-7702's domain byte: an authorization's hash can never be a transaction's.
const MAGIC: u8 = 0x05;

/// keccak256(0x05 || rlp([chain_id, address, nonce])): the message an authority signs.
pub fn authorization_signing_hash(auth: &Authorization, crypto: &dyn Crypto) -> B256 {
    let fields = authorization_fields(auth);
    let mut payload = Vec::with_capacity(fields.len() + 4);
    payload.push(MAGIC);
    list(&fields, &mut payload);
    crypto.keccak256(&payload)
}

/// The account that signed `auth`, or `None` when the signature is not a valid one (a parity
/// other than 0 or 1, r or s out of range, s in the upper half of the order, no matching key):
/// such an authorization is skipped, the transaction still runs.
pub fn authority(auth: &Authorization, crypto: &dyn Crypto) -> Option<Address> {
    if auth.y_parity > 1 {
        return None;
    }
    let signature = Signature {
        y_parity: auth.y_parity == 1,
        r: auth.r,
        s: auth.s,
        v: auth.y_parity as u64,
    };
    recover_hash(
        &authorization_signing_hash(auth, crypto),
        &signature,
        crypto,
    )
    .ok()
}
