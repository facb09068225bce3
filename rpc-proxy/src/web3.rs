//! The `web3_` namespace.

use crate::rpc::{Ctx, RpcResult};
use jsonrpsee::core::RegisterMethodError;
use jsonrpsee::RpcModule;
use serde_json::Value;

pub fn register(module: &mut RpcModule<Ctx>) -> Result<(), RegisterMethodError> {
    module.register_method("web3_clientVersion", |_, _, _| -> RpcResult {
        Ok(Value::String(format!(
            "isthmus-rpc-proxy/v{}",
            env!("CARGO_PKG_VERSION")
        )))
    })?;
    Ok(())
}
