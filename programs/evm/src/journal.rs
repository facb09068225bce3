//! Every state change of a transaction, kept in memory with an undo log.
//!
//! Accounts and slots are loaded from the [`State`] on first use and cached here; writes change
//! the cache and append an [`Entry`] so a failed frame can be undone back to its [`Checkpoint`].
//! Nothing reaches the host until [`Journal::finalize`] turns the cache into [`StateChanges`].

use crate::bytecode::Bytecode;
use crate::fork::Fork;
use crate::primitives::{
    addresses_eq, cmp_addresses, is_empty_code, words_eq, Address, B256, KECCAK_EMPTY, U256,
};
use crate::result::{AccountChange, Log, StateChanges};
use crate::state::{AccountInfo, State, StateError};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// The RIPEMD-160 precompile's address (0x03).
const RIPEMD160: Address = {
    let mut address = [0u8; 20];
    address[19] = 3;
    address
};

/// One storage slot as this transaction sees it.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Slot {
    /// The value at the start of the transaction (EIP-2200's "original").
    pub original: U256,
    pub present: U256,
    pub warm: bool,
}

/// An account as this transaction sees it.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct JournaledAccount {
    pub info: AccountInfo,
    /// The account as loaded, to tell what changed (`None`: did not exist).
    pub loaded: Option<AccountInfo>,
    /// Loaded on first use; set by a creation.
    #[borsh(
        serialize_with = "crate::bytecode::rc_borsh::serialize_option",
        deserialize_with = "crate::bytecode::rc_borsh::deserialize_option"
    )]
    pub code: Option<Rc<Bytecode>>,
    pub storage: BTreeMap<SlotKey, Slot>,
    pub warm: bool,
    /// Touched in the EIP-161 sense: deleted at the end if it is then empty.
    pub touched: bool,
    /// Created in this transaction: its storage starts empty and SELFDESTRUCT deletes it.
    pub created: bool,
    /// Its code was replaced without creating it (an EIP-7702 delegation set or cleared).
    pub code_changed: bool,
    pub destroyed: bool,
}

impl JournaledAccount {
    /// EIP-161 empty: no nonce, no balance, no code.
    pub fn is_empty(&self) -> bool {
        self.info.nonce == 0 && self.info.balance.is_zero() && is_empty_code(&self.info.code_hash)
    }
}

/// An address as the key of [`Journal::accounts`]: ordered as the bytes are, but compared without
/// `[u8; 20]`'s `memcmp` call (a syscall on SBF, made at every node of every account lookup).
/// Serialized as the bare address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AccountKey(pub Address);

impl Ord for AccountKey {
    #[inline]
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        cmp_addresses(&self.0, &other.0)
    }
}

impl PartialOrd for AccountKey {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A storage key as the key of [`JournaledAccount::storage`]: ordered as the number is, limb by
/// limb from the top (ruint's own `cmp` subtracts with borrows: ~45 SBF instructions a node).
/// Serialized as the bare word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct SlotKey(pub U256);

impl Ord for SlotKey {
    #[inline]
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        let (a, b) = (self.0.as_limbs(), other.0.as_limbs());
        for i in (0..4).rev() {
            if a[i] != b[i] {
                return a[i].cmp(&b[i]);
            }
        }
        core::cmp::Ordering::Equal
    }
}

impl PartialOrd for SlotKey {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Undo records.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Entry {
    AccountWarmed(Address),
    AccountTouched(Address),
    BalanceChanged(Address, U256),
    NonceChanged(Address, u64),
    AccountCreated(Address),
    CodeChanged(Address),
    StorageChanged(Address, U256, U256),
    StorageWarmed(Address, U256),
    TransientChanged(Address, U256, U256),
    Destroyed(Address),
}

/// A point to revert to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Checkpoint {
    entries: u32,
    logs: u32,
}

/// What an SSTORE saw, for its gas and refund.
pub struct SstoreOutcome {
    pub original: U256,
    pub present: U256,
    pub is_cold: bool,
}

/// Undo records a journal makes room for at once: off-chain 64 (an ERC-20 transfer writes a few
/// dozen, which a list grown from four copies three or four times); with [`crate::ONCHAIN_HEAP`]
/// none until the first.
const FIRST_ENTRIES: usize = if crate::ONCHAIN_HEAP { 0 } else { 64 };

/// The transaction's view of the world and its undo log.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Journal {
    /// Boxed: an account is ~190 bytes, and a map node holds eleven, shifted on every insert
    /// (and a node of 2 KiB allocated for the first). Serialized as unboxed.
    #[borsh(deserialize_with = "read_accounts")]
    accounts: BTreeMap<AccountKey, Box<JournaledAccount>>,
    entries: Vec<Entry>,
    pub logs: Vec<Log>,
    transient: BTreeMap<(AccountKey, SlotKey), U256>,
    /// Accounts whose exact balance the execution depended on ([`Journal::observe_balance`]),
    /// each once (a list: borsh reads a set back through a sort too deep for SBF's stack).
    pub balance_observed: Vec<Address>,
    /// Which precompiles exist (they are always warm).
    fork: Fork,
    /// The block number when the history contract is served from block hashes
    /// ([`crate::BlockEnv::serve_history`]), else 0 (block 0 has no parent to serve; a plain
    /// u64 keeps the machine, which `step` holds on SBF's 4 KiB stack frame, small).
    history: u64,
}

impl Journal {
    /// An empty journal for a transaction under `fork`; `history`: the block number, when the
    /// EIP-2935 history contract is served from block hashes.
    pub fn new(fork: Fork, history: Option<u64>) -> Self {
        Self {
            fork,
            history: history.unwrap_or(0),
            entries: Vec::with_capacity(FIRST_ENTRIES),
            ..Self::default()
        }
    }

    /// Whether `address` is the history contract this journal serves itself.
    fn serves(&self, address: &Address) -> bool {
        self.history != 0 && addresses_eq(address, &crate::history::HISTORY_STORAGE_ADDRESS)
    }

    /// An account loaded earlier in the transaction, if it was.
    pub fn account(&self, address: &Address) -> Option<&JournaledAccount> {
        self.accounts.get(&AccountKey(*address)).map(|a| &**a)
    }

    /// An account loaded earlier in the transaction (panics if it was not: a bug).
    pub fn cached(&self, address: &Address) -> &JournaledAccount {
        self.account(address).expect("account loaded before use")
    }

    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            entries: self.entries.len() as u32,
            logs: self.logs.len() as u32,
        }
    }

    /// Undoes everything recorded since `checkpoint`.
    pub fn revert_to(&mut self, checkpoint: Checkpoint) {
        self.logs.truncate(checkpoint.logs as usize);
        while self.entries.len() > checkpoint.entries as usize {
            let entry = self.entries.pop().expect("length checked");
            self.undo(entry);
        }
    }

    fn undo(&mut self, entry: Entry) {
        match entry {
            Entry::AccountWarmed(a) => cached(&mut self.accounts, &a).warm = false,
            // A touch of RIPEMD-160 survives a revert: the consensus quirk of mainnet block
            // 2,675,119 that geth and revm keep (EIP-716 discussion), so it is deleted if empty.
            Entry::AccountTouched(a) if a == RIPEMD160 => {}
            Entry::AccountTouched(a) => cached(&mut self.accounts, &a).touched = false,
            Entry::BalanceChanged(a, old) => cached(&mut self.accounts, &a).info.balance = old,
            Entry::NonceChanged(a, old) => cached(&mut self.accounts, &a).info.nonce = old,
            Entry::AccountCreated(a) => cached(&mut self.accounts, &a).created = false,
            Entry::CodeChanged(a) => {
                let acc = cached(&mut self.accounts, &a);
                acc.info.code_hash = KECCAK_EMPTY;
                acc.code = Some(Rc::new(Bytecode::default()));
            }
            Entry::StorageChanged(a, key, old) => {
                let acc = cached(&mut self.accounts, &a);
                acc.storage
                    .get_mut(&SlotKey(key))
                    .expect("journaled slot is cached")
                    .present = old;
            }
            Entry::StorageWarmed(a, key) => {
                let acc = cached(&mut self.accounts, &a);
                acc.storage
                    .get_mut(&SlotKey(key))
                    .expect("journaled slot is cached")
                    .warm = false;
            }
            Entry::TransientChanged(a, key, old) => {
                if old.is_zero() {
                    self.transient.remove(&(AccountKey(a), SlotKey(key)));
                } else {
                    self.transient.insert((AccountKey(a), SlotKey(key)), old);
                }
            }
            Entry::Destroyed(a) => cached(&mut self.accounts, &a).destroyed = false,
        }
    }

    /// Loads `address` into the cache (without warming it).
    pub fn load(
        &mut self,
        state: &mut dyn State,
        address: &Address,
    ) -> Result<&mut JournaledAccount, StateError> {
        use alloc::collections::btree_map::Entry as MapEntry;
        let served = self.serves(address);
        let vacant = match self.accounts.entry(AccountKey(*address)) {
            MapEntry::Occupied(cached) => return Ok(cached.into_mut()),
            MapEntry::Vacant(vacant) => vacant,
        };
        let mut loaded = state.account(address)?;
        let mut code = None;
        if served {
            // The history contract as deployed (a balance someone sent it is the host's).
            use crate::history::{HISTORY_CODE, HISTORY_CODE_HASH};
            let balance = loaded.as_ref().map_or(U256::ZERO, |a| a.balance);
            loaded = Some(AccountInfo {
                balance,
                nonce: 1,
                code_hash: HISTORY_CODE_HASH,
            });
            code = Some(Rc::new(Bytecode::new(HISTORY_CODE.to_vec())));
        }
        let info = loaded.clone().unwrap_or(AccountInfo {
            balance: U256::ZERO,
            nonce: 0,
            code_hash: KECCAK_EMPTY,
        });
        let code =
            code.or_else(|| (is_empty_code(&info.code_hash)).then(|| Rc::new(Bytecode::default())));
        Ok(vacant.insert(Box::new(JournaledAccount {
            info,
            loaded,
            code,
            storage: BTreeMap::new(),
            warm: false,
            touched: false,
            created: false,
            code_changed: false,
            destroyed: false,
        })))
    }

    /// Loads and warms `address`; returns whether it was cold (EIP-2929). Precompiles are always
    /// warm, so they are never loaded just to be warmed at the start of a transaction.
    pub fn warm_account(
        &mut self,
        state: &mut dyn State,
        address: &Address,
    ) -> Result<bool, StateError> {
        let fork = self.fork;
        let was_cold = warm(self.load(state, address)?, address, fork);
        if was_cold {
            self.entries.push(Entry::AccountWarmed(*address));
        }
        Ok(was_cold)
    }

    /// [`Journal::warm_account`] and [`Journal::code`] in one lookup (a call's target).
    pub fn warm_account_with_code(
        &mut self,
        state: &mut dyn State,
        address: &Address,
    ) -> Result<(bool, Rc<Bytecode>), StateError> {
        let fork = self.fork;
        let account = self.load(state, address)?;
        let code = code_of(account, state, address)?;
        let was_cold = warm(account, address, fork);
        if was_cold {
            self.entries.push(Entry::AccountWarmed(*address));
        }
        Ok((was_cold, code))
    }

    /// The account's code, loaded on first use.
    pub fn code(
        &mut self,
        state: &mut dyn State,
        address: &Address,
    ) -> Result<Rc<Bytecode>, StateError> {
        let account = self.load(state, address)?;
        code_of(account, state, address)
    }

    /// Marks `address` touched (EIP-161).
    pub fn touch(&mut self, state: &mut dyn State, address: &Address) -> Result<(), StateError> {
        let account = self.load(state, address)?;
        if !account.touched {
            account.touched = true;
            self.entries.push(Entry::AccountTouched(*address));
        }
        Ok(())
    }

    pub fn set_balance(&mut self, address: &Address, balance: U256) {
        let account = self
            .accounts
            .get_mut(&AccountKey(*address))
            .expect("account loaded before write");
        let old = core::mem::replace(&mut account.info.balance, balance);
        self.entries.push(Entry::BalanceChanged(*address, old));
    }

    pub fn set_nonce(&mut self, address: &Address, nonce: u64) {
        let account = self
            .accounts
            .get_mut(&AccountKey(*address))
            .expect("account loaded before write");
        let old = core::mem::replace(&mut account.info.nonce, nonce);
        self.entries.push(Entry::NonceChanged(*address, old));
    }

    /// Records that the execution depended on `address`'s exact balance (BALANCE, SELFBALANCE,
    /// SELFDESTRUCT, an emptiness check, a transfer it could not afford). A host that runs a
    /// transaction over several steps may let any other balance grow meanwhile (a deposit) and
    /// add the growth to the final balance: only these balances must stay as first read. Not
    /// undone by a revert: the execution saw the value either way.
    pub fn observe_balance(&mut self, address: &Address) {
        observe(&mut self.balance_observed, address);
    }

    /// Whether `address` (loaded) is EIP-161 empty; its balance counts as observed when it
    /// decides the answer (no nonce, no code).
    pub fn is_empty_observed(&mut self, address: &Address) -> bool {
        let account = self.cached(address);
        if account.info.nonce == 0 && is_empty_code(&account.info.code_hash) {
            let empty = account.info.balance.is_zero();
            self.observe_balance(address);
            return empty;
        }
        false
    }

    /// Marks the balances that decide which touched accounts [`Journal::finalize`] deletes.
    pub fn observe_deletions(&mut self) {
        for (key, account) in &self.accounts {
            if account.touched && account.info.nonce == 0 && is_empty_code(&account.info.code_hash)
            {
                observe(&mut self.balance_observed, &key.0);
            }
        }
    }

    /// Moves `value` wei; touches both sides. Returns false (changing nothing) if `from` is short.
    pub fn transfer(
        &mut self,
        state: &mut dyn State,
        from: &Address,
        to: &Address,
        value: U256,
    ) -> Result<bool, StateError> {
        // One lookup a side (a call moves value, often zero, at every level of a call chain).
        let moves = !value.is_zero();
        let account = self.load(state, from)?;
        let Some(new_from) = account.info.balance.checked_sub(value) else {
            self.observe_balance(from);
            return Ok(false);
        };
        let undo = touch_and_set(account, from, moves.then_some(new_from));
        self.entries.extend(undo.into_iter().flatten());
        let account = self.load(state, to)?;
        let credited = moves.then(|| account.info.balance.saturating_add(value));
        let undo = touch_and_set(account, to, credited);
        self.entries.extend(undo.into_iter().flatten());
        Ok(true)
    }

    /// Turns `address` into a freshly created account with nonce 1 (EIP-161).
    pub fn mark_created(&mut self, address: &Address) {
        let account = self
            .accounts
            .get_mut(&AccountKey(*address))
            .expect("account loaded before creation");
        account.created = true;
        self.entries.push(Entry::AccountCreated(*address));
        self.set_nonce(address, 1);
    }

    /// Installs deployed code.
    pub fn set_code(&mut self, address: &Address, code: Vec<u8>, code_hash: B256) {
        self.install_code(address, code, code_hash);
        self.entries.push(Entry::CodeChanged(*address));
    }

    /// Replaces the code of an existing account (an EIP-7702 delegation designator, or nothing to
    /// clear one). Done before the transaction's first frame begins, so never undone.
    pub fn replace_code(&mut self, address: &Address, code: Vec<u8>, code_hash: B256) {
        self.install_code(address, code, code_hash).code_changed = true;
    }

    /// Puts `code` in a loaded account; returns the account.
    fn install_code(
        &mut self,
        address: &Address,
        code: Vec<u8>,
        code_hash: B256,
    ) -> &mut JournaledAccount {
        let account = self
            .accounts
            .get_mut(&AccountKey(*address))
            .expect("account loaded before write");
        account.info.code_hash = code_hash;
        account.code = Some(Rc::new(Bytecode::new(code)));
        account
    }

    /// Marks a contract created in this transaction for deletion (EIP-6780).
    pub fn mark_destroyed(&mut self, address: &Address) {
        let account = self
            .accounts
            .get_mut(&AccountKey(*address))
            .expect("account loaded before write");
        if !account.destroyed {
            account.destroyed = true;
            self.entries.push(Entry::Destroyed(*address));
        }
    }

    /// The present value of a slot and whether the access was cold; warms it.
    pub fn sload(
        &mut self,
        state: &mut dyn State,
        address: &Address,
        key: U256,
    ) -> Result<(U256, bool), StateError> {
        let slot = self.slot(state, address, key)?;
        let value = slot.present;
        let was_cold = !slot.warm;
        if was_cold {
            slot.warm = true;
            self.entries.push(Entry::StorageWarmed(*address, key));
        }
        Ok((value, was_cold))
    }

    /// Writes a slot; returns what the gas rules need to know.
    pub fn sstore(
        &mut self,
        state: &mut dyn State,
        address: &Address,
        key: U256,
        value: U256,
    ) -> Result<SstoreOutcome, StateError> {
        let slot = self.slot(state, address, key)?;
        let is_cold = !slot.warm;
        slot.warm = true;
        let (original, present) = (slot.original, slot.present);
        slot.present = value;
        if is_cold {
            self.entries.push(Entry::StorageWarmed(*address, key));
        }
        if !words_eq(&present, &value) {
            self.entries
                .push(Entry::StorageChanged(*address, key, present));
        }
        Ok(SstoreOutcome {
            original,
            present,
            is_cold,
        })
    }

    /// Warms a slot without reading it (access lists).
    pub fn warm_slot(
        &mut self,
        state: &mut dyn State,
        address: &Address,
        key: U256,
    ) -> Result<(), StateError> {
        self.sload(state, address, key).map(|_| ())
    }

    fn slot(
        &mut self,
        state: &mut dyn State,
        address: &Address,
        key: U256,
    ) -> Result<&mut Slot, StateError> {
        use alloc::collections::btree_map::Entry as MapEntry;
        let history = self.serves(address).then_some(self.history);
        let account = self.load(state, address)?;
        let created = account.created;
        // One search of the account's slots, whether the slot is cached or not.
        let vacant = match account.storage.entry(SlotKey(key)) {
            MapEntry::Occupied(cached) => return Ok(cached.into_mut()),
            MapEntry::Vacant(vacant) => vacant,
        };
        let value = if created {
            U256::ZERO
        } else if let Some(number) = history {
            // The hash of the latest block this slot holds, from the host's block hashes.
            match crate::history::block_of_slot(number, &key) {
                Some(block) => U256::from_be_bytes(state.block_hash(block)?),
                None => U256::ZERO,
            }
        } else {
            state.storage(address, &key)?
        };
        Ok(vacant.insert(Slot {
            original: value,
            present: value,
            warm: false,
        }))
    }

    pub fn tload(&self, address: &Address, key: U256) -> U256 {
        self.transient
            .get(&(AccountKey(*address), SlotKey(key)))
            .copied()
            .unwrap_or_default()
    }

    pub fn tstore(&mut self, address: &Address, key: U256, value: U256) {
        let old = if value.is_zero() {
            self.transient.remove(&(AccountKey(*address), SlotKey(key)))
        } else {
            self.transient
                .insert((AccountKey(*address), SlotKey(key)), value)
        };
        let old = old.unwrap_or_default();
        if old != value {
            self.entries
                .push(Entry::TransientChanged(*address, key, old));
        }
    }

    pub fn log(&mut self, log: Log) {
        self.logs.push(log);
    }

    /// The net effect of the transaction, per account, in address order.
    pub fn finalize(self) -> (StateChanges, Vec<Log>) {
        let mut accounts = Vec::with_capacity(self.accounts.len());
        for (AccountKey(address), account) in self.accounts {
            if account.destroyed || (account.touched && account.is_empty()) {
                if account.loaded.is_some() || account.created {
                    accounts.push(AccountChange {
                        address,
                        info: None,
                        code: None,
                        storage_cleared: true,
                        storage: Vec::new(),
                    });
                }
                continue;
            }
            // Looked at but never written: nothing to say about an account that does not exist.
            if account.loaded.is_none()
                && !account.touched
                && !account.created
                && !account.code_changed
            {
                continue;
            }
            let storage: Vec<(U256, U256)> = account
                .storage
                .iter()
                .filter(|(_, slot)| account.created || !words_eq(&slot.present, &slot.original))
                .filter(|(_, slot)| !(account.created && slot.present.is_zero()))
                .map(|(key, slot)| (key.0, slot.present))
                .collect();
            let info_changed = account.loaded.as_ref() != Some(&account.info);
            if !info_changed && storage.is_empty() && !account.created {
                continue;
            }
            let code = (account.created || account.code_changed).then(|| {
                account
                    .code
                    .as_ref()
                    .map(|c| c.code().to_vec())
                    .unwrap_or_default()
            });
            accounts.push(AccountChange {
                address,
                info: Some(account.info),
                code,
                storage_cleared: account.created,
                storage,
            });
        }
        (StateChanges { accounts }, self.logs)
    }
}

/// Reads the accounts map as borsh wrote it (a count, then key and value pairs), inserting each
/// in turn: borsh's own reader collects the pairs and sorts them, and that sort of boxed
/// accounts needs more than SBF's 4 KiB stack frame (out of line: so does the machine's reader
/// with this one inlined).
#[inline(never)]
fn read_accounts<R: borsh::io::Read>(
    reader: &mut R,
) -> borsh::io::Result<BTreeMap<AccountKey, Box<JournaledAccount>>> {
    let count = u32::deserialize_reader(reader)?;
    let mut accounts = BTreeMap::new();
    for _ in 0..count {
        let key = AccountKey::deserialize_reader(reader)?;
        let account = JournaledAccount::deserialize_reader(reader)?;
        accounts.insert(key, Box::new(account));
    }
    Ok(accounts)
}

/// Warms `account` (at `address`); whether it was cold. Precompiles are always warm.
fn warm(account: &mut JournaledAccount, address: &Address, fork: Fork) -> bool {
    let was_cold = !account.warm && !crate::precompiles::is_precompile(address, fork);
    account.warm |= was_cold;
    was_cold
}

/// The code of `account` (at `address`), read from the host on first use.
fn code_of(
    account: &mut JournaledAccount,
    state: &mut dyn State,
    address: &Address,
) -> Result<Rc<Bytecode>, StateError> {
    if let Some(code) = &account.code {
        return Ok(code.clone());
    }
    let code = state.bytecode(address)?;
    account.code = Some(code.clone());
    Ok(code)
}

/// Marks `account` (at `address`) touched and, given one, sets its balance; the undo records
/// of what changed, for the caller to push once it no longer holds the account.
fn touch_and_set(
    account: &mut JournaledAccount,
    address: &Address,
    balance: Option<U256>,
) -> [Option<Entry>; 2] {
    let touched = !core::mem::replace(&mut account.touched, true);
    let old = balance.map(|b| core::mem::replace(&mut account.info.balance, b));
    [
        touched.then_some(Entry::AccountTouched(*address)),
        old.map(|old| Entry::BalanceChanged(*address, old)),
    ]
}

/// Adds `address` to the observed balances, once (compared without `memcmp`, a syscall on SBF).
fn observe(observed: &mut Vec<Address>, address: &Address) {
    if !observed.iter().any(|seen| addresses_eq(seen, address)) {
        observed.push(*address);
    }
}

/// An account the undo log refers to: it was cached when the entry was written.
fn cached<'a>(
    accounts: &'a mut BTreeMap<AccountKey, Box<JournaledAccount>>,
    address: &Address,
) -> &'a mut JournaledAccount {
    accounts
        .get_mut(&AccountKey(*address))
        .expect("journaled account is cached")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_keys_order_as_numbers() {
        let words = [
            U256::ZERO,
            U256::from(1u8),
            U256::from(u64::MAX),
            U256::from(1u8) << 64,
            U256::from(1u8) << 128,
            (U256::from(1u8) << 192) + U256::from(1u8),
            U256::from(1u8) << 255,
            U256::MAX,
        ];
        for a in &words {
            for b in &words {
                assert_eq!(SlotKey(*a).cmp(&SlotKey(*b)), a.cmp(b), "{a} {b}");
            }
        }
    }
}
