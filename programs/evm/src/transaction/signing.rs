//! What a transaction's signature signs, and recovering the signer from it.

use super::encode::{encode_u256, envelope, unsigned_fields};
use super::{Signature, SignatureError};
use crate::crypto::Crypto;
use crate::env::{TxEnv, TxKind};
use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;
use alloy_rlp::Encodable;

/// The secp256k1 group order n.
const SECP256K1_N: U256 = U256::from_limbs([
    0xBFD2_5E8C_D036_4141,
    0xBAAE_DCE6_AF48_A03B,
    0xFFFF_FFFF_FFFF_FFFE,
    0xFFFF_FFFF_FFFF_FFFF,
]);

/// n / 2: the largest s allowed since EIP-2, which removed the malleable high-s twin.
const SECP256K1_HALF_N: U256 = U256::from_limbs([
    0xDFE9_2F46_681B_20A0,
    0x5D57_6E73_57A4_501D,
    0xFFFF_FFFF_FFFF_FFFF,
    0x7FFF_FFFF_FFFF_FFFF,
]);

/// The bytes whose keccak the sender signed:
/// - legacy before EIP-155: `rlp([nonce, gasPrice, gas, to, value, data])`;
/// - legacy with EIP-155: `rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])`;
/// - typed: `type || rlp([fields without yParity, r, s])`.
pub fn signing_payload(tx: &TxEnv) -> Vec<u8> {
    let mut fields = unsigned_fields(tx);
    if let (TxKind::Legacy, Some(chain_id)) = (tx.kind, tx.chain_id) {
        chain_id.encode(&mut fields);
        encode_u256(&U256::ZERO, &mut fields);
        encode_u256(&U256::ZERO, &mut fields);
    }
    envelope(tx.kind, &fields)
}

/// keccak256 of [`signing_payload`]: the message a wallet signs for `tx`.
pub fn signing_hash(tx: &TxEnv, crypto: &dyn Crypto) -> B256 {
    crypto.keccak256(&signing_payload(tx))
}

/// Refuses r and s outside [1, n-1] and s above n/2, before spending a recovery on them.
pub(super) fn check_scalars(signature: &Signature) -> Result<(), SignatureError> {
    if signature.r.is_zero() || signature.r >= SECP256K1_N {
        return Err(SignatureError::InvalidR);
    }
    if signature.s.is_zero() || signature.s >= SECP256K1_N {
        return Err(SignatureError::InvalidS);
    }
    if signature.s > SECP256K1_HALF_N {
        return Err(SignatureError::HighS);
    }
    Ok(())
}

/// The address that signed `tx`: the last 20 bytes of keccak256 of the recovered public key.
pub(super) fn recover(
    tx: &TxEnv,
    signature: &Signature,
    crypto: &dyn Crypto,
) -> Result<Address, SignatureError> {
    recover_hash(&signing_hash(tx, crypto), signature, crypto)
}

/// The address whose key signed `hash` with `signature` (scalars checked first).
pub(super) fn recover_hash(
    hash: &B256,
    signature: &Signature,
    crypto: &dyn Crypto,
) -> Result<Address, SignatureError> {
    check_scalars(signature)?;
    let hash = *hash;
    let mut rs = [0u8; 64];
    rs[..32].copy_from_slice(&signature.r.to_be_bytes::<32>());
    rs[32..].copy_from_slice(&signature.s.to_be_bytes::<32>());
    let public_key = crypto
        .secp256k1_recover(&hash, &rs, signature.y_parity as u8)
        .ok_or(SignatureError::Unrecoverable)?;
    let digest = crypto.keccak256(&public_key);
    let mut address = [0u8; 20];
    address.copy_from_slice(&digest[12..]);
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_n_is_n_shifted() {
        assert_eq!(SECP256K1_HALF_N, SECP256K1_N >> 1);
    }
}
