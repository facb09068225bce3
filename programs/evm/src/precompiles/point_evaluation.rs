//! 0x0a POINT_EVALUATION (EIP-4844): proves that the blob behind a versioned hash evaluates to
//! `y` at `z`, so contracts can check blob contents without the blob.

use super::{charge, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

pub const GAS: u64 = 50_000;
/// versioned_hash(32) z(32) y(32) commitment(48) proof(48).
pub const INPUT_LEN: usize = 192;
/// The version byte of a KZG versioned hash.
pub const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;
/// FIELD_ELEMENTS_PER_BLOB as a 32-byte big-endian word (4096).
const FIELD_ELEMENTS_PER_BLOB_WORD: [u8; 32] = {
    let mut word = [0u8; 32];
    word[30] = 0x10;
    word
};
/// BLS_MODULUS, the BLS12-381 scalar field order, as a 32-byte big-endian word.
const BLS_MODULUS_WORD: [u8; 32] = [
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
];

/// Verifies the proof; on success returns FIELD_ELEMENTS_PER_BLOB || BLS_MODULUS, on any
/// mismatch fails with `InvalidInput`.
pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas_used = charge(GAS, gas_limit)?;
    let input: &[u8; INPUT_LEN] = input
        .try_into()
        .map_err(|_| PrecompileFailure::InvalidInput)?;
    let (versioned_hash, rest) = input.split_at(32);
    let (z, rest) = rest.split_at(32);
    let (y, rest) = rest.split_at(32);
    let (commitment, proof) = rest.split_at(48);
    let commitment: &[u8; 48] = commitment.try_into().expect("48 bytes");
    if versioned_hash != kzg_to_versioned_hash(commitment, crypto) {
        return Err(PrecompileFailure::InvalidInput);
    }
    let z: &[u8; 32] = z.try_into().expect("32 bytes");
    let y: &[u8; 32] = y.try_into().expect("32 bytes");
    let proof: &[u8; 48] = proof.try_into().expect("48 bytes");
    if !crypto.kzg_verify_proof(commitment, z, y, proof) {
        return Err(PrecompileFailure::InvalidInput);
    }
    let mut output = FIELD_ELEMENTS_PER_BLOB_WORD.to_vec();
    output.extend_from_slice(&BLS_MODULUS_WORD);
    Ok(PrecompileOutput { gas_used, output })
}

/// 0x01 || sha256(commitment)[1..]: the hash a blob transaction carries for each blob.
pub fn kzg_to_versioned_hash(commitment: &[u8; 48], crypto: &dyn Crypto) -> [u8; 32] {
    let mut hash = crypto.sha256(commitment);
    hash[0] = VERSIONED_HASH_VERSION_KZG;
    hash
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;

    /// From the execution-spec tests' external KZG vectors (verify_kzg_proof_case_correct_proof_
    /// 444b73ff54a19b44): z = 1 and a non-trivial y, commitment and proof.
    const VERSIONED_HASH: &str = "01228461eb9cfa5aecb883d64f7434b6c092be63e8599fa9da8473a13f8b804e";
    const Z: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const Y: &str = "443e7af5274b52214ea6c775908c54519fea957eecd98069165a8b771082fd51";
    const COMMITMENT: &str =
        "b49d88afcd7f6c61a8ea69eff5f609d2432b47e7e4cd50b02cdddb4e0c1460517e8df02e4e64dc55e3d8ca192d57193a";
    const PROOF: &str =
        "a060b350ad63d61979b80b25258e7cc6caf781080222e0209b4a0b074decca874afc5c41de3313d8ed217d905e6ada43";
    /// The same vector's incorrect_proof case.
    const WRONG_PROOF: &str =
        "a7de1e32bb336b85e42ff5028167042188317299333f091dd88675e84a550577bfa564b2f57cd2498e2acf875e0aaa40";

    fn input(proof: &str) -> Vec<u8> {
        hex(&[VERSIONED_HASH, Z, Y, COMMITMENT, proof].concat())
    }

    const EXPECTED: &str = concat!(
        "0000000000000000000000000000000000000000000000000000000000001000",
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
    );

    #[test]
    fn valid_proof() {
        let out = run(&input(PROOF), 50_000, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 50_000);
        assert_eq!(out.output, hex(EXPECTED));
    }

    #[test]
    fn point_at_infinity_proof() {
        // The constant zero polynomial: commitment and proof are both the point at infinity.
        let infinity = ["c0", &"00".repeat(47)].concat();
        let data: String = [
            "010657f37554c781402a22917dee2f75def7ab966d7b770905398eba3c444014",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            &"00".repeat(32),
            &infinity,
            &infinity,
        ]
        .concat();
        assert_eq!(
            run(&hex(&data), 50_000, &HostCrypto).unwrap().output,
            hex(EXPECTED)
        );
    }

    #[test]
    fn invalid_inputs() {
        assert_eq!(
            run(&input(WRONG_PROOF), 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // A flipped bit in y.
        let mut data = input(PROOF);
        data[95] ^= 1;
        assert_eq!(
            run(&data, 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // A versioned hash that does not match the commitment (wrong version byte).
        let mut data = input(PROOF);
        data[0] = 0x02;
        assert_eq!(
            run(&data, 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // Wrong lengths.
        let data = input(PROOF);
        assert_eq!(
            run(&data[..191], 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        assert_eq!(
            run(&[data.clone(), vec![0]].concat(), 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        assert_eq!(
            run(&[], 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // z not below the field modulus.
        let mut data = input(PROOF);
        data[32..64].copy_from_slice(&BLS_MODULUS_WORD);
        assert_eq!(
            run(&data, 50_000, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
    }

    #[test]
    fn out_of_gas() {
        assert_eq!(
            run(&input(PROOF), 49_999, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn versioned_hash_of_commitment() {
        let commitment: [u8; 48] = hex(COMMITMENT).try_into().unwrap();
        assert_eq!(
            kzg_to_versioned_hash(&commitment, &HostCrypto).to_vec(),
            hex(VERSIONED_HASH)
        );
    }
}
