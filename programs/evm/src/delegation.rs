//! EIP-7702 delegation designators: the code `0xef0100 || address` that an authorization writes
//! into an account, so that calls to the account run the code at `address` in the account's own
//! context. EXTCODE* and the code hash see the designator itself; only code loading for a call
//! follows it, one level deep.

use crate::primitives::Address;
use alloc::vec::Vec;

/// The bytes before the address: 0xEF (never valid deployed code, EIP-3541) and version 0x0100.
pub const PREFIX: [u8; 3] = [0xef, 0x01, 0x00];
/// A designator's length: the prefix and a 20-byte address.
pub const LEN: usize = PREFIX.len() + 20;

/// The address `code` delegates to, if `code` is a delegation designator.
pub fn target(code: &[u8]) -> Option<Address> {
    if code.len() != LEN || code[..PREFIX.len()] != PREFIX {
        return None;
    }
    code[PREFIX.len()..].try_into().ok()
}

/// The designator that delegates to `address`.
pub fn designator(address: &Address) -> Vec<u8> {
    let mut code = Vec::with_capacity(LEN);
    code.extend_from_slice(&PREFIX);
    code.extend_from_slice(address);
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designator_round_trips_and_nothing_else_is_one() {
        let address = [0x42; 20];
        let code = designator(&address);
        assert_eq!(code.len(), 23);
        assert_eq!(target(&code), Some(address));
        assert_eq!(target(&code[..22]), None);
        let mut longer = code.clone();
        longer.push(0);
        assert_eq!(target(&longer), None);
        let mut other_version = code;
        other_version[2] = 1;
        assert_eq!(target(&other_version), None);
    }
}
