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
//! | KZG point evaluation (0x0a) | not available: no BLS12-381 pairing syscall here and a software pairing does not fit the compute budget; the call panics, which fails the Solana transaction with nothing applied, rather than answering differently from Ethereum | - |
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
        sol_alt_bn128_group_op, sol_keccak256, sol_secp256k1_recover, sol_sha256,
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
        #[cfg(target_arch = "bpf")]
        {
            let mut hash = [0u8; 32];
            let vals: [&[u8]; 1] = [data];
            unsafe { sys::sol_sha256(vals.as_ptr() as *const u8, 1, hash.as_mut_ptr()) };
            hash
        }
        #[cfg(not(target_arch = "bpf"))]
        {
            let _ = data;
            unimplemented!("sha256 is a syscall")
        }
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
        _commitment: &[u8; 48],
        _z: &[u8; 32],
        _y: &[u8; 32],
        _proof: &[u8; 48],
    ) -> bool {
        panic!("KZG is not available yet")
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
    #[cfg(target_arch = "bpf")]
    {
        let mut hash = [0u8; 32];
        let vals: [&[u8]; 1] = [data];
        unsafe { sys::sol_keccak256(vals.as_ptr() as *const u8, 1, hash.as_mut_ptr()) };
        hash
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let _ = data;
        unimplemented!("keccak256 is a syscall")
    }
}
