//! The `web3_` namespace.

use super::{arg, hex, method};
use crate::app::App;
use alloy_primitives::{keccak256, Bytes};
use jsonrpsee::RpcModule;
use serde_json::Value;

pub fn register(m: &mut RpcModule<App>) {
    method(m, "web3_clientVersion", |_, _| {
        Ok(Value::String(client_version()))
    });
    method(m, "web3_sha3", |_, a| {
        let data: Bytes = arg(a, 0)?;
        Ok(Value::String(hex(keccak256(&data).as_slice())))
    });
}

/// `anvil/...` first: development tools (Hardhat's network helpers, Foundry) recognise a node
/// that answers anvil's methods by this prefix; then what it really is.
pub fn client_version() -> String {
    format!(
        "anvil/v1.0.0 (isthmus-rpc-proxy/v{})",
        env!("CARGO_PKG_VERSION")
    )
}
