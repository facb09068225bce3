//! The `net_` namespace.

use super::{method, quantity};
use crate::app::App;
use jsonrpsee::RpcModule;
use serde_json::Value;

pub fn register(m: &mut RpcModule<App>) {
    method(m, "net_version", |app, _| {
        Ok(Value::String(app.chain_id.to_string()))
    });
    method(m, "net_listening", |_, _| Ok(Value::Bool(true)));
    method(m, "net_peerCount", |_, _| Ok(quantity(0u64)));
}
