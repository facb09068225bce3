//! The `net_` namespace.

use crate::rpc::{Ctx, RpcResult};
use jsonrpsee::core::RegisterMethodError;
use jsonrpsee::RpcModule;
use serde_json::Value;

pub fn register(module: &mut RpcModule<Ctx>) -> Result<(), RegisterMethodError> {
    module.register_method("net_version", |_, ctx, _| -> RpcResult {
        Ok(Value::String(ctx.lock().unwrap().chain_id.to_string()))
    })?;
    module.register_method("net_listening", |_, _, _| -> RpcResult {
        Ok(Value::Bool(true))
    })?;
    Ok(())
}
