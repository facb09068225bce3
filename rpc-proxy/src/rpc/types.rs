//! The JSON of blocks, transactions, receipts and logs, as geth writes them. Transactions go
//! through alloy's RPC types (every field of every transaction type); the others are built here
//! from the indexed records.

use crate::app::App;
use crate::chain::Chain;
use crate::mempool::PoolTx;
use crate::rpc::{hex, quantity};
use crate::store::{BlockRecord, LogRecord, TxRecord};
use alloy_consensus::transaction::Recovered;
use alloy_consensus::{Transaction as _, TxEnvelope};
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{Address, B256};
use isthmus_client::interface::block::BLOCK_GAS_LIMIT;
use serde_json::{json, Value};

/// keccak256(rlp([])): the ommers hash of a block without uncles.
const EMPTY_OMMERS: &str = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";
/// The root of an empty trie.
const EMPTY_ROOT: &str = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

/// The hash and parent hash of a block without transactions of ours: on the embedded chain its
/// slot's hash by the chain's rule (what its SlotHashes hold); on a cluster the SlotHashes entries
/// BLOCKHASH answers from, the slot's and the newest below it (the parent a block with our
/// transactions is given), while the sysvar holds them; past its 512 slots, or when it cannot be
/// read (logged), the chain's rule.
fn unindexed_hashes(app: &App, number: u64) -> (B256, B256) {
    let rule = (
        B256::from(Chain::block_hash(number)),
        B256::from(Chain::block_hash(number.saturating_sub(1))),
    );
    if app.embedded {
        return rule;
    }
    let Some(cluster) = app.chain().cluster_handle() else {
        return rule;
    };
    match cluster.slot_hashes() {
        Ok(hashes) => {
            let hash_of = |found: Option<&(u64, [u8; 32])>, or: B256| {
                found.map_or(or, |(_, h)| B256::from(*h))
            };
            (
                hash_of(hashes.iter().find(|(s, _)| *s == number), rule.0),
                hash_of(hashes.iter().find(|(s, _)| *s < number), rule.1),
            )
        }
        Err(e) => {
            tracing::warn!(number, error = %e, "SlotHashes unreadable: the block's hash is the rule's");
            rule
        }
    }
}

/// The block at `number` (an empty block for a slot without transactions of ours, timed as the
/// next block that has some).
pub fn block(app: &App, record: Option<BlockRecord>, number: u64, full: bool) -> Value {
    let (coinbase, now, base_fee) = app.with_state(None, |view, _| {
        (view.coinbase(), view.timestamp(), view.min_base_fee())
    });
    let record = record.unwrap_or_else(|| {
        let timestamp = app
            .store
            .block_from(number)
            .ok()
            .flatten()
            .map(|b| b.timestamp)
            .unwrap_or(now);
        let (hash, parent_hash) = unindexed_hashes(app, number);
        BlockRecord {
            hash,
            parent_hash,
            ..crate::app::empty_block(number, timestamp, base_fee)
        }
    });
    let txs = if record.tx_count > 0 {
        app.store.block_txs(number).unwrap_or_default()
    } else {
        Vec::new()
    };
    let transactions: Vec<Value> = txs
        .iter()
        .map(|t| {
            if full {
                transaction(t, record.timestamp)
            } else {
                Value::String(hex(t.hash.as_slice()))
            }
        })
        .collect();
    let size: usize = 600 + txs.iter().map(|t| t.raw.len()).sum::<usize>();
    json!({
        "number": quantity(record.number),
        "hash": record.hash,
        "parentHash": record.parent_hash,
        "nonce": "0x0000000000000000",
        "sha3Uncles": EMPTY_OMMERS,
        "logsBloom": record.bloom,
        "transactionsRoot": if txs.is_empty() { EMPTY_ROOT.to_string() } else { hex(transactions_root(&txs).as_slice()) },
        "stateRoot": B256::ZERO,
        "receiptsRoot": EMPTY_ROOT,
        "miner": Address::from(coinbase),
        "difficulty": "0x0",
        "totalDifficulty": "0x0",
        "extraData": "0x",
        "size": quantity(size as u64),
        "gasLimit": quantity(BLOCK_GAS_LIMIT),
        "gasUsed": quantity(record.gas_used),
        "timestamp": quantity(record.timestamp),
        "baseFeePerGas": quantity(record.base_fee),
        "mixHash": record.hash,
        "transactions": transactions,
        "uncles": [],
        "solanaTransactions": quantity(record.solana_txs),
        "solanaComputeUnits": quantity(record.compute_units),
    })
}

/// keccak of the concatenated transaction hashes: a commitment to the block's transactions (not
/// Ethereum's trie root; no client checks it).
fn transactions_root(txs: &[TxRecord]) -> B256 {
    let mut all = Vec::with_capacity(32 * txs.len());
    for t in txs {
        all.extend_from_slice(t.hash.as_slice());
    }
    alloy_primitives::keccak256(all)
}

/// The envelope of a raw transaction (an impersonated one's inner envelope).
fn envelope(raw: &[u8]) -> Option<TxEnvelope> {
    let inner = match isthmus_client::interface::transaction::impersonated(raw) {
        Some((_, envelope)) => envelope,
        None => raw,
    };
    TxEnvelope::decode_2718(&mut &inner[..]).ok()
}

/// `tx` as JSON with `hash` the node's (an impersonated transaction's is not its envelope's).
fn with_hash(tx: alloy_rpc_types_eth::Transaction, hash: &B256) -> Value {
    let mut value = serde_json::to_value(tx).unwrap_or(Value::Null);
    if let Some(fields) = value.as_object_mut() {
        fields.insert("hash".into(), json!(hash));
    }
    value
}

/// An included transaction.
pub fn transaction(t: &TxRecord, timestamp: u64) -> Value {
    let Some(env) = envelope(&t.raw) else {
        return Value::Null;
    };
    let tx = alloy_rpc_types_eth::Transaction {
        inner: Recovered::new_unchecked(env, t.sender),
        block_hash: Some(t.block_hash),
        block_number: Some(t.block_number),
        transaction_index: Some(t.index),
        effective_gas_price: Some(t.effective_gas_price),
        block_timestamp: Some(timestamp),
    };
    with_hash(tx, &t.hash)
}

/// A transaction still in the mempool.
pub fn pending_transaction(t: &PoolTx) -> Value {
    let Some(env) = envelope(&t.raw) else {
        return Value::Null;
    };
    let tx = alloy_rpc_types_eth::Transaction {
        inner: Recovered::new_unchecked(env, Address::from(t.sender)),
        block_hash: None,
        block_number: None,
        transaction_index: None,
        effective_gas_price: None,
        block_timestamp: None,
    };
    with_hash(tx, &t.hash)
}

pub fn log(l: &LogRecord) -> Value {
    json!({
        "address": l.address,
        "topics": l.topics,
        "data": hex(&l.data),
        "blockNumber": quantity(l.block_number),
        "blockHash": l.block_hash,
        "transactionHash": l.tx_hash,
        "transactionIndex": quantity(l.tx_index),
        "logIndex": quantity(l.log_index),
        "removed": false,
    })
}

pub fn receipt(t: &TxRecord, logs: &[LogRecord]) -> Value {
    let env = envelope(&t.raw);
    let ty = env.as_ref().map(|e| e.tx_type() as u8).unwrap_or(0);
    let to = env.as_ref().and_then(|e| e.to());
    json!({
        "transactionHash": t.hash,
        "transactionIndex": quantity(t.index),
        "blockHash": t.block_hash,
        "blockNumber": quantity(t.block_number),
        "from": t.sender,
        "to": to,
        "cumulativeGasUsed": quantity(t.cumulative_gas_used),
        "gasUsed": quantity(t.gas_used),
        "effectiveGasPrice": quantity(t.effective_gas_price),
        "contractAddress": t.contract_address,
        "logs": logs.iter().map(log).collect::<Vec<_>>(),
        "logsBloom": t.bloom,
        "status": quantity(t.status as u64),
        "type": quantity(ty),
        "solanaTransactions": quantity(t.solana_txs),
        "solanaComputeUnits": quantity(t.compute_units),
    })
}
