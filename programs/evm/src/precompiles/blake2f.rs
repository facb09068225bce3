//! 0x09 BLAKE2F (EIP-152): the BLAKE2b compression function F with a caller-chosen round count,
//! through [`Crypto::blake2f`] (whose default is the pure-Rust [`crate::crypto::blake2::compress`]).

use super::{charge, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::Crypto;

/// The compression function itself lives in the crypto layer (the trait's default); this path is
/// kept for callers that knew it here.
pub use crate::crypto::blake2::compress;

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
