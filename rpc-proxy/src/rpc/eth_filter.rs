//! The `eth_` filter methods: installed filters polled with eth_getFilterChanges.

use super::eth_chain::query_error;
use super::{arg, method, types, RpcResult};
use crate::app::App;
use crate::filters::{Changes, Kind};
use alloy_primitives::U128;
use alloy_rpc_types_eth::Filter;
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};

pub fn register(m: &mut RpcModule<App>) {
    method(m, "eth_newFilter", |app, a| {
        let filter: Filter = arg(a, 0)?;
        installed(
            app.filters
                .install(Kind::Logs(Box::new(filter)), app.latest()),
        )
    });
    method(m, "eth_newBlockFilter", |app, _| {
        installed(app.filters.install(Kind::Blocks, app.latest()))
    });
    method(m, "eth_newPendingTransactionFilter", |app, _| {
        installed(app.filters.install(Kind::Pending(Vec::new()), app.latest()))
    });
    method(m, "eth_uninstallFilter", |app, a| {
        Ok(Value::Bool(app.filters.uninstall(arg(a, 0)?)))
    });
    method(m, "eth_getFilterChanges", |app, a| {
        let id: U128 = arg(a, 0)?;
        match app.filters.changes(id, &app.store, app.latest()) {
            None => Err(not_found()),
            Some(Err(e)) => Err(query_error(e)),
            Some(Ok(Changes::Blocks(h) | Changes::Pending(h))) => Ok(json!(h)),
            Some(Ok(Changes::Logs(logs))) => {
                Ok(json!(logs.iter().map(types::log).collect::<Vec<_>>()))
            }
        }
    });
    method(m, "eth_getFilterLogs", |app, a| -> RpcResult {
        let id: U128 = arg(a, 0)?;
        match app.filters.logs(id, &app.store, app.latest()) {
            None => Err(not_found()),
            Some(Err(e)) => Err(query_error(e)),
            Some(Ok(logs)) => Ok(json!(logs.iter().map(types::log).collect::<Vec<_>>())),
        }
    });
}

fn id(id: U128) -> Value {
    Value::String(format!("{id:#x}"))
}

/// A new filter's id, or -32005 when too many are installed.
fn installed(result: Result<U128, crate::filters::QueryError>) -> RpcResult {
    result.map(id).map_err(query_error)
}

/// geth's answer for an unknown or expired filter.
fn not_found() -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32000, "filter not found", None::<()>)
}
