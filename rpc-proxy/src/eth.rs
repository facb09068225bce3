//! The `eth_` namespace.

use crate::node::{Call, CallOutcome, Node};
use crate::rpc::{
    arg, args, hex, invalid_params, quantity, revert_error, server_error, Ctx, RpcResult,
};
use alloy_primitives::{keccak256, Address, Bloom, BloomInput, Bytes, B256, U256 as AU256};
use isthmus_client::emulate::BLOCK_GAS_LIMIT;
use isthmus_evm::U256;
use jsonrpsee::core::RegisterMethodError;
use jsonrpsee::RpcModule;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn register(module: &mut RpcModule<Ctx>) -> Result<(), RegisterMethodError> {
    module.register_method("eth_chainId", |_, ctx, _| -> RpcResult {
        Ok(quantity(ctx.lock().unwrap().chain_id))
    })?;
    module.register_method("eth_blockNumber", |_, ctx, _| -> RpcResult {
        Ok(quantity(ctx.lock().unwrap().slot()))
    })?;
    module.register_method("eth_gasPrice", |_, ctx, _| -> RpcResult {
        Ok(quantity(ctx.lock().unwrap().base_fee()))
    })?;
    module.register_method("eth_maxPriorityFeePerGas", |_, _, _| -> RpcResult {
        Ok(quantity(0u64))
    })?;
    module.register_method("eth_accounts", |_, _, _| -> RpcResult { Ok(json!([])) })?;
    module.register_method("eth_getBalance", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let address: Address = arg(&a, 0)?;
        Ok(u256(ctx.lock().unwrap().balance(&address.into_array())))
    })?;
    module.register_method("eth_getTransactionCount", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let address: Address = arg(&a, 0)?;
        Ok(quantity(ctx.lock().unwrap().nonce(&address.into_array())))
    })?;
    module.register_method("eth_getCode", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let address: Address = arg(&a, 0)?;
        Ok(Value::String(hex(&ctx
            .lock()
            .unwrap()
            .code(&address.into_array()))))
    })?;
    module.register_method("eth_getStorageAt", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let address: Address = arg(&a, 0)?;
        let slot: AU256 = arg(&a, 1)?;
        let value = ctx
            .lock()
            .unwrap()
            .storage(&address.into_array(), U256::from_limbs(slot.into_limbs()));
        Ok(Value::String(hex(&value.to_be_bytes::<32>())))
    })?;
    module.register_method("eth_call", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let call = call_arg(&a)?;
        let node = ctx.lock().unwrap();
        match node.call(&call, call.gas.unwrap_or(BLOCK_GAS_LIMIT)) {
            CallOutcome::Success { output, .. } => Ok(Value::String(hex(&output))),
            other => Err(call_error(other)),
        }
    })?;
    module.register_method("eth_estimateGas", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let call = call_arg(&a)?;
        let node = ctx.lock().unwrap();
        estimate(&node, &call).map(quantity)
    })?;
    module.register_method("eth_sendRawTransaction", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let raw: Bytes = arg(&a, 0)?;
        let mut node = ctx.lock().unwrap();
        node.send_raw(&raw)
            .map(|hash| Value::String(hex(&hash)))
            .map_err(server_error)
    })?;
    module.register_method("eth_getTransactionReceipt", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let hash: B256 = arg(&a, 0)?;
        Ok(receipt_json(&ctx.lock().unwrap(), &hash.0))
    })?;
    module.register_method("eth_getBlockByNumber", |p, ctx, _| -> RpcResult {
        let a = args(&p)?;
        let tag: String = arg(&a, 0)?;
        let node = ctx.lock().unwrap();
        let latest = node.slot();
        let number = match tag.as_str() {
            "latest" | "pending" | "safe" | "finalized" => latest,
            "earliest" => 0,
            n => u64::from_str_radix(n.trim_start_matches("0x"), 16)
                .map_err(|_| invalid_params(format!("block number {n:?}")))?,
        };
        if number > latest {
            return Ok(Value::Null);
        }
        Ok(block_json(&node, number))
    })?;
    Ok(())
}

fn u256(v: U256) -> Value {
    Value::String(format!("{v:#x}"))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CallRequest {
    from: Option<Address>,
    to: Option<Address>,
    gas: Option<alloy_primitives::U64>,
    value: Option<AU256>,
    data: Option<Bytes>,
    input: Option<Bytes>,
}

fn call_arg(a: &[Value]) -> Result<Call, jsonrpsee::types::ErrorObjectOwned> {
    let r: CallRequest = arg(a, 0)?;
    Ok(Call {
        from: r.from.map(|a| a.into_array()).unwrap_or([0; 20]),
        to: r.to.map(|a| a.into_array()),
        gas: r.gas.map(|g| g.to::<u64>()),
        value: r
            .value
            .map(|v| U256::from_limbs(v.into_limbs()))
            .unwrap_or(U256::ZERO),
        data: r.input.or(r.data).map(|b| b.to_vec()).unwrap_or_default(),
    })
}

fn call_error(outcome: CallOutcome) -> jsonrpsee::types::ErrorObjectOwned {
    match outcome {
        CallOutcome::Revert { output, .. } => revert_error(&output),
        CallOutcome::Halt(reason) => server_error(format!("execution halted: {reason}")),
        CallOutcome::Invalid(reason) => server_error(reason),
        CallOutcome::Success { .. } => unreachable!(),
    }
}

/// The least gas limit with which the call succeeds (binary search, as geth), so that code
/// checking gasleft() or forwarding 63/64 of it gets enough.
fn estimate(node: &Node, call: &Call) -> Result<u64, jsonrpsee::types::ErrorObjectOwned> {
    let cap = call.gas.unwrap_or(BLOCK_GAS_LIMIT);
    let used = match node.call(call, cap) {
        CallOutcome::Success { gas_used, .. } => gas_used,
        other => return Err(call_error(other)),
    };
    let (mut lo, mut hi) = (used.saturating_sub(1), cap);
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        match node.call(call, mid) {
            CallOutcome::Success { .. } => hi = mid,
            _ => lo = mid,
        }
    }
    Ok(hi)
}

fn block_hash(number: u64) -> B256 {
    keccak256(number.to_be_bytes())
}

/// A block: one per slot. Its hash is synthesized from the number in this slice.
fn block_json(node: &Node, number: u64) -> Value {
    let txs = node.blocks.get(&number).cloned().unwrap_or_default();
    let gas_used: u64 = txs
        .iter()
        .filter_map(|h| node.receipts.get(h))
        .map(|s| s.receipt.gas_used)
        .sum();
    json!({
        "number": quantity(number),
        "hash": block_hash(number),
        "parentHash": block_hash(number.saturating_sub(1)),
        "nonce": "0x0000000000000000",
        "sha3Uncles": B256::ZERO,
        "logsBloom": Bloom::ZERO,
        "transactionsRoot": B256::ZERO,
        "stateRoot": B256::ZERO,
        "receiptsRoot": B256::ZERO,
        "miner": Address::from(node.block().coinbase),
        "difficulty": "0x0",
        "totalDifficulty": "0x0",
        "extraData": "0x",
        "size": "0x0",
        "gasLimit": quantity(BLOCK_GAS_LIMIT),
        "gasUsed": quantity(gas_used),
        "timestamp": quantity(node.timestamp()),
        "baseFeePerGas": quantity(node.base_fee()),
        "mixHash": B256::ZERO,
        "transactions": txs.iter().map(|h| Value::String(hex(h))).collect::<Vec<_>>(),
        "uncles": [],
    })
}

fn receipt_json(node: &Node, hash: &[u8; 32]) -> Value {
    let Some(s) = node.receipts.get(hash) else {
        return Value::Null;
    };
    let r = &s.receipt;
    let block_hash = block_hash(s.block);
    let mut bloom = Bloom::ZERO;
    let logs: Vec<Value> = r
        .logs
        .iter()
        .map(|l| {
            bloom.accrue(BloomInput::Raw(&l.address));
            for t in &l.topics {
                bloom.accrue(BloomInput::Raw(t));
            }
            json!({
                "address": Address::from(l.address),
                "topics": l.topics.iter().map(|t| B256::from(*t)).collect::<Vec<_>>(),
                "data": hex(&l.data),
                "blockNumber": quantity(s.block),
                "blockHash": block_hash,
                "transactionHash": hex(hash),
                "transactionIndex": "0x0",
                "logIndex": quantity(l.index),
                "removed": false,
            })
        })
        .collect();
    json!({
        "transactionHash": hex(hash),
        "transactionIndex": "0x0",
        "blockHash": block_hash,
        "blockNumber": quantity(s.block),
        "from": Address::from(s.from),
        "to": s.to.map(Address::from),
        "cumulativeGasUsed": quantity(r.gas_used),
        "gasUsed": quantity(r.gas_used),
        "effectiveGasPrice": quantity(r.effective_gas_price),
        "contractAddress": r.created_address.map(Address::from),
        "logs": logs,
        "logsBloom": bloom,
        "status": quantity(r.status as u64),
        "type": quantity(s.kind),
        "solanaComputeUnits": quantity(s.cu),
        "solanaSteps": quantity(s.steps as u64),
    })
}
