//! [`Crypto`] for the interpreter over Solana syscalls: keccak256, sha256 and secp256k1 recovery
//! (each a few hundred CU; the recovery 25,000).
//!
//! Not yet wired (a later slice of issue 3): ripemd160, modexp (`sol_big_mod_exp`), bn254
//! (`sol_alt_bn128_*`) and KZG. Calling one of those precompiles panics, which fails the Solana
//! transaction with nothing applied, rather than answering differently from Ethereum.
//!
//! Host builds (the IDL, unit tests) have no syscalls: there the methods panic too; the
//! off-chain hosts use `isthmus_evm::HostCrypto`.

use alloc::vec::Vec;
use isthmus_evm::crypto::Bn254Error;
use isthmus_evm::{Crypto, B256};

pub struct SyscallCrypto;

#[cfg(target_arch = "bpf")]
mod sys {
    pub use anchor_lang::pinocchio::syscalls::{sol_keccak256, sol_secp256k1_recover, sol_sha256};
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

    fn ripemd160(&self, _data: &[u8]) -> [u8; 20] {
        panic!("ripemd160 is not available yet")
    }

    fn modexp(&self, _base: &[u8], _exponent: &[u8], _modulus: &[u8]) -> Vec<u8> {
        panic!("modexp is not available yet")
    }

    fn bn254_add(&self, _p1: &[u8; 64], _p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        panic!("bn254 is not available yet")
    }

    fn bn254_mul(&self, _point: &[u8; 64], _scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        panic!("bn254 is not available yet")
    }

    fn bn254_pairing(&self, _input: &[u8]) -> Result<bool, Bn254Error> {
        panic!("bn254 is not available yet")
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
