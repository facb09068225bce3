//! 0x09 BLAKE2F (EIP-152): the BLAKE2b compression function F with a caller-chosen round count,
//! plus a pure-Rust [`compress`] that is the [`Crypto::blake2f`] default (no syscall exists).

use super::{charge, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

/// rounds(4) h(64) m(128) t(16) f(1).
pub const INPUT_LEN: usize = 213;
/// Gas per round; the price is exactly the round count.
pub const GAS_PER_ROUND: u64 = 1;

/// Input: rounds (big-endian u32), state h, message m, offset counters t (all little-endian
/// u64s) and the final-block flag; output: the new state h, little-endian.
pub fn run(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    if input.len() != INPUT_LEN {
        return Err(PrecompileFailure::InvalidInput);
    }
    let rounds = u32::from_be_bytes(input[..4].try_into().expect("4 bytes"));
    let gas_used = charge(rounds as u64 * GAS_PER_ROUND, gas_limit)?;
    let last_block = match input[212] {
        0 => false,
        1 => true,
        _ => return Err(PrecompileFailure::InvalidInput),
    };
    let mut h: [u64; 8] = read_words(&input[4..68]);
    let m: [u64; 16] = read_words(&input[68..196]);
    let t: [u64; 2] = read_words(&input[196..212]);
    crypto.blake2f(rounds, &mut h, &m, t, last_block);
    let output = h.iter().flat_map(|word| word.to_le_bytes()).collect();
    Ok(PrecompileOutput { gas_used, output })
}

/// `N` little-endian u64s from `bytes` (exactly 8 * N bytes).
fn read_words<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut words = [0u64; N];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        *word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    words
}

/// BLAKE2b initialization vector (the SHA-512 IV).
const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// Message word schedule; round i uses row i mod 10.
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// The mixing function G (RFC 7693, section 3.1).
#[inline(always)]
fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// The BLAKE2b compression function F (RFC 7693, section 3.2) with `rounds` rounds instead of
/// the fixed 12, as EIP-152 specifies. Updates `h` in place.
pub fn compress(rounds: u32, h: &mut [u64; 8], m: &[u64; 16], t: [u64; 2], last_block: bool) {
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= t[0];
    v[13] ^= t[1];
    if last_block {
        v[14] = !v[14];
    }
    for round in 0..rounds as usize {
        let s = &SIGMA[round % 10];
        mix(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        mix(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        mix(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        mix(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        mix(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        mix(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        mix(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        mix(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

#[cfg(all(test, feature = "host-crypto"))]
mod tests {
    use super::*;
    use crate::crypto::HostCrypto;
    use crate::precompiles::test_util::hex;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// EIP-152 test vector input after the 4-byte round count: h, m ("abc"), t = 3, and the
    /// final flag byte.
    fn vector(rounds: &str, flag: &str) -> Vec<u8> {
        let parts = [
            rounds,
            "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5",
            "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b",
            "6162630000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0300000000000000",
            "0000000000000000",
            flag,
        ];
        hex(&parts.iter().copied().collect::<String>())
    }

    #[test]
    fn eip152_vector_5_twelve_rounds() {
        let out = run(&vector("0000000c", "01"), 12, &HostCrypto).unwrap();
        assert_eq!(out.gas_used, 12);
        let expected = concat!(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1",
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
        );
        assert_eq!(out.output, hex(expected));
        assert_eq!(
            run(&vector("0000000c", "01"), 11, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }

    #[test]
    fn eip152_other_vectors() {
        // Vector 4: zero rounds.
        let out = run(&vector("00000000", "01"), 0, &HostCrypto).unwrap();
        let expected = concat!(
            "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5",
            "d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b",
        );
        assert_eq!(out.output, hex(expected));
        // Vector 6: not the final block.
        let out = run(&vector("0000000c", "00"), 12, &HostCrypto).unwrap();
        let expected = concat!(
            "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d28752",
            "98743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735",
        );
        assert_eq!(out.output, hex(expected));
        // Vector 7: one round.
        let out = run(&vector("00000001", "01"), 1, &HostCrypto).unwrap();
        let expected = concat!(
            "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fb",
            "a551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421",
        );
        assert_eq!(out.output, hex(expected));
    }

    #[test]
    fn rejects_bad_input() {
        let input = vector("0000000c", "01");
        assert_eq!(
            run(&[], 100, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        assert_eq!(
            run(&input[..212], 100, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        let mut long = input.clone();
        long.push(0);
        assert_eq!(
            run(&long, 100, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        assert_eq!(
            run(&vector("0000000c", "02"), 100, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
        // 2^32 - 1 rounds cost 2^32 - 1 gas, checked before any work.
        assert_eq!(
            run(&vector("ffffffff", "01"), 100_000_000, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
    }
}
