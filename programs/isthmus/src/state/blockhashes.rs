use anchor_lang::prelude::*;
pub use isthmus_interface::account::blockhashes::WINDOW as BLOCKHASH_WINDOW;
use isthmus_interface::account::blockhashes::{window_hash, BlockhashWindow};

/// The blockhash registry, PDA `["blockhashes"]`: the hashes of the last 256 slots, copied from
/// the SlotHashes sysvar (see [`crate::blockhashes`]).
///
/// Layout and window rules: `isthmus_interface::account::blockhashes` (direct-mapped, 8,241
/// bytes: the hash of slot `s` at index `s % 256`, a validity bitmap).
#[account]
pub struct BlockhashRegistry {
    /// The most recent slot recorded (nothing is recorded while `valid` is all zero).
    pub newest_slot: PodU64,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Bit `i` (byte `i / 8`, bit `i % 8`): index `i` holds the hash of a slot in the window.
    pub valid: [u8; 32],
    /// `hashes[s % 256]`: the hash of slot `s`.
    pub hashes: [[u8; 32]; 256],
}

impl BlockhashRegistry {
    /// The hash of slot `slot`: zero outside the window or for a slot that was skipped (or that
    /// was never seen).
    pub fn hash(&self, slot: u64) -> [u8; 32] {
        window_hash(self.newest_slot.get(), &self.valid, &self.hashes, slot)
    }

    /// Records SlotHashes `entries` (newest first): [`BlockhashWindow::record`].
    pub fn record<'e>(&mut self, entries: impl IntoIterator<Item = (u64, &'e [u8; 32])>) {
        let mut newest_slot = self.newest_slot.get();
        BlockhashWindow {
            newest_slot: &mut newest_slot,
            valid: &mut self.valid,
            hashes: &mut self.hashes,
        }
        .record(entries);
        self.newest_slot = newest_slot.into();
    }
}
