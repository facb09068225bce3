//! [`Stepped`]: a [`Crypto`] that runs every precompile it can as a job, answering the rest as
//! the wrapped one does. How the off-chain tests exercise the stepped path with their crates'
//! answers (the state-test runner pausing every N steps, the machine's own tests).

use super::{Bn254Error, Crypto, CurveError, G1Point, G2Point, Gt, Scalar};
use crate::precompiles::stepped::SteppedPrecompile;
use crate::primitives::B256;
use alloc::vec::Vec;

/// `C` with [`Crypto::runs_stepped`] true for every stepped precompile.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stepped<C>(pub C);

impl<C: Crypto> Crypto for Stepped<C> {
    fn keccak256(&self, data: &[u8]) -> B256 {
        self.0.keccak256(data)
    }
    fn secp256k1_recover(&self, message: &B256, signature: &[u8; 64], id: u8) -> Option<[u8; 64]> {
        self.0.secp256k1_recover(message, signature, id)
    }
    fn sha256(&self, data: &[u8]) -> B256 {
        self.0.sha256(data)
    }
    fn ripemd160(&self, data: &[u8]) -> [u8; 20] {
        self.0.ripemd160(data)
    }
    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        self.0.modexp(base, exponent, modulus)
    }
    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        self.0.bn254_add(p1, p2)
    }
    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        self.0.bn254_mul(point, scalar)
    }
    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error> {
        self.0.bn254_pairing(input)
    }
    fn blake2f(&self, rounds: u32, h: &mut [u64; 8], m: &[u64; 16], t: [u64; 2], last: bool) {
        self.0.blake2f(rounds, h, m, t, last)
    }
    fn kzg_verify_proof(&self, c: &[u8; 48], z: &[u8; 32], y: &[u8; 32], p: &[u8; 48]) -> bool {
        self.0.kzg_verify_proof(c, z, y, p)
    }
    fn bls12_g1_add(&self, a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
        self.0.bls12_g1_add(a, b)
    }
    fn bls12_g1_msm(&self, pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
        self.0.bls12_g1_msm(pairs)
    }
    fn bls12_g2_add(&self, a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
        self.0.bls12_g2_add(a, b)
    }
    fn bls12_g2_msm(&self, pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
        self.0.bls12_g2_msm(pairs)
    }
    fn bls12_pairing_check(&self, pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
        self.0.bls12_pairing_check(pairs)
    }
    fn bls12_pairing(&self, pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
        self.0.bls12_pairing(pairs)
    }
    fn bls12_map_fp_to_g1(&self, fp: &[u8; 48]) -> Result<G1Point, CurveError> {
        self.0.bls12_map_fp_to_g1(fp)
    }
    fn bls12_map_fp2_to_g2(&self, fp2: &[u8; 96]) -> Result<G2Point, CurveError> {
        self.0.bls12_map_fp2_to_g2(fp2)
    }
    fn p256_verify(&self, m: &B256, sig: &[u8; 64], key: &[u8; 64]) -> Result<bool, CurveError> {
        self.0.p256_verify(m, sig, key)
    }
    fn runs_stepped(&self, _precompile: SteppedPrecompile) -> bool {
        true
    }
}
