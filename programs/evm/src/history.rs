//! EIP-2935 (Prague): recent block hashes served from state by a system contract, so a contract
//! (or a stateless client) can read 8,191 of them instead of BLOCKHASH's 256.
//!
//! Block-level, not transaction-level: at the start of each block the chain writes the parent's
//! hash into the contract's storage (a system call from [`SYSTEM_ADDRESS`]), and the contract's
//! code answers `get(n)` from slot `n % HISTORY_SERVE_WINDOW`. The interpreter needs nothing
//! else to serve it: a host whose [`crate::State`] holds the contract's code at
//! [`HISTORY_STORAGE_ADDRESS`] and its slots ([`history_slot`]) answers calls to it like any
//! contract. BLOCKHASH itself is unchanged. The program does not keep this contract yet.

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
}
