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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use alloc::vec::Vec;

    fn h(slot: u64) -> [u8; 32] {
        let mut hash = [0xabu8; 32];
        hash[..8].copy_from_slice(&slot.to_le_bytes());
        hash
    }

    /// SlotHashes-style entries, newest first: `from` down to `to`, without `skipped`.
    fn entries(from: u64, to: u64, skipped: &[u64]) -> Vec<(u64, [u8; 32])> {
        (to..=from)
            .rev()
            .filter(|s| !skipped.contains(s))
            .map(|s| (s, h(s)))
            .collect()
    }

    fn record(r: &mut BlockhashRegistry, e: &[(u64, [u8; 32])]) {
        r.record(e.iter().map(|(s, hash)| (*s, hash)));
    }

    #[test]
    fn window_skips_and_memory() {
        let mut r: Box<BlockhashRegistry> = Box::new(anchor_lang::bytemuck::Zeroable::zeroed());
        assert_eq!(r.hash(0), [0; 32]);
        // First fill: 999..488 (more than the window), 900 skipped.
        record(&mut r, &entries(999, 488, &[900]));
        assert_eq!(r.newest_slot.get(), 999);
        assert_eq!(r.hash(999), h(999));
        assert_eq!(r.hash(744), h(744));
        assert_eq!(r.hash(743), [0; 32]);
        assert_eq!(r.hash(900), [0; 32]);
        assert_eq!(r.hash(1_000), [0; 32]);
        // Ten slots later, the sysvar holding only the newest ten: older ones are remembered,
        // those that left the window are not, a skipped new slot reads zero.
        record(&mut r, &entries(1_009, 1_000, &[1_005]));
        assert_eq!(r.hash(1_009), h(1_009));
        assert_eq!(r.hash(1_005), [0; 32]);
        assert_eq!(r.hash(754), h(754));
        assert_eq!(r.hash(753), [0; 32]);
        // Nothing new: unchanged.
        let before = r.valid;
        record(&mut r, &entries(1_009, 1_000, &[]));
        assert_eq!(r.valid, before);
        assert_eq!(r.hash(1_005), [0; 32]);
        // A jump beyond the window forgets everything older.
        record(&mut r, &entries(5_000, 4_990, &[]));
        assert_eq!(r.hash(5_000), h(5_000));
        assert_eq!(r.hash(4_990), h(4_990));
        assert_eq!(r.hash(4_989), [0; 32]);
        assert_eq!(r.hash(1_009), [0; 32]);
        // Slots in the window the registry never saw (between the two records) read zero.
        record(&mut r, &entries(5_100, 5_095, &[]));
        assert_eq!(r.hash(5_050), [0; 32]);
        assert_eq!(r.hash(5_000), h(5_000));
        // An empty sysvar changes nothing.
        let before = (r.newest_slot.get(), r.valid);
        record(&mut r, &[]);
        assert_eq!((r.newest_slot.get(), r.valid), before);
    }
}
