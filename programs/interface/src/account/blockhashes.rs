//! `BlockhashRegistry`, PDA `["blockhashes"]`: the hashes of the last [`WINDOW`] slots, copied
//! from the SlotHashes sysvar, so BLOCKHASH answers Ethereum's whole 256-block window.
//!
//! Direct-mapped (8,241 bytes with the discriminator): the hash of slot `s` sits at index
//! `s % 256`, and bit `s % 256` of `valid` says whether that index holds a slot of the window
//! `newest_slot - 255 ..= newest_slot`. A full `(slot, hash)` pair per entry would take more than
//! the 10,240 bytes an account created through a CPI may have; the bitmap carries the same in 32.

use super::{check, BLOCKHASH_REGISTRY_DISCRIMINATOR};
use crate::reader::u64_at;
use crate::DecodeError;
use alloc::boxed::Box;

/// Slots whose hash the registry keeps: Ethereum's BLOCKHASH window.
pub const WINDOW: u64 = 256;

pub const NEWEST_SLOT: usize = 8;
pub const BUMP: usize = 16;
pub const VALID: usize = 17;
pub const HASHES: usize = 49;
pub const LEN: usize = HASHES + WINDOW as usize * 32;

/// The registry's window, borrowed in place (the program's account) or owned (off-chain).
pub struct BlockhashWindow<'a> {
    pub newest_slot: &'a mut u64,
    pub valid: &'a mut [u8; 32],
    pub hashes: &'a mut [[u8; 32]; WINDOW as usize],
}

fn bit(index: usize) -> u8 {
    1 << (index % 8)
}

/// The hash of `slot` in a window: zero outside it, for a skipped slot, or one never seen.
pub fn window_hash(
    newest_slot: u64,
    valid: &[u8; 32],
    hashes: &[[u8; 32]; WINDOW as usize],
    slot: u64,
) -> [u8; 32] {
    if slot > newest_slot || newest_slot - slot >= WINDOW {
        return [0; 32];
    }
    let index = (slot % WINDOW) as usize;
    if valid[index / 8] & bit(index) != 0 {
        hashes[index]
    } else {
        [0; 32]
    }
}

impl BlockhashWindow<'_> {
    fn set_valid(&mut self, index: usize, on: bool) {
        if on {
            self.valid[index / 8] |= bit(index);
        } else {
            self.valid[index / 8] &= !bit(index);
        }
    }

    pub fn hash(&self, slot: u64) -> [u8; 32] {
        window_hash(*self.newest_slot, self.valid, self.hashes, slot)
    }

    /// Records `entries` (slot, hash), newest first as in the SlotHashes sysvar. Moves the window
    /// up to the newest slot (forgetting the slots that leave it), then writes every entry newer
    /// than what was recorded before (older ones are there already: the sysvar never changes a
    /// past slot's hash), or every entry of the window when nothing was recorded yet. Bounded:
    /// at most 256 entries are written.
    pub fn record<'e>(&mut self, entries: impl IntoIterator<Item = (u64, &'e [u8; 32])>) {
        let old = *self.newest_slot;
        let empty = *self.valid == [0; 32];
        let mut entries = entries.into_iter().peekable();
        let Some(&(newest, _)) = entries.peek() else {
            return;
        };
        if newest > old {
            if empty || newest - old >= WINDOW {
                *self.valid = [0; 32];
            } else {
                for slot in old + 1..=newest {
                    self.set_valid((slot % WINDOW) as usize, false);
                }
            }
            *self.newest_slot = newest;
        }
        let newest = *self.newest_slot;
        for (slot, hash) in entries {
            if (!empty && slot <= old) || slot > newest || newest - slot >= WINDOW {
                break;
            }
            let index = (slot % WINDOW) as usize;
            self.hashes[index] = *hash;
            self.set_valid(index, true);
        }
    }
}

/// The registry, decoded (off-chain: the emulator refreshes it from SlotHashes as the program
/// does, then answers BLOCKHASH from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockhashRegistry {
    pub newest_slot: u64,
    pub bump: u8,
    pub valid: [u8; 32],
    pub hashes: Box<[[u8; 32]; WINDOW as usize]>,
}

impl Default for BlockhashRegistry {
    /// The registry before its first refresh (or before it exists).
    fn default() -> Self {
        Self {
            newest_slot: 0,
            bump: 0,
            valid: [0; 32],
            hashes: Box::new([[0; 32]; WINDOW as usize]),
        }
    }
}

impl BlockhashRegistry {
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        check(data, &BLOCKHASH_REGISTRY_DISCRIMINATOR, LEN)?;
        let mut hashes = Box::new([[0u8; 32]; WINDOW as usize]);
        for (i, hash) in hashes.iter_mut().enumerate() {
            let at = HASHES + 32 * i;
            *hash = data[at..at + 32].try_into().unwrap();
        }
        Ok(Self {
            newest_slot: u64_at(data, NEWEST_SLOT),
            bump: data[BUMP],
            valid: data[VALID..VALID + 32].try_into().unwrap(),
            hashes,
        })
    }

    pub fn window(&mut self) -> BlockhashWindow<'_> {
        BlockhashWindow {
            newest_slot: &mut self.newest_slot,
            valid: &mut self.valid,
            hashes: &mut self.hashes,
        }
    }

    pub fn hash(&self, slot: u64) -> [u8; 32] {
        window_hash(self.newest_slot, &self.valid, &self.hashes, slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        r.window().record(e.iter().map(|(s, hash)| (*s, hash)));
    }

    #[test]
    fn window_skips_and_memory() {
        let mut r = BlockhashRegistry::default();
        assert_eq!(r.hash(0), [0; 32]);
        // First fill: 999..488 (more than the window), 900 skipped.
        record(&mut r, &entries(999, 488, &[900]));
        assert_eq!(r.newest_slot, 999);
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
        let before = (r.newest_slot, r.valid);
        record(&mut r, &[]);
        assert_eq!((r.newest_slot, r.valid), before);
    }

    #[test]
    fn decodes_what_the_layout_says() {
        let mut data = alloc::vec![0u8; LEN];
        data[..8].copy_from_slice(&BLOCKHASH_REGISTRY_DISCRIMINATOR);
        data[NEWEST_SLOT..NEWEST_SLOT + 8].copy_from_slice(&300u64.to_le_bytes());
        data[BUMP] = 254;
        data[VALID + 300 % 256 / 8] = 1 << (300 % 256 % 8);
        data[HASHES + 32 * (300 % 256)] = 7;
        let r = BlockhashRegistry::decode(&data).unwrap();
        assert_eq!(r.bump, 254);
        assert_eq!(r.hash(300)[0], 7);
        assert_eq!(r.hash(299), [0; 32]);
        assert_eq!(
            BlockhashRegistry::decode(&data[..LEN - 1]),
            Err(DecodeError::Length)
        );
    }
}
