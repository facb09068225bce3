//! The development namespace under both of its names, `anvil_` and `hardhat_` (anvil answers
//! both; Hardhat's network helpers call the `hardhat_` ones): mining, state setters, reset,
//! dropping transactions, base fee, automine, and what the node is. Embedded chain only
//! (`crate::dev`, `crate::state_edit`); on a cluster each answers why not.

use super::evm;
use super::{arg, dev_error, method, quantity_arg, RpcResult};
use crate::app::App;
use crate::chain::Chain;
use crate::state_edit;
use alloy_primitives::{Address, Bytes, B256, U256};
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

/// Registers `handler` as `anvil_<name>` and `hardhat_<name>`.
macro_rules! both {
    ($m:expr, $name:literal, $handler:expr) => {
        method($m, concat!("anvil_", $name), $handler);
        method($m, concat!("hardhat_", $name), $handler);
    };
}

pub fn register(m: &mut RpcModule<App>) {
    both!(m, "mine", mine);
    both!(m, "setBalance", set_balance);
    both!(m, "setCode", set_code);
    both!(m, "setNonce", set_nonce);
    both!(m, "setStorageAt", set_storage_at);
    both!(m, "reset", reset);
    both!(m, "impersonateAccount", |app, a| impersonate(app, a, true));
    both!(m, "stopImpersonatingAccount", |app, a| impersonate(
        app, a, false
    ));
    method(m, "anvil_autoImpersonateAccount", |app, a| {
        let on: bool = arg(a, 0)?;
        app.auto_impersonate(on).map_err(dev_error)?;
        Ok(Value::Null)
    });
    both!(m, "dropTransaction", drop_transaction);
    both!(m, "setNextBlockBaseFeePerGas", set_base_fee);
    both!(m, "getAutomine", get_automine);
    // Only anvil's name: hardhat-ethers takes a node that answers `hardhat_metadata` on the
    // `localhost` network for a Hardhat node and sends every transaction with a fixed gas limit
    // instead of estimating it, counting on the Hardhat node's habit of answering a reverting
    // transaction with an error; Hardhat's sample tests (`revertedWith`) then fail, as they do
    // against anvil, which answers both.
    method(m, "anvil_metadata", metadata);
    both!(m, "setCoinbase", |_, _| Err(dev_error(
        "COINBASE is the relaying operator's address: it cannot be set"
    )));
    both!(m, "setPrevRandao", |_, _| Err(dev_error(
        "PREVRANDAO is the newest Solana slot hash: it cannot be set"
    )));
    method(m, "anvil_dropAllTransactions", |app, _| {
        app.drop_all_transactions().map_err(dev_error)?;
        Ok(Value::Null)
    });
    method(m, "anvil_nodeInfo", node_info);
    method(m, "anvil_snapshot", evm::snapshot);
    method(m, "anvil_revert", evm::revert);
    method(m, "anvil_increaseTime", evm::increase_time);
    method(
        m,
        "anvil_setNextBlockTimestamp",
        evm::set_next_block_timestamp,
    );
    method(m, "anvil_setAutomine", evm::set_automine);
    // anvil's: seconds (evm_setIntervalMining takes milliseconds, as Hardhat's).
    method(m, "anvil_setIntervalMining", |app, a| {
        let seconds = quantity_arg(a, 0)?;
        app.set_interval_mining(seconds.saturating_mul(1_000))
            .map_err(dev_error)?;
        Ok(Value::Null)
    });
}

/// `[count, interval]`, each optional: `count` blocks, `interval` seconds apart.
fn mine(app: &App, a: &[Value]) -> RpcResult {
    let count = optional_quantity(a, 0)?.unwrap_or(1);
    let interval = optional_quantity(a, 1)?;
    if count == 0 {
        return Err(super::invalid_params("cannot mine 0 blocks"));
    }
    app.mine(count, interval).map_err(dev_error)?;
    Ok(Value::Bool(true))
}

fn optional_quantity(a: &[Value], i: usize) -> Result<Option<u64>, ErrorObjectOwned> {
    match a.get(i) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => quantity_arg(a, i).map(Some),
    }
}

/// A 256-bit parameter: a hex quantity (any length up to 32 bytes) or a decimal string.
fn word_arg(a: &[Value], i: usize) -> Result<U256, ErrorObjectOwned> {
    let bad = || super::invalid_params(format!("parameter {i}: expected a 256-bit quantity"));
    match a.get(i) {
        Some(Value::String(s)) => match s.strip_prefix("0x") {
            Some("") => Ok(U256::ZERO),
            Some(digits) => U256::from_str_radix(digits, 16).map_err(|_| bad()),
            None => U256::from_str_radix(s, 10).map_err(|_| bad()),
        },
        Some(Value::Number(n)) => n.as_u64().map(U256::from).ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn edited(app: &App, edit: impl FnOnce(&mut isthmus_svm::Svm) -> Result<(), String>) -> RpcResult {
    app.edit_state(edit).map_err(dev_error)?;
    Ok(Value::Bool(true))
}

fn set_balance(app: &App, a: &[Value]) -> RpcResult {
    let address: Address = arg(a, 0)?;
    let wei = word_arg(a, 1)?;
    edited(app, |svm| {
        state_edit::set_balance(svm, &address.into_array(), wei)
    })
}

fn set_code(app: &App, a: &[Value]) -> RpcResult {
    let address: Address = arg(a, 0)?;
    let code: Bytes = arg(a, 1)?;
    edited(app, |svm| {
        state_edit::set_code(svm, &address.into_array(), &code)
    })
}

fn set_nonce(app: &App, a: &[Value]) -> RpcResult {
    let address: Address = arg(a, 0)?;
    let nonce = quantity_arg(a, 1)?;
    edited(app, |svm| {
        state_edit::set_nonce(svm, &address.into_array(), nonce)
    })
}

fn set_storage_at(app: &App, a: &[Value]) -> RpcResult {
    let address: Address = arg(a, 0)?;
    let slot = word_arg(a, 1)?.to_be_bytes::<32>();
    let value = word_arg(a, 2)?.to_be_bytes::<32>();
    edited(app, |svm| {
        state_edit::set_storage(svm, &address.into_array(), &slot, &value)
    })
}

fn impersonate(app: &App, a: &[Value], on: bool) -> RpcResult {
    let address: Address = arg(a, 0)?;
    app.impersonate(address.into_array(), on)
        .map_err(dev_error)?;
    Ok(Value::Bool(true))
}

fn reset(app: &App, a: &[Value]) -> RpcResult {
    if let Some(Value::Object(options)) = a.first() {
        if options.contains_key("forking") && !options["forking"].is_null() {
            return Err(dev_error("forking is not supported"));
        }
    }
    app.reset().map_err(dev_error)?;
    Ok(Value::Bool(true))
}

fn drop_transaction(app: &App, a: &[Value]) -> RpcResult {
    let hash: B256 = arg(a, 0)?;
    Ok(Value::Bool(app.drop_transaction(&hash).map_err(dev_error)?))
}

fn set_base_fee(app: &App, a: &[Value]) -> RpcResult {
    let fee = quantity_arg(a, 0)?;
    app.set_base_fee(fee).map_err(dev_error)?;
    Ok(Value::Bool(true))
}

fn get_automine(app: &App, _: &[Value]) -> RpcResult {
    Ok(Value::Bool(app.automine.load(Ordering::Relaxed)))
}

/// `anvil_metadata`: what the node is and where its chain stands.
fn metadata(app: &App, _: &[Value]) -> RpcResult {
    let latest = app.latest();
    Ok(json!({
        "clientVersion": super::web3::client_version(),
        "chainId": app.chain_id,
        "instanceId": format!("0x{}", alloy_primitives::hex::encode(Chain::block_hash(0))),
        "latestBlockNumber": latest,
        "latestBlockHash": B256::from(Chain::block_hash(latest)),
        "snapshots": app.snapshot_ids(),
    }))
}

/// `anvil_nodeInfo`: the newest block and the environment the next transactions run in.
fn node_info(app: &App, _: &[Value]) -> RpcResult {
    let latest = app.latest();
    let chain = app.chain();
    Ok(json!({
        "currentBlockNumber": latest,
        "currentBlockTimestamp": chain.timestamp(),
        "currentBlockHash": B256::from(Chain::block_hash(latest)),
        "hardFork": app.fork.name().to_ascii_lowercase(),
        "transactionOrder": "fifo",
        "environment": {
            "baseFee": chain.min_base_fee(),
            "chainId": app.chain_id,
            "gasLimit": isthmus_client::interface::block::BLOCK_GAS_LIMIT,
            "gasPrice": chain.min_base_fee(),
        },
        "automine": app.automine.load(Ordering::Relaxed),
        "embedded": chain.is_embedded(),
        "operators": chain.operators.keys().len(),
    }))
}
