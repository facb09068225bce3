//! `isthmus-client`: what every off-chain part needs to talk to the Isthmus program, built on
//! `isthmus-interface` (the program's layouts, errors, events and rules, stated once):
//!
//! - [`pda`]: the program-derived addresses;
//! - [`instructions`]: instruction builders (accounts in order, data from the interface);
//! - [`accounts`]: reading the program's accounts from a chain;
//! - [`logs`]: receipts, events and compute units from a transaction's logs;
//! - [`crypto`]: the cryptography the program has ([`crypto::ProgramCrypto`]);
//! - [`emulate`]: the interpreter run off-chain over the chain's accounts, under the program's
//!   block rules, and the accounts a transaction needs;
//! - [`solana`]: the chain seen as accounts to read ([`AccountSource`]) and transactions to
//!   send ([`Solana`]): LiteSVM (`isthmus-svm`) or a cluster (`isthmus-relayer`'s `cluster`).
//!
//! Every function returns errors instead of panicking: rpc-proxy and the relayer run on it.

pub mod accounts;
pub mod crypto;
pub mod emulate;
pub mod instructions;
pub mod logs;
pub mod pda;
pub mod recovery_memo;
pub mod rent;
pub mod solana;

pub use isthmus_interface as interface;
pub use isthmus_interface::ProgramError;
pub use solana::{AccountSource, Failure, Solana, Success};
pub use solana_account::Account;

use solana_address::Address;

/// The program id (`isthmus_interface::PROGRAM_ID`).
pub const PROGRAM_ID: Address = Address::new_from_array(isthmus_interface::PROGRAM_ID);
pub const SYSTEM_PROGRAM: Address = Address::from_str_const("11111111111111111111111111111111");
pub const LOADER_V3: Address =
    Address::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");
/// `SysvarS1otHashes111111111111111111111111111`.
pub const SLOT_HASHES: Address =
    Address::from_str_const("SysvarS1otHashes111111111111111111111111111");
pub const CLOCK: Address = Address::from_str_const("SysvarC1ock11111111111111111111111111111111");
pub const SYSVAR_OWNER: Address =
    Address::from_str_const("Sysvar1111111111111111111111111111111111111");
pub const WEI_PER_LAMPORT: u128 = isthmus_interface::WEI_PER_LAMPORT as u128;

/// keccak256, on the host.
pub fn keccak(data: &[u8]) -> [u8; 32] {
    isthmus_evm::Crypto::keccak256(&isthmus_evm::HostCrypto, data)
}

/// An operator's Ethereum address (the COINBASE of what it relays).
pub fn operator_eth_address(key: &Address) -> [u8; 20] {
    isthmus_interface::block::operator_address(key.as_array(), &isthmus_evm::HostCrypto)
}

/// Lower-case hex without `0x`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn program_id_is_the_deployed_key() {
        assert_eq!(
            super::PROGRAM_ID.to_string(),
            "BFk33YFp3PLZJdVfpvFTU7dmuvdNudnfADhVkniCC9cn"
        );
    }
}
