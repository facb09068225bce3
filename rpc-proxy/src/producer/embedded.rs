//! The embedded chain's producer: relays a block's ready transactions into LiteSVM one after the
//! other (the VM runs them in order, so conflicting ones, same sender or same storage, keep the
//! order and results the mempool gave them), each from the decoding `App::submit` made, so no
//! signature is recovered twice; then one commit writes the block, its receipts and the accounts
//! it changed in one database transaction and publishes the new state from those accounts.

use crate::app::{App, Landed, Produced};
use crate::mempool::PoolTx;
use isthmus_client::interface::transaction::Incoming;
use isthmus_relayer::RelayError;
use std::time::Instant;

impl App {
    /// Relays `batch` in order and commits the block they landed in. A transaction that a
    /// contract's compute cap keeps out of this slot ends the batch: it and the rest stay in
    /// the mempool for a later slot. With `seal`, the block is committed even if nothing landed
    /// (a mined empty block). The embedded chain's only: a cluster's transactions go through
    /// [`super::cluster`].
    pub(crate) fn produce(&self, batch: Vec<PoolTx>, seal: bool) -> Produced {
        let mut landed: Vec<Landed> = Vec::with_capacity(batch.len());
        let mut dropped = Vec::new();
        let mut produced = Produced::All;
        for tx in batch {
            let started = Instant::now();
            let mut chain = self.chain_unpublished();
            let relayed = match &tx.incoming {
                Some(incoming) => chain.relay_decoded(&tx.raw, Incoming::clone(incoming)),
                None => chain.relay(&tx.raw),
            };
            match relayed {
                Ok(relayed) => {
                    let slot = chain.slot();
                    if let Some(hold) = self.relay_hold {
                        std::thread::sleep(hold);
                    }
                    drop(chain);
                    crate::app::log_relayed(&tx.hash, slot, &relayed, started);
                    landed.push(Landed {
                        tx,
                        relayed,
                        slot,
                        stamp: None,
                    });
                }
                Err(RelayError::Busy(why)) => {
                    tracing::info!(hash = %tx.hash, %why, "waits for a later slot");
                    if landed.is_empty() {
                        chain.advance();
                    }
                    produced = Produced::Busy;
                    break;
                }
                Err(e) => {
                    drop(chain);
                    metrics::counter!("isthmus_transactions_dropped_total").increment(1);
                    tracing::warn!(hash = %tx.hash, error = %e, "dropped");
                    dropped.push(tx.hash);
                }
            }
        }
        self.commit(landed, dropped, seal);
        produced
    }
}
