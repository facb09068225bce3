//! 0x01 ECRECOVER: the address that signed a 32-byte hash.
//!
//! A bad signature is not a failure: the call succeeds with empty output, which is how Solidity's
//! `ecrecover` gets `address(0)`.

use super::{charge, padded_array, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

/// Flat cost, charged even when the signature is bad.
pub const GAS: u64 = 3000;

/// The secp256k1 group order n, big-endian; r and s must lie in [1, n - 1].
const SECP256K1_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// Input: hash(32) v(32) r(32) s(32), right-padded to 128 bytes; output: the signer's address
/// left-padded to 32 bytes, or nothing if the signature does not recover.
pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(GAS, gas_limit)?;
    let input = padded_array::<128>(input, 0);
    let output = recover_address(&input, crypto)
        .map(|a| a.to_vec())
        .unwrap_or_default();
    Ok(PrecompileOutput { gas_used, output })
}

/// The 32-byte left-padded signer address, or `None` for any invalid signature.
fn recover_address(input: &[u8; 128], crypto: &dyn Crypto) -> Option<[u8; 32]> {
    let hash: [u8; 32] = input[..32].try_into().ok()?;
    let recovery_id = recovery_id(&input[32..64])?;
    let signature: [u8; 64] = input[64..].try_into().ok()?;
    if !in_scalar_range(&signature[..32]) || !in_scalar_range(&signature[32..]) {
        return None;
    }
    let public_key = crypto.secp256k1_recover(&hash, &signature, recovery_id)?;
    let mut word = crypto.keccak256(&public_key);
    word[..12].fill(0);
    Some(word)
}

/// v as a 32-byte word must be exactly 27 or 28 (no EIP-155 values here): recovery id 0 or 1.
fn recovery_id(v: &[u8]) -> Option<u8> {
    let (high, low) = v.split_at(31);
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    match low[0] {
        27 => Some(0),
        28 => Some(1),
        _ => None,
    }
}

/// Whether the big-endian 32-byte `value` is in [1, n - 1]; the host's backend may not check.
fn in_scalar_range(value: &[u8]) -> bool {
    value.iter().any(|&b| b != 0) && value < &SECP256K1_ORDER[..]
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;
    use crate::precompiles::PrecompileFailure;
    use alloc::vec::Vec;

    /// A signature by the well-known test key whose address is 0xa94f5374...ebf0b.
    const INPUT: &str = concat!(
        "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c",
        "000000000000000000000000000000000000000000000000000000000000001c",
        "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f",
        "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549",
    );
    const SIGNER: &str = "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b";

    fn run_ok(input: &[u8]) -> Vec<u8> {
        let out = run(input, 3000, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 3000);
        out.output
    }

    #[test]
    fn recovers_known_signer() {
        assert_eq!(run_ok(&hex(INPUT)), hex(SIGNER));
    }

    #[test]
    fn accepts_high_s() {
        // (r, n - s) with the other parity is the same signature.
        let mut input = hex(INPUT);
        let mut s = [0u8; 32];
        s.copy_from_slice(&input[96..]);
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = SECP256K1_ORDER[i] as i16 - s[i] as i16 - borrow;
            borrow = (d < 0) as i16;
            input[96 + i] = d.rem_euclid(256) as u8;
        }
        input[63] = 27;
        assert_eq!(run_ok(&input), hex(SIGNER));
    }

    #[test]
    fn bad_signatures_give_empty_output() {
        let good = hex(INPUT);
        let mut bad_v = good.clone();
        bad_v[63] = 29;
        assert!(run_ok(&bad_v).is_empty());
        let mut high_v = good.clone();
        high_v[32] = 1;
        assert!(run_ok(&high_v).is_empty());
        let mut zero_r = good.clone();
        zero_r[64..96].fill(0);
        assert!(run_ok(&zero_r).is_empty());
        let mut s_is_n = good.clone();
        s_is_n[96..].copy_from_slice(&SECP256K1_ORDER);
        assert!(run_ok(&s_is_n).is_empty());
        assert!(run_ok(&[]).is_empty());
        // Truncated input is right-padded: s becomes partly zero, which still may not recover
        // to the same signer.
        assert_ne!(run_ok(&good[..120]), hex(SIGNER));
    }

    #[test]
    fn out_of_gas() {
        assert_eq!(
            run(&hex(INPUT), 2999, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }
}
