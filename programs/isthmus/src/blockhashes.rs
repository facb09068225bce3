//! Filling the blockhash registry ([`BlockhashRegistry`], PDA `["blockhashes"]`) from the
//! SlotHashes sysvar. Called by `execute` before it runs a transaction (so BLOCKHASH sees the
//! newest slots) and by the permissionless `crank_blockhashes`; any other executing instruction
//! can call [`refresh`] the same way.
//!
//! The sysvar is read from the account passed (about 20 KB, not copied): its address is checked,
//! since a forged account could otherwise feed the EVM any hashes.

use crate::error::IsthmusError;
use crate::state::BlockhashRegistry;
use anchor_lang::pinocchio::sysvars::slot_hashes::{SlotHashes, SLOTHASHES_ID};
use anchor_lang::pinocchio::AccountView;
use anchor_lang::prelude::*;

/// `SysvarS1otHashes111111111111111111111111111`.
pub const SLOT_HASHES_ID: Address = SLOTHASHES_ID;

/// Records the sysvar's newest slots in `registry` and returns the most recent slot hash (the
/// PREVRANDAO of transactions executed now; zero if the sysvar is empty).
pub fn refresh(registry: &mut BlockhashRegistry, sysvar: &AccountView) -> Result<[u8; 32]> {
    require!(
        sysvar.address() == &SLOT_HASHES_ID,
        IsthmusError::NotSlotHashes
    );
    let data = sysvar.try_borrow()?;
    let slot_hashes = SlotHashes::new(&*data).map_err(|_| IsthmusError::NotSlotHashes)?;
    let entries = slot_hashes.entries();
    registry.record(entries.iter().map(|e| (e.slot(), &e.hash)));
    Ok(isthmus_interface::block::prevrandao(
        entries.first().map(|e| e.hash),
    ))
}
