//! 0x05 MODEXP (EIP-198), priced by EIP-2565, and from Osaka on by EIP-7883 with EIP-7823's
//! bound of 1024 bytes on each of the three lengths.
//!
//! Input: base_len(32) exp_len(32) mod_len(32) base exponent modulus, each length a big-endian
//! word that may be absurdly large, and the data implicitly zero-extended. The gas is computed
//! from the lengths alone (saturating, in u128) and charged before anything sized by them is
//! allocated, so a hostile header costs its gas, not our memory.

use super::{padded_array, padded_slice, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;
use crate::fork::Fork;
use alloc::vec;
use alloc::vec::Vec;

/// EIP-2565's floor on the price.
pub const MIN_GAS: u64 = 200;
/// EIP-7883's floor on the price (Osaka).
pub const MIN_GAS_OSAKA: u64 = 500;
/// EIP-7823: the longest base, exponent or modulus accepted (Osaka).
pub const MAX_INPUT_LEN: u64 = 1024;

/// The three lengths of the header, saturated to `u64::MAX` (any saturated length that matters
/// to the price makes it exceed every gas limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    base_len: u64,
    exp_len: u64,
    mod_len: u64,
}

impl Header {
    const LEN: usize = 96;

    fn parse(input: &[u8]) -> Self {
        Header {
            base_len: length_word(input, 0),
            exp_len: length_word(input, 32),
            mod_len: length_word(input, 64),
        }
    }
}

/// The 32-byte big-endian word at `offset`, as u64, saturating.
fn length_word(input: &[u8], offset: usize) -> u64 {
    let word = padded_array::<32>(input, offset);
    if word[..24].iter().any(|&b| b != 0) {
        return u64::MAX;
    }
    u64::from_be_bytes(word[24..].try_into().expect("8 bytes"))
}

/// A u64 length or offset as usize, saturating (only matters on 32-bit targets).
fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

/// Bit length of the exponent's first min(exp_len, 32) bytes, read as a big-endian number: the
/// only part of the exponent's value that the price depends on.
fn exponent_head_bits(body: &[u8], header: &Header) -> u32 {
    let head_len = header.exp_len.min(32) as usize;
    let bytes = padded_array::<32>(body, to_usize(header.base_len));
    let head = &bytes[..head_len];
    match head.iter().position(|&b| b != 0) {
        Some(i) => ((head_len - i) * 8) as u32 - head[i].leading_zeros(),
        None => 0,
    }
}

/// The price, in u128 so nothing overflows (saturating at the extremes, which are out of gas
/// anyway):
/// - EIP-2565: max(200, words^2 * iterations / 3), 8 iterations per exponent byte past 32;
/// - EIP-7883 (Osaka): max(500, complexity * iterations), complexity 16 up to 32 bytes and
///   2 * words^2 above, 16 iterations per exponent byte past 32.
fn gas_cost(header: &Header, exp_head_bits: u32, fork: Fork) -> u128 {
    let osaka = fork.is_enabled(Fork::Osaka);
    let max_len = header.base_len.max(header.mod_len) as u128;
    let words = max_len.div_ceil(8);
    let complexity = match (osaka, max_len <= 32) {
        (false, _) => words * words,
        (true, true) => 16,
        (true, false) => 2 * words * words,
    };
    let per_byte = if osaka { 16 } else { 8 };
    let head_iterations = exp_head_bits.saturating_sub(1) as u128;
    let iterations = if header.exp_len <= 32 {
        head_iterations
    } else {
        per_byte * (header.exp_len as u128 - 32) + head_iterations
    };
    let product = complexity.saturating_mul(iterations.max(1));
    if osaka {
        product.max(MIN_GAS_OSAKA as u128)
    } else {
        (product / 3).max(MIN_GAS as u128)
    }
}

/// The gas `input` costs under `fork`, as u128 (it may exceed any u64 gas limit).
pub fn required_gas(input: &[u8], fork: Fork) -> u128 {
    let header = Header::parse(input);
    let body = input.get(Header::LEN..).unwrap_or_default();
    gas_cost(&header, exponent_head_bits(body, &header), fork)
}

/// `base ^ exponent mod modulus`, left-padded to the modulus length.
pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto, fork: Fork) -> PrecompileResult {
    let header = Header::parse(input);
    if fork.is_enabled(Fork::Osaka)
        && (header.base_len > MAX_INPUT_LEN
            || header.exp_len > MAX_INPUT_LEN
            || header.mod_len > MAX_INPUT_LEN)
    {
        return Err(PrecompileFailure::InvalidInput);
    }
    let body = input.get(Header::LEN..).unwrap_or_default();
    let gas = gas_cost(&header, exponent_head_bits(body, &header), fork);
    if gas > gas_limit as u128 {
        return Err(PrecompileFailure::OutOfGas);
    }
    let gas_used = gas as u64;
    // An empty modulus means empty output; this is also the only case where the price does not
    // bound the lengths (base_len = mod_len = 0 costs 200 whatever exp_len says).
    if header.mod_len == 0 {
        return Ok(PrecompileOutput {
            gas_used,
            output: Vec::new(),
        });
    }
    let output = compute(body, &header, crypto);
    Ok(PrecompileOutput { gas_used, output })
}

/// Reads the three numbers (the price paid bounds their lengths) and exponentiates.
fn compute(body: &[u8], header: &Header, crypto: &dyn Crypto) -> Vec<u8> {
    let (base_len, exp_len, mod_len) = (
        to_usize(header.base_len),
        to_usize(header.exp_len),
        to_usize(header.mod_len),
    );
    let base = padded_slice(body, 0, base_len);
    let exponent = padded_slice(body, base_len, exp_len);
    let modulus = padded_slice(body, base_len.saturating_add(exp_len), mod_len);
    let result = crypto.modexp(&base, &exponent, &modulus);
    fit_to_len(result, mod_len)
}

/// The host promises `mod_len` bytes; make sure of it rather than trust it.
fn fit_to_len(result: Vec<u8>, len: usize) -> Vec<u8> {
    if result.len() == len {
        return result;
    }
    let mut out = vec![0u8; len];
    let n = result.len().min(len);
    out[len - n..].copy_from_slice(&result[result.len() - n..]);
    out
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;
    use alloc::string::String;

    fn input(parts: &[&str]) -> Vec<u8> {
        hex(&parts.iter().copied().collect::<String>())
    }

    const ONE: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    const LEN_2: &str = "0000000000000000000000000000000000000000000000000000000000000002";
    const LEN_32: &str = "0000000000000000000000000000000000000000000000000000000000000020";
    const LEN_64: &str = "0000000000000000000000000000000000000000000000000000000000000040";
    const MAX: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    const P_MINUS_1: &str = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e";
    const P: &str = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

    #[test]
    fn eip198_fermat() {
        // 3 ^ (p - 1) mod p = 1 for the secp256k1 field prime p.
        let data = input(&[ONE, LEN_32, LEN_32, "03", P_MINUS_1, P]);
        let out = run(&data, 1360, &HostCrypto, Fork::Cancun).unwrap();
        assert_eq!(out.gas_used, 1360);
        assert_eq!(out.output, hex(ONE));
        assert_eq!(
            run(&data, 1359, &HostCrypto, Fork::Cancun),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn eip198_zero_base() {
        let data = input(&[ZERO, LEN_32, LEN_32, P_MINUS_1, P]);
        let out = run(&data, 100_000, &HostCrypto, Fork::Cancun).unwrap();
        assert_eq!(out.gas_used, 1360);
        assert_eq!(out.output, hex(ZERO));
    }

    #[test]
    fn eip198_short_exponent_extra_input_ignored() {
        // 3 ^ 0xffff mod 2^255, with a trailing byte past the modulus that is ignored.
        let data = input(&[
            ONE,
            LEN_2,
            LEN_32,
            "03",
            "ffff",
            "8000000000000000000000000000000000000000000000000000000000000000",
            "07",
        ]);
        let out = run(&data, 100_000, &HostCrypto, Fork::Cancun).unwrap();
        assert_eq!(out.gas_used, 200);
        assert_eq!(
            out.output,
            hex("3b01b01ac41f2d6e917c6d6a221ce793802469026d9ab7578fa2e79e4da6aaab")
        );
    }

    #[test]
    fn eip198_truncated_input_is_zero_extended() {
        // Same as above with the modulus cut short: 0x80 followed by 31 implicit zero bytes.
        let data = input(&[ONE, LEN_2, LEN_32, "03", "ffff", "80"]);
        let out = run(&data, 100_000, &HostCrypto, Fork::Cancun).unwrap();
        assert_eq!(
            out.output,
            hex("3b01b01ac41f2d6e917c6d6a221ce793802469026d9ab7578fa2e79e4da6aaab")
        );
    }

    #[test]
    fn long_exponent_gas() {
        // exp_len 64 with a zero head: 8 * (64 - 32) iterations, 16 complexity -> 1365.
        let data = input(&[ONE, LEN_64, LEN_32, "03", ZERO, ONE, P]);
        assert_eq!(required_gas(&data, Fork::Cancun), 1365);
        let out = run(&data, 1365, &HostCrypto, Fork::Cancun).unwrap();
        assert_eq!(
            out.output,
            hex("0000000000000000000000000000000000000000000000000000000000000003")
        );
    }

    #[test]
    fn empty_and_zero_modulus() {
        assert_eq!(
            run(&[], 200, &HostCrypto, Fork::Cancun).unwrap(),
            PrecompileOutput {
                gas_used: 200,
                output: vec![]
            }
        );
        assert_eq!(
            run(&[], 199, &HostCrypto, Fork::Cancun),
            Err(PrecompileFailure::OutOfGas)
        );
        // A zero modulus of length 32 gives 32 zero bytes.
        let data = input(&[ONE, ONE, LEN_32, "02", "03"]);
        assert_eq!(
            run(&data, 1000, &HostCrypto, Fork::Cancun).unwrap().output,
            hex(ZERO)
        );
    }

    #[test]
    fn huge_lengths_cost_before_allocating() {
        // base_len = mod_len = 0 with an enormous exponent length: 200 gas, empty output.
        let data = input(&[ZERO, MAX, ZERO]);
        assert_eq!(required_gas(&data, Fork::Cancun), 200);
        assert_eq!(
            run(&data, 200, &HostCrypto, Fork::Cancun).unwrap().output,
            Vec::<u8>::new()
        );
        // Enormous lengths: out of gas, nothing allocated (a 2^256 - 1 length saturates).
        for data in [
            input(&[MAX, ONE, ONE]),
            input(&[ONE, MAX, ONE]),
            input(&[ONE, ONE, MAX]),
            input(&[MAX, MAX, MAX, MAX]),
        ] {
            assert!(required_gas(&data, Fork::Cancun) > u64::MAX as u128);
            assert_eq!(
                run(&data, u64::MAX, &HostCrypto, Fork::Cancun),
                Err(PrecompileFailure::OutOfGas)
            );
        }
        // A 4 GiB base: priced far above any block's gas.
        let data = input(&[
            "00000000000000000000000000000000000000000000000000000000ffffffff",
            ZERO,
            ONE,
        ]);
        assert!(required_gas(&data, Fork::Cancun) > 1 << 50);
        assert_eq!(
            run(&data, 1 << 40, &HostCrypto, Fork::Cancun),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn gas_matches_eip2565_formula() {
        let header = Header {
            base_len: 64,
            exp_len: 1,
            mod_len: 64,
        };
        // 8 words -> 64 complexity; exponent 0xff -> 7 iterations; 64 * 7 / 3 = 149 -> 200.
        assert_eq!(gas_cost(&header, 8, Fork::Cancun), 200);
        let header = Header {
            base_len: 256,
            exp_len: 32,
            mod_len: 256,
        };
        // 32 words -> 1024; 255 iterations -> 87040.
        assert_eq!(gas_cost(&header, 256, Fork::Cancun), 87_040);
        let header = Header {
            base_len: u64::MAX,
            exp_len: u64::MAX,
            mod_len: u64::MAX,
        };
        assert!(gas_cost(&header, 256, Fork::Cancun) > u64::MAX as u128);
    }

    #[test]
    fn osaka_prices_by_eip7883_and_bounds_by_eip7823() {
        // The Fermat vector: 32-byte operands, a 256-bit exponent: 16 * 255 = 4080.
        let data = input(&[ONE, LEN_32, LEN_32, "03", P_MINUS_1, P]);
        assert_eq!(required_gas(&data, Fork::Osaka), 4080);
        assert_eq!(
            run(&data, 4080, &HostCrypto, Fork::Osaka).unwrap().output,
            hex(ONE)
        );
        // Empty input: the 500 floor.
        assert_eq!(required_gas(&[], Fork::Osaka), 500);
        // 64-byte operands: 2 * 8^2 = 128 complexity; 1 iteration.
        let header = Header {
            base_len: 64,
            exp_len: 1,
            mod_len: 64,
        };
        assert_eq!(gas_cost(&header, 1, Fork::Osaka), 500);
        assert_eq!(gas_cost(&header, 8, Fork::Osaka), 128 * 7);
        // Exponent bytes past 32 count 16 iterations each.
        let header = Header {
            base_len: 8,
            exp_len: 40,
            mod_len: 8,
        };
        assert_eq!(gas_cost(&header, 0, Fork::Osaka), 16 * 16 * 8);
        // 1025-byte lengths are refused; 1024 is fine.
        let len_1025 = "0000000000000000000000000000000000000000000000000000000000000401";
        for data in [
            input(&[len_1025, ONE, ONE]),
            input(&[ONE, len_1025, ONE]),
            input(&[ONE, ONE, len_1025]),
        ] {
            assert_eq!(
                run(&data, u64::MAX, &HostCrypto, Fork::Osaka),
                Err(PrecompileFailure::InvalidInput)
            );
            assert!(run(&data, u64::MAX, &HostCrypto, Fork::Prague).is_ok());
        }
    }
}
