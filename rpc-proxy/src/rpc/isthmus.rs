//! The `isthmus_` namespace: what is particular to Isthmus, starting with the per-contract local
//! fee market (programs/isthmus/src/fee_market.rs).

use super::{arg, method, quantity};
use crate::app::App;
use alloy_primitives::Address;
use jsonrpsee::RpcModule;
use serde_json::json;

pub fn register(m: &mut RpcModule<App>) {
    // The emulator's view of a signed transaction, before it is sent: its outcome off-chain, the
    // Solana accounts it touches (writable or not), and the path, Solana transactions and compute
    // the relayer expects it to take.
    method(m, "isthmus_emulate", |app, a| {
        let raw: alloy_primitives::Bytes = arg(a, 0)?;
        let chain = app.chain();
        let operator = solana_signer::Signer::pubkey(chain.operator());
        if let Err(e) = isthmus_client::emulate::decode_incoming(&raw) {
            return Err(super::invalid_params(e.to_string()));
        }
        let emulation = isthmus_client::emulate::emulate(chain.source(), &operator, &raw)
            .map_err(|e| super::server_error(e.to_string()))?;
        let (status, gas_used) = match &emulation.outcome {
            isthmus_evm::RunOutcome::Done(r) => (
                match r.status {
                    isthmus_evm::Status::Success => "success",
                    isthmus_evm::Status::Revert => "revert",
                    isthmus_evm::Status::Halt(_) => "halt",
                },
                r.gas_used,
            ),
            isthmus_evm::RunOutcome::Invalid(reason) => {
                return Err(super::server_error(crate::geth::invalid(reason)))
            }
            other => return Err(super::server_error(format!("emulation: {other:?}"))),
        };
        let plan = isthmus_relayer::estimate(&operator, &raw, &emulation);
        let accounts: Vec<_> = emulation
            .metas
            .iter()
            .map(|m| json!({ "pubkey": m.pubkey.to_string(), "writable": m.is_writable }))
            .collect();
        Ok(json!({
            "status": status,
            "gasUsed": quantity(gas_used),
            "opcodes": quantity(emulation.opcodes),
            "accounts": accounts,
            "path": format!("{:?}", plan.path).to_lowercase(),
            "executeBytes": plan.execute_bytes,
            "solanaTransactions": quantity(plan.solana_txs),
            "computeUnits": quantity(plan.compute_units),
        }))
    });
    // A contract's local base fee (what a transaction to it pays now) and its congestion: the
    // compute its transactions used in the current slot against the cap.
    method(m, "isthmus_localFee", |app, a| {
        let contract: Address = arg(a, 0)?;
        let contract = contract.into_array();
        let chain = app.chain();
        let params = chain.fee_params();
        let market = chain.fee_market(&contract);
        let slot = chain.slot();
        let used = market
            .as_ref()
            .filter(|m| m.last_slot == slot)
            .map(|m| m.used)
            .unwrap_or(0);
        Ok(json!({
            "address": Address::from(contract),
            "baseFee": quantity(chain.local_base_fee(&contract)),
            "minBaseFee": quantity(params.min_base_fee),
            "slot": quantity(slot),
            "computeUnitsUsed": quantity(used),
            "computeUnitsCap": quantity(params.contract_compute_cap),
            "congestion": used as f64 / params.contract_compute_cap.max(1) as f64,
            "lastSlot": market.map(|m| quantity(m.last_slot)),
        }))
    });
}
