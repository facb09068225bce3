//! eth_subscribe / eth_unsubscribe over WebSocket: newHeads, logs (with a filter) and
//! newPendingTransactions, fed by the block producer and the mempool.

use super::{invalid_params, types};
use crate::app::App;
use alloy_rpc_types_eth::Filter;
use jsonrpsee::core::server::SubscriptionMessage;
use jsonrpsee::core::traits::IdProvider;
use jsonrpsee::types::SubscriptionId;
use jsonrpsee::{PendingSubscriptionSink, RpcModule};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

pub fn register(m: &mut RpcModule<App>) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_subscription(
        "eth_subscribe",
        "eth_subscription",
        "eth_unsubscribe",
        |params, pending, app, _| async move {
            let args: Vec<Value> = params.parse().unwrap_or_default();
            let kind = args.first().and_then(|v| v.as_str()).unwrap_or("");
            match kind {
                "newHeads" => heads(pending, app).await,
                "logs" => {
                    let filter: Filter = match args.get(1) {
                        None | Some(Value::Null) => Filter::default(),
                        Some(v) => match serde_json::from_value(v.clone()) {
                            Ok(f) => f,
                            Err(e) => {
                                pending.reject(invalid_params(format!("filter: {e}"))).await;
                                return;
                            }
                        },
                    };
                    logs(pending, app, filter).await
                }
                "newPendingTransactions" => pending_txs(pending, app).await,
                other => {
                    pending
                        .reject(invalid_params(format!(
                            "unsupported subscription {other:?}"
                        )))
                        .await
                }
            }
        },
    )?;
    Ok(())
}

fn message(v: &Value) -> Option<SubscriptionMessage> {
    serde_json::value::to_raw_value(v).ok().map(Into::into)
}

/// Accepts the subscription and sends what `notifications` makes of each event of `rx` until the
/// client goes away (a lagging subscriber skips what it missed).
async fn forward<T: Clone>(
    pending: PendingSubscriptionSink,
    mut rx: broadcast::Receiver<T>,
    notifications: impl Fn(T) -> Vec<Value>,
) {
    let Ok(sink) = pending.accept().await else {
        return;
    };
    loop {
        tokio::select! {
            _ = sink.closed() => return,
            next = rx.recv() => match next {
                Ok(event) => {
                    for v in notifications(event) {
                        let Some(msg) = message(&v) else { continue };
                        if sink.send(msg).await.is_err() {
                            return;
                        }
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    }
}

async fn heads(pending: PendingSubscriptionSink, app: Arc<App>) {
    let rx = app.heads.subscribe();
    forward(pending, rx, |b| {
        let mut head = types::block(&app, Some(b.block.clone()), b.block.number, false);
        if let Some(o) = head.as_object_mut() {
            o.remove("transactions");
            o.remove("uncles");
        }
        vec![head]
    })
    .await
}

async fn logs(pending: PendingSubscriptionSink, app: Arc<App>, filter: Filter) {
    forward(pending, app.heads.subscribe(), |b| {
        b.logs
            .iter()
            .filter(|l| filter.matches_address(l.address) && filter.matches_topics(&l.topics))
            .map(types::log)
            .collect()
    })
    .await
}

async fn pending_txs(pending: PendingSubscriptionSink, app: Arc<App>) {
    forward(pending, app.pending_txs.subscribe(), |hash| {
        vec![serde_json::json!(hash)]
    })
    .await
}

/// Subscription ids as geth writes them: `0x` and 32 hex digits.
#[derive(Debug, Default)]
pub struct HexIds(AtomicU64);

impl IdProvider for HexIds {
    fn next_id(&self) -> SubscriptionId<'static> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        let salt = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        SubscriptionId::Str(format!("0x{salt:016x}{n:016x}").into())
    }
}
