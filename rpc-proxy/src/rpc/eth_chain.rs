//! The `eth_` namespace, the indexed chain: block number, blocks, transactions, receipts,
//! eth_getLogs and eth_feeHistory, from the store.

use super::{
    arg, block_ref, db_error, invalid_params, limit_exceeded, method, opt_arg, quantity,
    read_method, types, BlockRef, RpcResult,
};
use crate::app::App;
use crate::filters::{get_logs, QueryError};
use crate::store::BlockRecord;
use alloy_primitives::{B256, U64};
use alloy_rpc_types_eth::Filter;
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};

pub fn register(m: &mut RpcModule<App>) {
    read_method(m, "eth_blockNumber", |app, _| Ok(quantity(app.latest())));
    method(m, "eth_getBlockByNumber", |app, a| {
        let full: bool = opt_arg(a, 1)?.unwrap_or(false);
        block(app, block_ref(a.first())?, full)
    });
    method(m, "eth_getBlockByHash", |app, a| {
        let hash: B256 = arg(a, 0)?;
        let full: bool = opt_arg(a, 1)?.unwrap_or(false);
        block(app, BlockRef::Hash(hash), full)
    });
    method(m, "eth_getBlockTransactionCountByNumber", |app, a| {
        count(app, block_ref(a.first())?)
    });
    method(m, "eth_getBlockTransactionCountByHash", |app, a| {
        count(app, BlockRef::Hash(arg(a, 0)?))
    });
    method(m, "eth_getUncleCountByBlockNumber", |_, _| {
        Ok(quantity(0u64))
    });
    method(m, "eth_getUncleCountByBlockHash", |_, _| Ok(quantity(0u64)));
    read_method(m, "eth_getTransactionByHash", |app, a| {
        let hash: B256 = arg(a, 0)?;
        if let Some(t) = app.store.tx(&hash).map_err(db_error)? {
            return Ok(types::transaction(&t, timestamp(app, t.block_number)?));
        }
        Ok(app
            .pool()
            .get(&hash)
            .map(types::pending_transaction)
            .unwrap_or(Value::Null))
    });
    method(m, "eth_getTransactionByBlockNumberAndIndex", |app, a| {
        let index: U64 = arg(a, 1)?;
        tx_at(app, block_ref(a.first())?, index.to())
    });
    method(m, "eth_getTransactionByBlockHashAndIndex", |app, a| {
        let index: U64 = arg(a, 1)?;
        tx_at(app, BlockRef::Hash(arg(a, 0)?), index.to())
    });
    read_method(m, "eth_getTransactionReceipt", |app, a| {
        let hash: B256 = arg(a, 0)?;
        let Some(t) = app.store.tx(&hash).map_err(db_error)? else {
            return Ok(Value::Null);
        };
        let logs = app.store.tx_logs(&hash).map_err(db_error)?;
        Ok(types::receipt(&t, &logs))
    });
    method(m, "eth_getBlockReceipts", |app, a| {
        let Some(number) = number_of(app, block_ref(a.first())?)? else {
            return Ok(Value::Null);
        };
        let txs = app.store.block_txs(number).map_err(db_error)?;
        let mut out = Vec::with_capacity(txs.len());
        for t in &txs {
            let logs = app.store.tx_logs(&t.hash).map_err(db_error)?;
            out.push(types::receipt(t, &logs));
        }
        Ok(json!(out))
    });
    method(m, "eth_getLogs", |app, a| {
        let filter: Filter = arg(a, 0)?;
        let logs = get_logs(&filter, &app.store, app.latest()).map_err(query_error)?;
        Ok(json!(logs.iter().map(types::log).collect::<Vec<_>>()))
    });
    method(m, "eth_feeHistory", fee_history);
}

pub fn query_error(e: QueryError) -> ErrorObjectOwned {
    match e {
        QueryError::LimitExceeded(m) => limit_exceeded(m),
        QueryError::InvalidParams(m) => invalid_params(m),
    }
}

/// The number `r` names, if that block exists.
fn number_of(app: &App, r: BlockRef) -> Result<Option<u64>, ErrorObjectOwned> {
    let latest = app.latest();
    Ok(match r {
        BlockRef::Latest => Some(latest),
        BlockRef::Earliest => Some(0),
        BlockRef::Number(n) => (n <= latest).then_some(n),
        BlockRef::Hash(h) => app
            .store
            .block_by_hash(&h)
            .map_err(db_error)?
            .map(|b| b.number),
    })
}

fn record(app: &App, number: u64) -> Result<Option<BlockRecord>, ErrorObjectOwned> {
    app.store.block_by_number(number).map_err(db_error)
}

fn block(app: &App, r: BlockRef, full: bool) -> RpcResult {
    let Some(number) = number_of(app, r)? else {
        return Ok(Value::Null);
    };
    Ok(types::block(app, record(app, number)?, number, full))
}

fn count(app: &App, r: BlockRef) -> RpcResult {
    let Some(number) = number_of(app, r)? else {
        return Ok(Value::Null);
    };
    Ok(quantity(
        record(app, number)?.map(|b| b.tx_count).unwrap_or(0),
    ))
}

fn timestamp(app: &App, number: u64) -> Result<u64, ErrorObjectOwned> {
    Ok(record(app, number)?.map(|b| b.timestamp).unwrap_or(0))
}

fn tx_at(app: &App, r: BlockRef, index: u64) -> RpcResult {
    let Some(number) = number_of(app, r)? else {
        return Ok(Value::Null);
    };
    match app.store.tx_at(number, index).map_err(db_error)? {
        Some(t) => Ok(types::transaction(&t, timestamp(app, number)?)),
        None => Ok(Value::Null),
    }
}

/// eth_feeHistory: the block base fee (the config's floor: local fees are per contract, see
/// isthmus_localFee), gas used ratios, and zero rewards (operators take no tips).
fn fee_history(app: &App, a: &[Value]) -> RpcResult {
    let count: U64 = match a.first() {
        Some(Value::Number(n)) => U64::from(n.as_u64().unwrap_or(0)),
        _ => arg(a, 0)?,
    };
    let count = count.to::<u64>().clamp(1, 1024);
    let newest = number_of(app, block_ref(a.get(1))?)?.unwrap_or(app.latest());
    let percentiles: Option<Vec<f64>> = opt_arg(a, 2)?;
    let oldest = newest.saturating_sub(count - 1);
    let blocks = app.store.blocks_in(oldest, newest).map_err(db_error)?;
    let base_fee = app.with_state(None, |view, _| view.min_base_fee());
    let mut ratios = Vec::new();
    let mut fees = Vec::new();
    let mut rewards = Vec::new();
    for n in oldest..=newest {
        let b = blocks.iter().find(|b| b.number == n);
        fees.push(quantity(b.map(|b| b.base_fee).unwrap_or(base_fee)));
        let used = b.map(|b| b.gas_used).unwrap_or(0);
        ratios.push(json!(
            used as f64 / isthmus_client::interface::block::BLOCK_GAS_LIMIT as f64
        ));
        if let Some(p) = &percentiles {
            rewards.push(json!(p.iter().map(|_| "0x0").collect::<Vec<_>>()));
        }
    }
    fees.push(quantity(base_fee));
    let mut out = json!({
        "oldestBlock": quantity(oldest),
        "baseFeePerGas": fees,
        "gasUsedRatio": ratios,
    });
    if percentiles.is_some() {
        out["reward"] = json!(rewards);
    }
    Ok(out)
}
