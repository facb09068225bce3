//! The development node's controls over the embedded chain, as anvil and the Hardhat node have
//! them: mining on demand, snapshots and reverts, a reset to genesis, dropping a waiting
//! transaction, and writing state directly. The RPC names are in `rpc::evm` and `rpc::anvil`.
//! Each holds the production lock, so none interleaves with the producer.

use crate::app::App;
use crate::chain::{Chain, TrackedAccounts, ONLY_EMBEDDED};
use crate::clock::BlockClock;
use crate::mempool::{Mempool, PoolTx};
use crate::state_edit;
use crate::store::BlockWrite;
use alloy_primitives::B256;
use isthmus_client::Account;
use isthmus_svm::Svm;
use solana_address::Address;
use std::sync::atomic::Ordering;

/// Everything `evm_revert` puts back: the chain's accounts, where it was (newest block, slot,
/// clock) and the transactions waiting.
pub struct Snapshot {
    latest: u64,
    slot: u64,
    timestamp: u64,
    clock: BlockClock,
    last_block_time: u64,
    accounts: TrackedAccounts,
    waiting: Vec<PoolTx>,
}

impl App {
    fn embedded_only(&self) -> Result<(), String> {
        if self.embedded {
            Ok(())
        } else {
            Err(ONLY_EMBEDDED.into())
        }
    }

    /// Mines `count` blocks: the first takes every transaction ready to run (in as many blocks
    /// as a contract's compute cap needs), the rest are empty, `interval` seconds apart (1 if
    /// not given, as `hardhat_mine`). Returns the newest block.
    pub fn mine(&self, count: u64, interval: Option<u64>) -> Result<u64, String> {
        self.embedded_only()?;
        let _producing = self.producing();
        let batch = {
            let chain = self.chain();
            self.pool()
                .ready(|s| chain.nonce(s), crate::app::MAX_BLOCK_TXS)
        };
        self.produce(batch, true);
        // Anything left ready (past one block's worth, or held for a cap) goes in the next ones.
        self.produce_ready();
        if count > 1 {
            let interval = interval.unwrap_or(1);
            let mut chain = self.chain();
            // The blocks between are empty: only the last is recorded (a gap block reads as
            // empty, timed as the next recorded one), so a million blocks take no longer than one.
            let first = chain.last_block_time;
            let last = first.saturating_add(interval.saturating_mul(count - 1));
            let slot = chain.slot();
            chain.warp(slot + count - 2);
            chain.clock.next = Some(last.max(first));
            chain.retime();
            drop(chain);
            self.produce(Vec::new(), true);
        }
        Ok(self.latest())
    }

    /// Saves the chain's state; returns its id for [`App::revert`].
    pub fn snapshot(&self) -> Result<u64, String> {
        self.embedded_only()?;
        let _producing = self.producing();
        let chain = self.chain();
        let snapshot = Snapshot {
            latest: self.latest(),
            slot: chain.slot(),
            timestamp: chain.timestamp(),
            clock: chain.clock,
            last_block_time: chain.last_block_time,
            accounts: chain.tracked_accounts(),
            waiting: self.pool().all(),
        };
        drop(chain);
        let id = self.next_snapshot.fetch_add(1, Ordering::Relaxed);
        self.snapshots().insert(id, snapshot);
        Ok(id)
    }

    /// The ids of the snapshots still held.
    pub fn snapshot_ids(&self) -> Vec<u64> {
        self.snapshots().keys().copied().collect()
    }

    fn snapshots(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<u64, Snapshot>> {
        self.snapshots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts the chain back as snapshot `id` saved it: blocks mined since are gone, as are their
    /// transactions and logs. That snapshot and every later one are used up (as on anvil and
    /// Hardhat). `false` for an unknown id.
    pub fn revert(&self, id: u64) -> Result<bool, String> {
        self.embedded_only()?;
        let _producing = self.producing();
        let Some(snapshot) = self.snapshots().remove(&id) else {
            return Ok(false);
        };
        self.snapshots().retain(|later, _| *later < id);
        self.rewind(&snapshot)?;
        Ok(true)
    }

    /// Back to the chain as genesis left it (`anvil_reset`/`hardhat_reset` without forking):
    /// the state after block 0, every later block forgotten, no snapshots, no transactions
    /// waiting.
    pub fn reset(&self) -> Result<(), String> {
        self.embedded_only()?;
        let _producing = self.producing();
        let accounts = self
            .store
            .accounts_at(0)
            .map_err(|e| format!("database: {e}"))?
            .into_iter()
            .map(|a| {
                (
                    Address::new_from_array(a.address),
                    Account {
                        lamports: a.lamports,
                        data: a.data,
                        owner: Address::new_from_array(a.owner),
                        executable: a.executable,
                        rent_epoch: a.rent_epoch,
                    },
                )
            })
            .collect();
        self.snapshots().clear();
        self.rewind(&Snapshot {
            latest: 1,
            slot: 2,
            timestamp: crate::clock::now(),
            clock: BlockClock::default(),
            last_block_time: 0,
            accounts,
            waiting: Vec::new(),
        })
    }

    /// Makes `snapshot` the chain: accounts, slot and clock in the VM; blocks after it gone
    /// from the store with the accounts it changed written back; its waiting transactions the
    /// mempool.
    fn rewind(&self, snapshot: &Snapshot) -> Result<(), String> {
        let db = |e: rusqlite::Error| format!("database: {e}");
        let mut chain = self.chain();
        chain.restore_tracked(&snapshot.accounts)?;
        chain.warp(snapshot.slot);
        chain.set_time(snapshot.timestamp);
        chain.clock = snapshot.clock;
        chain.last_block_time = snapshot.last_block_time;
        // The wall clock went on: the next block is timed from now, with the snapshot's offset.
        chain.retime();
        let (accounts, deleted_accounts) = chain.changed_accounts();
        self.store
            .commit(&BlockWrite {
                truncate_after: Some(snapshot.latest),
                accounts,
                deleted_accounts,
                history_block: Some(snapshot.latest),
                meta: vec![
                    ("slot", snapshot.slot.to_le_bytes().to_vec()),
                    ("timestamp", snapshot.timestamp.to_le_bytes().to_vec()),
                    ("latest", snapshot.latest.to_le_bytes().to_vec()),
                    ("clock", snapshot.clock.to_bytes()),
                ],
                ..Default::default()
            })
            .map_err(db)?;
        self.set_latest(snapshot.latest);
        drop(chain);
        self.store.clear_pending().map_err(db)?;
        let mut pool = Mempool::default();
        for tx in &snapshot.waiting {
            // They were waiting together: no nonce gap limit refuses one.
            if pool.insert(tx.clone(), u64::MAX).is_ok() {
                self.store
                    .add_pending(
                        &tx.hash,
                        &alloy_primitives::Address::from(tx.sender),
                        tx.nonce,
                        &tx.raw,
                    )
                    .map_err(db)?;
            }
        }
        *self.pool() = pool;
        Ok(())
    }

    /// Removes a waiting transaction; `false` if it is not waiting.
    pub fn drop_transaction(&self, hash: &B256) -> Result<bool, String> {
        let removed = self.pool().remove(hash).is_some();
        if removed {
            self.store
                .remove_pending(hash)
                .map_err(|e| format!("database: {e}"))?;
        }
        Ok(removed)
    }

    /// Removes every waiting transaction.
    pub fn drop_all_transactions(&self) -> Result<(), String> {
        let hashes: Vec<B256> = self.pool().all().iter().map(|t| t.hash).collect();
        for hash in hashes {
            self.drop_transaction(&hash)?;
        }
        Ok(())
    }

    /// Runs `edit` on the embedded VM and keeps what it changed, as state of the newest block
    /// (no block is mined, as with anvil's setters).
    pub fn edit_state(
        &self,
        edit: impl FnOnce(&mut Svm) -> Result<(), String>,
    ) -> Result<(), String> {
        let _producing = self.producing();
        let mut chain = self.chain();
        edit(chain.embedded()?)?;
        self.persist_edit(&mut chain)
    }

    /// Writes the accounts an edit changed to the store, as of the newest block.
    fn persist_edit(&self, chain: &mut Chain) -> Result<(), String> {
        let (accounts, deleted_accounts) = chain.changed_accounts();
        self.store
            .commit(&BlockWrite {
                accounts,
                deleted_accounts,
                history_block: Some(self.latest()),
                ..Default::default()
            })
            .map_err(|e| format!("database: {e}"))
    }

    /// Sets the base fee contracts pay from the next block on ([`state_edit::set_base_fee`]).
    pub fn set_base_fee(&self, base_fee: u64) -> Result<(), String> {
        self.edit_state(|svm| state_edit::set_base_fee(svm, base_fee))
    }

    /// Whether eth_sendTransaction may send as `address` without its key.
    pub fn impersonates(&self, address: &[u8; 20]) -> bool {
        self.embedded
            && (self.auto_impersonate.load(Ordering::Relaxed)
                || self.impersonating().contains(address))
    }

    fn impersonating(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<[u8; 20]>> {
        self.impersonating.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `anvil_impersonateAccount` (`on`) and `anvil_stopImpersonatingAccount`.
    pub fn impersonate(&self, address: [u8; 20], on: bool) -> Result<(), String> {
        self.embedded_only()?;
        if on {
            self.impersonating().insert(address);
        } else {
            self.impersonating().remove(&address);
        }
        Ok(())
    }

    /// `anvil_autoImpersonateAccount`.
    pub fn auto_impersonate(&self, on: bool) -> Result<(), String> {
        self.embedded_only()?;
        self.auto_impersonate.store(on, Ordering::Relaxed);
        Ok(())
    }

    /// Switches automine; switched on, what is waiting is mined.
    pub fn set_automine(&self, on: bool) -> Result<(), String> {
        self.embedded_only()?;
        self.automine.store(on, Ordering::Relaxed);
        if on {
            self.wake();
        }
        Ok(())
    }

    /// A block every `millis` milliseconds (0: off).
    pub fn set_interval_mining(&self, millis: u64) -> Result<(), String> {
        self.embedded_only()?;
        self.interval_ms.store(millis, Ordering::Relaxed);
        self.wake();
        Ok(())
    }

    /// `evm_increaseTime`: returns the total offset in seconds.
    pub fn increase_time(&self, seconds: u64) -> Result<i64, String> {
        self.embedded_only()?;
        let mut chain = self.chain();
        let total = chain.clock.increase(seconds);
        chain.retime();
        Ok(total)
    }

    /// `evm_setNextBlockTimestamp`.
    pub fn set_next_block_timestamp(&self, at: u64) -> Result<(), String> {
        self.embedded_only()?;
        let mut chain = self.chain();
        let previous = chain.last_block_time;
        chain.clock.set_next(at, previous)?;
        chain.retime();
        Ok(())
    }
}
