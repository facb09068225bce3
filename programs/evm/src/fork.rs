//! The hard forks the interpreter runs, and the parameters that differ between them.
//!
//! A chain picks its fork in [`crate::BlockEnv::fork`]; every rule that changed since Cancun asks
//! the fork instead of assuming one, so the same interpreter serves a chain that has not moved
//! yet (the on-chain program, for now) and one that runs what Ethereum mainnet runs (Osaka).

use borsh::{BorshDeserialize, BorshSerialize};

/// An Ethereum hard fork, in activation order (`Cancun < Prague < Osaka`).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    BorshSerialize,
    BorshDeserialize,
)]
pub enum Fork {
    /// Dencun's execution layer: EIP-1153, 4844, 5656, 6780, 7516.
    Cancun,
    /// Pectra's execution layer: EIP-7702, 2537, 7623, 7691 (and 2935, which is block-level).
    Prague,
    /// Fusaka's execution layer: EIP-7939, 7951, 7823, 7883, 7825, 7918, 7594.
    #[default]
    Osaka,
}

/// EIP-4844 blob parameters of one fork (EIP-7691 raised them in Prague).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobParams {
    /// Blobs a block aims for.
    pub target_per_block: u64,
    /// Blobs a block may hold.
    pub max_per_block: u64,
    /// Blobs one transaction may carry (EIP-7594 caps this below the block's maximum in Osaka).
    pub max_per_tx: u64,
    /// The denominator of the blob base fee's exponential.
    pub update_fraction: u64,
}

impl Fork {
    /// Every fork, oldest first.
    pub const ALL: [Fork; 3] = [Fork::Cancun, Fork::Prague, Fork::Osaka];

    /// The name Ethereum's tests and specifications use ("Cancun", "Prague", "Osaka").
    pub const fn name(self) -> &'static str {
        match self {
            Fork::Cancun => "Cancun",
            Fork::Prague => "Prague",
            Fork::Osaka => "Osaka",
        }
    }

    /// The fork called `name` (case-insensitive), if the interpreter runs it.
    pub fn from_name(name: &str) -> Option<Fork> {
        Self::ALL
            .into_iter()
            .find(|fork| fork.name().eq_ignore_ascii_case(name))
    }

    /// Whether `self` includes `fork`'s rules (it is `fork` or a later one).
    #[inline]
    pub fn is_enabled(self, fork: Fork) -> bool {
        self >= fork
    }

    /// Blob parameters: Cancun 3/6 and 3,338,477; Prague and Osaka 6/9 and 5,007,716, with at
    /// most 6 blobs per transaction from Osaka on (EIP-7594).
    pub const fn blob_params(self) -> BlobParams {
        match self {
            Fork::Cancun => BlobParams {
                target_per_block: 3,
                max_per_block: 6,
                max_per_tx: 6,
                update_fraction: 3_338_477,
            },
            Fork::Prague => BlobParams {
                target_per_block: 6,
                max_per_block: 9,
                max_per_tx: 9,
                update_fraction: 5_007_716,
            },
            Fork::Osaka => BlobParams {
                target_per_block: 6,
                max_per_block: 9,
                max_per_tx: 6,
                update_fraction: 5_007_716,
            },
        }
    }

    /// EIP-7825: the most gas one transaction may ask for, from Osaka on.
    pub const fn tx_gas_limit_cap(self) -> Option<u64> {
        match self {
            Fork::Cancun | Fork::Prague => None,
            Fork::Osaka => Some(1 << 24),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forks_are_ordered_and_named() {
        assert!(Fork::Cancun < Fork::Prague && Fork::Prague < Fork::Osaka);
        assert!(Fork::Osaka.is_enabled(Fork::Prague));
        assert!(!Fork::Cancun.is_enabled(Fork::Prague));
        assert_eq!(Fork::default(), Fork::Osaka);
        for fork in Fork::ALL {
            assert_eq!(Fork::from_name(fork.name()), Some(fork));
        }
        assert_eq!(Fork::from_name("osaka"), Some(Fork::Osaka));
        assert_eq!(Fork::from_name("Shanghai"), None);
    }

    #[test]
    fn blob_parameters_follow_eip7691_and_eip7594() {
        assert_eq!(Fork::Cancun.blob_params().max_per_tx, 6);
        assert_eq!(Fork::Prague.blob_params().max_per_tx, 9);
        assert_eq!(Fork::Osaka.blob_params().max_per_tx, 6);
        assert_eq!(Fork::Prague.blob_params().update_fraction, 5_007_716);
        assert_eq!(Fork::Osaka.tx_gas_limit_cap(), Some(16_777_216));
        assert_eq!(Fork::Prague.tx_gas_limit_cap(), None);
    }
}
