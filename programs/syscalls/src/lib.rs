//! `isthmus-syscalls`: the [`Crypto`] of `isthmus-evm` over Solana syscalls where mainnet has
//! them, in Rust where not. One implementation for the Isthmus program (`programs/isthmus`,
//! `src/host/crypto.rs`) and the compute-unit probe (`programs/evm-cu-probe`), so that the probe
//! measures the cryptography the program runs.
//!
//! | precompile / use | how | why | cost |
//! |---|---|---|---|
//! | keccak256 (SHA3, CREATE2, addresses, hashes) | `sol_keccak256` | syscall | a few hundred CU |
//! | sha256 (0x02) | `sol_sha256` | syscall | a few hundred CU |
//! | ecrecover (0x01), sender recovery | `sol_secp256k1_recover` | syscall | 25,000 CU |
//! | bn254 add, mul, pairing (0x06-0x08) | `sol_alt_bn128_group_op` (big-endian ops, EIP-197 encoding) | syscall | syscall price |
//! | ripemd160 (0x03) | the `ripemd` crate | Solana has no ripemd syscall | Rust |
//! | modexp (0x05) | `aurora-engine-modexp` | `sol_big_mod_exp` exists but its feature gate (`enable_big_mod_exp_syscall`) is not active on mainnet, nor in LiteSVM's default (mainnet) feature set | Rust |
//! | blake2f (0x09) | the interpreter's own Rust (`Crypto::blake2f` default) | no syscall | Rust |
//! | KZG point evaluation (0x0a) | BLS12-381 syscalls: `sol_curve_decompress`, `sol_curve_group_op`, `sol_curve_pairing_map` (feature `enable_bls12_381_syscall`) | no KZG syscall; the curve operations are | syscall price |
//! | EIP-2537 G1ADD, G2ADD (0x0b, 0x0d, Prague) | `sol_curve_group_op` ADD ([`bls12_381`]: encodings converted, field elements checked); G1ADD with (0, ±2), the points of order 3 the syscalls refuse, as two ADDs around them ([`g1_order_three`]) | syscall | 128 / 203 CU syscall; ~9.3k / ~15.7k CU a call through a contract that logs the answer |
//! | EIP-2537 G1MSM, G2MSM (0x0c, 0x0e) | jobs over `step`s (`Crypto::runs_stepped`; `isthmus_evm::precompiles::bls12_381_jobs::MsmJob`): pieces of as many pairs as the step's budget holds (at most 64 G1 / 32 G2), each `sol_curve_group_op` MUL and ADD per pair (scalars reduced mod r), added to the sum so far | syscalls; any number of pairs | ~5.8k / ~10k CU a pair |
//! | EIP-2537 PAIRING_CHECK (0x0f) | a job over `step`s (`bls12_381_jobs::PairingJob`): `sol_curve_pairing_map` over chunks of 8 pairs (its limit), the GT values multiplied in Fp12 on own arithmetic (`isthmus_evm::crypto::bls12_381::Fp12`) and compared with one | syscall; any number of pairs | 30k CU for 1 pair, 48k for 2, 127k for 8 |
//! | EIP-2537 MAP_FP_TO_G1, MAP_FP2_TO_G2 (0x10, 0x11) | jobs over several `step`s (`Crypto::runs_stepped`; `isthmus_evm::precompiles::bls12_381_map`: RFC 9380 SWU, isogeny, cofactor clearing over own Fp/Fp2 on 32-bit limbs) | no syscall maps to the curve | 5.2M / 20.9M CU the job (tools/cu-probe --bls-maps); through a contract 5.5M CU in 6 `step` transactions / 22.2M in 22 (tests/program/tests/bls12_381.rs) |
//! | EIP-7951 P256VERIFY (0x100, Osaka) | a job over several `step`s (`Crypto::runs_stepped`; `isthmus_evm::precompiles::p256_job`: own P-256 arithmetic on 32-bit limbs, s^-1 by Fermat, Shamir's trick in projective coordinates) | no callable secp256r1 syscall (Solana's secp256r1 program is an instruction precompile, not callable from a program, and fails the whole transaction on a bad signature); a verification is ~10M CU (the `p256` crate: 13.9M), several transactions' compute | 10.1M CU a verification (tools/cu-probe); through a contract on-chain 10.5M-10.9M CU in 10-11 `step` transactions (tests/program/tests/p256verify.rs) |
//!
//! Syscalls are declared by `solana-define-syscall` 5 with `unstable-static-syscalls`: each is a
//! `call` of the hash of its name (SBPF v3), inlined, with nothing for the loader to relocate.
//!
//! Host builds (the program's IDL and unit tests, the probe's host side) have no syscalls: there
//! the syscall-backed methods panic; ripemd160 and modexp work everywhere. Off-chain hosts use
//! `isthmus_evm::HostCrypto`.
#![cfg_attr(not(test), no_std)]
extern crate alloc;

pub mod bls12_381;
pub mod g1_order_three;
mod kzg;
mod unhex;

use alloc::vec::Vec;
use isthmus_evm::crypto::{Bn254Error, CurveError, G1Point, G2Point, Gt, Scalar};
use isthmus_evm::precompiles::stepped::SteppedPrecompile;
use isthmus_evm::{Crypto, B256};

#[cfg(target_arch = "bpf")]
use solana_define_syscall::definitions as sys;

/// [`Crypto`] over Solana syscalls (see the table in the crate documentation).
#[derive(Clone, Copy, Debug, Default)]
pub struct SyscallCrypto;

impl Crypto for SyscallCrypto {
    fn keccak256(&self, data: &[u8]) -> B256 {
        keccak256(data)
    }

    fn secp256k1_recover(
        &self,
        message: &B256,
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]> {
        #[cfg(target_arch = "bpf")]
        {
            let mut key = [0u8; 64];
            let rc = unsafe {
                sys::sol_secp256k1_recover(
                    message.as_ptr(),
                    recovery_id as u64,
                    signature.as_ptr(),
                    key.as_mut_ptr(),
                )
            };
            (rc == 0).then_some(key)
        }
        #[cfg(not(target_arch = "bpf"))]
        {
            let _ = (message, signature, recovery_id);
            unimplemented!("secp256k1_recover is a syscall")
        }
    }

    fn sha256(&self, data: &[u8]) -> B256 {
        sha256_parts(&[data])
    }

    fn ripemd160(&self, data: &[u8]) -> [u8; 20] {
        use ripemd::Digest;
        ripemd::Ripemd160::digest(data).into()
    }

    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        // The crate returns an empty vector for a zero modulus and cannot take an empty one.
        if modulus.iter().all(|&b| b == 0) {
            return alloc::vec![0u8; modulus.len()];
        }
        let result = aurora_engine_modexp::modexp(base, exponent, modulus);
        let mut out = alloc::vec![0u8; modulus.len()];
        let n = result.len().min(out.len());
        out[modulus.len() - n..].copy_from_slice(&result[result.len() - n..]);
        out
    }

    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        let mut input = [0u8; 128];
        input[..64].copy_from_slice(p1);
        input[64..].copy_from_slice(p2);
        let mut out = [0u8; 64];
        bn254_op(ALT_BN128_ADD, &input, &mut out)?;
        Ok(out)
    }

    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        let mut input = [0u8; 96];
        input[..64].copy_from_slice(point);
        input[64..].copy_from_slice(scalar);
        let mut out = [0u8; 64];
        bn254_op(ALT_BN128_MUL, &input, &mut out)?;
        Ok(out)
    }

    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error> {
        if input.is_empty() {
            return Ok(true); // the empty product is one
        }
        let mut out = [0u8; 32];
        bn254_op(ALT_BN128_PAIRING, input, &mut out)?;
        Ok(out[31] == 1)
    }

    fn kzg_verify_proof(
        &self,
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> bool {
        kzg::verify_proof(commitment, z, y, proof).is_some()
    }

    fn bls12_g1_add(&self, a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
        bls12_381::g1_add(a, b)
    }

    fn bls12_g1_msm(&self, pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
        bls12_381::g1_msm(pairs)
    }

    fn bls12_g2_add(&self, a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
        bls12_381::g2_add(a, b)
    }

    fn bls12_g2_msm(&self, pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
        bls12_381::g2_msm(pairs)
    }

    fn bls12_pairing_check(&self, pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
        bls12_381::pairing_check(pairs)
    }

    fn bls12_pairing(&self, pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
        bls12_381::pairing(pairs)
    }

    /// P256VERIFY and the BLS12-381 maps run as jobs over several Solana transactions (~10M,
    /// ~5M and ~21M CU): no syscall computes them. The MSMs and the pairing check run as jobs of
    /// syscalls: an input may hold more pairs than one syscall (the pairing's eight) or one
    /// Solana transaction's compute (~5.9k CU a G1 pair, ~10k a G2 pair) takes.
    fn runs_stepped(&self, precompile: SteppedPrecompile) -> bool {
        match precompile {
            SteppedPrecompile::P256Verify
            | SteppedPrecompile::MapFpToG1
            | SteppedPrecompile::MapFp2ToG2
            | SteppedPrecompile::G1Msm
            | SteppedPrecompile::G2Msm
            | SteppedPrecompile::PairingCheck => true,
        }
    }
}

// `sol_alt_bn128_group_op` operations, big-endian (EIP-196/197 encodings).
const ALT_BN128_ADD: u64 = 0;
const ALT_BN128_MUL: u64 = 2;
const ALT_BN128_PAIRING: u64 = 3;

/// One `sol_alt_bn128_group_op`; a non-zero return (a point not on the curve, a coordinate not
/// below the field modulus, ...) is the precompile's failure.
fn bn254_op(op: u64, input: &[u8], out: &mut [u8]) -> Result<(), Bn254Error> {
    #[cfg(target_arch = "bpf")]
    {
        let rc = unsafe {
            sys::sol_alt_bn128_group_op(op, input.as_ptr(), input.len() as u64, out.as_mut_ptr())
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(Bn254Error)
        }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = (op, input, out);
        unimplemented!("alt_bn128 is a syscall")
    }
}

/// keccak256 through `sol_keccak256`.
pub fn keccak256(data: &[u8]) -> B256 {
    keccak256_parts(&[data])
}

/// keccak256 of the concatenation of `parts`, in one `sol_keccak256` call (no copy to join them).
pub fn keccak256_parts(parts: &[&[u8]]) -> B256 {
    #[cfg(target_arch = "bpf")]
    {
        let mut hash = [0u8; 32];
        // `vals` is an array of (pointer, length) pairs: the layout of `&[u8]`.
        unsafe {
            sys::sol_keccak256(
                parts.as_ptr() as *const u8,
                parts.len() as u64,
                hash.as_mut_ptr(),
            )
        };
        hash
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = parts;
        unimplemented!("keccak256 is a syscall")
    }
}

/// sha256 of the concatenation of `parts`, in one `sol_sha256` call.
pub fn sha256_parts(parts: &[&[u8]]) -> B256 {
    #[cfg(target_arch = "bpf")]
    {
        let mut hash = [0u8; 32];
        unsafe {
            sys::sol_sha256(
                parts.as_ptr() as *const u8,
                parts.len() as u64,
                hash.as_mut_ptr(),
            )
        };
        hash
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = parts;
        unimplemented!("sha256 is a syscall")
    }
}

/// Whether 32 bytes are a point on the ed25519 curve (`sol_curve_validate_point`, 159 CU): what
/// makes a hash unusable as a program-derived address.
pub fn is_on_ed25519(bytes: &[u8; 32]) -> bool {
    #[cfg(target_arch = "bpf")]
    {
        /// `CURVE25519_EDWARDS` of the curve syscalls.
        const EDWARDS: u64 = 0;
        let mut unused = 0u8;
        // 0: a valid point; 1: not a point.
        unsafe { sys::sol_curve_validate_point(EDWARDS, bytes.as_ptr(), &mut unused) == 0 }
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = bytes;
        unimplemented!("curve validation is a syscall")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_evm::HostCrypto;

    #[test]
    fn ripemd160_agrees_with_host_crypto() {
        for data in [&b""[..], b"abc", &[0x5a; 200]] {
            assert_eq!(SyscallCrypto.ripemd160(data), HostCrypto.ripemd160(data));
        }
    }

    #[test]
    fn modexp_agrees_with_host_crypto() {
        // Left-padded to the modulus length; a wide modulus; a zero and an empty modulus (all
        // zero bytes, as many as the modulus has); 0^0 = 1; a result shorter than the modulus.
        let cases: [(&[u8], &[u8], &[u8]); 6] = [
            (&[3], &[5], &[0, 0, 7]),
            (&[2], &[0xff; 32], &[0x0f; 33]),
            (&[5], &[1], &[0, 0]),
            (&[5], &[1], &[]),
            (&[], &[], &[9]),
            (&[0xff; 64], &[2], &[0, 0, 0, 0, 0xfd]),
        ];
        for (base, exponent, modulus) in cases {
            assert_eq!(
                SyscallCrypto.modexp(base, exponent, modulus),
                HostCrypto.modexp(base, exponent, modulus),
                "{base:?} ^ {exponent:?} mod {modulus:?}"
            );
        }
    }
}
