//! The cryptography the program has, for running transactions off-chain as it runs them.

use isthmus_evm::crypto::Bn254Error;
use isthmus_evm::{Crypto, HostCrypto, B256};

/// [`HostCrypto`] without what the program cannot compute on-chain (`isthmus-syscalls`: the
/// EIP-2537 BLS12-381 precompiles and EIP-7951 P256VERIFY answer `Unsupported`, which the
/// interpreter treats as an absent precompile: the call succeeds with no output), so that the
/// emulator, eth_call and traces answer what the chain answers.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgramCrypto;

impl Crypto for ProgramCrypto {
    fn keccak256(&self, data: &[u8]) -> B256 {
        HostCrypto.keccak256(data)
    }

    fn secp256k1_recover(
        &self,
        message: &B256,
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]> {
        HostCrypto.secp256k1_recover(message, signature, recovery_id)
    }

    fn sha256(&self, data: &[u8]) -> B256 {
        HostCrypto.sha256(data)
    }

    fn ripemd160(&self, data: &[u8]) -> [u8; 20] {
        HostCrypto.ripemd160(data)
    }

    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        HostCrypto.modexp(base, exponent, modulus)
    }

    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        HostCrypto.bn254_add(p1, p2)
    }

    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        HostCrypto.bn254_mul(point, scalar)
    }

    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error> {
        HostCrypto.bn254_pairing(input)
    }

    fn kzg_verify_proof(
        &self,
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> bool {
        HostCrypto.kzg_verify_proof(commitment, z, y, proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_evm::crypto::CurveError;

    #[test]
    fn the_curves_the_program_lacks_are_unsupported() {
        let crypto = ProgramCrypto;
        assert_eq!(
            crypto.p256_verify(&[0; 32], &[0; 64], &[0; 64]),
            Err(CurveError::Unsupported)
        );
        assert_eq!(
            crypto.bls12_g1_add(&[0; 96], &[0; 96]),
            Err(CurveError::Unsupported)
        );
        assert_eq!(crypto.keccak256(b""), HostCrypto.keccak256(b""));
    }
}
