//! The `evm_` namespace, as the Hardhat node and anvil answer it: snapshots, mining on demand,
//! the clock, automine and interval mining. Embedded chain only (`crate::dev`).

use super::{arg, dev_error, method, quantity_arg, RpcResult};
use crate::app::App;
use jsonrpsee::RpcModule;
use serde_json::Value;

pub fn register(m: &mut RpcModule<App>) {
    method(m, "evm_snapshot", snapshot);
    method(m, "evm_revert", revert);
    method(m, "evm_mine", mine);
    method(m, "evm_increaseTime", increase_time);
    method(m, "evm_setNextBlockTimestamp", set_next_block_timestamp);
    method(m, "evm_setAutomine", set_automine);
    // Hardhat's: milliseconds (anvil_setIntervalMining takes seconds).
    method(m, "evm_setIntervalMining", |app, a| {
        let millis = quantity_arg(a, 0)?;
        app.set_interval_mining(millis).map_err(dev_error)?;
        Ok(Value::Bool(true))
    });
    method(m, "evm_setBlockGasLimit", |_, _| {
        Err(dev_error(format!(
            "the block gas limit is the program's, {}",
            isthmus_client::interface::block::BLOCK_GAS_LIMIT
        )))
    });
}

pub fn snapshot(app: &App, _: &[Value]) -> RpcResult {
    let id = app.snapshot().map_err(dev_error)?;
    Ok(Value::String(format!("{id:#x}")))
}

pub fn revert(app: &App, a: &[Value]) -> RpcResult {
    let id = quantity_arg(a, 0)?;
    Ok(Value::Bool(app.revert(id).map_err(dev_error)?))
}

/// `evm_mine([timestamp])`, or anvil's `evm_mine({timestamp, blocks})`.
pub fn mine(app: &App, a: &[Value]) -> RpcResult {
    let (timestamp, blocks) = match a.first() {
        Some(Value::Object(options)) => {
            let field = |name: &str| -> Result<Option<u64>, _> {
                match options.get(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => quantity_arg(std::slice::from_ref(v), 0).map(Some),
                }
            };
            (field("timestamp")?, field("blocks")?.unwrap_or(1))
        }
        None | Some(Value::Null) => (None, 1),
        Some(_) => (Some(quantity_arg(a, 0)?), 1),
    };
    if let Some(at) = timestamp {
        app.set_next_block_timestamp(at).map_err(dev_error)?;
    }
    app.mine(blocks.max(1), None).map_err(dev_error)?;
    Ok(Value::String("0x0".into()))
}

/// Returns the clock's total offset in seconds.
pub fn increase_time(app: &App, a: &[Value]) -> RpcResult {
    let seconds = quantity_arg(a, 0)?;
    let total = app.increase_time(seconds).map_err(dev_error)?;
    Ok(Value::String(format!("{:#x}", total.max(0))))
}

pub fn set_next_block_timestamp(app: &App, a: &[Value]) -> RpcResult {
    let at = quantity_arg(a, 0)?;
    app.set_next_block_timestamp(at).map_err(dev_error)?;
    Ok(Value::Null)
}

pub fn set_automine(app: &App, a: &[Value]) -> RpcResult {
    let on: bool = arg(a, 0)?;
    app.set_automine(on).map_err(dev_error)?;
    Ok(Value::Null)
}
