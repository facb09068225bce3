//! The `eth_` namespace, accounts and execution: chain id, balances, nonces, code, storage,
//! eth_call (with state overrides), eth_estimateGas, eth_createAccessList, fees and
//! eth_sendRawTransaction.

use super::{
    arg, hex, method, opt_arg, quantity, read_method, revert_error, server_error, state_block,
};
use crate::app::App;
use crate::chain::{Call, CallOutcome};
use crate::overrides::Overridden;
use crate::trace::replay::Replayed;
use crate::view::View;
use alloy_primitives::{Address, Bytes, U256 as AU256};
use alloy_rpc_types_eth::state::StateOverride;
use isthmus_client::emulate::{next_block, transaction_machine, BlockHashSource, SvmState};
use isthmus_client::AccountSource;
use isthmus_evm::State;
use isthmus_evm::U256;
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde::Deserialize;
use serde_json::{json, Value};

/// How long eth_sendRawTransaction waits for a runnable transaction to be in a block before
/// answering (as anvil's and Hardhat's automine: the receipt is there when the hash is).
pub(super) const INCLUSION_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub fn register(m: &mut RpcModule<App>) {
    read_method(m, "eth_chainId", |app, _| Ok(quantity(app.chain_id)));
    method(m, "eth_syncing", |_, _| Ok(Value::Bool(false)));
    method(m, "eth_coinbase", |app, _| {
        Ok(json!(Address::from(app.chain().coinbase())))
    });
    method(m, "eth_mining", |_, _| Ok(Value::Bool(false)));
    method(m, "eth_hashrate", |_, _| Ok(quantity(0u64)));
    // The floor, plus on a chain charging Solana costs what pays the relay's priority fee.
    method(m, "eth_gasPrice", |app, _| {
        let chain = app.chain();
        Ok(quantity(
            chain.min_base_fee().saturating_add(chain.suggested_tip()),
        ))
    });
    method(m, "eth_maxPriorityFeePerGas", |app, _| {
        Ok(quantity(app.chain().suggested_tip()))
    });
    method(m, "eth_blobBaseFee", |_, _| Ok(quantity(1u64)));
    read_method(m, "eth_getBalance", |app, a| {
        let address: Address = arg(a, 0)?;
        let at = state_block(app, a.get(1))?;
        let info = app.with_state(at, |_, src| account(src, &address));
        let balance = info.map(|i| i.balance).unwrap_or(U256::ZERO);
        Ok(Value::String(format!("{balance:#x}")))
    });
    read_method(m, "eth_getTransactionCount", |app, a| {
        let address: Address = arg(a, 0)?;
        let address = address.into_array();
        let pending = a.get(1).and_then(|v| v.as_str()) == Some("pending");
        let at = state_block(app, a.get(1))?;
        let nonce = app
            .with_state(at, |_, src| account(src, &Address::from(address)))
            .map(|i| i.nonce)
            .unwrap_or(0);
        if pending {
            return Ok(quantity(app.pool().pending_nonce(&address, nonce)));
        }
        Ok(quantity(nonce))
    });
    read_method(m, "eth_getCode", |app, a| {
        let address: Address = arg(a, 0)?;
        // The EIP-2935 history contract is served, not stored (isthmus_evm::history).
        let history = isthmus_evm::history::HISTORY_STORAGE_ADDRESS;
        if address.into_array() == history && app.fork.is_enabled(isthmus_evm::Fork::Prague) {
            return Ok(Value::String(hex(&isthmus_evm::history::HISTORY_CODE)));
        }
        let at = state_block(app, a.get(1))?;
        let code = app.with_state(at, |_, src| {
            SvmState::new(src, BlockHashSource::default())
                .code(&address.into_array())
                .unwrap_or_default()
        });
        Ok(Value::String(hex(&code)))
    });
    read_method(m, "eth_getStorageAt", |app, a| {
        let address: Address = arg(a, 0)?;
        let slot: AU256 = arg(a, 1)?;
        let at = state_block(app, a.get(2))?;
        let value = app.with_state(at, |_, src| {
            SvmState::new(src, BlockHashSource::default())
                .storage(&address.into_array(), &U256::from_limbs(slot.into_limbs()))
                .unwrap_or(U256::ZERO)
        });
        Ok(Value::String(hex(&value.to_be_bytes::<32>())))
    });
    read_method(m, "eth_call", |app, a| {
        let call = timed_call(app, a)?;
        let at = at(app, a.get(1), false)?;
        let overrides: StateOverride = opt_arg(a, 2)?.unwrap_or_default();
        let gas = app.call_gas(call.gas);
        match run(app, at, &call, gas, &overrides, false).0 {
            CallOutcome::Success { output, .. } => Ok(Value::String(hex(&output))),
            other => Err(call_error(other, gas)),
        }
    });
    method(m, "eth_estimateGas", |app, a| {
        let call = timed_call(app, a)?;
        let at = at(app, a.get(1), true)?;
        let overrides: StateOverride = opt_arg(a, 2)?.unwrap_or_default();
        estimate(app, at, &call, &overrides).map(quantity)
    });
    method(m, "eth_createAccessList", |app, a| {
        let call = timed_call(app, a)?;
        let at = at(app, a.get(1), true)?;
        let overrides = StateOverride::default();
        let gas = app.call_gas(call.gas);
        let (outcome, touched) = run(app, at, &call, gas, &overrides, true);
        let (list, gas_used) = match outcome {
            // The gas a transaction with the list uses: on a charging chain, with its Solana costs.
            CallOutcome::Success {
                gas_used,
                solana_gas,
                ..
            } => (touched, gas_used.saturating_add(solana_gas)),
            other => return Err(call_error(other, gas)),
        };
        Ok(json!({ "accessList": access_list(&call, list), "gasUsed": quantity(gas_used) }))
    });
    method(m, "eth_sendRawTransaction", |app, a| {
        let raw: Bytes = arg(a, 0)?;
        let hash = app.submit(&raw).map_err(|r| server_error(r.0))?;
        app.wait_for_inclusion(&hash, INCLUSION_WAIT);
        Ok(json!(hash))
    });
}

/// A transaction request as clients send it (unknown fields ignored: web3.js and Foundry send
/// extra ones).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CallRequest {
    from: Option<Address>,
    to: Option<Address>,
    gas: Option<alloy_primitives::U64>,
    value: Option<AU256>,
    data: Option<Bytes>,
    input: Option<Bytes>,
    access_list: Option<alloy_rpc_types_eth::AccessList>,
    /// EIP-7702: a set-code call (eth_call, eth_estimateGas of a type-4 transaction).
    authorization_list: Option<Vec<alloy_eips::eip7702::SignedAuthorization>>,
}

/// The call of `a`, to run until `app`'s call timeout from now.
fn timed_call(app: &App, a: &[Value]) -> Result<Call, ErrorObjectOwned> {
    let mut call = call_arg(a)?;
    call.deadline = Some(app.call_deadline());
    Ok(call)
}

pub(super) fn call_arg(a: &[Value]) -> Result<Call, ErrorObjectOwned> {
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
        access_list: r.access_list.map(access_list_items).unwrap_or_default(),
        authorization_list: r
            .authorization_list
            .unwrap_or_default()
            .iter()
            .map(authorization)
            .collect(),
        deadline: None,
    })
}

/// An RPC authorization as the interpreter takes it (its authority is recovered when it runs).
pub(super) fn authorization(
    a: &alloy_eips::eip7702::SignedAuthorization,
) -> isthmus_evm::Authorization {
    isthmus_evm::Authorization {
        chain_id: U256::from_limbs(a.chain_id.into_limbs()),
        address: a.address.into_array(),
        nonce: a.nonce,
        y_parity: a.y_parity(),
        r: U256::from_limbs(a.r().into_limbs()),
        s: U256::from_limbs(a.s().into_limbs()),
    }
}

/// An RPC access list as the interpreter takes it.
pub(super) fn access_list_items(
    list: alloy_rpc_types_eth::AccessList,
) -> Vec<isthmus_evm::env::AccessListItem> {
    list.0
        .into_iter()
        .map(|item| isthmus_evm::env::AccessListItem {
            address: item.address.into_array(),
            storage_keys: item.storage_keys.into_iter().map(|k| k.0).collect(),
        })
        .collect()
}

type Touched = (
    std::collections::BTreeSet<[u8; 20]>,
    std::collections::BTreeSet<([u8; 20], [u8; 32])>,
);

/// The state a call runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// After this block.
    Block(u64),
    /// The newest block's.
    Latest,
    /// The newest, with the transactions waiting to be mined run on it in order (automine off,
    /// or transactions sent since the last block): what the Hardhat node and anvil estimate on.
    Pending,
}

/// The state block parameter `v` names; a missing one is `pending` when `default_pending`
/// (eth_estimateGas, as the Hardhat node), else `latest`.
fn at(app: &App, v: Option<&Value>, default_pending: bool) -> Result<At, ErrorObjectOwned> {
    let pending = match v {
        None | Some(Value::Null) => default_pending,
        Some(Value::String(tag)) => tag == "pending",
        Some(_) => false,
    };
    Ok(match state_block(app, v)? {
        Some(number) => At::Block(number),
        None if pending => At::Pending,
        None => At::Latest,
    })
}

/// Runs `call` over the state `at` with `overrides`; returns what it touched too. With
/// `solana_gas`, a success reports the gas a charging chain adds (for the figures that tell a
/// wallet its gas: eth_estimateGas, eth_createAccessList).
fn run(
    app: &App,
    at: At,
    call: &Call,
    gas: u64,
    overrides: &StateOverride,
    solana_gas: bool,
) -> (CallOutcome, Touched) {
    let block_number = match at {
        At::Block(number) => Some(number),
        At::Latest | At::Pending => None,
    };
    app.with_state(block_number, |view, src| {
        // The block the program would give a transaction to `call.to` now (its contract's base
        // fee, the slot hash as PREVRANDAO, BLOCKHASH from the registry).
        let block = match next_block(src, &view.operator(), call.to) {
            Ok(block) => block,
            Err(e) => return (CallOutcome::Invalid(e.to_string()), Touched::default()),
        };
        let env = in_block(view, at, block.env);
        // Block hashes as the call's block read them (a past block's: the chain's sysvar holds
        // later ones, which would move the 256-block window).
        let hashes = match at {
            At::Pending => block.block_hashes,
            At::Latest | At::Block(_) => block.block_hashes.as_of(env.number),
        };
        let mut state = Replayed::new(SvmState::new(src, hashes));
        if at == At::Pending {
            lay_waiting(app, view, src, &mut state);
        }
        let mut state = Overridden::new(state, overrides);
        let outcome = view.call_in(&mut state, env, call, gas, solana_gas.then_some(src));
        (outcome, (state.addresses, state.slots))
    })
}

/// The block a call at `at` sees, from `next`, the one the program would give a transaction
/// now: at `latest` (as at a past block, whose clock `app.with_state` already gives) NUMBER and
/// TIMESTAMP are the newest block's, as geth, anvil and the Hardhat node answer (a contract's
/// `clock()` equals the latest block number); only `pending` runs in the next block.
pub(super) fn in_block(
    view: &View,
    at: At,
    mut next: isthmus_evm::BlockEnv,
) -> isthmus_evm::BlockEnv {
    if at == At::Latest {
        next.number = view.latest;
        next.timestamp = view.latest_timestamp.unwrap_or_else(|| view.timestamp());
    }
    next
}

/// Runs the transactions ready to be mined over `state`, in the order the producer would.
fn lay_waiting(app: &App, view: &View, src: &dyn AccountSource, state: &mut Replayed<SvmState>) {
    let waiting = app
        .pool()
        .ready(|s| view.nonce(s), crate::app::MAX_BLOCK_TXS);
    for tx in waiting {
        if let Ok(machine) = transaction_machine(src, &view.operator(), &tx.raw) {
            state.run(machine);
        }
    }
}

fn account(src: &dyn AccountSource, address: &Address) -> Option<isthmus_evm::AccountInfo> {
    isthmus_client::accounts::eth_account(src, &address.into_array())
        .ok()
        .flatten()
        .map(|a| a.info())
}

fn call_error(outcome: CallOutcome, gas: u64) -> ErrorObjectOwned {
    match outcome {
        CallOutcome::Revert { output, .. } => revert_error(&output),
        CallOutcome::Halt(reason) if reason.contains("OutOfGas") => {
            server_error(format!("gas required exceeds allowance ({gas})"))
        }
        CallOutcome::Halt(reason) => server_error(format!("execution halted: {reason}")),
        CallOutcome::Invalid(reason) => server_error(reason),
        CallOutcome::Success { .. } => server_error("unexpected success"),
        CallOutcome::Timeout => server_error("execution aborted (timeout)"),
    }
}

/// The least gas limit with which the call succeeds (binary search, as geth), so that code
/// checking gasleft() or forwarding 63/64 of it gets enough.
pub(super) fn estimate(
    app: &App,
    at: At,
    call: &Call,
    overrides: &StateOverride,
) -> Result<u64, ErrorObjectOwned> {
    let cap = app.call_gas(call.gas);
    let (used, full, solana_gas) = match run(app, at, call, cap, overrides, true).0 {
        CallOutcome::Success {
            gas_used,
            effects,
            solana_gas,
            ..
        } => (gas_used, effects, solana_gas),
        other => return Err(call_error(other, cap)),
    };
    // Enough gas is what does what the unlimited run did. geth asks only that the call not
    // fail, which undercounts a call whose code ignores a failed inner call (an ERC-4337
    // account paying its EntryPoint, a try/catch): there the least "successful" gas starves
    // the inner call of its 63/64 share and the transaction silently does less.
    let enough = |gas: u64| {
        matches!(
            run(app, at, call, gas, overrides, false).0,
            CallOutcome::Success { effects, .. } if effects == full
        )
    };
    let (mut lo, mut hi) = (used.saturating_sub(1), cap);
    // Most calls succeed with what they used plus the 63/64 reserve: try that first.
    let guess = (used + used / 63 + 2_300).min(cap);
    if enough(guess) {
        hi = guess;
    } else {
        lo = guess;
    }
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if enough(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // A charging chain's Solana costs come on top of the EVM's gas: the program takes them
    // from the gas limit after the run, which more gas does not change.
    Ok(hi.saturating_add(solana_gas))
}

/// geth's access list: every touched account and slot but the sender's, the recipient's and
/// the precompiles'.
fn access_list(call: &Call, (addresses, slots): Touched) -> Value {
    let skip = |a: &[u8; 20]| {
        *a == call.from
            || Some(*a) == call.to
            || (a[..19] == [0; 19] && (1..=0x11).contains(&a[19]))
    };
    let list: Vec<Value> = addresses
        .iter()
        .filter(|a| !skip(a))
        .map(|a| {
            let keys: Vec<Value> = slots
                .iter()
                .filter(|(s, _)| s == a)
                .map(|(_, k)| Value::String(hex(k)))
                .collect();
            json!({ "address": Address::from(*a), "storageKeys": keys })
        })
        .collect();
    json!(list)
}
