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
