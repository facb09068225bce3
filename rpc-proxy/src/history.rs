//! The embedded chain's state at a past block: every block's changed Solana accounts are kept
//! in the store (`svm_history`), so eth_getBalance, eth_call and the rest answer exactly for any
//! block, as an archive node does (Hardhat's balance-change matchers compare block N-1 with N).

use crate::store::Store;
use isthmus_client::{Account, AccountSource, PROGRAM_ID, SYSTEM_PROGRAM};
use solana_address::Address;

/// Accounts as they were after block `block`; the clock at that block.
pub struct History<'a> {
    pub store: &'a Store,
    pub block: u64,
    pub timestamp: u64,
    /// The chain now, for what the history does not track (the runtime's own accounts).
    pub current: &'a dyn AccountSource,
}

impl AccountSource for History<'_> {
    fn get_account(&self, address: &Address) -> Option<Account> {
        match self.store.account_at(address.as_array(), self.block) {
            Ok(Some(Some(a))) => Some(Account {
                lamports: a.lamports,
                data: a.data,
                owner: Address::new_from_array(a.owner),
                executable: a.executable,
                rent_epoch: a.rent_epoch,
            }),
            Ok(Some(None)) => None,
            // Never recorded up to then: a tracked account (the program's, a wallet) created
            // later did not exist yet; anything else is the runtime's and as it is now.
            Ok(None) | Err(_) => self
                .current
                .get_account(address)
                .filter(|a| a.owner != PROGRAM_ID && a.owner != SYSTEM_PROGRAM),
        }
    }

    fn clock(&self) -> solana_clock::Clock {
        solana_clock::Clock {
            slot: self.block,
            unix_timestamp: self.timestamp as i64,
            ..self.current.clock()
        }
    }
}
