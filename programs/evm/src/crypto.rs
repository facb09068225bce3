//! The cryptography the EVM needs, behind one trait.
//!
//! On-chain each method maps to a Solana syscall where one exists (keccak, secp256k1 recover,
//! sha256, alt_bn128, big_mod_exp); off-chain [`HostCrypto`] uses well-kept crates. BLAKE2b's F
//! has no syscall: the trait's default is the pure-Rust [`blake2::compress`]. Methods that
//! return `Option`/`Result` fail on malformed input, which the precompiles turn into a failed call.
//!
//! The Prague and Osaka curves (BLS12-381 for EIP-2537, P-256 for EIP-7951) default to
//! [`CurveError::Unsupported`]: a host without them answers as if the precompile were absent
//! instead of answering wrongly. A host may instead run a precompile as a job over the machine's
//! steps ([`Crypto::runs_stepped`]): the program does so for P-256 and the BLS12-381 maps (in
//! Rust), and for the MSMs and the pairing check (pieces of syscalls, through
//! [`Crypto::bls12_g1_msm`], [`Crypto::bls12_g2_msm`] and [`Crypto::bls12_pairing`]).

use crate::precompiles::stepped::SteppedPrecompile;
use crate::primitives::B256;
use alloc::vec::Vec;

/// Why a bn254 operation rejected its input (a point not on the curve, a bad field element, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bn254Error;

/// Why a BLS12-381 or P-256 operation gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveError {
    /// The input is malformed: a field element not below the modulus, a point not on the curve
    /// or (where the operation requires it) not in the prime-order subgroup.
    Invalid,
    /// This host cannot compute the operation; the transaction cannot go on here.
    Unsupported,
}

/// A BLS12-381 G1 point: affine x || y, 48 big-endian bytes each; all zeros is the point at
/// infinity.
pub type G1Point = [u8; 96];
/// A BLS12-381 G2 point: x.c0 || x.c1 || y.c0 || y.c1, 48 big-endian bytes each; all zeros is
/// the point at infinity.
pub type G2Point = [u8; 192];
/// A scalar for BLS12-381 multiplication: 32 big-endian bytes, not necessarily reduced.
pub type Scalar = [u8; 32];
/// A BLS12-381 GT element (an Fp12) as Solana's `sol_curve_pairing_map` writes it big-endian:
/// the twelve Fp coefficients highest degree first (c1.c2.c1 ... c0.c0.c0), each big-endian
/// ([`bls12_381::Fp12::from_bytes`]).
pub type Gt = [u8; 576];

/// Cryptographic primitives used by the interpreter, the precompiles and signature recovery.
pub trait Crypto {
    /// keccak256 (SHA3 opcode, CREATE2, code hashes, addresses).
    fn keccak256(&self, data: &[u8]) -> B256;
    /// Recovers the uncompressed public key (64 bytes, x || y) that signed the prehashed `message`
    /// with `signature` (r || s) and recovery id `recovery_id` (0 or 1). `None` if invalid.
    /// Must accept high-s signatures (ecrecover does); transaction validation checks s separately.
    fn secp256k1_recover(
        &self,
        message: &B256,
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]>;
    /// sha256 (precompile 0x02, KZG versioned hashes).
    fn sha256(&self, data: &[u8]) -> B256;
    /// ripemd160 (precompile 0x03).
    fn ripemd160(&self, data: &[u8]) -> [u8; 20];
    /// `base ^ exponent mod modulus`, big-endian, result left-padded to `modulus.len()` bytes
    /// (precompile 0x05). A zero modulus gives all zero bytes.
    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8>;
    /// bn254 point addition over two 64-byte points (precompile 0x06).
    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error>;
    /// bn254 scalar multiplication of a 64-byte point by a 32-byte scalar (precompile 0x07).
    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error>;
    /// bn254 pairing check over 192-byte (G1, G2) pairs (precompile 0x08); `input.len()` is a
    /// multiple of 192 (checked by the caller).
    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error>;
    /// The BLAKE2b compression function F with `rounds` rounds (EIP-152, precompile 0x09).
    fn blake2f(&self, rounds: u32, h: &mut [u64; 8], m: &[u64; 16], t: [u64; 2], last_block: bool) {
        blake2::compress(rounds, h, m, t, last_block)
    }
    /// Verifies a KZG proof that the blob committed to by `commitment` evaluates to `y` at `z`
    /// (EIP-4844 point evaluation, precompile 0x0a). `false` on any invalid input.
    fn kzg_verify_proof(
        &self,
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> bool;

    /// EIP-2537 G1ADD: the sum of two points on the curve (no subgroup check).
    fn bls12_g1_add(&self, _a: &G1Point, _b: &G1Point) -> Result<G1Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 G1MSM: `sum(scalar_i * point_i)`; every point must be in the subgroup.
    fn bls12_g1_msm(&self, _pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 G2ADD: the sum of two points on the twist (no subgroup check).
    fn bls12_g2_add(&self, _a: &G2Point, _b: &G2Point) -> Result<G2Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 G2MSM: `sum(scalar_i * point_i)`; every point must be in the subgroup.
    fn bls12_g2_msm(&self, _pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 PAIRING_CHECK: whether the product of the pairings is one; every point must be
    /// in its subgroup; pairs with a point at infinity contribute one.
    fn bls12_pairing_check(&self, _pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// The product of the pairings of `pairs` (Miller loops and final exponentiation) in GT,
    /// every point checked as [`Crypto::bls12_pairing_check`] checks it: a piece of the
    /// resumable pairing check, which multiplies such products of a few pairs each.
    fn bls12_pairing(&self, _pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 MAP_FP_TO_G1: the simplified SWU map of a field element (< p) into G1.
    fn bls12_map_fp_to_g1(&self, _fp: &[u8; 48]) -> Result<G1Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-2537 MAP_FP2_TO_G2: the simplified SWU map of an Fp2 element (c0 || c1) into G2.
    fn bls12_map_fp2_to_g2(&self, _fp2: &[u8; 96]) -> Result<G2Point, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// EIP-7951 P256VERIFY: whether `signature` (r || s) by the key `public_key` (x || y) is a
    /// valid secp256r1 ECDSA signature of the prehashed `message`. `Ok(false)` for any invalid
    /// input (a key not on the curve, r or s out of range, a wrong signature).
    fn p256_verify(
        &self,
        _message: &B256,
        _signature: &[u8; 64],
        _public_key: &[u8; 64],
    ) -> Result<bool, CurveError> {
        Err(CurveError::Unsupported)
    }
    /// Whether this host runs `precompile` as a job spread over the machine's steps
    /// ([`crate::precompiles::stepped`]) instead of through the one-shot method above: the
    /// program does (no syscall, and too dear for one Solana transaction), and so does the
    /// emulator that predicts it; off-chain hosts answer at once.
    fn runs_stepped(&self, _precompile: SteppedPrecompile) -> bool {
        false
    }
}

pub mod blake2;
pub mod bls12_381;
pub mod p256_arith;
mod stepped;
pub use stepped::Stepped;
#[cfg(feature = "host-crypto")]
mod host;
#[cfg(feature = "p256")]
pub mod p256;
#[cfg(feature = "host-crypto")]
pub use host::HostCrypto;
