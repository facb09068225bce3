//! The mempool: accepted transactions waiting for the relayer, per sender in nonce order. A
//! transaction whose nonce leaves a gap waits until the gap fills; one with the nonce of a waiting
//! transaction replaces it when it pays at least [`REPLACEMENT_BUMP_PERCENT`] more (as geth). The
//! pool holds at most [`MAX_TOTAL`]; when full, a transaction paying a higher tip pushes out the
//! cheapest other sender's last one, as geth evicts.
//! Validation against the chain (nonce too low, funds, fees, chain id) is `app::App::submit`'s.

use alloy_primitives::B256;
use isthmus_client::interface::transaction::Incoming;
use isthmus_evm::U256;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// A replacement must raise both the fee cap and the tip by this much (geth's default).
pub const REPLACEMENT_BUMP_PERCENT: u64 = 10;
/// Transactions a sender may have waiting behind a nonce gap; those that can run in order are
/// bounded by [`MAX_TOTAL`] only, as geth's pending ones while its pool has room. geth queues 64 a
/// sender (1,024 in all); here the requests of one WebSocket connection are handled concurrently,
/// so a sender writing hundreds of transactions in order has many arrive ahead of their turn: they
/// wait here, as anvil keeps them, [`MAX_TOTAL`] bounding the memory.
pub const MAX_QUEUED_PER_SENDER: usize = 1_024;
/// Waiting transactions in all (geth's global slots and queue: 4,096 + 1,024), so memory stays
/// bounded whatever senders send.
pub const MAX_TOTAL: usize = 5_120;

#[derive(Clone, Debug)]
pub struct PoolTx {
    pub hash: B256,
    pub sender: [u8; 20],
    pub nonce: u64,
    pub raw: Vec<u8>,
    pub max_fee: U256,
    pub priority_fee: U256,
    /// `raw` decoded, its sender recovered, when it was accepted: the relay does not recover
    /// it again (`None`: decoded when relayed).
    pub incoming: Option<Arc<Incoming>>,
}

impl PoolTx {
    /// The entry of `raw`, decoded as `signed`, from `sender`.
    pub fn of(
        signed: &isthmus_evm::transaction::SignedTransaction,
        sender: [u8; 20],
        raw: &[u8],
    ) -> Self {
        Self {
            hash: B256::from(signed.hash),
            sender,
            nonce: signed.tx.nonce,
            raw: raw.to_vec(),
            max_fee: signed.tx.gas_price,
            priority_fee: signed.tx.gas_priority_fee.unwrap_or(signed.tx.gas_price),
            incoming: None,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum PoolError {
    AlreadyKnown,
    ReplacementUnderpriced,
    SenderFull,
    /// [`MAX_TOTAL`] waiting, none paying a lower tip than the newcomer.
    PoolFull,
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PoolError::AlreadyKnown => "already known",
            PoolError::ReplacementUnderpriced => "replacement transaction underpriced",
            PoolError::SenderFull | PoolError::PoolFull => "txpool is full",
        })
    }
}

#[derive(Default)]
pub struct Mempool {
    senders: BTreeMap<[u8; 20], BTreeMap<u64, PoolTx>>,
    hashes: HashMap<B256, ([u8; 20], u64)>,
}

impl Mempool {
    /// Adds `tx`, its sender's nonce on chain being `state_nonce`; returns the transaction it
    /// pushed out, if any: the one it replaced, or, the pool being full, the one it evicted.
    pub fn insert(&mut self, tx: PoolTx, state_nonce: u64) -> Result<Option<PoolTx>, PoolError> {
        if self.hashes.contains_key(&tx.hash) {
            return Err(PoolError::AlreadyKnown);
        }
        let queue = self.senders.get(&tx.sender);
        let pushed_out = match queue.and_then(|queue| queue.get(&tx.nonce)) {
            Some(old) => {
                if !bumped(&tx.max_fee, &old.max_fee)
                    || !bumped(&tx.priority_fee, &old.priority_fee)
                {
                    return Err(PoolError::ReplacementUnderpriced);
                }
                let old = old.hash;
                self.remove(&old)
            }
            None if self.queued(&tx.sender, state_nonce, tx.nonce) >= MAX_QUEUED_PER_SENDER => {
                return Err(PoolError::SenderFull)
            }
            None if self.hashes.len() >= MAX_TOTAL => Some(self.evict_cheaper_than(&tx)?),
            None => None,
        };
        self.insert_unchecked(tx);
        Ok(pushed_out)
    }

    /// With a transaction of nonce `nonce` coming: 0 if it can run in order; else how many of
    /// `sender`'s transactions already wait behind a gap.
    fn queued(&self, sender: &[u8; 20], state_nonce: u64, nonce: u64) -> usize {
        let next = self.pending_nonce(sender, state_nonce);
        if nonce <= next {
            return 0;
        }
        self.senders
            .get(sender)
            .map_or(0, |queue| queue.range(next..).count())
    }

    fn insert_unchecked(&mut self, tx: PoolTx) {
        self.hashes.insert(tx.hash, (tx.sender, tx.nonce));
        self.senders
            .entry(tx.sender)
            .or_default()
            .insert(tx.nonce, tx);
    }

    /// Removes the cheapest (by tip) last transaction of another sender than `tx`'s, if it pays
    /// less than `tx` (a sender's last one, so no queue gets a gap).
    fn evict_cheaper_than(&mut self, tx: &PoolTx) -> Result<PoolTx, PoolError> {
        let cheapest = self
            .senders
            .iter()
            .filter(|(sender, _)| **sender != tx.sender)
            .filter_map(|(_, queue)| queue.values().next_back())
            .min_by(|a, b| a.priority_fee.cmp(&b.priority_fee))
            .filter(|last| last.priority_fee < tx.priority_fee)
            .map(|last| last.hash)
            .ok_or(PoolError::PoolFull)?;
        Ok(self.remove(&cheapest).expect("in the pool"))
    }

    pub fn get(&self, hash: &B256) -> Option<&PoolTx> {
        let (sender, nonce) = self.hashes.get(hash)?;
        self.senders.get(sender)?.get(nonce)
    }

    pub fn remove(&mut self, hash: &B256) -> Option<PoolTx> {
        let (sender, nonce) = self.hashes.remove(hash)?;
        let queue = self.senders.get_mut(&sender)?;
        let tx = queue.remove(&nonce);
        if queue.is_empty() {
            self.senders.remove(&sender);
        }
        tx
    }

    /// The next nonce of `sender` counting its waiting transactions without a gap
    /// (eth_getTransactionCount "pending").
    pub fn pending_nonce(&self, sender: &[u8; 20], state_nonce: u64) -> u64 {
        let mut next = state_nonce;
        if let Some(queue) = self.senders.get(sender) {
            while queue.contains_key(&next) {
                next += 1;
            }
        }
        next
    }

    /// Transactions that can run now, at most `max`: for each sender those from its state nonce
    /// on without a gap, in nonce order (senders taken in turn, so one sender cannot fill a
    /// block).
    pub fn ready(&self, nonce_of: impl Fn(&[u8; 20]) -> u64, max: usize) -> Vec<PoolTx> {
        let mut lanes: Vec<Vec<&PoolTx>> = Vec::new();
        for (sender, queue) in &self.senders {
            let mut next = nonce_of(sender);
            let mut lane = Vec::new();
            while let Some(tx) = queue.get(&next) {
                lane.push(tx);
                next += 1;
            }
            if !lane.is_empty() {
                lanes.push(lane);
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while out.len() < max && lanes.iter().any(|l| i < l.len()) {
            for lane in &lanes {
                if let Some(tx) = lane.get(i) {
                    if out.len() < max {
                        out.push((*tx).clone());
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Removes `sender`'s transactions with nonces below `state_nonce` (another transaction with
    /// that nonce landed); returns their hashes.
    pub fn prune(&mut self, sender: &[u8; 20], state_nonce: u64) -> Vec<B256> {
        let stale: Vec<B256> = match self.senders.get(sender) {
            Some(q) => q.range(..state_nonce).map(|(_, t)| t.hash).collect(),
            None => return Vec::new(),
        };
        for h in &stale {
            self.remove(h);
        }
        stale
    }

    /// Every waiting transaction (a snapshot keeps them).
    pub fn all(&self) -> Vec<PoolTx> {
        self.senders
            .values()
            .flat_map(|queue| queue.values().cloned())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }
}

fn bumped(new: &U256, old: &U256) -> bool {
    *new * U256::from(100) >= *old * U256::from(100 + REPLACEMENT_BUMP_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(sender: u8, nonce: u64, fee: u64) -> PoolTx {
        PoolTx {
            hash: B256::from(
                U256::from(sender as u64 * 1_000_000 + nonce * 1000 + fee).to_be_bytes::<32>(),
            ),
            sender: [sender; 20],
            nonce,
            raw: vec![],
            max_fee: U256::from(fee),
            priority_fee: U256::from(fee),
            incoming: None,
        }
    }

    #[test]
    fn a_nonce_gap_waits_until_it_fills() {
        let mut pool = Mempool::default();
        pool.insert(tx(1, 2, 10), 0).unwrap();
        assert!(pool.ready(|_| 0, 10).is_empty());
        assert_eq!(pool.pending_nonce(&[1; 20], 0), 0);
        pool.insert(tx(1, 0, 10), 0).unwrap();
        let ready: Vec<u64> = pool.ready(|_| 0, 10).iter().map(|t| t.nonce).collect();
        assert_eq!(ready, vec![0]);
        pool.insert(tx(1, 1, 10), 0).unwrap();
        let ready: Vec<u64> = pool.ready(|_| 0, 10).iter().map(|t| t.nonce).collect();
        assert_eq!(ready, vec![0, 1, 2]);
        assert_eq!(pool.pending_nonce(&[1; 20], 0), 3);
    }

    #[test]
    fn replacement_needs_ten_percent_more() {
        let mut pool = Mempool::default();
        let first = tx(1, 0, 100);
        pool.insert(first.clone(), 0).unwrap();
        assert_eq!(
            pool.insert(first.clone(), 0).unwrap_err(),
            PoolError::AlreadyKnown
        );
        assert_eq!(
            pool.insert(tx(1, 0, 109), 0).unwrap_err(),
            PoolError::ReplacementUnderpriced
        );
        let replaced = pool.insert(tx(1, 0, 110), 0).unwrap().unwrap();
        assert_eq!(replaced.hash, first.hash);
        assert!(pool.get(&first.hash).is_none());
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn senders_take_turns_and_stale_nonces_are_pruned() {
        let mut pool = Mempool::default();
        for n in 0..3 {
            pool.insert(tx(1, n, 10), 0).unwrap();
            pool.insert(tx(2, n, 10), 0).unwrap();
        }
        let order: Vec<(u8, u64)> = pool
            .ready(|_| 0, 4)
            .iter()
            .map(|t| (t.sender[0], t.nonce))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 0), (1, 1), (2, 1)]);
        assert_eq!(pool.prune(&[1; 20], 2).len(), 2);
        assert_eq!(pool.ready(|s| if s[0] == 1 { 2 } else { 0 }, 10).len(), 4);
    }

    #[test]
    fn a_full_pool_takes_a_better_paying_transaction_in_place_of_the_cheapest() {
        let mut pool = Mempool::default();
        // MAX_TOTAL waiting: 80 senders x 64, tips 10, one sender's last at 5.
        for sender in 1..=80u8 {
            for n in 0..64 {
                let fee = if sender == 7 && n == 63 { 5 } else { 10 };
                pool.insert(tx(sender, n, fee), 0).unwrap();
            }
        }
        assert_eq!(pool.len(), MAX_TOTAL);
        // Paying no more than any: refused.
        assert_eq!(
            pool.insert(tx(200, 0, 5), 0).unwrap_err(),
            PoolError::PoolFull
        );
        // Paying more: the cheapest (sender 7's last) leaves.
        let evicted = pool.insert(tx(200, 0, 6), 0).unwrap().expect("one evicted");
        assert_eq!((evicted.sender[0], evicted.nonce), (7, 63));
        assert_eq!(pool.len(), MAX_TOTAL);
        // Replacing a waiting transaction needs no room.
        assert!(pool.insert(tx(200, 0, 60), 0).is_ok());
        assert_eq!(pool.len(), MAX_TOTAL);
    }

    #[test]
    fn a_sender_may_queue_only_so_many_behind_a_gap() {
        let mut pool = Mempool::default();
        // In order from the chain's nonce: any number (up to the pool's size).
        for n in 0..200 {
            pool.insert(tx(1, n, 10), 0).unwrap();
        }
        // Behind a gap: MAX_QUEUED_PER_SENDER.
        for n in 0..MAX_QUEUED_PER_SENDER as u64 {
            pool.insert(tx(2, 1 + n, 10), 0).unwrap();
        }
        assert_eq!(
            pool.insert(tx(2, 5000, 10), 0).unwrap_err(),
            PoolError::SenderFull
        );
        // The gap filled, they all can run: one more may wait behind a gap.
        pool.insert(tx(2, 0, 10), 0).unwrap();
        pool.insert(tx(2, 5000, 10), 0).unwrap();
    }
}
