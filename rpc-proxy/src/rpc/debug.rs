//! The `debug_` namespace's tracing methods, as geth answers them: `debug_traceTransaction`,
//! `debug_traceCall`, `debug_traceBlockByNumber` and `debug_traceBlockByHash`, with the struct
//! logger (default; `disableStack`, `disableStorage`, `enableMemory`, `enableReturnData`) or
//! `callTracer` (`onlyTopCall`, `withLog`). A past transaction is run again on the state before
//! it: the state after the block before (the embedded chain keeps every block's), with the
//! block's earlier transactions laid over it.

use super::eth::call_arg;
use super::{arg, invalid_params, method, opt_arg, server_error, state_block, RpcResult};
use crate::app::App;
use crate::overrides::Overridden;
use crate::store::TxRecord;
use crate::trace::prestate;
use crate::trace::{self, call_tracer, replay::Replayed, struct_log, LogOptions, Record};
use alloy_primitives::B256;
use alloy_rpc_types_eth::state::StateOverride;
use isthmus_client::crypto::ProgramCrypto;
use isthmus_client::emulate::{next_block, transaction_machine, BlockHashSource, SvmState};
use isthmus_client::{Account, AccountSource};
use isthmus_evm::{Machine, RunOutcome, State};
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub fn register(m: &mut RpcModule<App>) {
    method(m, "debug_traceTransaction", |app, a| {
        let hash: B256 = arg(a, 0)?;
        let options: TraceOptions = opt_arg(a, 1)?.unwrap_or_default();
        let record = app
            .store
            .tx(&hash)
            .map_err(super::db_error)?
            .ok_or_else(|| server_error(format!("transaction {hash} not found")))?;
        let mut traces = trace_block_until(app, record.block_number, Some(record.index), &options)?;
        Ok(traces.pop().map(|(_, t)| t).unwrap_or(Value::Null))
    });
    method(m, "debug_traceBlockByNumber", |app, a| {
        let number = match super::block_ref(a.first())? {
            super::BlockRef::Latest => app.latest(),
            super::BlockRef::Earliest => 0,
            super::BlockRef::Number(n) => n,
            super::BlockRef::Hash(h) => block_number_of(app, &h)?,
        };
        trace_block(app, number, a)
    });
    method(m, "debug_traceBlockByHash", |app, a| {
        let hash: B256 = arg(a, 0)?;
        let number = block_number_of(app, &hash)?;
        trace_block(app, number, a)
    });
    method(m, "debug_traceCall", |app, a| {
        let mut call = call_arg(a)?;
        let at = state_block(app, a.get(1))?;
        let options: TraceOptions = opt_arg(a, 2)?.unwrap_or_default();
        call.deadline = Some(options.deadline(app)?);
        let gas = app.call_gas(call.gas);
        app.with_state(at, |view, src| {
            let block = next_block(src, &view.operator(), call.to)
                .map_err(|e| server_error(e.to_string()))?;
            // At `latest` (or `pending`: traced on the latest state) the newest block's
            // NUMBER, TIMESTAMP and block hashes, as eth_call; a past block's are its own.
            let (env, hashes) = match at {
                None => {
                    let env = super::eth::in_block(view, super::eth::At::Latest, block.env);
                    let hashes = block.block_hashes.as_of(env.number);
                    (env, hashes)
                }
                Some(_) => (block.env, block.block_hashes),
            };
            let mut state = SvmState::new(src, hashes);
            let machine = view.call_machine(&mut state, env, &call, gas);
            let deadline = call.deadline.unwrap_or_else(|| app.call_deadline());
            options.run(machine, &mut state, deadline)
        })
    });
}

fn block_number_of(app: &App, hash: &B256) -> Result<u64, ErrorObjectOwned> {
    Ok(app
        .store
        .block_by_hash(hash)
        .map_err(super::db_error)?
        .ok_or_else(|| server_error(format!("block {hash} not found")))?
        .number)
}

/// `[{txHash, result}]` for every transaction of block `number`.
fn trace_block(app: &App, number: u64, a: &[Value]) -> RpcResult {
    if number > app.latest() {
        return Err(server_error(format!("block #{number} not found")));
    }
    let options: TraceOptions = opt_arg(a, 1)?.unwrap_or_default();
    let traces = trace_block_until(app, number, None, &options)?;
    Ok(json!(traces
        .into_iter()
        .map(|(hash, result)| json!({"txHash": hash, "result": result}))
        .collect::<Vec<_>>()))
}

/// Runs block `number`'s transactions in order on the state before it, tracing those up to
/// `last` (all without it); returns the traces of the traced ones.
fn trace_block_until(
    app: &App,
    number: u64,
    last: Option<u64>,
    options: &TraceOptions,
) -> Result<Vec<(B256, Value)>, ErrorObjectOwned> {
    if !app.embedded {
        return Err(server_error(
            "tracing runs a transaction again on the state before it, which only the embedded chain keeps",
        ));
    }
    let txs: Vec<TxRecord> = app.store.block_txs(number).map_err(super::db_error)?;
    let timestamp = app
        .store
        .block_by_number(number)
        .map_err(super::db_error)?
        .map(|b| b.timestamp)
        .unwrap_or_default();
    let deadline = options.deadline(app)?;
    app.with_state(Some(number.saturating_sub(1)), |view, before| {
        let at = InBlock {
            state: before,
            slot: number,
            timestamp,
        };
        let hashes = BlockHashSource::read(&at).unwrap_or_default();
        let mut state = Replayed::new(SvmState::new(&at, hashes));
        let mut traces = Vec::new();
        for tx in &txs {
            let machine = transaction_machine(&at, &view.operator(), &tx.raw)
                .map_err(|e| server_error(e.to_string()))?;
            let traced = last.is_none_or(|last| tx.index == last);
            if traced {
                let result = options.run(machine.clone(), &mut state, deadline)?;
                traces.push((tx.hash, result));
            }
            if last == Some(tx.index) {
                break;
            }
            // Its changes, for the ones after it.
            state.run(machine);
        }
        Ok(traces)
    })
}

/// The accounts after the block before, with the clock of the block being traced.
struct InBlock<'a> {
    state: &'a dyn AccountSource,
    slot: u64,
    timestamp: u64,
}

impl AccountSource for InBlock<'_> {
    fn get_account(&self, address: &solana_address::Address) -> Option<Account> {
        self.state.get_account(address)
    }

    fn clock(&self) -> solana_clock::Clock {
        solana_clock::Clock {
            slot: self.slot,
            unix_timestamp: self.timestamp as i64,
            ..self.state.clock()
        }
    }
}

/// geth's tracer options.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TraceOptions {
    tracer: Option<String>,
    tracer_config: Option<TracerConfig>,
    disable_stack: Option<bool>,
    disable_storage: Option<bool>,
    enable_memory: Option<bool>,
    enable_return_data: Option<bool>,
    /// A Go duration: "5s", "500ms", "1m".
    timeout: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TracerConfig {
    only_top_call: Option<bool>,
    with_log: Option<bool>,
    diff_mode: Option<bool>,
}

impl TraceOptions {
    fn deadline(&self, app: &App) -> Result<Instant, ErrorObjectOwned> {
        match &self.timeout {
            None => Ok(app.call_deadline()),
            Some(text) => Ok(Instant::now() + go_duration(text)?),
        }
    }

    /// Traces `machine` over `state` with this tracer, as JSON.
    fn run(&self, machine: Machine, state: &mut dyn State, deadline: Instant) -> RpcResult {
        let config = self.tracer_config.as_ref();
        match self.tracer.as_deref() {
            None | Some("") | Some("structLogger") => {
                let options = LogOptions {
                    stack: !self.disable_stack.unwrap_or(false),
                    memory: self.enable_memory.unwrap_or(false),
                    storage: !self.disable_storage.unwrap_or(false),
                    return_data: self.enable_return_data.unwrap_or(false),
                };
                let traced = trace::trace(
                    machine,
                    state,
                    &ProgramCrypto,
                    Record {
                        steps: Some(options),
                    },
                    deadline,
                )
                .map_err(server_error)?;
                Ok(struct_log::to_json(&traced))
            }
            Some("callTracer") => {
                let traced = trace::trace(machine, state, &ProgramCrypto, Record::default(), deadline)
                    .map_err(server_error)?;
                let options = call_tracer::Options {
                    only_top_call: config.and_then(|c| c.only_top_call).unwrap_or(false),
                    with_log: config.and_then(|c| c.with_log).unwrap_or(false),
                };
                Ok(call_tracer::to_json(&traced.root, options))
            }
            Some("prestateTracer") => {
                let none = StateOverride::default();
                let mut recording = Overridden::new(&mut *state, &none);
                let traced = trace::trace(
                    machine,
                    &mut recording,
                    &ProgramCrypto,
                    Record::default(),
                    deadline,
                )
                .map_err(server_error)?;
                let (addresses, slots) = (recording.addresses, recording.slots);
                let changes = match &traced.outcome {
                    RunOutcome::Done(result) => Some(&result.changes),
                    _ => None,
                };
                let diff = config.and_then(|c| c.diff_mode).unwrap_or(false);
                Ok(prestate::to_json(state, &addresses, &slots, changes, diff))
            }
            Some(other) => Err(invalid_params(format!(
                "tracer {other:?} is not supported (the struct logger, callTracer and prestateTracer are)"
            ))),
        }
    }
}

/// A Go duration string ("5s", "1.5s", "500ms", "2m").
fn go_duration(text: &str) -> Result<Duration, ErrorObjectOwned> {
    let bad = || invalid_params(format!("timeout {text:?}: expected a duration like \"5s\""));
    let (number, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map(|i| text.split_at(i))
        .ok_or_else(bad)?;
    let value: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(bad()),
    };
    Ok(Duration::from_secs_f64(seconds.max(0.0)))
}
