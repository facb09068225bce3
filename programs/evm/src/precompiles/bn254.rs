//! 0x06 ECADD, 0x07 ECMUL and 0x08 ECPAIRING on the alt_bn128 (bn254) curve (EIP-196, EIP-197),
//! priced by EIP-1108 (Istanbul).

use super::{charge, padded_array, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

pub const ADD_GAS: u64 = 150;
pub const MUL_GAS: u64 = 6_000;
pub const PAIRING_BASE_GAS: u64 = 45_000;
pub const PAIRING_PER_PAIR_GAS: u64 = 34_000;
/// One pairing input pair: a G1 point (64 bytes) and a G2 point (128 bytes).
pub const PAIR_LEN: usize = 192;

/// Sum of two G1 points; input right-padded to 128 bytes.
pub fn run_add(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(ADD_GAS, gas_limit)?;
    let p1 = padded_array::<64>(input, 0);
    let p2 = padded_array::<64>(input, 64);
    let sum = crypto
        .bn254_add(&p1, &p2)
        .map_err(|_| PrecompileFailure::InvalidInput)?;
    Ok(PrecompileOutput {
        gas_used,
        output: sum.to_vec(),
    })
}

/// A G1 point times a scalar; input right-padded to 96 bytes.
pub fn run_mul(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(MUL_GAS, gas_limit)?;
    let point = padded_array::<64>(input, 0);
    let scalar = padded_array::<32>(input, 64);
    let product = crypto
        .bn254_mul(&point, &scalar)
        .map_err(|_| PrecompileFailure::InvalidInput)?;
    Ok(PrecompileOutput {
        gas_used,
        output: product.to_vec(),
    })
}

/// 1 as a 32-byte word if the product of the pairings is one, else 0.
pub fn run_pairing(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let pairs = (input.len() / PAIR_LEN) as u64;
    let gas = pairs
        .saturating_mul(PAIRING_PER_PAIR_GAS)
        .saturating_add(PAIRING_BASE_GAS);
    let gas_used = charge(gas, gas_limit)?;
    // (Not `is_multiple_of`: the workspace's rust-version is 1.85.)
    if !input.chunks_exact(PAIR_LEN).remainder().is_empty() {
        return Err(PrecompileFailure::InvalidInput);
    }
    let holds = crypto
        .bn254_pairing(input)
        .map_err(|_| PrecompileFailure::InvalidInput)?;
    let mut word = [0u8; 32];
    word[31] = holds as u8;
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
    use alloc::string::String;
    use alloc::vec::Vec;

    /// The G1 generator (1, 2).
    const G1: &str = concat!(
        "0000000000000000000000000000000000000000000000000000000000000001",
        "0000000000000000000000000000000000000000000000000000000000000002",
    );
    /// 2 * G1.
    const G1_DOUBLE: &str = concat!(
        "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3",
        "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4",
    );
    /// The G2 generator, each Fq2 coordinate encoded imaginary part first.
    const G2: &str = concat!(
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2",
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed",
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b",
        "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa",
    );
    /// The negation of the G1 generator: (1, q - 2).
    const NEG_G1: &str = concat!(
        "0000000000000000000000000000000000000000000000000000000000000001",
        "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45",
    );
    /// The field modulus q, an invalid coordinate.
    const Q: &str = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";

    fn cat(parts: &[&str]) -> Vec<u8> {
        hex(&parts.iter().copied().collect::<String>())
    }

    #[test]
    fn add_generator_to_itself() {
        let out = run_add(&cat(&[G1, G1]), 150, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 150);
        assert_eq!(out.output, hex(G1_DOUBLE));
    }

    #[test]
    fn add_infinity_and_padding() {
        // Empty input: infinity + infinity = infinity.
        assert_eq!(run_add(&[], 150, &HostCrypto).unwrap().output, [0u8; 64]);
        // G1 alone: the second point is padded to infinity.
        assert_eq!(run_add(&hex(G1), 150, &HostCrypto).unwrap().output, hex(G1));
        // G1 + (-G1) = infinity.
        assert_eq!(
            run_add(&cat(&[G1, NEG_G1]), 150, &HostCrypto)
                .unwrap()
                .output,
            [0u8; 64]
        );
        assert_eq!(
            run_add(&[], 149, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn add_rejects_bad_points() {
        // (1, 3) is not on the curve.
        let mut bad = hex(G1);
        bad[63] = 3;
        assert_eq!(
            run_add(&bad, 150, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // A coordinate equal to the field modulus is not a field element.
        let off_field = cat(&[
            Q,
            "0000000000000000000000000000000000000000000000000000000000000002",
        ]);
        assert_eq!(
            run_add(&off_field, 150, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
    }

    #[test]
    fn mul_generator() {
        let two = "0000000000000000000000000000000000000000000000000000000000000002";
        let out = run_mul(&cat(&[G1, two]), 6000, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 6000);
        assert_eq!(out.output, hex(G1_DOUBLE));
        // Scalar padded to zero: infinity.
        assert_eq!(
            run_mul(&hex(G1), 6000, &HostCrypto).unwrap().output,
            [0u8; 64]
        );
        assert_eq!(
            run_mul(&[], 5999, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn pairing_empty_is_true() {
        let out = run_pairing(&[], 45_000, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 45_000);
        assert_eq!(
            out.output,
            hex("0000000000000000000000000000000000000000000000000000000000000001")
        );
    }

    #[test]
    fn pairing_checks() {
        // e(G1, G2) * e(-G1, G2) = 1.
        let input = cat(&[G1, G2, NEG_G1, G2]);
        let out = run_pairing(&input, 113_000, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 113_000);
        assert_eq!(out.output[31], 1);
        // e(G1, G2) alone is not 1.
        let out = run_pairing(&cat(&[G1, G2]), 79_000, &HostCrypto).unwrap();
        assert_eq!(out.output, [0u8; 32]);
        assert_eq!(
            run_pairing(&input, 112_999, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn pairing_rejects_bad_input() {
        assert_eq!(
            run_pairing(&[0u8; 191], 100_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // G2 with a coordinate changed is off the curve.
        let mut input = cat(&[G1, G2]);
        input[191] ^= 1;
        assert_eq!(
            run_pairing(&input, 100_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
    }
}
