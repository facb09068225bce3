//! The state a transaction of a past block ran on: the state after the block before, with the
//! block's earlier transactions' changes laid over it in order.

use isthmus_client::crypto::ProgramCrypto;
use isthmus_evm::bytecode::Bytecode;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{AccountInfo, Machine, RunOutcome, State, StateError, B256, U256};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// `inner` with changes applied on top.
pub struct Replayed<S> {
    inner: S,
    /// `None`: deleted.
    accounts: BTreeMap<[u8; 20], Option<AccountInfo>>,
    code: BTreeMap<[u8; 20], Vec<u8>>,
    storage: BTreeMap<([u8; 20], [u8; 32]), U256>,
    /// Accounts re-created: their storage below is gone.
    cleared: BTreeSet<[u8; 20]>,
}

impl<S: State> Replayed<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            accounts: BTreeMap::new(),
            code: BTreeMap::new(),
            storage: BTreeMap::new(),
            cleared: BTreeSet::new(),
        }
    }

    /// Runs `machine` to its end over the state and lays what it changed over it.
    pub fn run(&mut self, mut machine: Machine) {
        if let RunOutcome::Done(result) = machine.run(self, &ProgramCrypto, u64::MAX) {
            self.apply(&result.changes);
        }
    }

    /// Lays a finished transaction's changes over the state.
    pub fn apply(&mut self, changes: &StateChanges) {
        for change in &changes.accounts {
            let address = change.address;
            if change.storage_cleared || change.info.is_none() {
                self.cleared.insert(address);
                self.storage.retain(|(a, _), _| *a != address);
            }
            if let Some(code) = &change.code {
                self.code.insert(address, code.clone());
            }
            for (slot, value) in &change.storage {
                self.storage.insert((address, slot.to_be_bytes()), *value);
            }
            self.accounts.insert(address, change.info.clone());
        }
    }
}

impl<S: State> State for Replayed<S> {
    fn account(&mut self, address: &[u8; 20]) -> Result<Option<AccountInfo>, StateError> {
        match self.accounts.get(address) {
            Some(info) => Ok(info.clone()),
            None => self.inner.account(address),
        }
    }

    fn code(&mut self, address: &[u8; 20]) -> Result<Vec<u8>, StateError> {
        if let Some(code) = self.code.get(address) {
            return Ok(code.clone());
        }
        match self.accounts.get(address) {
            Some(None) => Ok(Vec::new()),
            Some(Some(info)) if info.code_hash == KECCAK_EMPTY => Ok(Vec::new()),
            _ => self.inner.code(address),
        }
    }

    /// Code the replay changed is analysed here; the chain's keeps its stored analysis.
    fn bytecode(&mut self, address: &[u8; 20]) -> Result<Rc<Bytecode>, StateError> {
        if let Some(code) = self.code.get(address) {
            return Ok(Rc::new(Bytecode::new(code.clone())));
        }
        match self.accounts.get(address) {
            Some(None) => Ok(Rc::default()),
            Some(Some(info)) if info.code_hash == KECCAK_EMPTY => Ok(Rc::default()),
            _ => self.inner.bytecode(address),
        }
    }

    fn storage(&mut self, address: &[u8; 20], slot: &U256) -> Result<U256, StateError> {
        if let Some(value) = self.storage.get(&(*address, slot.to_be_bytes())) {
            return Ok(*value);
        }
        if self.cleared.contains(address) {
            return Ok(U256::ZERO);
        }
        self.inner.storage(address, slot)
    }

    fn has_storage(&mut self, address: &[u8; 20]) -> Result<bool, StateError> {
        if self.storage.keys().any(|(a, _)| a == address) {
            return Ok(true);
        }
        if self.cleared.contains(address) {
            return Ok(false);
        }
        self.inner.has_storage(address)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        self.inner.block_hash(number)
    }
}
