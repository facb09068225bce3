//! The embedded chain's block timestamps, as a development node sets them: the wall clock, moved
//! by `evm_increaseTime` (an offset that stays) and `evm_setNextBlockTimestamp` (one block's
//! exact time, after which the offset continues from it), each block later than the one before
//! (as anvil and the Hardhat node mine: two blocks in one second are a second apart).

use serde::{Deserialize, Serialize};

/// The wall clock in seconds.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// When the next blocks are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockClock {
    /// Seconds added to the wall clock.
    pub offset: i64,
    /// The exact timestamp of the next block, once.
    pub next: Option<u64>,
}

impl BlockClock {
    /// The timestamp of a block opened at wall-clock `now` after a block at `previous`: the one
    /// set for it, else the wall clock with the offset, at least a second after `previous`
    /// (contracts that compare timestamps, such as `Votes.getPastVotes(account, t)` requiring
    /// `t < block.timestamp`, rely on it). A set time is used up, and the offset becomes the
    /// distance from the wall clock to it.
    pub fn next_block(&mut self, previous: u64, now: u64) -> u64 {
        match self.next.take() {
            Some(at) => {
                self.offset = at as i64 - now as i64;
                at
            }
            None => (now as i64 + self.offset).max(previous as i64 + 1).max(0) as u64,
        }
    }

    /// Moves the clock `seconds` ahead; returns the total offset (what Hardhat and anvil answer).
    pub fn increase(&mut self, seconds: u64) -> i64 {
        self.offset = self
            .offset
            .saturating_add(seconds.min(i64::MAX as u64) as i64);
        self.offset
    }

    /// Sets the next block's timestamp; refused when it is before the newest block's
    /// (`previous`), as anvil refuses it.
    pub fn set_next(&mut self, at: u64, previous: u64) -> Result<(), String> {
        if at < previous {
            return Err(format!(
                "Timestamp error: {at} is lower than previous block's timestamp {previous}"
            ));
        }
        self.next = Some(at);
        Ok(())
    }

    /// The encoding kept in the store's meta table.
    pub fn to_bytes(self) -> Vec<u8> {
        serde_json::to_vec(&self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Self {
        serde_json::from_slice(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wall_clock_with_the_offset_never_goes_back() {
        let mut clock = BlockClock::default();
        assert_eq!(clock.next_block(100, 1_000), 1_000);
        assert_eq!(clock.increase(3_600), 3_600);
        assert_eq!(clock.next_block(1_000, 1_001), 4_601);
        // A wall clock behind the newest block does not move blocks back; a block in the same
        // second as the one before is a second later.
        assert_eq!(clock.next_block(9_000, 1_002), 9_001);
        assert_eq!(clock.next_block(9_001, 5_401), 9_002);
    }

    #[test]
    fn a_set_timestamp_is_used_once_and_the_clock_continues_from_it() {
        let mut clock = BlockClock::default();
        clock.set_next(50_000, 1_000).unwrap();
        assert_eq!(clock.next_block(1_000, 1_000), 50_000);
        assert_eq!(clock.offset, 49_000);
        assert_eq!(clock.next_block(50_000, 1_010), 50_010);
        assert_eq!(clock.next_block(50_010, 1_010), 50_011);
        assert!(clock.set_next(40_000, 50_011).is_err());
        assert_eq!(clock.next, None);
        // The same second as the newest block is allowed, as on anvil.
        clock.set_next(50_011, 50_011).unwrap();
    }

    #[test]
    fn it_survives_the_store() {
        let clock = BlockClock {
            offset: -5,
            next: Some(7),
        };
        assert_eq!(BlockClock::from_bytes(&clock.to_bytes()), clock);
    }
}
