//! An in-memory [`State`]: the world for tests, the state-test runner, benchmarks and the
//! emulator's scratch state. Applying a transaction's [`StateChanges`] advances it.

use crate::bytecode::{jumpdest_bitmap, Bytecode};
use crate::primitives::{hash_words, Address, B256, U256};
use crate::result::StateChanges;
use crate::state::{AccountInfo, State, StateError};
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// One account held in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryAccount {
    pub info: AccountInfo,
    pub code: Vec<u8>,
    pub storage: BTreeMap<U256, U256>,
}

/// Accounts and block hashes kept in ordered maps.
#[derive(Clone, Debug, Default)]
pub struct MemoryState {
    pub accounts: BTreeMap<Address, MemoryAccount>,
    pub block_hashes: BTreeMap<u64, B256>,
    /// Each code with its JUMPDEST analysis, by code hash, made when the code is stored (as the
    /// program stores the analysis with a deployed contract): calls share it, neither copying
    /// nor scanning the code again.
    bytecodes: BTreeMap<HashKey, Rc<Bytecode>>,
}

impl MemoryState {
    /// Adds or replaces an account; `code_hash` must be keccak256 of `code`.
    pub fn insert_account(&mut self, address: Address, info: AccountInfo, code: Vec<u8>) {
        analyse(&mut self.bytecodes, &info.code_hash, &code);
        let storage = self
            .accounts
            .remove(&address)
            .map(|a| a.storage)
            .unwrap_or_default();
        self.accounts.insert(
            address,
            MemoryAccount {
                info,
                code,
                storage,
            },
        );
    }

    /// Sets one storage slot of an existing account (zero removes it).
    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        let account = self.accounts.entry(address).or_default();
        if value.is_zero() {
            account.storage.remove(&slot);
        } else {
            account.storage.insert(slot, value);
        }
    }

    /// Applies the changes of one finished transaction.
    pub fn apply(&mut self, changes: &StateChanges) {
        for change in &changes.accounts {
            let Some(info) = &change.info else {
                self.accounts.remove(&change.address);
                continue;
            };
            let account = self.accounts.entry(change.address).or_default();
            account.info = info.clone();
            if change.storage_cleared {
                account.storage.clear();
            }
            if let Some(code) = &change.code {
                account.code = code.clone();
                analyse(&mut self.bytecodes, &info.code_hash, code);
            }
            for (slot, value) in &change.storage {
                if value.is_zero() {
                    account.storage.remove(slot);
                } else {
                    account.storage.insert(*slot, *value);
                }
            }
        }
    }
}

/// A code hash as a map key: its [`hash_words`] compared in turn (any total order serves a
/// private map), instead of a `memcmp` call at every node of every call's code lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct HashKey([u64; 4]);

impl HashKey {
    fn of(hash: &B256) -> Self {
        Self(hash_words(hash))
    }
}

/// Records `code` with its analysis under its hash, once.
fn analyse(bytecodes: &mut BTreeMap<HashKey, Rc<Bytecode>>, code_hash: &B256, code: &[u8]) {
    if !code.is_empty() && !bytecodes.contains_key(&HashKey::of(code_hash)) {
        let bytecode = Bytecode::with_jumpdests(code.to_vec(), jumpdest_bitmap(code));
        bytecodes.insert(HashKey::of(code_hash), Rc::new(bytecode));
    }
}

impl State for MemoryState {
    fn account(&mut self, address: &Address) -> Result<Option<AccountInfo>, StateError> {
        Ok(self.accounts.get(address).map(|a| a.info.clone()))
    }

    fn code(&mut self, address: &Address) -> Result<Vec<u8>, StateError> {
        Ok(self
            .accounts
            .get(address)
            .map(|a| a.code.clone())
            .unwrap_or_default())
    }

    fn bytecode(&mut self, address: &Address) -> Result<Rc<Bytecode>, StateError> {
        let Some(account) = self.accounts.get(address) else {
            return Ok(Rc::default());
        };
        Ok(
            match self.bytecodes.get(&HashKey::of(&account.info.code_hash)) {
                // `code_hash` is the code's keccak (`insert_account`); the length guards against
                // a caller that changed `code` in place and not the hash.
                Some(bytecode) if bytecode.len() == account.code.len() => bytecode.clone(),
                _ => Rc::new(Bytecode::new(account.code.clone())),
            },
        )
    }

    fn storage(&mut self, address: &Address, slot: &U256) -> Result<U256, StateError> {
        Ok(self
            .accounts
            .get(address)
            .and_then(|a| a.storage.get(slot).copied())
            .unwrap_or_default())
    }

    fn has_storage(&mut self, address: &Address) -> Result<bool, StateError> {
        Ok(self
            .accounts
            .get(address)
            .is_some_and(|a| !a.storage.is_empty()))
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        Ok(self.block_hashes.get(&number).copied().unwrap_or_default())
    }
}
