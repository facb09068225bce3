use anchor_lang::prelude::*;

/// Slots whose hash the registry keeps: Ethereum's BLOCKHASH window.
pub const BLOCKHASH_WINDOW: u64 = 256;

/// The blockhash registry, PDA `["blockhashes"]`: the hashes of the last 256 slots, copied from
/// the SlotHashes sysvar (see [`crate::blockhashes`]).
///
/// Compact, direct-mapped layout (8,241 bytes with the discriminator): the hash of slot `s` sits
/// at index `s % 256`, and bit `s % 256` of `valid` says whether that index holds a slot of the
/// window `newest_slot - 255 ..= newest_slot`. Storing a full `(slot, hash)` pair per entry would
/// take 10,240 bytes of entries plus the header, above the 10,240 bytes an account created through
/// a CPI may have (MAX_PERMITTED_DATA_INCREASE), so it could not be created in one instruction;
/// the bitmap carries the same information in 32 bytes.
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
    fn bit(index: usize) -> u8 {
        1 << (index % 8)
    }

    fn is_valid(&self, index: usize) -> bool {
        self.valid[index / 8] & Self::bit(index) != 0
    }

    fn set_valid(&mut self, index: usize, on: bool) {
        if on {
            self.valid[index / 8] |= Self::bit(index);
        } else {
            self.valid[index / 8] &= !Self::bit(index);
        }
    }

    /// The hash of slot `slot`: zero outside the window or for a slot that was skipped (or that
    /// was never seen).
    pub fn hash(&self, slot: u64) -> [u8; 32] {
        let newest = self.newest_slot.get();
        if slot > newest || newest - slot >= BLOCKHASH_WINDOW {
            return [0; 32];
        }
        let index = (slot % BLOCKHASH_WINDOW) as usize;
        if self.is_valid(index) {
            self.hashes[index]
        } else {
            [0; 32]
        }
    }

    /// Records `entries` (slot, hash), newest first as in the SlotHashes sysvar. Moves the window
    /// up to the newest slot (forgetting the slots that leave it), then writes every entry newer
    /// than what was recorded before (older ones are there already: the sysvar never changes a
    /// past slot's hash), or every entry of the window when nothing was recorded yet. Bounded:
    /// at most 256 entries are written.
    pub fn record<'e>(&mut self, entries: impl IntoIterator<Item = (u64, &'e [u8; 32])>) {
        let old = self.newest_slot.get();
        let empty = self.valid == [0; 32];
        let mut entries = entries.into_iter().peekable();
        let Some(&(newest, _)) = entries.peek() else {
            return;
        };
        if newest > old {
            if empty || newest - old >= BLOCKHASH_WINDOW {
                self.valid = [0; 32];
            } else {
                for slot in old + 1..=newest {
                    self.set_valid((slot % BLOCKHASH_WINDOW) as usize, false);
                }
            }
            self.newest_slot = newest.into();
        }
        let newest = self.newest_slot.get();
        for (slot, hash) in entries {
            if (!empty && slot <= old) || slot > newest || newest - slot >= BLOCKHASH_WINDOW {
                break;
            }
            let index = (slot % BLOCKHASH_WINDOW) as usize;
            self.hashes[index] = *hash;
            self.set_valid(index, true);
        }
    }
}
