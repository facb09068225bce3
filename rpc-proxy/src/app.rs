//! The node: the chain, the store, the mempool, filters and subscribers, and the block producer
//! that relays ready transactions and indexes what they did. The RPC namespaces call into it.

use crate::chain::Chain;
use crate::filters::Filters;
use crate::history::History;
use crate::mempool::{Mempool, PoolTx};
use crate::snapshot::{Published, Snapshot};
use crate::store::{BlockRecord, BlockWrite, LogRecord, Store, SvmAccount, TxRecord};
use crate::view::{ChainInfo, View};
use alloy_primitives::{Address, Bloom, BloomInput, B256};
use isthmus_client::emulate::{decode_incoming, emulate_decoded, EmulateError, Emulation};
use isthmus_client::interface::block::BLOCK_GAS_LIMIT;
use isthmus_client::interface::transaction::Incoming;
use isthmus_client::AccountSource;
use isthmus_evm::env::TxKind;
use isthmus_evm::result::InvalidTransaction;
use isthmus_evm::{Fork, RunOutcome, U256};
use isthmus_relayer::Path as RelayPath;
use solana_signer::Signer;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// geth's limit on a transaction's size (4 slots of 32 KiB).
pub const MAX_TX_SIZE: usize = 128 * 1024;
/// geth's `--rpc.gascap`.
pub const DEFAULT_CALL_GAS_CAP: u64 = 50_000_000;
/// Transactions relayed before a block is committed.
pub const MAX_BLOCK_TXS: usize = 64;

/// A committed block, for subscribers.
#[derive(Clone)]
pub struct NewBlock {
    pub block: BlockRecord,
    pub logs: Vec<LogRecord>,
}

/// A transaction the chain has a receipt for, and the slot it landed in.
pub(crate) struct Landed {
    pub tx: PoolTx,
    pub relayed: isthmus_relayer::Relayed,
    pub slot: u64,
    /// On a cluster, its block as the cluster has it (`None`: the embedded chain's own).
    pub stamp: Option<Stamp>,
}

/// A cluster's block: its hash and its parent's (SlotHashes', what BLOCKHASH answers), time and
/// base fee.
#[derive(Clone, Copy)]
pub(crate) struct Stamp {
    pub hash: B256,
    pub parent_hash: B256,
    pub timestamp: u64,
    pub base_fee: u64,
}

/// Counts a relayed transaction in the metrics and logs it (one line: scripts/test-remote.sh
/// reads its fields).
pub(crate) fn log_relayed(
    hash: &B256,
    slot: u64,
    relayed: &isthmus_relayer::Relayed,
    started: Instant,
) {
    metrics::counter!("isthmus_transactions_relayed_total").increment(1);
    metrics::counter!("isthmus_solana_transactions_total").increment(relayed.solana_txs as u64);
    metrics::counter!("isthmus_solana_compute_units_total").increment(relayed.compute_units);
    metrics::histogram!("isthmus_relay_seconds").record(started.elapsed().as_secs_f64());
    tracing::info!(
        %hash,
        slot,
        status = relayed.receipt.status,
        gas_used = relayed.receipt.gas_used,
        path = ?relayed.path,
        solana_txs = relayed.solana_txs,
        cu = relayed.compute_units,
        ms = started.elapsed().as_millis() as u64,
        "relayed"
    );
}

/// Why a transaction was not accepted (JSON-RPC -32000 with this message, as geth).
#[derive(Debug)]
pub struct Rejected(pub String);

pub struct App {
    pub chain: Mutex<Chain>,
    /// The embedded chain's newest state, published after each block and each edit: what reads
    /// answer from without the chain's lock.
    published: Published,
    /// Whether the chain is the embedded one (not a cluster's).
    pub embedded: bool,
    pub store: Store,
    pub pool: Mutex<Mempool>,
    pub filters: Filters,
    pub heads: broadcast::Sender<Arc<NewBlock>>,
    pub pending_txs: broadcast::Sender<B256>,
    pub chain_id: u64,
    /// The Ethereum fork the program's config names (its rules: EIP-7825's gas cap, ...).
    pub fork: Fork,
    /// The accounts the node signs for (eth_accounts, eth_sendTransaction).
    pub accounts: crate::accounts::NodeAccounts,
    /// How long eth_call, eth_estimateGas and eth_createAccessList may run, in milliseconds
    /// (`--rpc-evmtimeout`).
    pub call_timeout_ms: AtomicU64,
    /// The most gas eth_call, eth_estimateGas and eth_createAccessList run with
    /// (`--rpc-gascap`, geth's 50,000,000; 0: none beyond the block gas limit).
    pub call_gas_cap: AtomicU64,
    /// The newest committed block.
    latest: AtomicU64,
    wake: Mutex<Sender<()>>,
    /// Held by whoever produces blocks or rewrites the chain (the producer, `evm_mine`,
    /// `evm_revert`, the state setters), so they never interleave.
    pub(crate) production: Mutex<()>,
    /// Whether each accepted transaction is mined at once (anvil's and Hardhat's default);
    /// off, transactions wait for `evm_mine` or the mining interval.
    pub automine: std::sync::atomic::AtomicBool,
    /// Interval mining: a block every this many milliseconds (0: off).
    pub interval_ms: AtomicU64,
    /// `evm_snapshot`'s saved states, by id.
    pub(crate) snapshots: Mutex<std::collections::BTreeMap<u64, crate::dev::Snapshot>>,
    pub(crate) next_snapshot: AtomicU64,
    /// Addresses eth_sendTransaction sends as without their key (`anvil_impersonateAccount`).
    pub(crate) impersonating: Mutex<std::collections::HashSet<[u8; 20]>>,
    /// Every address is impersonated (`anvil_autoImpersonateAccount`).
    pub(crate) auto_impersonate: std::sync::atomic::AtomicBool,
    /// Held while eth_sendTransaction fills, signs and submits a transaction.
    pub(crate) node_signing: Mutex<()>,
    /// Blocks committed, and the signal [`App::wait_for_inclusion`] waits on.
    committed: (Mutex<u64>, Condvar),
    /// For tests: how long the producer keeps the chain locked after each relay
    /// (`ISTHMUS_TEST_RELAY_HOLD_MS`), to show that reads do not wait on it.
    pub(crate) relay_hold: Option<Duration>,
}

impl App {
    /// The node over `store` (a new chain on an empty store); the accepted transactions the
    /// store still holds go back into the mempool. Returns the receiver the producer waits on.
    pub fn open(
        store: Store,
        chain: Chain,
        accounts: crate::accounts::NodeAccounts,
    ) -> Result<(Arc<Self>, Receiver<()>), String> {
        let chain_id = chain.chain_id;
        let fork = chain.config().map(|c| c.fork).unwrap_or_default();
        let latest = store
            .meta("latest")
            .map_err(|e| e.to_string())?
            .and_then(|v| v.try_into().ok())
            .map(u64::from_le_bytes)
            .unwrap_or(chain.slot() - 1);
        let (wake, woken) = std::sync::mpsc::channel();
        let embedded = chain.is_embedded();
        let app = Arc::new(Self {
            chain: Mutex::new(chain),
            published: Published::default(),
            embedded,
            store,
            pool: Mutex::new(Mempool::default()),
            filters: Filters::default(),
            heads: broadcast::channel(256).0,
            pending_txs: broadcast::channel(4096).0,
            chain_id,
            fork,
            accounts,
            call_timeout_ms: AtomicU64::new(5_000),
            call_gas_cap: AtomicU64::new(DEFAULT_CALL_GAS_CAP),
            latest: AtomicU64::new(latest),
            wake: Mutex::new(wake),
            production: Mutex::new(()),
            automine: std::sync::atomic::AtomicBool::new(true),
            interval_ms: AtomicU64::new(0),
            snapshots: Mutex::new(Default::default()),
            next_snapshot: AtomicU64::new(0),
            impersonating: Mutex::new(Default::default()),
            auto_impersonate: std::sync::atomic::AtomicBool::new(false),
            node_signing: Mutex::new(()),
            committed: (Mutex::new(0), Condvar::new()),
            relay_hold: std::env::var("ISTHMUS_TEST_RELAY_HOLD_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis),
        });
        app.publish(&app.chain.lock().unwrap_or_else(|p| p.into_inner()));
        let pending = app.store.pending().map_err(|e| e.to_string())?;
        let count = pending.len();
        for raw in pending {
            app.resume(&raw);
        }
        if count > 0 {
            tracing::info!(count, "accepted transactions resumed");
        }
        Ok((app, woken))
    }

    /// A transaction accepted before a restart: back into the mempool, or, if it landed on the
    /// cluster meanwhile, indexed from its receipt.
    fn resume(&self, raw: &[u8]) {
        if !self.embedded && crate::producer::cluster::resume_sent(self, raw) {
            return;
        }
        let Ok(Incoming { signed, sender, .. }) = decode_incoming(raw) else {
            return;
        };
        let hash = B256::from(signed.hash);
        let landed = {
            let chain = self.chain();
            if chain.nonce(&sender) > signed.tx.nonce {
                chain.find_landed(&signed.hash)
            } else {
                None
            }
        };
        if let Some((receipt, slot)) = landed {
            tracing::info!(%hash, slot, "landed before the restart: indexed from its receipt");
            let landed = Landed {
                tx: PoolTx::of(&signed, sender, raw),
                relayed: crate::producer::cluster::recovered(receipt),
                slot,
                stamp: None,
            };
            self.commit(vec![landed], Vec::new(), false);
            return;
        }
        if let Err(Rejected(why)) = self.submit(raw) {
            tracing::warn!(%hash, %why, "a transaction accepted before the restart is no longer valid");
            let _ = self.store.remove_pending(&hash);
        }
    }

    /// The gas a call runs with: what it asks for, else the block gas limit, never above
    /// [`App::call_gas_cap`].
    pub fn call_gas(&self, requested: Option<u64>) -> u64 {
        let gas = requested.unwrap_or(BLOCK_GAS_LIMIT);
        // EIP-7825 (Osaka): no transaction, so no call, may ask for more than 2^24.
        let gas = gas.min(self.fork.tx_gas_limit_cap().unwrap_or(u64::MAX));
        match self.call_gas_cap.load(Ordering::Relaxed) {
            0 => gas,
            cap => gas.min(cap),
        }
    }

    /// When a call started now must give up (`--rpc-evmtimeout`).
    pub fn call_deadline(&self) -> std::time::Instant {
        let timeout = self.call_timeout_ms.load(Ordering::Relaxed);
        std::time::Instant::now() + Duration::from_millis(timeout)
    }

    /// The chain, locked; a change made through it is published when the guard is dropped.
    pub fn chain(&self) -> ChainGuard<'_> {
        ChainGuard {
            app: self,
            chain: self.chain.lock().unwrap_or_else(|p| p.into_inner()),
            changed: false,
        }
    }

    /// The chain, locked, its changes not published (the producer's relays: readers see the
    /// block when it is committed).
    pub(crate) fn chain_unpublished(&self) -> MutexGuard<'_, Chain> {
        self.chain.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes the state of `chain` (held locked by the caller) the one reads see, as of the
    /// newest block.
    fn publish(&self, chain: &Chain) {
        self.publish_with(chain, None);
    }

    /// [`App::publish`]; with `changes` (what [`Chain::changed_accounts`] just reported), the
    /// chain's own accounts are taken from them rather than compared.
    fn publish_with(&self, chain: &Chain, changes: Option<(&[SvmAccount], &[[u8; 32]])>) {
        if !self.embedded {
            return;
        }
        let latest = self.latest();
        let timestamp = self
            .store
            .block_by_number(latest)
            .ok()
            .flatten()
            .map(|b| b.timestamp);
        let previous = self.published.load();
        let next = match (previous.as_deref(), changes) {
            (Some(previous), Some((changed, deleted))) => {
                Snapshot::apply(previous, chain, changed, deleted, latest, timestamp)
            }
            (previous, _) => Snapshot::take(previous, chain, latest, timestamp),
        };
        self.published.store(next);
    }

    pub fn pool(&self) -> MutexGuard<'_, Mempool> {
        self.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::Acquire)
    }

    /// Moves the newest block back (a revert or a reset).
    pub(crate) fn set_latest(&self, block: u64) {
        self.latest.store(block, Ordering::Release);
    }

    /// The production lock ([`App::production`]).
    pub(crate) fn producing(&self) -> MutexGuard<'_, ()> {
        self.production.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes the producer (a transaction came, or automine was switched on).
    pub(crate) fn wake(&self) {
        let _ = self.wake.lock().unwrap_or_else(|p| p.into_inner()).send(());
    }

    /// Runs `f` over the state after block `at` (`None`: the newest state). The embedded chain's
    /// is its last published snapshot, read without the chain's lock.
    pub fn with_state<T>(
        &self,
        at: Option<u64>,
        f: impl FnOnce(&View, &dyn AccountSource) -> T,
    ) -> T {
        let snapshot = self.published.load();
        let chain;
        let info;
        let view = match &snapshot {
            Some(s) => s.view(),
            None => {
                chain = self.chain();
                info = ChainInfo::of(&chain);
                let latest = self.latest();
                View {
                    info: &info,
                    current: chain.source(),
                    latest,
                    latest_timestamp: self
                        .store
                        .block_by_number(latest)
                        .ok()
                        .flatten()
                        .map(|b| b.timestamp),
                }
            }
        };
        match at {
            None => f(&view, view.current),
            Some(block) => {
                let timestamp = self
                    .store
                    .block_by_number(block)
                    .ok()
                    .flatten()
                    .map(|b| b.timestamp)
                    .unwrap_or_else(|| view.timestamp());
                let history = History {
                    store: &self.store,
                    block,
                    timestamp,
                    current: view.current,
                };
                f(&view, &history)
            }
        }
    }

    /// Validates `raw` as geth does before its pool takes a transaction, then accepts it: stored
    /// (so a restart keeps it), in the mempool, the producer woken. On a cluster, a refusal made
    /// on an account read that failed says so instead (a failed read is not an empty account).
    pub fn submit(&self, raw: &[u8]) -> Result<B256, Rejected> {
        if self.embedded {
            return self.accept(raw);
        }
        let _ = self.chain().take_read_error();
        let accepted = self.accept(raw);
        match (&accepted, self.chain().take_read_error()) {
            (Err(_), Some(e)) => Err(Rejected(format!(
                "the cluster could not be read ({e}); nothing was accepted, try again"
            ))),
            _ => accepted,
        }
    }

    /// [`App::submit`]'s checks and acceptance.
    fn accept(&self, raw: &[u8]) -> Result<B256, Rejected> {
        let reject = |m: String| Err(Rejected(m));
        if raw.len() > MAX_TX_SIZE {
            return reject(format!(
                "oversized data: transaction size {}, limit {MAX_TX_SIZE}",
                raw.len()
            ));
        }
        let incoming = match decode_incoming(raw) {
            Ok(incoming) => incoming,
            Err(EmulateError::BadSignature) => return reject("invalid sender".into()),
            Err(EmulateError::Malformed(_)) => {
                return reject("transaction could not be decoded".into())
            }
            Err(e) => return reject(e.to_string()),
        };
        let (signed, sender) = (&incoming.signed, incoming.sender);
        if incoming.impersonated && !self.impersonates(&sender) {
            return reject(format!(
                "{} is not impersonated (anvil_impersonateAccount first)",
                Address::from(sender)
            ));
        }
        let tx = &signed.tx;
        let hash = B256::from(signed.hash);
        match tx.chain_id {
            None => {
                return reject(
                    "only replay-protected (EIP-155) transactions allowed over RPC".into(),
                )
            }
            Some(id) if id != self.chain_id => {
                return reject(format!(
                    "invalid chain id for signer: have {id} want {}",
                    self.chain_id
                ))
            }
            _ => {}
        }
        if tx.kind == TxKind::Blob {
            return reject("transaction type not supported: blob transactions".into());
        }
        if tx.gas_limit > BLOCK_GAS_LIMIT {
            return reject("exceeds block gas limit".into());
        }
        if let Some(cap) = self
            .fork
            .tx_gas_limit_cap()
            .filter(|cap| tx.gas_limit > *cap)
        {
            return reject(crate::geth::invalid(
                &InvalidTransaction::GasLimitAboveCap {
                    gas_limit: tx.gas_limit,
                    cap,
                },
            ));
        }
        if self.pool().get(&hash).is_some() || self.store.tx(&hash).ok().flatten().is_some() {
            return reject("already known".into());
        }
        let contract = tx.to.unwrap_or([0; 20]);
        // The chain's figures, read under its lock briefly: the emulation below runs outside it.
        let chain = self.chain();
        let state_nonce = chain.nonce(&sender);
        if tx.nonce < state_nonce {
            return reject(format!(
                "nonce too low: next nonce {state_nonce}, tx nonce {}",
                tx.nonce
            ));
        }
        let base_fee = chain.local_base_fee(&contract);
        if tx.gas_price < U256::from(base_fee) {
            return reject(format!(
                "max fee per gas less than block base fee: address {}, maxFeePerGas: {}, baseFee: {base_fee} (the local base fee of {})",
                Address::from(sender),
                tx.gas_price,
                Address::from(contract)
            ));
        }
        let balance = chain.balance(&sender);
        let cost = U256::from(tx.gas_limit) * tx.gas_price + tx.value;
        if cost > balance {
            return reject(format!(
                "insufficient funds for gas * price + value: address {} have {balance} want {cost}",
                Address::from(sender)
            ));
        }
        let operator = chain.operator().pubkey();
        drop(chain);
        if tx.nonce == state_nonce {
            // Runnable now: what the emulator refuses (intrinsic gas, ...) is refused here.
            let emulated = self.emulate_for_submit(&operator, &sender, tx.nonce, &incoming);
            match emulated {
                Ok(emulation) => match &emulation.outcome {
                    RunOutcome::Invalid(reason) => return reject(crate::geth::invalid(reason)),
                    // What the program cannot run (a precompile it has no backend for).
                    RunOutcome::Fatal(e) => return reject(e.to_string()),
                    _ => {
                        // On a chain charging Solana costs: a gas price that pays for the relay.
                        let plan = isthmus_relayer::estimate(&operator, raw, &emulation);
                        // Read only here: with `--priority-fee auto` a cluster is asked.
                        let priority = self.chain().priority_fee();
                        if let Err(why) = isthmus_relayer::check_fees(&plan, &emulation, priority) {
                            return reject(why);
                        }
                    }
                },
                Err(e) => return reject(e.to_string()),
            }
        }
        let entry = PoolTx {
            incoming: Some(Arc::new(incoming.clone())),
            ..PoolTx::of(signed, sender, raw)
        };
        let replaced = self
            .pool()
            .insert(entry, state_nonce)
            .map_err(|e| Rejected(e.to_string()))?;
        if let Err(e) = self
            .store
            .add_pending(&hash, &Address::from(sender), tx.nonce, raw)
        {
            self.pool().remove(&hash);
            return reject(format!("database: {e}"));
        }
        if let Some(old) = replaced {
            let _ = self.store.remove_pending(&old.hash);
            tracing::info!(old = %old.hash, new = %hash, "pushed out of the mempool (replaced or evicted)");
        }
        metrics::counter!("isthmus_transactions_accepted_total").increment(1);
        self.filters.push_pending(hash);
        let _ = self.pending_txs.send(hash);
        self.wake();
        Ok(hash)
    }

    /// Waits (at most `limit`) until `hash` is in a block or has left the mempool; returns at
    /// once for a transaction waiting on a nonce gap, or for `evm_mine` (automine off).
    pub fn wait_for_inclusion(&self, hash: &B256, limit: Duration) {
        if !self.automine.load(Ordering::Relaxed) {
            return;
        }
        let Some((sender, nonce)) = self.pool().get(hash).map(|tx| (tx.sender, tx.nonce)) else {
            return;
        };
        if self.chain().nonce(&sender) < nonce {
            return; // waits on a gap
        }
        // The producer removes it from the mempool when its block is committed, then signals
        // `committed`: the mempool is checked under that signal's lock, so no signal is missed.
        let deadline = Instant::now() + limit;
        let (count, signal) = &self.committed;
        let mut guard = count.lock().unwrap_or_else(|p| p.into_inner());
        while self.pool().get(hash).is_some() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            guard = signal
                .wait_timeout(guard, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Wakes the senders waiting in [`App::wait_for_inclusion`]: a block was committed.
    pub(crate) fn signal_committed(&self) {
        let (count, signal) = &self.committed;
        *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        signal.notify_all();
    }

    /// Emulates an accepted transaction whose nonce is its sender's next, for [`App::submit`]'s
    /// checks: on the embedded chain against the published state when the sender's nonce there
    /// is the transaction's (no transaction of the sender is being relayed), without the chain's
    /// lock, so it runs while the producer relays; else, or when that run refuses it (the block
    /// being relayed may have changed what it reads), on the chain itself.
    fn emulate_for_submit(
        &self,
        operator: &solana_address::Address,
        sender: &[u8; 20],
        nonce: u64,
        incoming: &Incoming,
    ) -> Result<Emulation, EmulateError> {
        if let Some(snapshot) = self.published.load() {
            let published_nonce = isthmus_client::accounts::eth_account(snapshot.as_ref(), sender)
                .ok()
                .flatten()
                .map_or(0, |a| a.nonce);
            if published_nonce == nonce {
                let emulated = emulate_decoded(snapshot.as_ref(), operator, incoming.clone());
                if let Ok(e) = &emulated {
                    if !matches!(e.outcome, RunOutcome::Invalid(_) | RunOutcome::Fatal(_)) {
                        return emulated;
                    }
                }
            }
        }
        let chain = self.chain();
        emulate_decoded(chain.source(), operator, incoming.clone())
    }

    /// The block producer: with automine, relays ready transactions as they come, a block per
    /// slot; with a mining interval, mines a block (empty if nothing is ready) every interval.
    pub fn run_producer(self: Arc<Self>, woken: &Receiver<()>) {
        let mut last_interval_block = Instant::now();
        loop {
            let interval = Duration::from_millis(self.interval_ms.load(Ordering::Relaxed));
            let wait = if interval.is_zero() {
                Duration::from_millis(500)
            } else {
                interval
                    .saturating_sub(last_interval_block.elapsed())
                    .max(Duration::from_millis(1))
            };
            match woken.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            while woken.try_recv().is_ok() {}
            self.follow_cluster();
            let interval = Duration::from_millis(self.interval_ms.load(Ordering::Relaxed));
            if !interval.is_zero() && last_interval_block.elapsed() >= interval {
                last_interval_block = Instant::now();
                if let Err(e) = self.mine(1, None) {
                    tracing::warn!(error = %e, "interval mining");
                }
            } else if self.automine.load(Ordering::Relaxed) {
                let _producing = self.producing();
                if self.embedded {
                    self.produce_ready();
                } else {
                    crate::producer::cluster::produce_ready(&self);
                }
            }
        }
    }

    /// Relays every ready transaction, in blocks as they land, until none is ready or a
    /// contract's cap keeps the rest for a later slot.
    pub(crate) fn produce_ready(&self) {
        loop {
            let batch = {
                let chain = self.chain();
                self.pool().ready(|s| chain.nonce(s), MAX_BLOCK_TXS)
            };
            if batch.is_empty() {
                break;
            }
            if self.produce(batch, false) == Produced::Busy {
                // A contract is at its cap: the rest waits for a later slot.
                break;
            }
        }
    }

    /// On a cluster, slots pass without us: the newest block is the cluster's confirmed slot.
    fn follow_cluster(&self) {
        if !self.embedded {
            if let Some(slot) = crate::producer::cluster::confirmed_slot(self) {
                self.latest.fetch_max(slot, Ordering::AcqRel);
            }
        }
    }

    /// Indexes `landed` (a block per slot) and forgets `dropped`, with the state they left, in
    /// one database transaction; then tells subscribers. With `seal` and nothing landed, the
    /// current slot becomes an empty block (`evm_mine`).
    pub(crate) fn commit(&self, landed: Vec<Landed>, dropped: Vec<B256>, seal: bool) {
        let mut chain = self.chain();
        let mut write = BlockWrite::default();
        let seal_empty = seal && landed.is_empty() && chain.is_embedded();
        if seal_empty {
            chain.open_block();
        }
        // A cluster's blocks come stamped (read without the chain's lock).
        let (timestamp, base_fee) = if chain.is_embedded() {
            (chain.timestamp(), chain.min_base_fee())
        } else {
            (0, 0)
        };
        let mut new_blocks = Vec::new();
        let mut i = 0;
        while i < landed.len() {
            let slot = landed[i].slot;
            // A cluster's slot may have been indexed already (a transaction found landed after
            // others of its slot were): these go after its transactions and logs.
            let indexed = landed[i]
                .stamp
                .and_then(|_| self.store.block_by_number(slot).ok().flatten());
            let first_log = match &indexed {
                Some(_) => self.store.log_count(slot).unwrap_or(0),
                None => 0,
            };
            let mut block = match (indexed, landed[i].stamp) {
                (Some(b), _) => b,
                (None, Some(s)) => BlockRecord {
                    hash: s.hash,
                    parent_hash: s.parent_hash,
                    ..empty_block(slot, s.timestamp, s.base_fee)
                },
                (None, None) => empty_block(slot, timestamp, base_fee),
            };
            let hash = block.hash;
            let mut logs = Vec::new();
            while i < landed.len() && landed[i].slot == slot {
                let Landed { tx, relayed, .. } = &landed[i];
                let r = &relayed.receipt;
                let mut bloom = Bloom::ZERO;
                let log_index_start = first_log + logs.len() as u64;
                for l in &r.logs {
                    bloom.accrue(BloomInput::Raw(&l.address));
                    for t in &l.topics {
                        bloom.accrue(BloomInput::Raw(t));
                    }
                    logs.push(LogRecord {
                        block_number: slot,
                        block_hash: hash,
                        log_index: first_log + logs.len() as u64,
                        tx_hash: tx.hash,
                        tx_index: block.tx_count,
                        address: Address::from(l.address),
                        topics: l.topics.iter().map(|t| B256::from(*t)).collect(),
                        data: l.data.clone(),
                    });
                }
                block.gas_used += r.gas_used;
                block.bloom.accrue_bloom(&bloom);
                block.solana_txs += relayed.solana_txs as u64;
                block.compute_units += relayed.compute_units;
                write.txs.push(TxRecord {
                    hash: tx.hash,
                    block_number: slot,
                    block_hash: hash,
                    index: block.tx_count,
                    sender: Address::from(tx.sender),
                    raw: tx.raw.clone(),
                    status: r.status == 1,
                    outcome: if relayed.path == RelayPath::Cancelled {
                        3
                    } else {
                        r.outcome
                    },
                    gas_used: r.gas_used,
                    cumulative_gas_used: block.gas_used,
                    effective_gas_price: r.effective_gas_price.saturating_to::<u128>(),
                    contract_address: r.created_address.map(Address::from),
                    bloom,
                    log_index_start,
                    solana_txs: relayed.solana_txs as u64,
                    compute_units: relayed.compute_units,
                });
                write.done.push(tx.hash);
                block.tx_count += 1;
                i += 1;
            }
            write.logs.extend(logs.iter().cloned());
            write.blocks.push(block.clone());
            new_blocks.push(NewBlock { block, logs });
        }
        if seal_empty {
            let block = empty_block(chain.slot(), timestamp, base_fee);
            write.blocks.push(block.clone());
            new_blocks.push(NewBlock {
                block,
                logs: Vec::new(),
            });
        }
        write.done.extend(dropped.iter().copied());
        let latest = if chain.is_embedded() {
            if !landed.is_empty() || seal_empty {
                chain.advance();
            }
            chain.slot() - 1
        } else {
            landed.iter().map(|l| l.slot).fold(self.latest(), u64::max)
        };
        let (accounts, deleted) = chain.changed_accounts();
        write.accounts = accounts;
        write.deleted_accounts = deleted;
        write.history_block = chain.is_embedded().then_some(latest);
        write.meta = if chain.is_embedded() {
            vec![
                ("slot", chain.slot().to_le_bytes().to_vec()),
                ("timestamp", chain.timestamp().to_le_bytes().to_vec()),
                ("latest", latest.to_le_bytes().to_vec()),
                ("clock", chain.clock.to_bytes()),
            ]
        } else {
            vec![("latest", latest.to_le_bytes().to_vec())]
        };
        if let Err(e) = self.store.commit(&write) {
            // The chain ran ahead of the database: stop, and restart from the database (the
            // transactions are still pending there and run again).
            tracing::error!(error = %e, "database write failed; exiting");
            std::process::exit(1);
        }
        // The block and its state become visible together, before its transactions leave the
        // mempool (a pending nonce never goes back).
        self.latest.store(latest, Ordering::Release);
        chain.publish_committed(&write.accounts, &write.deleted_accounts);
        let mut pool = self.pool();
        for h in &write.done {
            pool.remove(h);
        }
        for l in &landed {
            // On a cluster the nonce after it, not read over the network under the locks.
            let nonce = if chain.is_embedded() {
                chain.nonce(&l.tx.sender)
            } else {
                l.tx.nonce + 1
            };
            for stale in pool.prune(&l.tx.sender, nonce) {
                let _ = self.store.remove_pending(&stale);
            }
        }
        metrics::gauge!("isthmus_mempool_transactions").set(pool.len() as f64);
        drop(pool);
        drop(chain);
        self.signal_committed();
        for b in new_blocks {
            metrics::counter!("isthmus_blocks_total").increment(1);
            let _ = self.heads.send(Arc::new(b));
        }
    }
}

/// The chain locked ([`App::chain`]): dropped after a change, it publishes the new state.
pub struct ChainGuard<'a> {
    app: &'a App,
    chain: MutexGuard<'a, Chain>,
    changed: bool,
}

impl ChainGuard<'_> {
    /// Publishes the state now, the chain's own accounts from what the commit found changed
    /// (`changed`, `deleted`: [`Chain::changed_accounts`]); the guard's drop then need not.
    fn publish_committed(&mut self, changed: &[SvmAccount], deleted: &[[u8; 32]]) {
        self.app.publish_with(&self.chain, Some((changed, deleted)));
        self.changed = false;
    }
}

impl std::ops::Deref for ChainGuard<'_> {
    type Target = Chain;
    fn deref(&self) -> &Chain {
        &self.chain
    }
}

impl std::ops::DerefMut for ChainGuard<'_> {
    fn deref_mut(&mut self) -> &mut Chain {
        self.changed = true;
        &mut self.chain
    }
}

impl Drop for ChainGuard<'_> {
    fn drop(&mut self) {
        if self.changed {
            self.app.publish(&self.chain);
        }
    }
}

/// Block `slot` before its transactions are counted in (hashed by the embedded chain's rule).
pub(crate) fn empty_block(slot: u64, timestamp: u64, base_fee: u64) -> BlockRecord {
    BlockRecord {
        number: slot,
        hash: B256::from(Chain::block_hash(slot)),
        parent_hash: B256::from(Chain::block_hash(slot.saturating_sub(1))),
        timestamp,
        gas_used: 0,
        base_fee,
        bloom: Bloom::ZERO,
        tx_count: 0,
        solana_txs: 0,
        compute_units: 0,
    }
}

/// How a batch went.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Produced {
    All,
    /// Ended early by a contract's compute cap.
    Busy,
}
