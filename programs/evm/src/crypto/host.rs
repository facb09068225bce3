//! [`Crypto`] for off-chain hosts (the emulator, tests, tools), backed by well-kept crates.
//!
//! The bn254 code follows revm-precompile's `bn` backend so that both agree bit for bit on which
//! inputs are rejected; secp256k1 recovery accepts high-s signatures like revm's k256 backend.

mod bls12;

use super::{Bn254Error, Crypto, CurveError, G1Point, G2Point, Gt, Scalar};
use crate::primitives::B256;
use alloc::vec;
use alloc::vec::Vec;

/// Off-chain cryptography: keccak-asm (the assembly keccak of alloy's `asm-keccak`; ~27 % faster
/// than the portable crates on a 64-byte input), k256, sha2, ripemd, aurora-engine-modexp,
/// substrate-bn, c-kzg with the Ethereum mainnet trusted setup, blst (BLS12-381) and p256.
#[derive(Default, Clone, Copy, Debug)]
pub struct HostCrypto;

impl Crypto for HostCrypto {
    fn keccak256(&self, data: &[u8]) -> B256 {
        keccak_asm::Keccak256::digest(data).into()
    }

    fn secp256k1_recover(
        &self,
        message: &B256,
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]> {
        secp256k1::recover(message, signature, recovery_id)
    }

    fn sha256(&self, data: &[u8]) -> B256 {
        use sha2::Digest;
        sha2::Sha256::digest(data).into()
    }

    fn ripemd160(&self, data: &[u8]) -> [u8; 20] {
        use ripemd::Digest;
        ripemd::Ripemd160::digest(data).into()
    }

    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        // The crate returns an empty vector for a zero modulus and cannot take an empty one.
        if modulus.iter().all(|&b| b == 0) {
            return vec![0u8; modulus.len()];
        }
        let result = aurora_engine_modexp::modexp(base, exponent, modulus);
        left_pad_to(&result, modulus.len())
    }

    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        let sum = bn254::read_g1(p1)? + bn254::read_g1(p2)?;
        Ok(bn254::encode_g1(sum))
    }

    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        let product = bn254::read_g1(point)? * bn254::read_scalar(scalar)?;
        Ok(bn254::encode_g1(product))
    }

    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error> {
        bn254::pairing_check(input)
    }

    fn kzg_verify_proof(
        &self,
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> bool {
        use c_kzg::{Bytes32, Bytes48};
        // Precompute 0: verification does no fixed-base multi-scalar multiplication, so tables
        // would only cost memory.
        c_kzg::ethereum_kzg_settings(0)
            .verify_kzg_proof(
                &Bytes48::from(*commitment),
                &Bytes32::from(*z),
                &Bytes32::from(*y),
                &Bytes48::from(*proof),
            )
            .unwrap_or(false)
    }

    fn bls12_g1_add(&self, a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
        bls12::g1_add(a, b)
    }

    fn bls12_g1_msm(&self, pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
        bls12::g1_msm(pairs)
    }

    fn bls12_g2_add(&self, a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
        bls12::g2_add(a, b)
    }

    fn bls12_g2_msm(&self, pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
        bls12::g2_msm(pairs)
    }

    fn bls12_pairing_check(&self, pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
        bls12::pairing_check(pairs)
    }

    fn bls12_pairing(&self, pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
        bls12::pairing(pairs)
    }

    fn bls12_map_fp_to_g1(&self, fp: &[u8; 48]) -> Result<G1Point, CurveError> {
        bls12::map_fp_to_g1(fp)
    }

    fn bls12_map_fp2_to_g2(&self, fp2: &[u8; 96]) -> Result<G2Point, CurveError> {
        bls12::map_fp2_to_g2(fp2)
    }

    fn p256_verify(
        &self,
        message: &B256,
        signature: &[u8; 64],
        public_key: &[u8; 64],
    ) -> Result<bool, CurveError> {
        Ok(super::p256::verify(message, signature, public_key))
    }
}

/// `value` as exactly `len` big-endian bytes: zeros added in front, or leading (zero) bytes
/// dropped if the backend returned more.
fn left_pad_to(value: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    if value.len() >= len {
        out.copy_from_slice(&value[value.len() - len..]);
    } else {
        out[len - value.len()..].copy_from_slice(value);
    }
    out
}

mod secp256k1 {
    use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};

    /// Recovers the signer's public key, normalizing a high-s signature first (flipping the
    /// recovery id's parity to match) because k256 only accepts low-s.
    pub(super) fn recover(
        message: &[u8; 32],
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]> {
        if recovery_id > 1 {
            return None;
        }
        let mut sig = Signature::from_slice(signature).ok()?;
        let mut recid = recovery_id;
        if let Some(normalized) = sig.normalize_s() {
            sig = normalized;
            recid ^= 1;
        }
        let recid = RecoveryId::from_byte(recid)?;
        let key = VerifyingKey::recover_from_prehash(message, &sig, recid).ok()?;
        let encoded = key.to_encoded_point(false);
        // Uncompressed SEC1 is 0x04 || x || y.
        encoded.as_bytes().get(1..65)?.try_into().ok()
    }
}

mod bn254 {
    use super::Bn254Error;
    use alloc::vec::Vec;
    use substrate_bn::{AffineG1, AffineG2, Fq, Fq2, Fr, Group, Gt, G1, G2};

    /// One (G1, G2) pair in the pairing input: 64 + 128 bytes.
    const PAIR_LEN: usize = 192;

    /// A base-field element; values >= the field modulus are rejected.
    fn read_fq(bytes: &[u8]) -> Result<Fq, Bn254Error> {
        Fq::from_slice(bytes).map_err(|_| Bn254Error)
    }

    /// An Fq2 element, encoded imaginary part first (as EIP-197 specifies).
    fn read_fq2(bytes: &[u8]) -> Result<Fq2, Bn254Error> {
        let imaginary = read_fq(&bytes[..32])?;
        let real = read_fq(&bytes[32..64])?;
        Ok(Fq2::new(real, imaginary))
    }

    /// A G1 point; (0, 0) is the point at infinity, which `AffineG1` cannot represent.
    pub(super) fn read_g1(bytes: &[u8]) -> Result<G1, Bn254Error> {
        let x = read_fq(&bytes[..32])?;
        let y = read_fq(&bytes[32..64])?;
        if x.is_zero() && y.is_zero() {
            return Ok(G1::zero());
        }
        AffineG1::new(x, y).map(Into::into).map_err(|_| Bn254Error)
    }

    /// A G2 point; `AffineG2::new` checks both the curve equation and subgroup membership.
    fn read_g2(bytes: &[u8]) -> Result<G2, Bn254Error> {
        let x = read_fq2(&bytes[..64])?;
        let y = read_fq2(&bytes[64..128])?;
        if x.is_zero() && y.is_zero() {
            return Ok(G2::zero());
        }
        AffineG2::new(x, y).map(Into::into).map_err(|_| Bn254Error)
    }

    /// A scalar for multiplication; it need not be reduced modulo the group order.
    pub(super) fn read_scalar(bytes: &[u8; 32]) -> Result<Fr, Bn254Error> {
        Fr::from_slice(bytes).map_err(|_| Bn254Error)
    }

    /// Affine x || y, or 64 zero bytes for the point at infinity.
    pub(super) fn encode_g1(point: G1) -> [u8; 64] {
        let mut out = [0u8; 64];
        if let Some(affine) = AffineG1::from_jacobian(point) {
            // Writing a field element into a 32-byte slice cannot fail.
            let _ = affine.x().to_big_endian(&mut out[..32]);
            let _ = affine.y().to_big_endian(&mut out[32..]);
        }
        out
    }

    /// Whether the product of the pairings is one; pairs with a point at infinity contribute
    /// one and are skipped, so the empty input is true.
    pub(super) fn pairing_check(input: &[u8]) -> Result<bool, Bn254Error> {
        let chunks = input.chunks_exact(PAIR_LEN);
        if !chunks.remainder().is_empty() {
            return Err(Bn254Error);
        }
        let mut pairs = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            let g1 = read_g1(&chunk[..64])?;
            let g2 = read_g2(&chunk[64..])?;
            if !g1.is_zero() && !g2.is_zero() {
                pairs.push((g1, g2));
            }
        }
        if pairs.is_empty() {
            return Ok(true);
        }
        Ok(substrate_bn::pairing_batch(&pairs) == Gt::one())
    }
}
