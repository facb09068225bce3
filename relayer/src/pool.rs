//! A pool of operator keys relaying at once. Each operator is a fee payer and a COINBASE, and
//! Solana write-locks both for a whole transaction: with one key, every relayed transaction
//! would conflict with every other. Transactions relayed through different operators share no
//! writable account of the operator's, so independent Ethereum transactions can land in
//! parallel (as Neon's proxy runs a pool of operator resources). Each key must be one of the
//! config's operators, funded, with its own holder.

use crate::{relay, RelayError, Relayed};
use isthmus_client::Solana;
use solana_keypair::Keypair;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct OperatorPool {
    keys: Vec<Keypair>,
    next: AtomicUsize,
}

impl OperatorPool {
    /// A pool of `keys` (at least one).
    pub fn new(keys: Vec<Keypair>) -> Self {
        assert!(!keys.is_empty(), "an operator pool needs a key");
        Self {
            keys,
            next: AtomicUsize::new(0),
        }
    }

    pub fn keys(&self) -> &[Keypair] {
        &self.keys
    }

    /// The operator for the next transaction: each in turn, so consecutive transactions go
    /// through different keys.
    pub fn next(&self) -> &Keypair {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.keys.len();
        &self.keys[i]
    }

    /// [`relay`] through the next operator.
    pub fn relay<S: Solana>(&self, chain: &mut S, raw: &[u8]) -> Result<Relayed, RelayError> {
        relay(chain, self.next(), raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    #[test]
    fn hands_out_each_key_in_turn() {
        let pool = OperatorPool::new((0..3).map(|_| Keypair::new()).collect());
        let keys: Vec<_> = (0..6).map(|_| pool.next().pubkey()).collect();
        assert_ne!(keys[0], keys[1]);
        assert_ne!(keys[1], keys[2]);
        assert_eq!(keys[0], keys[3]);
        assert_eq!(keys[2], keys[5]);
    }
}
