//! The JSON-RPC namespaces (one module each, as reth) and what they share: parameters, block
//! tags, errors, and the JSON shapes of blocks, transactions, receipts and logs.

pub mod anvil;
pub mod debug;
pub mod eth;
pub mod eth_accounts;
pub mod eth_chain;
pub mod eth_filter;
pub mod eth_pubsub;
pub mod evm;
pub mod isthmus;
pub mod net;
pub mod personal;
pub mod types;
pub mod web3;

use crate::app::App;
use jsonrpsee::types::{ErrorObjectOwned, Params};
use jsonrpsee::RpcModule;
use serde_json::Value;
use std::time::Instant;

pub type RpcResult = Result<Value, ErrorObjectOwned>;
pub type Handler = fn(&App, &[Value]) -> RpcResult;

/// Every namespace's methods on one module.
pub fn module(app: std::sync::Arc<App>) -> Result<RpcModule<App>, Box<dyn std::error::Error>> {
    let mut m = RpcModule::from_arc(app);
    anvil::register(&mut m);
    debug::register(&mut m);
    eth::register(&mut m);
    eth_accounts::register(&mut m);
    eth_chain::register(&mut m);
    eth_filter::register(&mut m);
    eth_pubsub::register(&mut m)?;
    evm::register(&mut m);
    isthmus::register(&mut m);
    net::register(&mut m);
    personal::register(&mut m);
    web3::register(&mut m);
    Ok(m)
}

/// Registers `handler` as `name`, run off the async workers (it may wait for the chain), with
/// request count and latency metrics.
pub fn method(module: &mut RpcModule<App>, name: &'static str, handler: Handler) {
    module
        .register_blocking_method(name, move |params, app, _| {
            handle(name, handler, &params, &app)
        })
        .unwrap_or_else(|e| panic!("registering {name}: {e}"));
}

/// Registers `handler` as `name` for a read the embedded chain answers from its published state
/// or the store's read connections without waiting on the chain: run on the async worker
/// itself, which saves the hand-over to a blocking thread and back (a tenth of a cheap call's
/// time under load; receipts polled by every waiting client are most of a node's requests). On
/// a cluster the same read may go over the network, so it runs off the workers as [`method`]'s
/// do. A handler here must never take the chain's lock.
pub fn read_method(module: &mut RpcModule<App>, name: &'static str, handler: Handler) {
    module
        .register_async_method(name, move |params, app, _| async move {
            if app.embedded {
                return handle(name, handler, &params, &app);
            }
            tokio::task::spawn_blocking(move || handle(name, handler, &params, &app))
                .await
                .unwrap_or_else(|e| Err(server_error(format!("{name} failed: {e}"))))
        })
        .unwrap_or_else(|e| panic!("registering {name}: {e}"));
}

/// One request: the handler's answer, counted and timed in the metrics.
fn handle(name: &'static str, handler: Handler, params: &Params, app: &App) -> RpcResult {
    let started = Instant::now();
    let result = args(params).and_then(|a| handler(app, &a));
    let status = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!("isthmus_rpc_requests_total", "method" => name, "status" => status)
        .increment(1);
    metrics::histogram!("isthmus_rpc_request_seconds", "method" => name)
        .record(started.elapsed().as_secs_f64());
    result
}

/// The positional parameters; missing or null parameters are an empty list.
pub fn args(params: &Params) -> Result<Vec<Value>, ErrorObjectOwned> {
    if params.as_str().is_none() {
        return Ok(Vec::new());
    }
    match params.parse::<Option<Vec<Value>>>() {
        Ok(v) => Ok(v.unwrap_or_default()),
        Err(e) => Err(e),
    }
}

/// Parameter `i` as `T` (-32602 when missing or malformed).
pub fn arg<T: serde::de::DeserializeOwned>(
    args: &[Value],
    i: usize,
) -> Result<T, ErrorObjectOwned> {
    let v = args.get(i).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| invalid_params(format!("parameter {i}: {e}")))
}

/// Optional parameter `i` (absent or null: `None`).
pub fn opt_arg<T: serde::de::DeserializeOwned>(
    args: &[Value],
    i: usize,
) -> Result<Option<T>, ErrorObjectOwned> {
    match args.get(i) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => arg(args, i).map(Some),
    }
}

pub fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32602, message.into(), None::<()>)
}

/// A server-side error as geth reports it (-32000).
pub fn server_error(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32000, message.into(), None::<()>)
}

/// -32005: a query past a bound (block range, result count).
pub fn limit_exceeded(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32005, message.into(), None::<()>)
}

/// A development method's refusal (-32000, as anvil), e.g. on a cluster.
pub fn dev_error(message: impl Into<String>) -> ErrorObjectOwned {
    server_error(message)
}

/// Parameter `i` as a number: a JSON number, a hex quantity or a decimal string (Hardhat's
/// helpers and anvil's clients send all three).
pub fn quantity_arg(args: &[Value], i: usize) -> Result<u64, ErrorObjectOwned> {
    let bad = || invalid_params(format!("parameter {i}: expected a quantity"));
    match args.get(i) {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(bad),
        Some(Value::String(s)) => match s.strip_prefix("0x") {
            Some("") => Ok(0),
            Some(digits) => u64::from_str_radix(digits, 16).map_err(|_| bad()),
            None => s.parse().map_err(|_| bad()),
        },
        _ => Err(bad()),
    }
}

pub fn db_error(e: rusqlite::Error) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32603, format!("database: {e}"), None::<()>)
}

/// geth's revert error: code 3, "execution reverted[: reason]", data the revert bytes.
pub fn revert_error(data: &[u8]) -> ErrorObjectOwned {
    let message = match revert_reason(data) {
        Some(reason) => format!("execution reverted: {reason}"),
        None => "execution reverted".to_string(),
    };
    ErrorObjectOwned::owned(3, message, Some(hex(data)))
}

/// The string of an `Error(string)` revert.
pub fn revert_reason(data: &[u8]) -> Option<String> {
    if data.len() < 68 || data[..4] != [0x08, 0xc3, 0x79, 0xa0] {
        return None;
    }
    let len = u64::from_be_bytes(data[60..68].try_into().ok()?) as usize;
    let bytes = data.get(68..68usize.checked_add(len)?)?;
    String::from_utf8(bytes.to_vec()).ok()
}

pub fn hex(bytes: &[u8]) -> String {
    format!("0x{}", alloy_primitives::hex::encode(bytes))
}

pub fn quantity(n: impl Into<u128>) -> Value {
    Value::String(format!("{:#x}", n.into()))
}

/// A block parameter: a tag, a number, or EIP-1898's `{blockNumber}` / `{blockHash}`.
pub enum BlockRef {
    Latest,
    Earliest,
    Number(u64),
    Hash(alloy_primitives::B256),
}

pub fn block_ref(v: Option<&Value>) -> Result<BlockRef, ErrorObjectOwned> {
    let v = match v {
        None | Some(Value::Null) => return Ok(BlockRef::Latest),
        Some(v) => v,
    };
    if let Some(obj) = v.as_object() {
        if let Some(h) = obj.get("blockHash") {
            return serde_json::from_value(h.clone())
                .map(BlockRef::Hash)
                .map_err(|e| invalid_params(format!("blockHash: {e}")));
        }
        return block_ref(obj.get("blockNumber"));
    }
    let s = v
        .as_str()
        .ok_or_else(|| invalid_params(format!("block {v}")))?;
    // A bare block hash (eth_getBlockReceipts takes a number, a tag or a hash).
    if s.len() == 66 && s.starts_with("0x") {
        return s
            .parse()
            .map(BlockRef::Hash)
            .map_err(|_| invalid_params(format!("invalid block hash {s:?}")));
    }
    Ok(match s {
        "latest" | "pending" | "safe" | "finalized" => BlockRef::Latest,
        "earliest" => BlockRef::Earliest,
        n => BlockRef::Number(
            u64::from_str_radix(n.trim_start_matches("0x"), 16)
                .map_err(|_| invalid_params(format!("invalid block number {n:?}")))?,
        ),
    })
}

/// On a cluster (no history kept), how many recent blocks the state methods answer from the
/// newest state; older ones are refused.
pub const REMOTE_STATE_WINDOW: u64 = 128;

/// The block a state query asks for: `None` for the newest state, `Some(n)` for the state after
/// block `n` (the embedded chain keeps every block's; a cluster's is not kept).
pub fn state_block(app: &App, v: Option<&Value>) -> Result<Option<u64>, ErrorObjectOwned> {
    let latest = app.latest();
    let number = match block_ref(v)? {
        BlockRef::Latest => return Ok(None),
        BlockRef::Earliest => 0,
        BlockRef::Number(n) => n,
        BlockRef::Hash(h) => match app.store.block_by_hash(&h).map_err(db_error)? {
            Some(b) => b.number,
            None => return Err(server_error(format!("header for hash {h} not found"))),
        },
    };
    if number > latest + 1 {
        return Err(server_error(format!("header not found: block {number}")));
    }
    if number >= latest {
        return Ok(None);
    }
    if app.embedded {
        return Ok(Some(number));
    }
    if number + REMOTE_STATE_WINDOW < latest {
        return Err(server_error(format!(
            "historical state unavailable for block {number}: on a cluster rpc-proxy answers the last {REMOTE_STATE_WINDOW} blocks from the newest state"
        )));
    }
    Ok(None)
}
