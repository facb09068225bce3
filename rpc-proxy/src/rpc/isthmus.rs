//! The `isthmus_` namespace: what is particular to Isthmus, starting with the per-contract local
//! fee market (programs/isthmus/src/fee_market.rs).

use super::{arg, method, quantity};
use crate::app::App;
use alloy_primitives::Address;
use jsonrpsee::RpcModule;
use serde_json::json;

pub fn register(m: &mut RpcModule<App>) {
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
