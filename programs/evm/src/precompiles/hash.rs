//! 0x02 SHA256 and 0x03 RIPEMD160.

use super::{charge, linear_cost, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

/// SHA256: 60 gas plus 12 per 32-byte word of input.
pub const SHA256_BASE: u64 = 60;
pub const SHA256_PER_WORD: u64 = 12;
/// RIPEMD160: 600 gas plus 120 per 32-byte word of input.
pub const RIPEMD160_BASE: u64 = 600;
pub const RIPEMD160_PER_WORD: u64 = 120;

/// The 32-byte SHA256 digest of `input`.
pub fn run_sha256(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(
        linear_cost(input.len(), SHA256_BASE, SHA256_PER_WORD),
        gas_limit,
    )?;
    let output = crypto.sha256(input).to_vec();
    Ok(PrecompileOutput { gas_used, output })
}

/// The 20-byte RIPEMD160 digest of `input`, left-padded to a 32-byte word.
pub fn run_ripemd160(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(
        linear_cost(input.len(), RIPEMD160_BASE, RIPEMD160_PER_WORD),
        gas_limit,
    )?;
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(&crypto.ripemd160(input));
    Ok(PrecompileOutput {
        gas_used,
        output: word.to_vec(),
    })
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;
    use crate::precompiles::PrecompileFailure;

    #[test]
    fn sha256_vectors() {
        let empty = run_sha256(b"", 60, &HostCrypto).unwrap();
        assert_eq!(empty.gas_used, 60);
        assert_eq!(
            empty.output,
            hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let abc = run_sha256(b"abc", 72, &HostCrypto).unwrap();
        assert_eq!(abc.gas_used, 72);
        assert_eq!(
            abc.output,
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }

    #[test]
    fn ripemd160_vectors() {
        let empty = run_ripemd160(b"", 600, &HostCrypto).unwrap();
        assert_eq!(empty.gas_used, 600);
        assert_eq!(
            empty.output,
            hex("0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31")
        );
        let abc = run_ripemd160(b"abc", 720, &HostCrypto).unwrap();
        assert_eq!(abc.gas_used, 720);
        assert_eq!(
            abc.output,
            hex("0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        );
    }

    #[test]
    fn out_of_gas() {
        assert_eq!(
            run_sha256(&[0u8; 33], 83, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
        assert_eq!(
            run_ripemd160(&[0u8; 33], 839, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
        assert_eq!(
            run_ripemd160(&[0u8; 33], 840, &HostCrypto)
                .unwrap()
                .gas_used,
            840
        );
    }
}
