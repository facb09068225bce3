//! EIP-7951's P-256 verification over the `p256` crate, as revm does: the public key must be a
//! point on the curve (not infinity), r and s in [1, n-1] (high s accepted), the message a 32-byte
//! prehash. `HostCrypto` answers P256VERIFY with it; the CU probe builds it for SBF to measure it
//! (~13.9M CU; the program runs its own, cheaper, stepped job instead: `precompiles::p256_job`).
//! no_std.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::EncodedPoint;

/// Whether `signature` (r || s) by `public_key` (x || y) signs the prehashed `message`.
pub fn verify(message: &[u8; 32], signature: &[u8; 64], public_key: &[u8; 64]) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    let point = EncodedPoint::from_untagged_bytes(public_key.into());
    let Ok(key) = VerifyingKey::from_encoded_point(&point) else {
        return false;
    };
    key.verify_prehash(message, &signature).is_ok()
}
