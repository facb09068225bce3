//! EIP-7951's P-256 verification in Rust (the `p256` crate, as `HostCrypto` and revm use it):
//! the public key must be a point on the curve (not infinity), r and s in [1, n-1] (high s
//! accepted), the message a 32-byte prehash. Solana has no callable secp256r1 syscall (its
//! secp256r1 program is an instruction precompile that fails the whole transaction on a bad
//! signature). Measured by the CU probe (`FLAG_P256`); `SyscallCrypto` does not call it while it
//! costs more than a step's compute.

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

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_evm::{Crypto, HostCrypto};

    #[test]
    fn agrees_with_host_crypto() {
        // revm's ok_1 vector: hash, r, s, x, y.
        let hex = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";
        let mut input: [u8; 160] =
            core::array::from_fn(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap());
        for flip in [None, Some(0), Some(40), Some(100), Some(159)] {
            if let Some(i) = flip {
                input[i] ^= 1;
            }
            let (m, rest) = input.split_at(32);
            let (sig, key) = rest.split_at(64);
            let (m, sig, key) = (
                m.try_into().unwrap(),
                sig.try_into().unwrap(),
                key.try_into().unwrap(),
            );
            assert_eq!(
                Ok(verify(m, sig, key)),
                HostCrypto.p256_verify(m, sig, key),
                "{flip:?}"
            );
        }
    }
}
