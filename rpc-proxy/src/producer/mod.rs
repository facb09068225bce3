//! Block production by backend: each relays a batch of ready transactions its own way, then
//! `App::commit` indexes the block(s) they landed in.

pub mod embedded;

use crate::mempool::PoolTx;
use std::time::Instant;

/// The metrics and log line of one relayed transaction.
pub(crate) fn record_relay(
    tx: &PoolTx,
    relayed: &isthmus_relayer::Relayed,
    slot: u64,
    started: Instant,
) {
    metrics::counter!("isthmus_transactions_relayed_total").increment(1);
    metrics::counter!("isthmus_solana_transactions_total").increment(relayed.solana_txs as u64);
    metrics::counter!("isthmus_solana_compute_units_total").increment(relayed.compute_units);
    metrics::histogram!("isthmus_relay_seconds").record(started.elapsed().as_secs_f64());
    tracing::info!(
        hash = %tx.hash,
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
