//! The precompiled contracts: 0x01..=0x0a (Cancun), 0x0b..=0x11 (EIP-2537, Prague), 0x100
//! (EIP-7951, Osaka).
//!
//! Each one charges its gas before doing any work (and before allocating anything sized by the
//! input), and does its cryptography only through [`Crypto`], so the same code runs on-chain over
//! syscalls and off-chain over crates.

pub mod blake2f;
pub mod bls12_381;
pub mod bls12_381_jobs;
pub mod bls12_381_map;
pub mod bn254;
pub mod ecrecover;
pub mod hash;
pub mod identity;
pub mod modexp;
pub mod p256_job;
pub mod p256verify;
pub mod point_evaluation;
pub mod stepped;

use crate::crypto::Crypto;
use crate::fork::Fork;
use crate::primitives::Address;
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// What a precompile that succeeded returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrecompileOutput {
    pub gas_used: u64,
    pub output: Vec<u8>,
}

/// Why a precompile failed. `OutOfGas` and `InvalidInput` fail the call, consuming all the gas
/// it was given; `Unsupported` means this host's [`Crypto`] cannot compute it, which the machine
/// answers as if the precompile were absent (a wrong answer would be worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrecompileFailure {
    OutOfGas,
    InvalidInput,
    Unsupported,
}

/// The result of running a precompile.
pub type PrecompileResult = Result<PrecompileOutput, PrecompileFailure>;

/// The highest precompile address of each fork's 0x01.. run (0x0a KZG point evaluation, 0x11
/// MAP_FP2_TO_G2).
const fn last_low_precompile(fork: Fork) -> u16 {
    match fork {
        Fork::Cancun => 0x0a,
        Fork::Prague | Fork::Osaka => 0x11,
    }
}

/// EIP-7951's P256VERIFY, outside the low run.
pub(crate) const P256VERIFY: u16 = 0x100;

/// The precompile number held in `address` under `fork`, if it is one.
pub(crate) fn precompile_number(address: &Address, fork: Fork) -> Option<u16> {
    let (prefix, last) = address.split_at(18);
    if prefix.iter().any(|&b| b != 0) {
        return None;
    }
    let number = u16::from_be_bytes([last[0], last[1]]);
    let known = (1..=last_low_precompile(fork)).contains(&number)
        || (number == P256VERIFY && fork.is_enabled(Fork::Osaka));
    known.then_some(number)
}

/// Whether `address` holds a precompile under `fork` (precompiles are always warm).
pub fn is_precompile(address: &Address, fork: Fork) -> bool {
    precompile_number(address, fork).is_some()
}

/// The precompile addresses of `fork` in order (the tests walk them; the machine treats them as
/// warm without listing them).
pub fn addresses(fork: Fork) -> impl Iterator<Item = Address> {
    let osaka = fork.is_enabled(Fork::Osaka).then_some(P256VERIFY);
    (1..=last_low_precompile(fork)).chain(osaka).map(|number| {
        let mut address = [0u8; 20];
        address[18..].copy_from_slice(&number.to_be_bytes());
        address
    })
}

/// Runs the precompile at `address` on `input` with at most `gas_limit` gas under `fork`.
///
/// An address that is not a precompile is a caller bug; it fails as `InvalidInput`.
pub fn run(
    address: &Address,
    input: &[u8],
    gas_limit: u64,
    crypto: &dyn Crypto,
    fork: Fork,
) -> PrecompileResult {
    match precompile_number(address, fork) {
        Some(0x01) => ecrecover::run(input, gas_limit, crypto),
        Some(0x02) => hash::run_sha256(input, gas_limit, crypto),
        Some(0x03) => hash::run_ripemd160(input, gas_limit, crypto),
        Some(0x04) => identity::run(input, gas_limit),
        Some(0x05) => modexp::run(input, gas_limit, crypto, fork),
        Some(0x06) => bn254::run_add(input, gas_limit, crypto),
        Some(0x07) => bn254::run_mul(input, gas_limit, crypto),
        Some(0x08) => bn254::run_pairing(input, gas_limit, crypto),
        Some(0x09) => blake2f::run(input, gas_limit, crypto),
        Some(0x0a) => point_evaluation::run(input, gas_limit, crypto),
        Some(0x0b) => bls12_381::g1_add(input, gas_limit, crypto),
        Some(0x0c) => bls12_381::g1_msm(input, gas_limit, crypto),
        Some(0x0d) => bls12_381::g2_add(input, gas_limit, crypto),
        Some(0x0e) => bls12_381::g2_msm(input, gas_limit, crypto),
        Some(0x0f) => bls12_381::pairing(input, gas_limit, crypto),
        Some(0x10) => bls12_381::map_fp_to_g1(input, gas_limit, crypto),
        Some(0x11) => bls12_381::map_fp2_to_g2(input, gas_limit, crypto),
        Some(P256VERIFY) => p256verify::run(input, gas_limit, crypto),
        _ => Err(PrecompileFailure::InvalidInput),
    }
}

/// `Ok(gas)` if `gas` fits in `gas_limit`, else `OutOfGas`.
fn charge(gas: u64, gas_limit: u64) -> Result<u64, PrecompileFailure> {
    if gas > gas_limit {
        Err(PrecompileFailure::OutOfGas)
    } else {
        Ok(gas)
    }
}

/// Gas for precompiles priced per 32-byte word of input: `base + per_word * ceil(len / 32)`,
/// saturating (a saturated cost is out of gas for any real limit).
fn linear_cost(len: usize, base: u64, per_word: u64) -> u64 {
    let words = (len as u64).div_ceil(32);
    words.saturating_mul(per_word).saturating_add(base)
}

/// `input[offset..offset + len]`, with zeros standing in for bytes past the end of `input`
/// (call data is implicitly zero-extended). Borrows when no padding is needed.
fn padded_slice(input: &[u8], offset: usize, len: usize) -> Cow<'_, [u8]> {
    let start = offset.min(input.len());
    let end = offset.saturating_add(len).min(input.len());
    let available = &input[start..end];
    if available.len() == len {
        Cow::Borrowed(available)
    } else {
        let mut padded = alloc::vec![0u8; len];
        padded[..available.len()].copy_from_slice(available);
        Cow::Owned(padded)
    }
}

/// The first `N` bytes of `input` from `offset`, right-padded with zeros.
fn padded_array<const N: usize>(input: &[u8], offset: usize) -> [u8; N] {
    let mut out = [0u8; N];
    let start = offset.min(input.len());
    let end = offset.saturating_add(N).min(input.len());
    out[..end - start].copy_from_slice(&input[start..end]);
    out
}

/// Helpers shared by the precompile tests.
#[cfg(test)]
pub(crate) mod test_util {
    use alloc::vec::Vec;

    /// Bytes from a hex string without `0x` (test vectors only: panics on bad hex).
    pub fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A deterministic pseudo-random stream (xorshift) for property tests.
    pub struct Rng(pub u64);

    impl Rng {
        pub fn bytes(&mut self) -> [u8; 32] {
            let mut out = [0u8; 32];
            for chunk in out.chunks_mut(8) {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                chunk.copy_from_slice(&self.0.to_be_bytes());
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_grow_with_the_fork() {
        let all: Vec<Address> = addresses(Fork::Cancun).collect();
        assert_eq!(all.len(), 10);
        for (i, address) in all.iter().enumerate() {
            assert_eq!(address[19] as usize, i + 1);
            assert!(is_precompile(address, Fork::Cancun));
        }
        assert_eq!(addresses(Fork::Prague).count(), 17);
        assert_eq!(addresses(Fork::Osaka).count(), 18);
        let mut zero = [0u8; 20];
        assert!(!is_precompile(&zero, Fork::Osaka));
        zero[19] = 0x0b;
        assert!(!is_precompile(&zero, Fork::Cancun));
        assert!(is_precompile(&zero, Fork::Prague));
        zero[19] = 0x12;
        assert!(!is_precompile(&zero, Fork::Osaka));
        let mut p256 = [0u8; 20];
        p256[18] = 1;
        assert!(!is_precompile(&p256, Fork::Prague));
        assert!(is_precompile(&p256, Fork::Osaka));
        zero[19] = 0x01;
        zero[0] = 0x01;
        assert!(!is_precompile(&zero, Fork::Osaka));
    }

    #[cfg(feature = "host-crypto")]
    #[test]
    fn run_dispatches_every_address_on_empty_input() {
        let crypto = crate::crypto::HostCrypto;
        let results: Vec<_> = addresses(Fork::Cancun)
            .map(|a| run(&a, &[], 1_000_000, &crypto, Fork::Cancun))
            .collect();
        let ok = |gas_used: u64, output: &[u8]| {
            Ok(PrecompileOutput {
                gas_used,
                output: output.to_vec(),
            })
        };
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(results[0], ok(3000, &[]));
        assert_eq!(results[1], ok(60, &crypto.sha256(&[])));
        assert_eq!(results[2].as_ref().map(|o| o.gas_used), Ok(600));
        assert_eq!(results[3], ok(15, &[]));
        assert_eq!(results[4], ok(200, &[]));
        assert_eq!(results[5], ok(150, &[0u8; 64]));
        assert_eq!(results[6], ok(6000, &[0u8; 64]));
        assert_eq!(results[7], ok(45_000, &one));
        assert_eq!(results[8], Err(PrecompileFailure::InvalidInput));
        assert_eq!(results[9], Err(PrecompileFailure::InvalidInput));
    }

    #[cfg(feature = "host-crypto")]
    #[test]
    fn non_precompile_address_fails() {
        let crypto = crate::crypto::HostCrypto;
        assert_eq!(
            run(&[0u8; 20], &[], 1_000_000, &crypto, Fork::Osaka),
            Err(PrecompileFailure::InvalidInput)
        );
    }

    #[test]
    fn padding_helpers() {
        let input = [1u8, 2, 3];
        assert_eq!(&*padded_slice(&input, 1, 4), &[2, 3, 0, 0]);
        assert!(matches!(padded_slice(&input, 0, 2), Cow::Borrowed(_)));
        assert_eq!(&*padded_slice(&input, usize::MAX, 2), &[0, 0]);
        assert_eq!(padded_array::<4>(&input, 2), [3, 0, 0, 0]);
        assert_eq!(padded_array::<2>(&input, 10), [0, 0]);
    }

    #[test]
    fn linear_cost_rounds_words_up() {
        assert_eq!(linear_cost(0, 60, 12), 60);
        assert_eq!(linear_cost(1, 60, 12), 72);
        assert_eq!(linear_cost(32, 60, 12), 72);
        assert_eq!(linear_cost(33, 60, 12), 84);
        assert_eq!(linear_cost(usize::MAX, 60, u64::MAX), u64::MAX);
    }
}
