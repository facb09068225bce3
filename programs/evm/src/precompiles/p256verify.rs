//! 0x100 P256VERIFY (EIP-7951, Osaka): secp256r1 signature verification, the curve of passkeys and
//! secure enclaves. Input: message hash(32) r(32) s(32) x(32) y(32). Output: 32 bytes ending in 1
//! for a valid signature, empty otherwise (an invalid signature is not a failed call).

use super::{charge, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::{Crypto, CurveError};
use alloc::vec::Vec;

pub const GAS: u64 = 6_900;
pub const INPUT_LEN: usize = 160;

pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(GAS, gas_limit)?;
    let valid = match <&[u8; INPUT_LEN]>::try_from(input) {
        Ok(input) => {
            let message = input[..32].try_into().expect("32 bytes");
            let signature = input[32..96].try_into().expect("64 bytes");
            let key = input[96..].try_into().expect("64 bytes");
            match crypto.p256_verify(message, signature, key) {
                Ok(valid) => valid,
                Err(CurveError::Invalid) => false,
                Err(CurveError::Unsupported) => return Err(PrecompileFailure::Unsupported),
            }
        }
        Err(_) => false,
    };
    let output = if valid {
        let mut one = alloc::vec![0u8; 32];
        one[31] = 1;
        one
    } else {
        Vec::new()
    };
    Ok(PrecompileOutput { gas_used, output })
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;

    /// revm's `ok_1` vector (from the EIP's reference tests).
    const VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";

    #[test]
    fn valid_signature_returns_one() {
        let out = run(&hex(VALID), GAS, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 6_900);
        assert_eq!(out.output.len(), 32);
        assert_eq!(out.output[31], 1);
    }

    #[test]
    fn invalid_inputs_return_nothing_and_charge() {
        let mut input = hex(VALID);
        input[0] ^= 1;
        assert_eq!(
            run(&input, GAS, &HostCrypto).unwrap().output,
            Vec::<u8>::new()
        );
        assert_eq!(run(&input[..159], GAS, &HostCrypto).unwrap().gas_used, GAS);
        assert_eq!(
            run(&hex(VALID), GAS - 1, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }
}
