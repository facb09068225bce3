//! 0x05 MODEXP (EIP-198), priced by EIP-2565.
//!
//! Input: base_len(32) exp_len(32) mod_len(32) base exponent modulus, each length a big-endian
//! word that may be absurdly large, and the data implicitly zero-extended. The gas is computed
//! from the lengths alone (saturating, in u128) and charged before anything sized by them is
//! allocated, so a hostile header costs its gas, not our memory.

use super::{padded_array, padded_slice, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;
use alloc::vec;
use alloc::vec::Vec;

/// EIP-2565's floor on the price.
pub const MIN_GAS: u64 = 200;

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

/// EIP-2565: max(200, mult_complexity * iteration_count / 3), in u128 so nothing overflows
/// (saturating at the extremes, which are out of gas anyway).
fn gas_cost(header: &Header, exp_head_bits: u32) -> u128 {
    let max_len = header.base_len.max(header.mod_len) as u128;
    let words = max_len.div_ceil(8);
    let complexity = words * words;
    let head_iterations = exp_head_bits.saturating_sub(1) as u128;
    let iterations = if header.exp_len <= 32 {
        head_iterations
    } else {
        8 * (header.exp_len as u128 - 32) + head_iterations
    };
    let gas = complexity.saturating_mul(iterations.max(1)) / 3;
    gas.max(MIN_GAS as u128)
}

/// The gas `input` costs, as u128 (it may exceed any u64 gas limit).
pub fn required_gas(input: &[u8]) -> u128 {
    let header = Header::parse(input);
    let body = input.get(Header::LEN..).unwrap_or_default();
    gas_cost(&header, exponent_head_bits(body, &header))
}

/// `base ^ exponent mod modulus`, left-padded to the modulus length.
pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let header = Header::parse(input);
    let body = input.get(Header::LEN..).unwrap_or_default();
    let gas = gas_cost(&header, exponent_head_bits(body, &header));
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
        let out = run(&data, 1360, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 1360);
        assert_eq!(out.output, hex(ONE));
        assert_eq!(
            run(&data, 1359, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn eip198_zero_base() {
        let data = input(&[ZERO, LEN_32, LEN_32, P_MINUS_1, P]);
        let out = run(&data, 100_000, &HostCrypto).unwrap();
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
        let out = run(&data, 100_000, &HostCrypto).unwrap();
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
        let out = run(&data, 100_000, &HostCrypto).unwrap();
        assert_eq!(
            out.output,
            hex("3b01b01ac41f2d6e917c6d6a221ce793802469026d9ab7578fa2e79e4da6aaab")
        );
    }

    #[test]
    fn long_exponent_gas() {
        // exp_len 64 with a zero head: 8 * (64 - 32) iterations, 16 complexity -> 1365.
        let data = input(&[ONE, LEN_64, LEN_32, "03", ZERO, ONE, P]);
        assert_eq!(required_gas(&data), 1365);
        let out = run(&data, 1365, &HostCrypto).unwrap();
        assert_eq!(
            out.output,
            hex("0000000000000000000000000000000000000000000000000000000000000003")
        );
    }

    #[test]
    fn empty_and_zero_modulus() {
        assert_eq!(
            run(&[], 200, &HostCrypto).unwrap(),
            PrecompileOutput {
                gas_used: 200,
                output: vec![]
            }
        );
        assert_eq!(run(&[], 199, &HostCrypto), Err(PrecompileFailure::OutOfGas));
        // A zero modulus of length 32 gives 32 zero bytes.
        let data = input(&[ONE, ONE, LEN_32, "02", "03"]);
        assert_eq!(run(&data, 1000, &HostCrypto).unwrap().output, hex(ZERO));
    }

    #[test]
    fn huge_lengths_cost_before_allocating() {
        // base_len = mod_len = 0 with an enormous exponent length: 200 gas, empty output.
        let data = input(&[ZERO, MAX, ZERO]);
        assert_eq!(required_gas(&data), 200);
        assert_eq!(
            run(&data, 200, &HostCrypto).unwrap().output,
            Vec::<u8>::new()
        );
        // Enormous lengths: out of gas, nothing allocated (a 2^256 - 1 length saturates).
        for data in [
            input(&[MAX, ONE, ONE]),
            input(&[ONE, MAX, ONE]),
            input(&[ONE, ONE, MAX]),
            input(&[MAX, MAX, MAX, MAX]),
        ] {
            assert!(required_gas(&data) > u64::MAX as u128);
            assert_eq!(
                run(&data, u64::MAX, &HostCrypto),
                Err(PrecompileFailure::OutOfGas)
            );
        }
        // A 4 GiB base: priced far above any block's gas.
        let data = input(&[
            "00000000000000000000000000000000000000000000000000000000ffffffff",
            ZERO,
            ONE,
        ]);
        assert!(required_gas(&data) > 1 << 50);
        assert_eq!(
            run(&data, 1 << 40, &HostCrypto),
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
        assert_eq!(gas_cost(&header, 8), 200);
        let header = Header {
            base_len: 256,
            exp_len: 32,
            mod_len: 256,
        };
        // 32 words -> 1024; 255 iterations -> 87040.
        assert_eq!(gas_cost(&header, 256), 87_040);
        let header = Header {
            base_len: u64::MAX,
            exp_len: u64::MAX,
            mod_len: u64::MAX,
        };
        assert!(gas_cost(&header, 256) > u64::MAX as u128);
    }
}
