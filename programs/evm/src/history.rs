//! EIP-2935 (Prague): recent block hashes served from state by a system contract, so a contract
//! (or a stateless client) can read 8,191 of them instead of BLOCKHASH's 256.
//!
//! Block-level, not transaction-level: at the start of each block the chain writes the parent's
//! hash into the contract's storage (a system call from [`SYSTEM_ADDRESS`]), and the contract's
//! code answers `get(n)` from slot `n % HISTORY_SERVE_WINDOW`. The interpreter needs nothing
//! else to serve it: a host whose [`crate::State`] holds the contract's code at
//! [`HISTORY_STORAGE_ADDRESS`] and its slots ([`history_slot`]) answers calls to it like any
//! contract. BLOCKHASH itself is unchanged.
//!
//! A host that keeps block hashes elsewhere and makes no system call per block (Isthmus: the
//! blockhash registry and SlotHashes) sets [`crate::BlockEnv::serve_history`]: the journal then
//! answers the contract's account and code itself ([`HISTORY_CODE`], the EIP's own bytecode, so
//! calls cost what they cost on Ethereum) and each slot from [`crate::State::block_hash`] of the
//! latest block it would hold ([`block_of_slot`]).

use crate::primitives::{Address, U256};

/// Where the history contract lives: 0x0000F90827F1C53a10cb7A02335B175320002935.
pub const HISTORY_STORAGE_ADDRESS: Address = [
    0x00, 0x00, 0xf9, 0x08, 0x27, 0xf1, 0xc5, 0x3a, 0x10, 0xcb, 0x7a, 0x02, 0x33, 0x5b, 0x17, 0x53,
    0x20, 0x00, 0x29, 0x35,
];

/// The caller of system calls: 0xfffffffffffffffffffffffffffffffffffffffe.
pub const SYSTEM_ADDRESS: Address = {
    let mut address = [0xff; 20];
    address[19] = 0xfe;
    address
};

/// How many recent block hashes the contract keeps (a ring buffer).
pub const HISTORY_SERVE_WINDOW: u64 = 8191;

/// The contract's runtime code (EIP-2935, final): from [`SYSTEM_ADDRESS`] it stores the parent
/// hash; from anyone else it takes a 32-byte block number and returns its hash, reverting
/// outside the window.
pub const HISTORY_CODE: [u8; 83] = [
    0x33, 0x73, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x14, 0x60, 0x46, 0x57, 0x60, 0x20, 0x36, 0x03, 0x60, 0x42,
    0x57, 0x5f, 0x35, 0x60, 0x01, 0x43, 0x03, 0x81, 0x11, 0x60, 0x42, 0x57, 0x61, 0x1f, 0xff, 0x81,
    0x43, 0x03, 0x11, 0x60, 0x42, 0x57, 0x61, 0x1f, 0xff, 0x90, 0x06, 0x54, 0x5f, 0x52, 0x60, 0x20,
    0x5f, 0xf3, 0x5b, 0x5f, 0x5f, 0xfd, 0x5b, 0x5f, 0x35, 0x61, 0x1f, 0xff, 0x60, 0x01, 0x43, 0x03,
    0x06, 0x55, 0x00,
];

/// keccak256([`HISTORY_CODE`]): 0x6e49e667...daec0a5d.
pub const HISTORY_CODE_HASH: [u8; 32] = [
    0x6e, 0x49, 0xe6, 0x67, 0x82, 0x03, 0x7c, 0x05, 0x55, 0x89, 0x78, 0x70, 0xe2, 0x9f, 0xa5, 0xe5,
    0x52, 0xda, 0xf4, 0x71, 0x95, 0x52, 0x13, 0x1a, 0x0a, 0xbc, 0xe7, 0x79, 0xda, 0xec, 0x0a, 0x5d,
];

/// The block whose hash slot `slot` holds in a block numbered `current`: the latest one before
/// it that maps to the slot (`None`: the slot is outside the window or no such block yet).
pub fn block_of_slot(current: u64, slot: &U256) -> Option<u64> {
    let slot = u64::try_from(*slot)
        .ok()
        .filter(|s| *s < HISTORY_SERVE_WINDOW)?;
    let parent = current.checked_sub(1)?;
    let back = (parent % HISTORY_SERVE_WINDOW + HISTORY_SERVE_WINDOW - slot) % HISTORY_SERVE_WINDOW;
    parent.checked_sub(back)
}

/// The storage slot holding the hash of block `number`.
pub fn history_slot(number: u64) -> U256 {
    U256::from(number % HISTORY_SERVE_WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_wrap_at_the_window() {
        assert_eq!(history_slot(5), U256::from(5));
        assert_eq!(history_slot(8191), U256::ZERO);
        assert_eq!(history_slot(8192 + 8191), U256::from(1));
        assert_eq!(HISTORY_STORAGE_ADDRESS[2], 0xf9);
        assert_eq!(SYSTEM_ADDRESS[19], 0xfe);
    }

    #[test]
    fn each_slot_holds_the_latest_block_that_maps_to_it() {
        assert_eq!(block_of_slot(100, &U256::from(99)), Some(99));
        assert_eq!(block_of_slot(100, &U256::from(5)), Some(5));
        assert_eq!(block_of_slot(100, &U256::from(100)), None); // block 100 is not a parent yet
        assert_eq!(block_of_slot(20_000, &U256::from(3)), Some(3 + 2 * 8191));
        assert_eq!(
            block_of_slot(20_000, &U256::from(19_999 % 8191)),
            Some(19_999)
        );
        assert_eq!(block_of_slot(20_000, &U256::from(8191)), None);
        assert_eq!(block_of_slot(0, &U256::ZERO), None);
        for current in [1u64, 2, 8191, 8192, 50_000] {
            for slot in [0u64, 1, 4_000, 8190] {
                if let Some(block) = block_of_slot(current, &U256::from(slot)) {
                    assert!(block < current && current - block <= 8191);
                    assert_eq!(history_slot(block), U256::from(slot));
                }
            }
        }
    }

    #[cfg(feature = "std")]
    #[test]
    fn the_code_hash_is_the_codes() {
        use crate::crypto::Crypto;
        assert_eq!(
            crate::crypto::HostCrypto.keccak256(&HISTORY_CODE),
            HISTORY_CODE_HASH
        );
    }
}
