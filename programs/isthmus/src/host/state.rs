//! The interpreter's [`State`] over the accounts an `execute` instruction carries, and the writing
//! back of its [`StateChanges`].
//!
//! Every remaining account is classified once, before execution:
//! - owned by this program with a known discriminator (`EthAccount`, `EthCode`, `StorageCell`):
//!   its PDA is re-derived from the address (and slot) and bump stored in it with
//!   `create_program_address` and must equal the account's key, else the transaction is refused;
//! - owned by the system program with no data: a candidate for an account that does not exist
//!   yet. It stands for "address X has no account / no code / no such slot" only once the program
//!   has derived X's PDA (`find_program_address`, only for such absent accounts) and found it among
//!   them;
//! - anything else is ignored (never read, never written).
//!
//! A read the passed accounts cannot answer stops the transaction ([`StateError`], then
//! `IsthmusError::AccountNotProvided`): the relayer learns from the emulator which accounts a
//! transaction touches.

use super::layout::{self, *};
use crate::error::IsthmusError;
use alloc::rc::Rc;
use alloc::vec::Vec;
use anchor_lang::pinocchio::{AccountView, Address, Resize};
use anchor_lang::prelude::*;
use isthmus_evm::bytecode::Bytecode;
use isthmus_evm::primitives::{is_empty_code, KECCAK_EMPTY};
use isthmus_evm::result::StateChanges;
use isthmus_evm::{AccountInfo, State, StateError, B256, U256};

use isthmus_interface::account::holder::MAX_GROWTH;
use isthmus_interface::block::BlockHashes;

/// What one remaining account is.
#[derive(Clone, Debug)]
enum Entry {
    Account {
        address: [u8; 20],
        info: AccountInfo,
        generation: u64,
    },
    Code {
        address: [u8; 20],
    },
    Storage {
        address: [u8; 20],
        slot: B256,
        generation: u64,
        value: B256,
    },
    /// A contract's fee market (validated by its PDA; the fee market reads it).
    FeeMarket {
        address: [u8; 20],
    },
    /// System-owned, no data: an account that may be created.
    Empty,
    /// Not ours to touch.
    Other,
}

/// Which kind of PDA an absent account was derived as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Account = 0,
    Code = 1,
    Storage = 2,
    FeeMarket = 3,
}

/// An absent account found by derivation: the remaining-account index and its bump.
#[derive(Clone, Debug)]
struct Derived {
    kind: Kind,
    address: [u8; 20],
    slot: B256,
    /// `None`: derived, and not among the accounts passed.
    found: Option<(usize, u8)>,
}

/// The Solana host of one `execute`.
pub struct SolanaHost<'a> {
    program_id: &'a Address,
    views: Vec<AccountView>,
    entries: Vec<Entry>,
    derived: Vec<Derived>,
    /// Indexes of the accounts whose content answered a read (each once): what an iterative
    /// transaction must find unchanged in its next step ([`SolanaHost::read_set`]).
    reads: Vec<usize>,
    /// Answers BLOCKHASH; without it BLOCKHASH is zero.
    block_hashes: Option<BlockHashes<'a>>,
    /// Rent of the accounts this instruction created or grew for the transaction (what its
    /// sender pays on a chain that charges Solana costs).
    pub rent: u64,
}

/// An account a paused transaction has read, as its next step checks it: the fingerprint of
/// what it read (keccak256 of the owner and the data, an EthAccount's balance left out), and an
/// EthAccount's balance when first read (what the saved machine holds). Equal fingerprints mean
/// the transaction would read the same again; a balance it has not observed
/// (`Machine::balance_observed`) may have grown meanwhile (a deposit), and the growth is added to
/// the final balance ([`SolanaHost::rebase_balances`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadEntry {
    pub key: [u8; 32],
    pub fingerprint: [u8; 32],
    /// Little-endian wei; zero for accounts other than EthAccounts.
    pub balance: [u8; 32],
}

impl ReadEntry {
    /// Bytes of one entry in a holder's saved progress.
    pub const LEN: usize = 96;
}

impl<'a> SolanaHost<'a> {
    /// Classifies and validates the remaining accounts.
    pub fn load(program_id: &'a Address, views: Vec<AccountView>) -> Result<Self> {
        let mut entries = Vec::with_capacity(views.len());
        for view in &views {
            entries.push(classify(program_id, view)?);
        }
        Ok(Self {
            program_id,
            views,
            entries,
            derived: Vec::new(),
            reads: Vec::new(),
            block_hashes: None,
            rent: 0,
        })
    }

    /// BLOCKHASH answers from `hashes` (the registry and the SlotHashes sysvar, read-only).
    pub fn set_block_hashes(&mut self, hashes: BlockHashes<'a>) {
        self.block_hashes = Some(hashes);
    }

    /// The fee-market accounts among the remaining accounts: (contract, account).
    pub fn fee_markets(&self) -> Vec<([u8; 20], AccountView)> {
        self.entries
            .iter()
            .zip(&self.views)
            .filter_map(|(e, v)| match e {
                Entry::FeeMarket { address } => Some((*address, *v)),
                _ => None,
            })
            .collect()
    }

    /// The empty account passed for the fee market of `contract` (to be created).
    pub fn absent_fee_market(&mut self, contract: &[u8; 20]) -> Result<AccountView> {
        match self.absent(Kind::FeeMarket, contract, &[0; 32]) {
            Some((i, _)) => {
                self.entries[i] = Entry::Other; // created by the caller
                Ok(self.views[i])
            }
            None => Err(missing(contract, Kind::FeeMarket)),
        }
    }

    /// Drops the record of what this instruction read (the transaction starts over).
    pub fn forget_reads(&mut self) {
        self.reads.clear();
    }

    fn record_read(&mut self, i: usize) {
        if !self.reads.contains(&i) {
            self.reads.push(i);
        }
    }

    /// keccak256 of owner and data; an EthAccount's balance is left out (checked on its own).
    fn fingerprint(&self, i: usize) -> Result<[u8; 32]> {
        let view = &self.views[i];
        let data = view.try_borrow()?;
        let parts: &[&[u8]] = if matches!(self.entries[i], Entry::Account { .. }) {
            &[
                view.owner().as_ref(),
                &data[..account::BALANCE],
                &data[account::BALANCE + 32..],
            ]
        } else {
            &[view.owner().as_ref(), &data]
        };
        Ok(super::crypto::keccak256_parts(parts))
    }

    /// The balance of EthAccount `i` now (zero for other accounts).
    fn balance_bytes(&self, i: usize) -> [u8; 32] {
        match &self.entries[i] {
            Entry::Account { info, .. } => info.balance.to_le_bytes::<32>(),
            _ => [0; 32],
        }
    }

    /// The accounts read (or prepared, see [`Self::prepare_code`]) in this instruction with
    /// their fingerprints now, merged into `previous` (the read set of earlier steps, checked
    /// unchanged at the start of this one, so only this transaction's own preparation can have
    /// changed them since). An account read before keeps the balance it was first read with.
    pub fn read_set(&self, previous: &mut Vec<ReadEntry>) -> Result<()> {
        for &i in &self.reads {
            let key: [u8; 32] = self.views[i].address().as_ref().try_into().unwrap();
            let fingerprint = self.fingerprint(i)?;
            match previous.iter_mut().find(|e| e.key == key) {
                Some(entry) => entry.fingerprint = fingerprint,
                None => previous.push(ReadEntry {
                    key,
                    fingerprint,
                    balance: self.balance_bytes(i),
                }),
            }
        }
        Ok(())
    }

    /// Whether the transaction would read the same again: every account of `reads` has the
    /// content it had when read, and each EthAccount's balance is the one first read if the
    /// execution observed it (`observed`), else at least that (a deposit cannot change what the
    /// transaction does). An account of the set that was not passed is an error (the relayer
    /// passes the same accounts each step).
    pub fn unchanged_since(&self, reads: &[ReadEntry], observed: &[[u8; 20]]) -> Result<bool> {
        for entry in reads {
            if self.fingerprint(self.read_index(entry)?)? != entry.fingerprint {
                return Ok(false);
            }
        }
        self.balances_hold(reads, observed)
    }

    /// The balance half of [`Self::unchanged_since`]: each EthAccount of `reads` has the balance
    /// first read if `observed`, else at least that. What a step checks again at its end when its
    /// opcodes observed more balances (the rest of the accounts cannot have changed within it).
    pub fn balances_hold(&self, reads: &[ReadEntry], observed: &[[u8; 20]]) -> Result<bool> {
        for entry in reads {
            if let Entry::Account { address, info, .. } = &self.entries[self.read_index(entry)?] {
                let first = U256::from_le_bytes(entry.balance);
                let holds = if observed.contains(address) {
                    info.balance == first
                } else {
                    info.balance >= first
                };
                if !holds {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The remaining account `entry` was read from (the relayer passes the same each step).
    fn read_index(&self, entry: &ReadEntry) -> Result<usize> {
        self.views
            .iter()
            .position(|v| v.address().as_ref() == entry.key)
            .ok_or_else(|| IsthmusError::AccountNotProvided.into())
    }

    /// Adds to each final balance in `changes` what the account gained since the transaction
    /// first read it (`reads`: a deposit between steps), for balances it did not observe; an
    /// observed balance has not moved ([`Self::unchanged_since`]).
    pub fn rebase_balances(&self, changes: &mut StateChanges, reads: &[ReadEntry]) {
        for change in &mut changes.accounts {
            let (Some(info), Some(i)) = (change.info.as_mut(), self.find_account(&change.address))
            else {
                continue;
            };
            let key = self.views[i].address().as_ref();
            let Some(entry) = reads.iter().find(|e| e.key == key) else {
                continue;
            };
            let Entry::Account { info: now, .. } = &self.entries[i] else {
                continue;
            };
            let gained = now
                .balance
                .saturating_sub(U256::from_le_bytes(entry.balance));
            info.balance = info.balance.saturating_add(gained);
        }
    }

    /// Whether `address` has an EthAccount among the accounts passed.
    pub fn has_account(&self, address: &[u8; 20]) -> bool {
        self.find_account(address).is_some()
    }

    fn find_account(&self, address: &[u8; 20]) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| matches!(e, Entry::Account { address: a, .. } if a == address))
    }

    fn find_code(&self, address: &[u8; 20]) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| matches!(e, Entry::Code { address: a } if a == address))
    }

    /// The view holding `address`'s code; `None` when the account has no code.
    fn code_index(
        &mut self,
        address: &[u8; 20],
    ) -> core::result::Result<Option<usize>, StateError> {
        let Some(info) = State::account(self, address)? else {
            return Ok(None);
        };
        if is_empty_code(&info.code_hash) {
            return Ok(None);
        }
        self.find_code(address)
            .map(Some)
            .ok_or(StateError::AccountUnavailable(*address))
    }

    fn find_storage(&self, address: &[u8; 20], slot: &B256) -> Option<usize> {
        self.entries.iter().position(
            |e| matches!(e, Entry::Storage { address: a, slot: s, .. } if a == address && s == slot),
        )
    }

    fn generation(&self, address: &[u8; 20]) -> u64 {
        match self.find_account(address).map(|i| &self.entries[i]) {
            Some(Entry::Account { generation, .. }) => *generation,
            _ => 0,
        }
    }

    /// The empty account passed for the `kind` PDA of `address` (and `slot`), if any: derived
    /// once, then remembered.
    fn absent(&mut self, kind: Kind, address: &[u8; 20], slot: &B256) -> Option<(usize, u8)> {
        if let Some(d) = self.derived.iter().find(|d| {
            d.kind == kind && &d.address == address && (kind != Kind::Storage || &d.slot == slot)
        }) {
            return d.found;
        }
        let (pda, bump) = match kind {
            Kind::Account => crate::pda::find(&[SEED_ACCOUNT, address], self.program_id),
            Kind::Code => crate::pda::find(&[SEED_CODE, address], self.program_id),
            Kind::Storage => crate::pda::find(&[SEED_STORAGE, address, slot], self.program_id),
            Kind::FeeMarket => crate::pda::find(&[SEED_FEE, address], self.program_id),
        };
        let found = self
            .views
            .iter()
            .zip(&self.entries)
            .position(|(v, e)| matches!(e, Entry::Empty) && v.address() == &pda)
            .map(|i| (i, bump));
        self.derived.push(Derived {
            kind,
            address: *address,
            slot: *slot,
            found,
        });
        if let Some((i, _)) = found.filter(|_| kind != Kind::FeeMarket) {
            self.record_read(i);
        }
        found
    }

    /// Makes sure every code account `changes` will write is large enough, creating or growing
    /// (rent paid by `payer`) those for code beyond what one instruction may allocate: Solana lets
    /// an instruction create or grow an account by at most 10 KiB, so a 24 KB contract's code
    /// account takes three. `false`: more instructions are needed before [`Self::apply`].
    pub fn prepare_code(&mut self, changes: &StateChanges, payer: &AccountView) -> Result<bool> {
        let mut ready = true;
        for change in &changes.accounts {
            let Some(code) = change.code.as_ref() else {
                continue;
            };
            let len = code::len(code.len());
            if len <= MAX_GROWTH {
                continue; // `apply` creates it whole
            }
            let address = &change.address;
            match self.find_code(address) {
                Some(i) => {
                    let have = self.views[i].data_len();
                    if have < len {
                        self.writable(i)?;
                        let target = len.min(have + MAX_GROWTH);
                        self.rent += crate::pda::resize_account(&mut self.views[i], payer, target)?;
                        self.record_read(i);
                        ready &= target == len;
                    }
                }
                None => {
                    let (i, bump) = self
                        .absent(Kind::Code, address, &[0; 32])
                        .ok_or_else(|| missing(address, Kind::Code))?;
                    self.create(i, payer, MAX_GROWTH, &[SEED_CODE, address], bump)?;
                    let mut data = self.views[i].try_borrow_mut()?;
                    data[..8].copy_from_slice(&ETH_CODE_DISC);
                    data[code::ADDRESS..code::ADDRESS + 20].copy_from_slice(address);
                    data[code::BUMP] = bump;
                    drop(data);
                    self.entries[i] = Entry::Code { address: *address };
                    ready = false;
                }
            }
        }
        Ok(ready)
    }

    /// Writes `changes` to the accounts, creating those that do not exist yet (rent paid by
    /// `payer`, the operator) and closing the storage cells written to zero (rent back to
    /// `payer`).
    pub fn apply(&mut self, changes: &StateChanges, payer: &AccountView) -> Result<()> {
        let mut closing = Vec::new();
        for change in &changes.accounts {
            let address = &change.address;
            let existing = self.find_account(address);
            let (generation, account_index) = match (existing, &change.info) {
                (Some(i), None) => {
                    // Deleted: the account stays (its rent with it) but reads as empty, and its
                    // storage cells turn stale with the new generation. An account that was
                    // empty already (EIP-161 touch) is left as it is, so it may be read-only.
                    let empty = AccountInfo::default_empty();
                    let already =
                        matches!(&self.entries[i], Entry::Account { info, .. } if *info == empty);
                    if !already {
                        let generation = self.generation(address) + 1;
                        self.write_account(i, &empty, generation)?;
                    }
                    continue;
                }
                (None, None) => continue,
                (Some(i), Some(info)) => {
                    let old = self.generation(address);
                    let generation = old + change.storage_cleared as u64;
                    // Touched but unchanged (a call that moves no value): not written, so the
                    // relayer may pass it read-only.
                    let unchanged = generation == old
                        && matches!(&self.entries[i], Entry::Account { info: current, .. } if current == info);
                    if !unchanged {
                        self.write_account(i, info, generation)?;
                    }
                    (generation, i)
                }
                (None, Some(info)) => {
                    let nothing = info.nonce == 0
                        && info.balance.is_zero()
                        && is_empty_code(&info.code_hash)
                        && change.storage.is_empty();
                    if nothing {
                        continue;
                    }
                    let (i, bump) = self
                        .absent(Kind::Account, address, &[0; 32])
                        .ok_or_else(|| missing(address, Kind::Account))?;
                    self.create(i, payer, account::LEN, &[SEED_ACCOUNT, address], bump)?;
                    {
                        let mut data = self.views[i].try_borrow_mut()?;
                        data[..8].copy_from_slice(&ETH_ACCOUNT_DISC);
                        data[account::ADDRESS..account::ADDRESS + 20].copy_from_slice(address);
                        data[account::BUMP] = bump;
                        data[account::VERSION] = crate::state::EthAccount::VERSION;
                    }
                    self.write_account(i, info, 0)?;
                    self.entries[i] = Entry::Account {
                        address: *address,
                        info: info.clone(),
                        generation: 0,
                    };
                    (0, i)
                }
            };

            if let Some(code) = change.code.as_ref().filter(|c| !c.is_empty()) {
                let len = code::len(code.len());
                let i = match self.find_code(address) {
                    Some(i) => {
                        // Made ready by `prepare_code` (large code), or left by a destroyed
                        // contract: trimmed to the new code's length.
                        let have = self.views[i].data_len();
                        require!(have >= len, IsthmusError::CodeAccountExists);
                        if have > len {
                            self.writable(i)?;
                            self.views[i].resize(len)?;
                        }
                        i
                    }
                    None => {
                        let (i, bump) = self
                            .absent(Kind::Code, address, &[0; 32])
                            .ok_or_else(|| missing(address, Kind::Code))?;
                        self.create(i, payer, len, &[SEED_CODE, address], bump)?;
                        let mut data = self.views[i].try_borrow_mut()?;
                        data[..8].copy_from_slice(&ETH_CODE_DISC);
                        data[code::ADDRESS..code::ADDRESS + 20].copy_from_slice(address);
                        data[code::BUMP] = bump;
                        i
                    }
                };
                self.writable(i)?;
                code::write_code(&mut self.views[i].try_borrow_mut()?, code);
            }

            for (slot, value) in &change.storage {
                let slot: B256 = slot.to_be_bytes();
                let value: B256 = value.to_be_bytes();
                if let Some(index) = account::inline_index(&slot) {
                    let at = account::INLINE + index * 32;
                    let current: B256 = array_at(&self.views[account_index].try_borrow()?, at);
                    if current != value {
                        self.writable(account_index)?;
                        self.views[account_index].try_borrow_mut()?[at..at + 32]
                            .copy_from_slice(&value);
                    }
                    continue;
                }
                let i = match self.find_storage(address, &slot) {
                    Some(i) => {
                        let unchanged = matches!(&self.entries[i],
                            Entry::Storage { generation: g, value: v, .. } if *g == generation && *v == value);
                        if unchanged {
                            continue;
                        }
                        if value == [0; 32] {
                            // Zero is what an absent cell reads: closed below (its rent to
                            // `payer`), after the accounts this creates.
                            self.writable(i)?;
                            closing.push(i);
                            continue;
                        }
                        i
                    }
                    None if value == [0; 32] => continue,
                    None => {
                        let (i, bump) = self
                            .absent(Kind::Storage, address, &slot)
                            .ok_or_else(|| missing_slot(address, &slot))?;
                        self.create(
                            i,
                            payer,
                            storage::LEN,
                            &[SEED_STORAGE, address, &slot],
                            bump,
                        )?;
                        let mut data = self.views[i].try_borrow_mut()?;
                        data[..8].copy_from_slice(&STORAGE_CELL_DISC);
                        data[storage::ADDRESS..storage::ADDRESS + 20].copy_from_slice(address);
                        data[storage::SLOT..storage::SLOT + 32].copy_from_slice(&slot);
                        data[storage::BUMP] = bump;
                        i
                    }
                };
                self.writable(i)?;
                let mut data = self.views[i].try_borrow_mut()?;
                data[storage::GENERATION..storage::GENERATION + 8]
                    .copy_from_slice(&generation.to_le_bytes());
                data[storage::VALUE..storage::VALUE + 32].copy_from_slice(&value);
            }
        }
        for i in closing {
            self.close(i, payer)?;
        }
        Ok(())
    }

    /// Moves `wei` from `from`'s balance to `to`'s, after [`Self::apply`] wrote both accounts
    /// (the charge for a transaction's Solana costs, known only once its accounts exist).
    pub fn transfer_applied(&mut self, from: &[u8; 20], to: &[u8; 20], wei: U256) -> Result<()> {
        for (address, credit) in [(from, false), (to, true)] {
            let i = self
                .find_account(address)
                .ok_or_else(|| missing(address, Kind::Account))?;
            self.writable(i)?;
            let mut data = self.views[i].try_borrow_mut()?;
            let balance = U256::from_le_bytes::<32>(array_at(&data, account::BALANCE));
            let balance = if credit {
                balance
                    .checked_add(wei)
                    .ok_or(IsthmusError::BalanceOverflow)?
            } else {
                balance
                    .checked_sub(wei)
                    .ok_or(IsthmusError::InsufficientFunds)?
            };
            data[account::BALANCE..account::BALANCE + 32]
                .copy_from_slice(&balance.to_le_bytes::<32>());
        }
        Ok(())
    }

    fn writable(&self, i: usize) -> Result<()> {
        require!(
            self.views[i].is_writable(),
            IsthmusError::AccountNotWritable
        );
        Ok(())
    }

    /// Closes the storage cell at remaining account `i`, its rent to `payer`.
    fn close(&mut self, i: usize, payer: &AccountView) -> Result<()> {
        self.writable(i)?;
        let Entry::Storage { address, slot, .. } = self.entries[i].clone() else {
            return Err(IsthmusError::BadEvmAccount.into());
        };
        let bump = self.views[i].try_borrow()?[storage::BUMP];
        crate::pda::close_account(
            &mut self.views[i],
            payer,
            &[SEED_STORAGE, &address, &slot],
            bump,
        )?;
        self.entries[i] = Entry::Empty;
        Ok(())
    }

    /// Writes an account's fields; a new generation also clears its inline storage.
    fn write_account(&mut self, i: usize, info: &AccountInfo, generation: u64) -> Result<()> {
        self.writable(i)?;
        let mut data = self.views[i].try_borrow_mut()?;
        if u64_at(&data, account::GENERATION) != generation {
            data[account::INLINE..account::LEN].fill(0);
        }
        data[account::NONCE..account::NONCE + 8].copy_from_slice(&info.nonce.to_le_bytes());
        data[account::BALANCE..account::BALANCE + 32]
            .copy_from_slice(&info.balance.to_le_bytes::<32>());
        data[account::CODE_HASH..account::CODE_HASH + 32].copy_from_slice(&info.code_hash);
        data[account::GENERATION..account::GENERATION + 8]
            .copy_from_slice(&generation.to_le_bytes());
        Ok(())
    }

    /// Creates remaining account `i` as a `space`-byte account of this program at the PDA of
    /// `seeds` + `bump`, paid by `payer` ([`crate::pda::create_account`]).
    fn create(
        &mut self,
        i: usize,
        payer: &AccountView,
        space: usize,
        seeds: &[&[u8]],
        bump: u8,
    ) -> Result<()> {
        self.writable(i)?;
        self.rent +=
            crate::pda::create_account(self.program_id, payer, &self.views[i], space, seeds, bump)?;
        self.entries[i] = Entry::Other; // now ours; looked up by the caller through `i`
        Ok(())
    }
}

fn missing(address: &[u8; 20], kind: Kind) -> Error {
    crate::events::log_missing(address, kind as u8, &[0; 32]);
    IsthmusError::AccountNotProvided.into()
}

fn missing_slot(address: &[u8; 20], slot: &B256) -> Error {
    crate::events::log_missing(address, Kind::Storage as u8, slot);
    IsthmusError::AccountNotProvided.into()
}

trait EmptyInfo {
    fn default_empty() -> Self;
}

impl EmptyInfo for AccountInfo {
    fn default_empty() -> Self {
        AccountInfo {
            balance: U256::ZERO,
            nonce: 0,
            code_hash: KECCAK_EMPTY,
        }
    }
}

/// Classifies one remaining account, validating the PDA of every program account.
fn classify(program_id: &Address, view: &AccountView) -> Result<Entry> {
    if !view.owned_by(program_id) {
        if view.owned_by(&anchor_lang::system_program::ID) && view.data_len() == 0 {
            return Ok(Entry::Empty);
        }
        return Ok(Entry::Other);
    }
    let data = view.try_borrow()?;
    if data.len() < 8 {
        return Ok(Entry::Other);
    }
    let disc: [u8; 8] = layout::array_at(&data, 0);
    let (entry, key) = if disc == ETH_ACCOUNT_DISC {
        require!(data.len() == account::LEN, IsthmusError::BadEvmAccount);
        let address: [u8; 20] = array_at(&data, account::ADDRESS);
        let bump = data[account::BUMP];
        let key = crate::pda::create(&[SEED_ACCOUNT, &address, &[bump]], program_id);
        let info = AccountInfo {
            balance: U256::from_le_bytes::<32>(array_at(&data, account::BALANCE)),
            nonce: u64_at(&data, account::NONCE),
            code_hash: array_at(&data, account::CODE_HASH),
        };
        let generation = u64_at(&data, account::GENERATION);
        (
            Entry::Account {
                address,
                info,
                generation,
            },
            key,
        )
    } else if disc == ETH_CODE_DISC {
        require!(data.len() >= code::CODE, IsthmusError::BadEvmAccount);
        let address: [u8; 20] = array_at(&data, code::ADDRESS);
        let bump = data[code::BUMP];
        let len = u32::from_le_bytes(array_at(&data, code::CODE_LEN)) as usize;
        // Longer than its code while `prepare_code` grows it for a large contract; without the
        // analysis when written before code accounts kept one (`bytecode` then analyses it).
        require!(data.len() >= code::CODE + len, IsthmusError::BadEvmAccount);
        let key = crate::pda::create(&[SEED_CODE, &address, &[bump]], program_id);
        (Entry::Code { address }, key)
    } else if disc == STORAGE_CELL_DISC {
        require!(data.len() == storage::LEN, IsthmusError::BadEvmAccount);
        let address: [u8; 20] = array_at(&data, storage::ADDRESS);
        let slot: B256 = array_at(&data, storage::SLOT);
        let bump = data[storage::BUMP];
        let key = crate::pda::create(&[SEED_STORAGE, &address, &slot, &[bump]], program_id);
        (
            Entry::Storage {
                address,
                slot,
                generation: u64_at(&data, storage::GENERATION),
                value: array_at(&data, storage::VALUE),
            },
            key,
        )
    } else if disc == FEE_MARKET_DISC {
        require!(
            data.len() == fee_market::LEN,
            IsthmusError::BadFeeMarketAccount
        );
        let address: [u8; 20] = array_at(&data, fee_market::ADDRESS);
        let bump = data[fee_market::BUMP];
        let key = crate::pda::create(&[SEED_FEE, &address, &[bump]], program_id);
        (Entry::FeeMarket { address }, key)
    } else {
        return Ok(Entry::Other);
    };
    require!(
        key.as_ref() == Some(view.address()),
        IsthmusError::BadEvmAccount
    );
    Ok(entry)
}

impl State for SolanaHost<'_> {
    fn account(
        &mut self,
        address: &[u8; 20],
    ) -> core::result::Result<Option<AccountInfo>, StateError> {
        if let Some(i) = self.find_account(address) {
            if let Entry::Account { info, .. } = &self.entries[i] {
                let info = info.clone();
                self.record_read(i);
                return Ok(Some(info));
            }
        }
        match self.absent(Kind::Account, address, &[0; 32]) {
            Some(_) => Ok(None),
            None => Err(StateError::AccountUnavailable(*address)),
        }
    }

    /// Not on the interpreter's path (it asks for [`State::bytecode`]).
    fn code(&mut self, address: &[u8; 20]) -> core::result::Result<Vec<u8>, StateError> {
        Ok(self.bytecode(address)?.code().to_vec())
    }

    /// The code with the analysis `apply` stored beside it.
    fn bytecode(&mut self, address: &[u8; 20]) -> core::result::Result<Rc<Bytecode>, StateError> {
        let Some(i) = self.code_index(address)? else {
            return Ok(Rc::default());
        };
        let data = self.views[i]
            .try_borrow()
            .map_err(|_| StateError::AccountUnavailable(*address))?;
        let len = u32::from_le_bytes(array_at(&data, code::CODE_LEN)) as usize;
        let code = data[code::CODE..code::CODE + len].to_vec();
        Ok(Rc::new(if data.len() >= code::len(len) {
            Bytecode::with_jumpdests(code, code::read_analysis(&data, len))
        } else {
            Bytecode::new(code)
        }))
    }

    fn storage(
        &mut self,
        address: &[u8; 20],
        slot: &U256,
    ) -> core::result::Result<U256, StateError> {
        let key: B256 = slot.to_be_bytes();
        if let Some(index) = account::inline_index(&key) {
            return match self.find_account(address) {
                Some(i) => {
                    self.record_read(i);
                    let data = self.views[i]
                        .try_borrow()
                        .map_err(|_| StateError::AccountUnavailable(*address))?;
                    let at = account::INLINE + index * 32;
                    Ok(U256::from_be_bytes::<32>(array_at(&data, at)))
                }
                None => match self.absent(Kind::Account, address, &[0; 32]) {
                    Some(_) => Ok(U256::ZERO),
                    None => Err(StateError::AccountUnavailable(*address)),
                },
            };
        }
        if let Some(i) = self.find_storage(address, &key) {
            if let Entry::Storage {
                generation, value, ..
            } = &self.entries[i]
            {
                let (generation, value) = (*generation, *value);
                self.record_read(i);
                return Ok(if generation == self.generation(address) {
                    U256::from_be_bytes(value)
                } else {
                    U256::ZERO
                });
            }
        }
        match self.absent(Kind::Storage, address, &key) {
            Some(_) => Ok(U256::ZERO),
            None => Err(StateError::StorageUnavailable(*address, *slot)),
        }
    }

    /// Storage cells are only ever written for an account that has code (or had, in an older
    /// generation, which reads as empty): an address a CREATE may land on (no code, nonce 0) has
    /// no live storage.
    fn has_storage(&mut self, _address: &[u8; 20]) -> core::result::Result<bool, StateError> {
        Ok(false)
    }

    /// The hash of slot `number` from the registry and SlotHashes: zero outside the 256-slot
    /// window or for a skipped slot, as Ethereum's BLOCKHASH answers outside its window.
    fn block_hash(&mut self, number: u64) -> core::result::Result<B256, StateError> {
        Ok(self
            .block_hashes
            .as_ref()
            .map(|hashes| hashes.hash(number))
            .unwrap_or([0; 32]))
    }
}
