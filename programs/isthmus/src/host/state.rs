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
use alloc::vec::Vec;
use anchor_lang::pinocchio::cpi::{Seed, Signer};
use anchor_lang::pinocchio::sysvars::{rent::Rent, Sysvar};
use anchor_lang::pinocchio::{AccountView, Address};
use anchor_lang::prelude::*;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{AccountInfo, State, StateError, B256, U256};

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
    /// Answers BLOCKHASH; without it BLOCKHASH is zero.
    block_hashes: Option<&'a crate::state::BlockhashRegistry>,
}

#[cfg(target_arch = "bpf")]
fn create_pda(seeds: &[&[u8]], program_id: &Address) -> Option<Address> {
    Address::create_program_address(seeds, program_id).ok()
}

#[cfg(target_arch = "bpf")]
fn find_pda(seeds: &[&[u8]], program_id: &Address) -> (Address, u8) {
    Address::find_program_address(seeds, program_id)
}

// Host builds (IDL, unit tests) have no PDA syscalls; the host never runs there.
#[cfg(not(target_arch = "bpf"))]
fn create_pda(_seeds: &[&[u8]], _program_id: &Address) -> Option<Address> {
    unimplemented!("PDA derivation is a syscall")
}

#[cfg(not(target_arch = "bpf"))]
fn find_pda(_seeds: &[&[u8]], _program_id: &Address) -> (Address, u8) {
    unimplemented!("PDA derivation is a syscall")
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
            block_hashes: None,
        })
    }

    /// BLOCKHASH answers from `registry` (refreshed from SlotHashes before execution).
    pub fn set_block_hashes(&mut self, registry: &'a crate::state::BlockhashRegistry) {
        self.block_hashes = Some(registry);
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
            Kind::Account => find_pda(&[SEED_ACCOUNT, address], self.program_id),
            Kind::Code => find_pda(&[SEED_CODE, address], self.program_id),
            Kind::Storage => find_pda(&[SEED_STORAGE, address, slot], self.program_id),
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
        found
    }

    /// Writes `changes` to the accounts, creating those that do not exist yet (rent paid by
    /// `payer`, the operator).
    pub fn apply(&mut self, changes: &StateChanges, payer: &AccountView) -> Result<()> {
        for change in &changes.accounts {
            let address = &change.address;
            let existing = self.find_account(address);
            let generation = match (existing, &change.info) {
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
                    generation
                }
                (None, Some(info)) => {
                    let nothing = info.nonce == 0
                        && info.balance.is_zero()
                        && info.code_hash == KECCAK_EMPTY
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
                    0
                }
            };

            if let Some(code) = change.code.as_ref().filter(|c| !c.is_empty()) {
                let len = code::CODE + code.len();
                let i = match self.find_code(address) {
                    Some(i) => {
                        // A code account left by a destroyed contract: reusable when the new code
                        // has the same length (resizing is a later slice).
                        require!(
                            self.views[i].data_len() == len,
                            IsthmusError::CodeAccountExists
                        );
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
                let mut data = self.views[i].try_borrow_mut()?;
                data[code::CODE_LEN..code::CODE_LEN + 4]
                    .copy_from_slice(&(code.len() as u32).to_le_bytes());
                data[code::CODE..].copy_from_slice(code);
            }

            for (slot, value) in &change.storage {
                let slot: B256 = slot.to_be_bytes();
                let value: B256 = value.to_be_bytes();
                let i = match self.find_storage(address, &slot) {
                    Some(i) => {
                        let unchanged = matches!(&self.entries[i],
                            Entry::Storage { generation: g, value: v, .. } if *g == generation && *v == value);
                        if unchanged {
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
        Ok(())
    }

    fn writable(&self, i: usize) -> Result<()> {
        require!(
            self.views[i].is_writable(),
            IsthmusError::AccountNotWritable
        );
        Ok(())
    }

    fn write_account(&mut self, i: usize, info: &AccountInfo, generation: u64) -> Result<()> {
        self.writable(i)?;
        let mut data = self.views[i].try_borrow_mut()?;
        data[account::NONCE..account::NONCE + 8].copy_from_slice(&info.nonce.to_le_bytes());
        data[account::BALANCE..account::BALANCE + 32]
            .copy_from_slice(&info.balance.to_le_bytes::<32>());
        data[account::CODE_HASH..account::CODE_HASH + 32].copy_from_slice(&info.code_hash);
        data[account::GENERATION..account::GENERATION + 8]
            .copy_from_slice(&generation.to_le_bytes());
        Ok(())
    }

    /// Creates remaining account `i` as a `space`-byte account of this program at the PDA of
    /// `seeds` + `bump`, paid by `payer`. Lamports someone sent to the address beforehand do not
    /// block it: then it is topped up, allocated and assigned instead.
    fn create(
        &mut self,
        i: usize,
        payer: &AccountView,
        space: usize,
        seeds: &[&[u8]],
        bump: u8,
    ) -> Result<()> {
        self.writable(i)?;
        let rent = Rent::get()?.try_minimum_balance(space)?;
        let bump = [bump];
        let mut signer_seeds: Vec<Seed> = seeds.iter().map(|s| Seed::from(*s)).collect();
        signer_seeds.push(Seed::from(&bump));
        let signer = Signer::from(&signer_seeds[..]);
        let to = &self.views[i];
        if to.lamports() == 0 {
            pinocchio_system::instructions::CreateAccount {
                from: payer,
                to,
                lamports: rent,
                space: space as u64,
                owner: self.program_id,
            }
            .invoke_signed(&[signer])?;
        } else {
            let top_up = rent.saturating_sub(to.lamports());
            if top_up > 0 {
                pinocchio_system::instructions::Transfer {
                    from: payer,
                    to,
                    lamports: top_up,
                }
                .invoke()?;
            }
            pinocchio_system::instructions::Allocate {
                account: to,
                space: space as u64,
            }
            .invoke_signed(core::slice::from_ref(&signer))?;
            pinocchio_system::instructions::Assign {
                account: to,
                owner: self.program_id,
            }
            .invoke_signed(&[signer])?;
        }
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
        let key = create_pda(&[SEED_ACCOUNT, &address, &[bump]], program_id);
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
        require!(data.len() == code::CODE + len, IsthmusError::BadEvmAccount);
        let key = create_pda(&[SEED_CODE, &address, &[bump]], program_id);
        (Entry::Code { address }, key)
    } else if disc == STORAGE_CELL_DISC {
        require!(data.len() == storage::LEN, IsthmusError::BadEvmAccount);
        let address: [u8; 20] = array_at(&data, storage::ADDRESS);
        let slot: B256 = array_at(&data, storage::SLOT);
        let bump = data[storage::BUMP];
        let key = create_pda(&[SEED_STORAGE, &address, &slot, &[bump]], program_id);
        (
            Entry::Storage {
                address,
                slot,
                generation: u64_at(&data, storage::GENERATION),
                value: array_at(&data, storage::VALUE),
            },
            key,
        )
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
                return Ok(Some(info.clone()));
            }
        }
        match self.absent(Kind::Account, address, &[0; 32]) {
            Some(_) => Ok(None),
            None => Err(StateError::AccountUnavailable(*address)),
        }
    }

    fn code(&mut self, address: &[u8; 20]) -> core::result::Result<Vec<u8>, StateError> {
        let Some(info) = self.account(address)? else {
            return Ok(Vec::new());
        };
        if info.code_hash == KECCAK_EMPTY {
            return Ok(Vec::new());
        }
        let i = self
            .find_code(address)
            .ok_or(StateError::AccountUnavailable(*address))?;
        let data = self.views[i]
            .try_borrow()
            .map_err(|_| StateError::AccountUnavailable(*address))?;
        Ok(data[code::CODE..].to_vec())
    }

    fn storage(
        &mut self,
        address: &[u8; 20],
        slot: &U256,
    ) -> core::result::Result<U256, StateError> {
        let key: B256 = slot.to_be_bytes();
        if let Some(i) = self.find_storage(address, &key) {
            if let Entry::Storage {
                generation, value, ..
            } = &self.entries[i]
            {
                let (generation, value) = (*generation, *value);
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

    /// The hash of slot `number` from the blockhash registry: zero outside its 256-slot window
    /// or for a skipped slot, as Ethereum's BLOCKHASH answers outside its window.
    fn block_hash(&mut self, number: u64) -> core::result::Result<B256, StateError> {
        Ok(self
            .block_hashes
            .map(|registry| registry.hash(number))
            .unwrap_or([0; 32]))
    }
}
