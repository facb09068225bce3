//! The Cancun precompiled contracts, 0x01..=0x0a.
//!
//! Each one charges its gas before doing any work (and before allocating anything sized by the
//! input), and does its cryptography only through [`Crypto`], so the same code runs on-chain over
//! syscalls and off-chain over crates.

pub mod blake2f;
pub mod bn254;
pub mod ecrecover;
pub mod hash;
pub mod identity;
pub mod modexp;
pub mod point_evaluation;

use crate::crypto::Crypto;
use crate::primitives::Address;
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// What a precompile that succeeded returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrecompileOutput {
    pub gas_used: u64,
    pub output: Vec<u8>,
}

/// Why a precompile failed; either way the call fails and consumes all the gas it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrecompileFailure {
    OutOfGas,
    InvalidInput,
}

/// The result of running a precompile.
pub type PrecompileResult = Result<PrecompileOutput, PrecompileFailure>;

/// The highest precompile address in Cancun (0x0a, KZG point evaluation).
const LAST_PRECOMPILE: u8 = 0x0a;

/// The precompile number held in `address`, if it is one of 0x01..=0x0a.
fn precompile_number(address: &Address) -> Option<u8> {
    let (prefix, last) = address.split_at(19);
    let number = last[0];
    (prefix.iter().all(|&b| b == 0) && (1..=LAST_PRECOMPILE).contains(&number)).then_some(number)
}

/// true for 0x01..=0x0a (Cancun)
pub fn is_precompile(address: &Address) -> bool {
    precompile_number(address).is_some()
}

/// Addresses 0x01..=0x0a in order (the tests walk them; the machine treats them as warm
/// without listing them).
#[cfg(test)]
fn addresses() -> impl Iterator<Item = Address> {
    (1..=LAST_PRECOMPILE).map(|number| {
        let mut address = [0u8; 20];
        address[19] = number;
        address
    })
}

/// Runs the precompile at `address` on `input` with at most `gas_limit` gas.
///
/// An address that is not a precompile is a caller bug; it fails as `InvalidInput`.
pub fn run(
    address: &Address,
    input: &[u8],
    gas_limit: u64,
    crypto: &dyn Crypto,
) -> PrecompileResult {
    match precompile_number(address) {
        Some(0x01) => ecrecover::run(input, gas_limit, crypto),
        Some(0x02) => hash::run_sha256(input, gas_limit, crypto),
        Some(0x03) => hash::run_ripemd160(input, gas_limit, crypto),
        Some(0x04) => identity::run(input, gas_limit),
        Some(0x05) => modexp::run(input, gas_limit, crypto),
        Some(0x06) => bn254::run_add(input, gas_limit, crypto),
        Some(0x07) => bn254::run_mul(input, gas_limit, crypto),
        Some(0x08) => bn254::run_pairing(input, gas_limit, crypto),
        Some(0x09) => blake2f::run(input, gas_limit, crypto),
        Some(0x0a) => point_evaluation::run(input, gas_limit, crypto),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_one_to_ten() {
        let all: Vec<Address> = addresses().collect();
        assert_eq!(all.len(), 10);
        for (i, address) in all.iter().enumerate() {
            assert_eq!(address[19] as usize, i + 1);
            assert!(is_precompile(address));
        }
        let mut zero = [0u8; 20];
        assert!(!is_precompile(&zero));
        zero[19] = 0x0b;
        assert!(!is_precompile(&zero));
        zero[19] = 0x01;
        zero[0] = 0x01;
        assert!(!is_precompile(&zero));
    }

    #[cfg(feature = "host-crypto")]
    #[test]
    fn run_dispatches_every_address_on_empty_input() {
        let crypto = crate::crypto::HostCrypto;
        let results: Vec<_> = addresses()
            .map(|a| run(&a, &[], 1_000_000, &crypto))
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
            run(&[0u8; 20], &[], 1_000_000, &crypto),
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
