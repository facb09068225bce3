//! [`Crypto`] for the interpreter over Solana syscalls where Solana has them, in Rust where not.
//!
//! | precompile / use | how | cost |
//! |---|---|---|
//! | keccak256, sha256 (0x02) | `sol_keccak256`, `sol_sha256` | a few hundred CU |
//! | ecrecover (0x01), sender recovery | `sol_secp256k1_recover` | 25,000 CU |
//! | bn254 add, mul, pairing (0x06-0x08) | `sol_alt_bn128_group_op` (big-endian ops, EIP-197 encoding) | syscall price |
//! | ripemd160 (0x03) | the `ripemd` crate | Rust |
//! | modexp (0x05) | `aurora-engine-modexp` in Rust: `sol_big_mod_exp` exists but its feature gate (`enable_big_mod_exp_syscall`) is not active on mainnet, nor in LiteSVM's default (mainnet) feature set | Rust |
//! | blake2f (0x09) | the interpreter's own Rust (`Crypto::blake2f` default) | Rust |
//! | KZG point evaluation (0x0a) | BLS12-381 syscalls: `sol_curve_decompress`, `sol_curve_group_op`, `sol_curve_pairing_map` (feature `enable_bls12_381_syscall`) | syscall price |
//!
//! Host builds (the IDL, unit tests) have no syscalls: there the syscall-backed methods panic;
//! the off-chain hosts use `isthmus_evm::HostCrypto`.

use alloc::vec::Vec;
use isthmus_evm::crypto::Bn254Error;
use isthmus_evm::{Crypto, B256};

pub struct SyscallCrypto;

#[cfg(target_arch = "bpf")]
mod sys {
    pub use anchor_lang::pinocchio::syscalls::{
        sol_alt_bn128_group_op, sol_curve_decompress, sol_curve_group_op, sol_curve_pairing_map,
        sol_keccak256, sol_secp256k1_recover, sol_sha256,
    };
}

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

/// KZG proof verification (EIP-4844's `verify_kzg_proof`) over Solana's BLS12-381 syscalls
/// (`sol_curve_decompress`, `sol_curve_group_op`, `sol_curve_pairing_map`; big-endian, Zcash
/// encoding as Ethereum uses):
///
/// `e(y·G1 - C, G2) · e(π, τ·G2 - z·G2) == 1`
///
/// The commitment and proof are decompressed with full checks (field, curve, subgroup), as c-kzg
/// does; a `z` or `y` not below the scalar field modulus is refused by the multiplication. Any
/// refusal is a failed verification. G1, G2 and τ·G2 are the mainnet trusted setup's
/// `g1_monomial[0]`, `g2_monomial[0]` and `g2_monomial[1]`.
mod kzg {
    const G1_GENERATOR: [u8; 48] = hex48(
        b"97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
    );
    const G2_GENERATOR: [u8; 96] = hex96(concat!(
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
    ).as_bytes());
    const TAU_G2: [u8; 96] = hex96(concat!(
        "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72",
        "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2"
    ).as_bytes());

    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("hex"),
        }
    }
    const fn hex48(s: &[u8]) -> [u8; 48] {
        let mut out = [0u8; 48];
        let mut i = 0;
        while i < 48 {
            out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
            i += 1;
        }
        out
    }
    const fn hex96(s: &[u8]) -> [u8; 96] {
        let mut out = [0u8; 96];
        let mut i = 0;
        while i < 96 {
            out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
            i += 1;
        }
        out
    }

    // Curve ids (big-endian encodings) and group operations of the curve syscalls.
    #[cfg(target_arch = "bpf")]
    mod id {
        pub const BLS12_381_BE: u64 = 4 | 0x80;
        pub const G1_BE: u64 = 5 | 0x80;
        pub const G2_BE: u64 = 6 | 0x80;
        pub const SUB: u64 = 1;
        pub const MUL: u64 = 2;
    }

    /// `Some(())` when the proof verifies.
    #[cfg(target_arch = "bpf")]
    pub fn verify_proof(
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> Option<()> {
        use super::sys::*;
        let ok = |rc: u64| (rc == 0).then_some(());
        unsafe {
            let mut c = [0u8; 96];
            ok(sol_curve_decompress(
                id::G1_BE,
                commitment.as_ptr(),
                c.as_mut_ptr(),
            ))?;
            let mut pi = [0u8; 96];
            ok(sol_curve_decompress(
                id::G1_BE,
                proof.as_ptr(),
                pi.as_mut_ptr(),
            ))?;
            let mut g1 = [0u8; 96];
            ok(sol_curve_decompress(
                id::G1_BE,
                G1_GENERATOR.as_ptr(),
                g1.as_mut_ptr(),
            ))?;
            let mut g2 = [0u8; 192];
            ok(sol_curve_decompress(
                id::G2_BE,
                G2_GENERATOR.as_ptr(),
                g2.as_mut_ptr(),
            ))?;
            let mut tau = [0u8; 192];
            ok(sol_curve_decompress(
                id::G2_BE,
                TAU_G2.as_ptr(),
                tau.as_mut_ptr(),
            ))?;
            // y·G1 - C
            let mut y_g1 = [0u8; 96];
            ok(sol_curve_group_op(
                id::G1_BE,
                id::MUL,
                y.as_ptr(),
                g1.as_ptr(),
                y_g1.as_mut_ptr(),
            ))?;
            let mut p1 = [0u8; 96];
            ok(sol_curve_group_op(
                id::G1_BE,
                id::SUB,
                y_g1.as_ptr(),
                c.as_ptr(),
                p1.as_mut_ptr(),
            ))?;
            // τ·G2 - z·G2
            let mut z_g2 = [0u8; 192];
            ok(sol_curve_group_op(
                id::G2_BE,
                id::MUL,
                z.as_ptr(),
                g2.as_ptr(),
                z_g2.as_mut_ptr(),
            ))?;
            let mut q2 = [0u8; 192];
            ok(sol_curve_group_op(
                id::G2_BE,
                id::SUB,
                tau.as_ptr(),
                z_g2.as_ptr(),
                q2.as_mut_ptr(),
            ))?;
            let mut g1s = [0u8; 192];
            g1s[..96].copy_from_slice(&p1);
            g1s[96..].copy_from_slice(&pi);
            let mut g2s = [0u8; 384];
            g2s[..192].copy_from_slice(&g2);
            g2s[192..].copy_from_slice(&q2);
            let mut gt = [0u8; 576];
            ok(sol_curve_pairing_map(
                id::BLS12_381_BE,
                2,
                g1s.as_ptr(),
                g2s.as_ptr(),
                gt.as_mut_ptr(),
            ))?;
            // The identity of GT (Fq12 one), big-endian: all zero but the last byte.
            let one = gt[575] == 1 && gt[..575].iter().all(|&b| b == 0);
            one.then_some(())
        }
    }

    #[cfg(not(target_arch = "bpf"))]
    pub fn verify_proof(
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> Option<()> {
        let _ = (commitment, z, y, proof, G1_GENERATOR, G2_GENERATOR, TAU_G2);
        unimplemented!("the BLS12-381 curve operations are syscalls")
    }
}

/// keccak256 through `sol_keccak256`.
pub fn keccak256(data: &[u8]) -> B256 {
    keccak256_parts(&[data])
}

/// keccak256 of the concatenation of `parts`, in one `sol_keccak256` call (no copy to join them).
pub fn keccak256_parts(parts: &[&[u8]]) -> B256 {
    #[cfg(target_arch = "bpf")]
    return hash_syscall(sys::sol_keccak256, parts);
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = parts;
        unimplemented!("keccak256 is a syscall")
    }
}

/// sha256 of the concatenation of `parts`, in one `sol_sha256` call.
pub fn sha256_parts(parts: &[&[u8]]) -> B256 {
    #[cfg(target_arch = "bpf")]
    return hash_syscall(sys::sol_sha256, parts);
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = parts;
        unimplemented!("sha256 is a syscall")
    }
}

/// Runs a hashing syscall (`sol_keccak256`, `sol_sha256`: a list of slices in, 32 bytes out).
#[cfg(target_arch = "bpf")]
fn hash_syscall(
    syscall: unsafe extern "C" fn(*const u8, u64, *mut u8) -> u64,
    parts: &[&[u8]],
) -> B256 {
    let mut hash = [0u8; 32];
    unsafe {
        syscall(
            parts.as_ptr() as *const u8,
            parts.len() as u64,
            hash.as_mut_ptr(),
        )
    };
    hash
}
