//! Producing blocks on a cluster (`--solana-url`). A Solana transaction sent may land at any
//! time until its blockhash expires, even after rpc-proxy was killed, so:
//!
//! - each signature is journaled in the store, with its last valid block height, before it is
//!   sent (`Store::add_send`, through the cluster client's journal);
//! - an Ethereum transaction with sends that may still land is not relayed again, and its
//!   sender waits; one of them landing is indexed from its receipt ([`settle`]);
//! - a failed relay (the emulator's "nonce too low" included) looks for a landed send before
//!   the transaction is dropped, and one decided on a failed account read is retried;
//! - relays and reads go through a client of their own ([`Chain::cluster_handle`]): no lock is
//!   held across a network wait;
//! - lookup tables are closed the same way, outside the lock ([`close_tables`]);
//! - a block is the slot its transactions landed in, its hash the SlotHashes entry BLOCKHASH
//!   answers for that slot ([`stamp`]).

use crate::app::{log_relayed, App, Landed, Stamp, MAX_BLOCK_TXS};
use crate::chain::Chain;
use crate::mempool::PoolTx;
use alloy_primitives::B256;
use isthmus_client::accounts;
use isthmus_client::emulate::{decode_incoming, emulate_decoded, Emulation};
use isthmus_client::interface::event::Receipt;
use isthmus_client::interface::transaction::Incoming;
use isthmus_client::AccountSource;
use isthmus_relayer::cluster::Cluster;
use isthmus_relayer::lookup::close_deactivated;
use isthmus_relayer::{Path as RelayPath, RelayError, Relayed};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the producer waits for SlotHashes to hold the slot a transaction landed in
/// (normally the next slot's bank has it).
const SLOT_HASH_PATIENCE: Duration = Duration::from_secs(20);

/// What [`settle`] found.
struct Settled {
    /// Landed: to index.
    landed: Vec<Landed>,
    /// Their nonce taken by another transaction: to forget.
    dropped: Vec<B256>,
    /// Senders waiting on a send that may still land.
    blocked: HashSet<[u8; 20]>,
}

/// What became of the Solana transactions sent earlier for an Ethereum transaction.
enum Earlier {
    /// One of them landed with its receipt.
    Landed(Box<Landed>),
    /// One of them may still land.
    MayLand,
    /// None landed with a receipt, and none can any more.
    Gone,
}

/// How relaying one transaction went.
enum Step {
    Landed(Box<Landed>),
    Dropped(B256),
    /// Not now: a later round tries again.
    Wait,
}

/// Relays the ready transactions and indexes what landed, until nothing more can be done now.
pub(crate) fn produce_ready(app: &Arc<App>) {
    loop {
        let Some(cluster) = app.chain().cluster_handle() else {
            return;
        };
        let Some(Settled {
            mut landed,
            mut dropped,
            blocked,
        }) = settle(app, &cluster)
        else {
            return;
        };
        // Rounds over the ready transactions until they are all relayed, or one must wait;
        // then one commit. A sender whose transaction did not land keeps its later ones.
        let mut waiting = false;
        let mut remaining = ready(app, &cluster, &blocked);
        while !remaining.is_empty() && !waiting {
            for (sender, step) in relay_round(app, &cluster, &mut remaining) {
                match step {
                    Step::Landed(l) => {
                        landed.push(*l);
                        continue;
                    }
                    Step::Dropped(hash) => dropped.push(hash),
                    Step::Wait => waiting = true,
                }
                remaining.retain(|tx| tx.sender != sender);
            }
        }
        if landed.is_empty() && dropped.is_empty() {
            close_tables(app, &cluster);
            return;
        }
        // A block's transactions together, in the order they landed.
        landed.sort_by_key(|l| l.slot);
        stamp(&cluster, &mut landed);
        app.commit(landed, dropped, false);
        if waiting {
            return;
        }
    }
}

/// Closes the lookup tables of earlier relays that may be closed by now, their rent back to
/// their operators.
fn close_tables(app: &App, cluster: &Cluster) {
    let Ok(slot) = cluster.slot() else {
        return;
    };
    let due = app.chain().due_tables(slot);
    let mut cluster = cluster.handle();
    for (table, operator) in due {
        let mut one = vec![table];
        let recovered = close_deactivated(&mut cluster, &operator, &mut one);
        app.chain()
            .table_closed(table, one.is_empty(), recovered, slot, &operator);
    }
}

/// The cluster's confirmed slot, read without the chain's lock.
pub(crate) fn confirmed_slot(app: &App) -> Option<u64> {
    app.chain().cluster_handle()?.slot().ok()
}

/// At start: a transaction accepted before the restart with Solana transactions sent for it
/// goes back into the mempool as it is (its nonce may be used by its own send that landed, so
/// it is not validated again); [`settle`] finds out what became of it. False if it has none.
pub(crate) fn resume_sent(app: &App, raw: &[u8]) -> bool {
    let Ok(Incoming { signed, sender, .. }) = decode_incoming(raw) else {
        return false;
    };
    let hash = B256::from(signed.hash);
    if !app.store.sends(&hash).is_ok_and(|s| !s.is_empty()) {
        return false;
    }
    tracing::info!(%hash, "sent before the restart: waits for its Solana transactions");
    // Not behind a gap: it waits for its own send, not for an earlier nonce.
    let nonce = signed.tx.nonce;
    app.pool()
        .insert(PoolTx::of(&signed, sender, raw), nonce)
        .is_ok()
}

/// A transaction found landed rather than relayed now: its receipt, without the relay's
/// figures (not known after a restart).
pub(crate) fn recovered(receipt: Receipt) -> Relayed {
    Relayed {
        receipt,
        path: RelayPath::Execute,
        solana_txs: 0,
        compute_units: 0,
        steps: 0,
        logs: Vec::new(),
        differences: Vec::new(),
        lookup_tables: Vec::new(),
    }
}

/// The mempool's transactions with journaled sends: those that landed (to index), those whose
/// nonce another transaction took (to drop), and the senders that wait on a send that may still
/// land. `None` when the journal cannot be read (nothing may be relayed then).
fn settle(app: &Arc<App>, cluster: &Cluster) -> Option<Settled> {
    let hashes = match app.store.sent() {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "reading the journal of Solana sends");
            return None;
        }
    };
    let (mut landed, mut dropped, mut blocked) = (Vec::new(), Vec::new(), HashSet::new());
    for hash in hashes {
        let Some(tx) = app.pool().get(&hash).cloned() else {
            let _ = app.store.forget_sends(&hash);
            continue;
        };
        match earlier(app, cluster, &tx) {
            Ok(Earlier::Landed(l)) => landed.push(*l),
            Ok(Earlier::MayLand) => {
                blocked.insert(tx.sender);
            }
            Ok(Earlier::Gone) => {
                let _ = app.store.forget_sends(&hash);
                match nonce(cluster, &tx.sender) {
                    // Relayed again when its nonce comes.
                    Ok(n) if n <= tx.nonce => {}
                    Ok(_) => match in_operator_history(app, cluster, &tx) {
                        Some(l) => landed.push(l),
                        None => {
                            tracing::warn!(%hash, "its nonce was used by another transaction: dropped");
                            dropped.push(hash);
                        }
                    },
                    Err(e) => {
                        tracing::warn!(%hash, error = %e, "sender's nonce unknown");
                        blocked.insert(tx.sender);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(%hash, error = %e, "what became of its sends is unknown; waits");
                blocked.insert(tx.sender);
            }
        }
    }
    Some(Settled {
        landed,
        dropped,
        blocked,
    })
}

/// What became of the Solana transactions journaled for `tx`.
fn earlier(app: &App, cluster: &Cluster, tx: &PoolTx) -> Result<Earlier, String> {
    let sends = app
        .store
        .sends(&tx.hash)
        .map_err(|e| format!("database: {e}"))?;
    if sends.is_empty() {
        return Ok(Earlier::Gone);
    }
    let height = cluster.block_height().map_err(|e| e.to_string())?;
    let mut may_land = false;
    // The receipt is in the last one that ran.
    for (signature, last_valid) in sends.iter().rev() {
        match cluster.landing(signature).map_err(|e| e.to_string())? {
            Some(l) if l.confirmed && l.err.is_null() => {
                let logs = cluster.logs(signature).map_err(|e| e.to_string())?;
                if let Ok(Some(receipt)) = isthmus_client::logs::receipt(&logs) {
                    if receipt.tx_hash == tx.hash.0 {
                        tracing::info!(hash = %tx.hash, %signature, slot = l.slot, "found landed");
                        return Ok(Earlier::Landed(Box::new(Landed {
                            tx: tx.clone(),
                            relayed: recovered(receipt),
                            slot: l.slot,
                            stamp: None,
                        })));
                    }
                }
            }
            Some(l) if !l.confirmed => may_land = true,
            Some(_) => {}
            None if height <= *last_valid => may_land = true,
            None => {}
        }
    }
    Ok(if may_land {
        Earlier::MayLand
    } else {
        Earlier::Gone
    })
}

/// `tx`'s receipt among the operators' recent Solana transactions: for a transaction sent by a
/// build that kept no journal.
fn in_operator_history(app: &App, cluster: &Cluster, tx: &PoolTx) -> Option<Landed> {
    let operators: Vec<_> = app
        .chain()
        .operators
        .keys()
        .iter()
        .map(|k| k.pubkey())
        .collect();
    let (receipt, slot) = operators
        .iter()
        .find_map(|o| cluster.find_receipt(o, &tx.hash.0, 1000))?;
    Some(Landed {
        tx: tx.clone(),
        relayed: recovered(receipt),
        slot,
        stamp: None,
    })
}

/// `sender`'s nonce on the cluster; a failed read is an error.
fn nonce(cluster: &Cluster, sender: &[u8; 20]) -> Result<u64, String> {
    let _ = cluster.take_read_error();
    let account = accounts::eth_account(cluster, sender).map_err(|e| e.to_string())?;
    match cluster.take_read_error() {
        Some(e) => Err(e),
        None => Ok(account.map(|a| a.nonce).unwrap_or(0)),
    }
}

/// The mempool's ready transactions, nonces read without a lock; senders in `blocked` or whose
/// nonce could not be read wait.
fn ready(app: &App, cluster: &Cluster, blocked: &HashSet<[u8; 20]>) -> Vec<PoolTx> {
    let senders: HashSet<[u8; 20]> = app
        .pool()
        .all()
        .into_iter()
        .map(|t| t.sender)
        .filter(|s| !blocked.contains(s))
        .collect();
    let mut nonces = HashMap::new();
    for sender in senders {
        match nonce(cluster, &sender) {
            Ok(n) => {
                nonces.insert(sender, n);
            }
            Err(e) => tracing::warn!(error = %e, "a sender's nonce could not be read; it waits"),
        }
    }
    app.pool().ready(
        |s| nonces.get(s).copied().unwrap_or(u64::MAX),
        MAX_BLOCK_TXS,
    )
}

/// Relays, at once, the first of `remaining` (ready transactions, in mempool order) of as many
/// senders as there are operators, each on its own thread, operator and client, and takes them
/// out of `remaining`: a Solana transaction waits ~a slot to confirm, so one at a time a cluster
/// saw a few Ethereum transactions a second. Each is emulated on the cluster as it is; one that
/// touches a Solana account another of the round writes (or writes one another reads) stays in
/// `remaining` for a later round, so the cluster runs the round's transactions on the state they
/// were emulated on, in any order. A sender's later transactions wait for a later round (each
/// runs on the state its predecessor left). Each step comes with its sender.
fn relay_round(
    app: &Arc<App>,
    base: &Cluster,
    remaining: &mut Vec<PoolTx>,
) -> Vec<([u8; 20], Step)> {
    let operators = app.chain().operators.keys().len().max(1);
    // The first of each sender, up to one an operator; the rest stay, in their order.
    let mut senders = HashSet::new();
    let (mut round, mut rest) = (Vec::new(), Vec::new());
    for tx in remaining.drain(..) {
        if round.len() < operators && senders.insert(tx.sender) {
            let operator = app.chain().operators.next().insecure_clone();
            round.push((tx, operator));
        } else {
            rest.push(tx);
        }
    }
    *remaining = rest;
    // Emulated in parallel (each reads the cluster over the network).
    let emulated: Vec<_> = std::thread::scope(|scope| {
        let threads: Vec<_> = round
            .into_iter()
            .map(|(tx, operator)| {
                scope.spawn(move || {
                    let cluster = journaled(app, base, tx.hash);
                    let emulated = emulate(&cluster, &operator, &tx);
                    (tx, operator, cluster, emulated)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("an emulation thread"))
            .collect()
    });
    // In mempool order: the first of two that touch the same account goes now; the other goes
    // back where it was, before its sender's later transactions.
    let mut claimed = Claimed::default();
    let mut now = Vec::new();
    let mut deferred = Vec::new();
    for (tx, operator, cluster, emulated) in emulated {
        let clear = match &emulated {
            Ok(e) => claimed.claim(&e.metas),
            Err(_) => true, // its failure is handled as a sequential relay's is
        };
        if clear {
            now.push((tx, operator, cluster, emulated));
        } else {
            tracing::debug!(hash = %tx.hash, "shares an account with another of the round: next round");
            deferred.push(tx);
        }
    }
    remaining.splice(0..0, deferred);
    std::thread::scope(|scope| {
        let threads: Vec<_> = now
            .into_iter()
            .map(|(tx, operator, mut cluster, emulated)| {
                let sender = tx.sender;
                scope.spawn(move || {
                    (
                        sender,
                        relay_one(app, base, &mut cluster, tx, &operator, emulated),
                    )
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a relay thread"))
            .collect()
    })
}

/// The Solana accounts a round's transactions have taken: written, and only read.
#[derive(Default)]
struct Claimed {
    written: HashSet<solana_address::Address>,
    read: HashSet<solana_address::Address>,
}

impl Claimed {
    /// Takes `metas` for a transaction unless one it writes is taken, or one it reads is
    /// written; `false` (nothing taken) then.
    fn claim(&mut self, metas: &[solana_instruction::AccountMeta]) -> bool {
        let conflict = metas.iter().any(|m| {
            self.written.contains(&m.pubkey) || (m.is_writable && self.read.contains(&m.pubkey))
        });
        if conflict {
            return false;
        }
        for m in metas {
            if m.is_writable {
                self.written.insert(m.pubkey);
            } else {
                self.read.insert(m.pubkey);
            }
        }
        true
    }
}

/// A client of its own whose sends are journaled for `hash` before they go.
fn journaled(app: &Arc<App>, base: &Cluster, hash: B256) -> Cluster {
    let journal_app = app.clone();
    base.handle()
        .with_journal(Arc::new(move |signature, last_valid| {
            journal_app
                .store
                .add_send(&hash, signature, last_valid)
                .map_err(|e| format!("database: {e}"))
        }))
}

/// `tx` emulated on the cluster as it is now, for `operator`.
fn emulate(cluster: &Cluster, operator: &Keypair, tx: &PoolTx) -> Result<Emulation, RelayError> {
    let emulated = match &tx.incoming {
        Some(incoming) => emulate_decoded(cluster, &operator.pubkey(), Incoming::clone(incoming)),
        None => isthmus_client::emulate::emulate(cluster, &operator.pubkey(), &tx.raw),
    };
    emulated.map_err(|e| RelayError::Invalid(e.to_string()))
}

/// Relays `tx` as `emulated` through `cluster` (a [`journaled`] client) and `operator`.
fn relay_one(
    app: &Arc<App>,
    base: &Cluster,
    cluster: &mut Cluster,
    tx: PoolTx,
    operator: &Keypair,
    emulated: Result<Emulation, RelayError>,
) -> Step {
    let hash = tx.hash;
    let started = Instant::now();
    let relayed = emulated.and_then(|emulation| {
        isthmus_relayer::relay_emulated(cluster, operator, &tx.raw, &emulation)
    });
    match relayed {
        Ok(relayed) => {
            let Some(slot) = cluster.landed_slot().or_else(|| base.slot().ok()) else {
                return Step::Wait;
            };
            if !relayed.lookup_tables.is_empty() {
                app.chain()
                    .note_tables(&relayed.lookup_tables, slot, operator.pubkey());
            }
            log_relayed(&hash, slot, &relayed, started);
            Step::Landed(Box::new(Landed {
                tx,
                relayed,
                slot,
                stamp: None,
            }))
        }
        Err(RelayError::Busy(why)) => {
            tracing::info!(%hash, %why, "waits for a later slot");
            Step::Wait
        }
        Err(e) => {
            if let Some(read) = cluster.take_read_error() {
                tracing::warn!(%hash, error = %e, %read, "decided on a failed read: tried again later");
                return Step::Wait;
            }
            match earlier(app, base, &tx) {
                Ok(Earlier::Landed(l)) => Step::Landed(l),
                Ok(Earlier::MayLand) => {
                    tracing::warn!(%hash, error = %e, "failed, but a send may still land: waits");
                    Step::Wait
                }
                Ok(Earlier::Gone) => {
                    metrics::counter!("isthmus_transactions_dropped_total").increment(1);
                    tracing::warn!(%hash, error = %e, "dropped");
                    Step::Dropped(hash)
                }
                Err(why) => {
                    tracing::warn!(%hash, error = %e, %why, "failed; its sends unknown: waits");
                    Step::Wait
                }
            }
        }
    }
}

/// Gives each landed transaction its block as the cluster has it: the SlotHashes entry of the
/// slot it landed in (waiting for the sysvar to hold it: as long as it cannot be read, at most
/// [`SLOT_HASH_PATIENCE`] once it can) and of the slot before it, the cluster's clock and the
/// floor base fee.
fn stamp(cluster: &Cluster, landed: &mut [Landed]) {
    let Some(newest) = landed.iter().map(|l| l.slot).max() else {
        return;
    };
    // A read error is waited out (the hash is not guessed); a sysvar that does not come to hold
    // the slot only for so long.
    let started = Instant::now();
    let mut warned = Instant::now();
    let hashes = loop {
        match cluster.slot_hashes() {
            Ok(h) if h.first().is_some_and(|(s, _)| *s >= newest) => break h,
            Ok(h) if started.elapsed() > SLOT_HASH_PATIENCE => break h,
            Ok(_) => {}
            Err(e) if warned.elapsed() > SLOT_HASH_PATIENCE => {
                tracing::warn!(error = %e, "SlotHashes unreadable; the block waits for it");
                warned = Instant::now();
            }
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let base_fee = accounts::config(cluster)
        .ok()
        .flatten()
        .map(|c| c.fee_market.min_base_fee)
        .unwrap_or_default();
    let timestamp = cluster.clock().unix_timestamp.max(0) as u64;
    let hash_of = |slot: u64| hashes.iter().find(|(s, _)| *s == slot).map(|(_, h)| *h);
    for l in landed {
        let hash = hash_of(l.slot).unwrap_or_else(|| {
            tracing::warn!(
                slot = l.slot,
                "not in SlotHashes: its block hash is not BLOCKHASH's"
            );
            Chain::block_hash(l.slot)
        });
        let parent = hashes
            .iter()
            .find(|(s, _)| *s < l.slot)
            .map(|(_, h)| *h)
            .unwrap_or_else(|| Chain::block_hash(l.slot.saturating_sub(1)));
        l.stamp = Some(Stamp {
            hash: B256::from(hash),
            parent_hash: B256::from(parent),
            timestamp,
            base_fee,
        });
    }
}
