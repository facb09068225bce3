//! The handful of value types the interpreter passes around.
//!
//! Plain arrays rather than newtypes: they are `Copy`, `Ord` and borsh-serializable for free, and
//! the on-chain program can use them without conversion.

pub use ruint::aliases::U256;

/// A 20-byte Ethereum address.
pub type Address = [u8; 20];
/// A 32-byte word: hashes, storage keys as bytes.
pub type B256 = [u8; 32];

/// keccak256 of the empty byte string: the code hash of an account without code.
pub const KECCAK_EMPTY: B256 = [
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
    0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
];

/// Whether `word` is zero. `U256`'s own `==` and `is_zero` compile to a `memcmp` call on SBF, a
/// syscall of at least 10 CU; four loads and three ORs are a few.
#[inline(always)]
pub fn is_zero(word: &U256) -> bool {
    let l = word.as_limbs();
    (l[0] | l[1] | l[2] | l[3]) == 0
}

/// Whether two words are equal, limb by limb (see [`is_zero`] for why not `==`).
#[inline(always)]
pub fn words_eq(a: &U256, b: &U256) -> bool {
    let (a, b) = (a.as_limbs(), b.as_limbs());
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0
}

/// A 32-byte hash as four native-endian words: compared (or ordered, where any total order
/// serves) in four loads instead of a `memcmp` syscall.
#[inline(always)]
pub fn hash_words(hash: &B256) -> [u64; 4] {
    core::array::from_fn(|i| {
        u64::from_ne_bytes(hash[8 * i..8 * i + 8].try_into().expect("8 bytes"))
    })
}

/// Whether two 32-byte hashes are equal, in four loads each rather than a `memcmp` syscall.
#[inline(always)]
pub fn hashes_eq(a: &B256, b: &B256) -> bool {
    let (a, b) = (hash_words(a), hash_words(b));
    ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0
}

/// Whether `code_hash` is that of no code ([`KECCAK_EMPTY`]), compared as [`hashes_eq`] does.
#[inline(always)]
pub fn is_empty_code(code_hash: &B256) -> bool {
    hashes_eq(code_hash, &KECCAK_EMPTY)
}

/// Whether two addresses are equal, in three loads each rather than a `memcmp` syscall.
#[inline(always)]
pub fn addresses_eq(a: &Address, b: &Address) -> bool {
    let [a0, a1, a2] = address_chunks(a);
    let [b0, b1, b2] = address_chunks(b);
    ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0
}

/// An address as two 8-byte and one 4-byte chunk (native order: only for equality).
#[inline(always)]
fn address_chunks(a: &Address) -> [u64; 3] {
    let (head, rest) = a.split_at(8);
    let (mid, tail) = rest.split_at(8);
    [
        u64::from_ne_bytes(head.try_into().expect("8 bytes")),
        u64::from_ne_bytes(mid.try_into().expect("8 bytes")),
        u32::from_ne_bytes(tail.try_into().expect("4 bytes")) as u64,
    ]
}

/// Orders addresses as byte strings (as `[u8; 20]` does), skipping equal 8-byte chunks with
/// one comparison each instead of calling `memcmp` (a syscall on SBF).
#[inline]
pub fn cmp_addresses(a: &Address, b: &Address) -> core::cmp::Ordering {
    let (ca, cb) = (address_chunks(a), address_chunks(b));
    let start = if ca[0] != cb[0] {
        0
    } else if ca[1] != cb[1] {
        8
    } else if ca[2] != cb[2] {
        16
    } else {
        return core::cmp::Ordering::Equal;
    };
    // Some byte of the chunk at `start` differs.
    let mut i = start;
    while i < 20 {
        if a[i] != b[i] {
            return a[i].cmp(&b[i]);
        }
        i += 1;
    }
    core::cmp::Ordering::Equal
}

/// The address held in the low 20 bytes of a stack word.
#[inline]
pub fn word_to_address(word: &U256) -> Address {
    let bytes = word.to_be_bytes::<32>();
    let mut address = [0u8; 20];
    address.copy_from_slice(&bytes[12..]);
    address
}

/// A stack word holding `address` in its low 20 bytes.
#[inline]
pub fn address_to_word(address: &Address) -> U256 {
    let mut bytes = [0u8; 32];
    bytes[12..].copy_from_slice(address);
    U256::from_be_bytes(bytes)
}

/// `word` as `usize` if it fits, else `None` (memory offsets, sizes, jump targets).
#[inline]
pub fn as_usize(word: &U256) -> Option<usize> {
    let limbs = word.as_limbs();
    if limbs[1] != 0 || limbs[2] != 0 || limbs[3] != 0 || limbs[0] > usize::MAX as u64 {
        None
    } else {
        Some(limbs[0] as usize)
    }
}

/// `word` as `u64`, saturating: gas arguments, block numbers.
#[inline]
pub fn as_u64_saturated(word: &U256) -> u64 {
    let limbs = word.as_limbs();
    if limbs[1] != 0 || limbs[2] != 0 || limbs[3] != 0 {
        u64::MAX
    } else {
        limbs[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_comparisons_agree_with_the_derived_ones() {
        let words = [
            U256::ZERO,
            U256::from(1u8),
            U256::from(1u8) << 64,
            U256::from(1u8) << 255,
            U256::MAX,
        ];
        for a in &words {
            assert_eq!(is_zero(a), a.is_zero());
            for b in &words {
                assert_eq!(words_eq(a, b), a == b);
            }
        }
        let mut addresses = alloc::vec::Vec::new();
        for i in [0usize, 7, 8, 15, 16, 19] {
            for v in [0u8, 1, 0x80, 0xff] {
                let mut a = [0x11u8; 20];
                a[i] = v;
                addresses.push(a);
            }
        }
        for a in &addresses {
            for b in &addresses {
                assert_eq!(addresses_eq(a, b), a == b);
                assert_eq!(cmp_addresses(a, b), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
