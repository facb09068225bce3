//! EIP-7951's P256VERIFY (0x100) on-chain: the program has no P-256 syscall and a verification
//! costs ~10M CU, so it runs as a job over several `step` transactions
//! (`isthmus_evm::precompiles::p256_job`). Valid and invalid signatures through a contract, each
//! answer equal to the off-chain one (`HostCrypto`, the `p256` crate), the emulator's
//! prediction equal to the chain's (`Harness::run` checks receipt, logs and accounts against
//! it); the compute and the Solana transactions of one verification are printed.

use isthmus_evm::precompiles::{self, PrecompileFailure};
use isthmus_evm::{HostCrypto, U256};
use isthmus_program_tests::precompiles::{address, World, GAS};
use isthmus_program_tests::*;
use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey};

/// revm's `ok_1` vector (hash, r, s, x, y): a valid signature.
const VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";
/// The group order n.
const N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

/// What P256VERIFY answers off-chain (`HostCrypto`).
fn host(input: &[u8]) -> Result<Vec<u8>, PrecompileFailure> {
    precompiles::run(&address(0x100), input, GAS, &HostCrypto, Fork::Osaka).map(|out| out.output)
}

/// A valid input signed by the key `secret` over the hash `hash`.
fn signed(secret: u8, hash: [u8; 32]) -> Vec<u8> {
    let key = SigningKey::from_bytes(&[secret; 32].into()).unwrap();
    let signature: Signature = key.sign_prehash(&hash).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    [
        hash.as_slice(),
        &signature.to_bytes(),
        &point.as_bytes()[1..],
    ]
    .concat()
}

/// `input` with the 32-byte word at `offset` replaced.
fn with_word(input: &[u8], offset: usize, word: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    out[offset..offset + 32].copy_from_slice(word);
    out
}

#[test]
fn p256verify_runs_in_steps_and_answers_as_off_chain() {
    let valid = unhex(VALID);
    let n = unhex(N);
    // n - s: the same signature with a high s, which EIP-7951 accepts.
    let high_s =
        (U256::from_be_slice(&n) - U256::from_be_slice(&valid[64..96])).to_be_bytes::<32>();
    let mut wrong_hash = valid.clone();
    wrong_hash[0] ^= 1;
    let mut off_curve = valid.clone();
    off_curve[159] ^= 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("valid (revm ok_1)", valid.clone()),
        ("valid, key 0x11", signed(0x11, [0x42; 32])),
        ("valid, hash above n", signed(0x22, [0xff; 32])),
        ("valid, high s", with_word(&valid, 64, &high_s)),
        ("wrong hash", wrong_hash),
        ("r = 0", with_word(&valid, 32, &[0; 32])),
        ("s = n", with_word(&valid, 64, &n)),
        ("key off the curve", off_curve),
        ("key at infinity", [&valid[..96], &[0u8; 64]].concat()),
        ("159 bytes", valid[..159].to_vec()),
        ("161 bytes", [valid.as_slice(), &[0]].concat()),
    ];
    let mut w = World::new();
    // The same input to an address without code (0x12): what the call costs around the
    // precompile.
    let (_, _, baseline, _) = w.call(0x12, &valid);
    for (what, input) in cases {
        let expected = host(&input).expect("P256VERIFY does not fail");
        let (ok, output, cu, steps) = w.call(0x100, &input);
        println!(
            "P256VERIFY {what}: {} CU over the same call to an empty address; {steps} step \
             transactions; answer {}",
            cu as i64 - baseline as i64,
            if output.is_empty() {
                "invalid"
            } else {
                "valid"
            },
        );
        assert!(ok, "{what}: the call failed");
        assert_eq!(
            output, expected,
            "{what}: the chain's answer is not the host's"
        );
        if input.len() == 160 && what.starts_with("valid") {
            assert_eq!(output.len(), 32, "{what}: not verified");
            assert!(
                steps > 1,
                "{what}: one verification is several transactions' compute"
            );
        }
    }
}
