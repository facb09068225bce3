//! Holder accounts: an operator's scratch space for one Ethereum transaction at a time. It
//! receives a transaction too large for one Solana transaction in chunks (`holder_write`), and
//! keeps the saved interpreter between the steps of an iterative transaction (`step`).
//!
//! PDA `["holder", operator, index (u64 little-endian)]`, owned by the program, variable length;
//! its layout is `isthmus_interface::account::holder`. After the raw transaction comes the saved
//! [`Progress`]. |

use crate::error::IsthmusError;
use crate::host::state::ReadEntry;
use alloc::vec::Vec;
use anchor_lang::pinocchio::{AccountView, Address};
use anchor_lang::prelude::*;
use isthmus_evm::Machine;

pub use isthmus_interface::account::holder::{
    BUMP, HEADER, INDEX, MAX_GROWTH, MAX_LEN as MAX_HOLDER_LEN, OPERATOR, PROGRESS_LEN, RENT,
    STATUS, STATUS_IDLE, STATUS_RUNNING, TX_HASH, TX_LEN,
};
pub use isthmus_interface::account::HOLDER_DISCRIMINATOR as HOLDER_DISC;
pub use isthmus_interface::seeds::HOLDER as SEED_HOLDER;

/// A holder's header fields.
#[derive(Clone, Copy, Debug)]
pub struct HolderHeader {
    pub status: u8,
    pub tx_len: usize,
    pub progress_len: usize,
    pub tx_hash: [u8; 32],
    /// Rent the running transaction's earlier steps paid (`isthmus_interface::solana_costs`).
    pub rent: u64,
}

/// Checks that `view` is a holder of this program at its PDA and that `operator` owns it, and
/// returns its header.
pub fn load_holder(
    program_id: &Address,
    view: &AccountView,
    operator: &Address,
) -> Result<HolderHeader> {
    require!(view.owned_by(program_id), IsthmusError::BadHolder);
    let data = view.try_borrow()?;
    // Discriminator, header length, and lengths that fit the account: the interface's decoding.
    let header = isthmus_interface::account::HolderHeader::decode(&data)
        .map_err(|_| IsthmusError::BadHolder)?;
    require!(
        header.operator[..] == *operator.as_ref(),
        IsthmusError::NotHolderOperator
    );
    let key = crate::pda::create(
        &[
            SEED_HOLDER,
            operator.as_ref(),
            &header.index.to_le_bytes(),
            &[header.bump],
        ],
        program_id,
    );
    require!(
        key.as_ref() == Some(view.address()),
        IsthmusError::BadHolder
    );
    Ok(HolderHeader {
        status: header.status,
        tx_len: header.tx_len as usize,
        progress_len: header.progress_len as usize,
        tx_hash: header.tx_hash,
        rent: header.rent,
    })
}

/// Writes the header fields that change (status, lengths, hash, rent).
pub fn write_header(view: &mut AccountView, header: &HolderHeader) -> Result<()> {
    let mut data = view.try_borrow_mut()?;
    data[STATUS] = header.status;
    data[TX_LEN..TX_LEN + 4].copy_from_slice(&(header.tx_len as u32).to_le_bytes());
    data[PROGRESS_LEN..PROGRESS_LEN + 4]
        .copy_from_slice(&(header.progress_len as u32).to_le_bytes());
    data[TX_HASH..TX_HASH + 32].copy_from_slice(&header.tx_hash);
    data[RENT..RENT + 8].copy_from_slice(&header.rent.to_le_bytes());
    Ok(())
}

/// Grows `view` to at least `len` bytes, the operator topping up its rent. Solana lets an
/// instruction grow an account by at most 10 KiB; beyond that the operator grows the holder
/// first with `holder_resize`.
pub fn ensure_len(view: &mut AccountView, operator: &AccountView, len: usize) -> Result<()> {
    if view.data_len() >= len {
        return Ok(());
    }
    require!(len <= MAX_HOLDER_LEN, IsthmusError::HolderTooSmall);
    require!(
        len - view.data_len() <= MAX_GROWTH,
        IsthmusError::HolderTooSmall
    );
    resize(view, operator, len)
}

/// Resizes the holder to `len` bytes ([`crate::pda::resize_account`]).
pub fn resize(view: &mut AccountView, operator: &AccountView, len: usize) -> Result<()> {
    crate::pda::resize_account(view, operator, len)?;
    Ok(())
}

/// Creates the holder PDA of (`operator`, `index`) with `len` bytes and writes its fixed header.
pub fn create_holder(
    program_id: &Address,
    operator: &AccountView,
    view: &mut AccountView,
    index: u64,
    len: usize,
) -> Result<()> {
    let index_bytes = index.to_le_bytes();
    let (key, bump) = crate::pda::find(
        &[SEED_HOLDER, operator.address().as_ref(), &index_bytes],
        program_id,
    );
    require!(view.address() == &key, IsthmusError::BadHolder);
    // Lamports sent to the address beforehand do not block it (`create_account` tops up).
    require!(
        view.owned_by(&anchor_lang::system_program::ID) && view.data_len() == 0,
        IsthmusError::HolderExists
    );
    crate::pda::create_account(
        program_id,
        operator,
        view,
        len,
        &[SEED_HOLDER, operator.address().as_ref(), &index_bytes],
        bump,
    )?;
    let mut data = view.try_borrow_mut()?;
    data[..8].copy_from_slice(&HOLDER_DISC);
    data[OPERATOR..OPERATOR + 32].copy_from_slice(operator.address().as_ref());
    data[INDEX..INDEX + 8].copy_from_slice(&index_bytes);
    data[BUMP] = bump;
    Ok(())
}

/// What an iterative transaction keeps between steps.
pub struct Progress {
    /// How often it started over because an account it had read changed between steps.
    pub restarts: u32,
    /// The accounts read so far and what they held (see [`crate::host::state::ReadEntry`]).
    pub reads: Vec<ReadEntry>,
    /// The interpreter, paused (or finished and waiting to be settled).
    pub machine: Machine,
}

impl Progress {
    /// Runs the transaction again from its first opcode, in the block of its first step (what
    /// it read changed under it).
    pub fn start_over(&mut self) {
        self.machine = self.machine.restarted();
        self.reads.clear();
        self.restarts += 1;
    }

    /// Bytes [`Progress::write_to`] writes.
    pub fn encoded_len(&self) -> usize {
        8 + self.reads.len() * ReadEntry::LEN + self.machine.serialized_len()
    }

    /// Writes the progress into `out` (exactly [`Progress::encoded_len`] bytes), without
    /// allocating: a saved machine can be a large part of the 256 KiB heap.
    pub fn write_to(&self, out: &mut [u8]) -> Result<()> {
        out[..4].copy_from_slice(&self.restarts.to_le_bytes());
        out[4..8].copy_from_slice(&(self.reads.len() as u32).to_le_bytes());
        let mut at = 8;
        for entry in &self.reads {
            out[at..at + 32].copy_from_slice(&entry.key);
            out[at + 32..at + 64].copy_from_slice(&entry.fingerprint);
            out[at + 64..at + 96].copy_from_slice(&entry.balance);
            at += ReadEntry::LEN;
        }
        self.machine
            .write_to(&mut out[at..])
            .map_err(|_| IsthmusError::HolderTooSmall.into())
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let bad = || -> Error { IsthmusError::BadHolder.into() };
        let u32_at = |at: usize| -> Result<u32> {
            Ok(u32::from_le_bytes(
                bytes.get(at..at + 4).ok_or_else(bad)?.try_into().unwrap(),
            ))
        };
        let restarts = u32_at(0)?;
        let count = u32_at(4)? as usize;
        let reads_end = 8 + count * ReadEntry::LEN;
        let reads_bytes = bytes.get(8..reads_end).ok_or_else(bad)?;
        let reads = reads_bytes
            .chunks_exact(ReadEntry::LEN)
            .map(|c| ReadEntry {
                key: c[..32].try_into().unwrap(),
                fingerprint: c[32..64].try_into().unwrap(),
                balance: c[64..].try_into().unwrap(),
            })
            .collect();
        let machine = Machine::from_bytes(&bytes[reads_end..]).map_err(|_| bad())?;
        Ok(Self {
            restarts,
            reads,
            machine,
        })
    }
}
