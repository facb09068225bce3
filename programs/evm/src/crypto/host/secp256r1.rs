//! EIP-7951 over the `p256` crate, as revm does: the public key must be a point on the curve
//! (not infinity), r and s in [1, n-1] (high s accepted), the message a 32-byte prehash.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::EncodedPoint;

pub(super) fn verify(message: &[u8; 32], signature: &[u8; 64], public_key: &[u8; 64]) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    let point = EncodedPoint::from_untagged_bytes(public_key.into());
    let Ok(key) = VerifyingKey::from_encoded_point(&point) else {
        return false;
    };
    key.verify_prehash(message, &signature).is_ok()
}
