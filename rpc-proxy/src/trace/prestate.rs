//! geth's `prestateTracer`: every account the transaction touched as it was before (balance,
//! nonce, code, the slots it read or wrote); with `diffMode`, `{pre, post}` for the accounts it
//! changed, `post` holding only what changed. What the run touched is recorded by
//! `crate::overrides::Overridden` (eth_createAccessList's recorder), with no overrides.

use alloy_primitives::{hex, Address};
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::result::StateChanges;
use isthmus_evm::{State, U256};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One account before the transaction, as geth prints it (absent accounts are left out).
fn account_json(
    state: &mut dyn State,
    address: &[u8; 20],
    slots: &BTreeSet<[u8; 32]>,
) -> Option<Value> {
    let info = state.account(address).ok().flatten()?;
    let mut fields = Map::new();
    fields.insert("balance".into(), json!(format!("{:#x}", info.balance)));
    if info.nonce > 0 {
        fields.insert("nonce".into(), json!(info.nonce));
    }
    if info.code_hash != KECCAK_EMPTY {
        let code = state.code(address).unwrap_or_default();
        fields.insert("code".into(), json!(format!("0x{}", hex::encode(code))));
    }
    if !slots.is_empty() {
        let storage: Map<String, Value> = slots
            .iter()
            .map(|slot| {
                let value = state
                    .storage(address, &U256::from_be_bytes(*slot))
                    .unwrap_or_default();
                (
                    format!("0x{}", hex::encode(slot)),
                    json!(format!("0x{}", hex::encode(value.to_be_bytes::<32>()))),
                )
            })
            .collect();
        fields.insert("storage".into(), Value::Object(storage));
    }
    Some(Value::Object(fields))
}

fn slots_of(slots: &BTreeSet<([u8; 20], [u8; 32])>, address: &[u8; 20]) -> BTreeSet<[u8; 32]> {
    slots
        .iter()
        .filter(|(a, _)| a == address)
        .map(|(_, s)| *s)
        .collect()
}

/// The prestate of what `recorded` touched (read from `state`, which the run did not change);
/// with `diff`, `{pre, post}` of what `changes` changed.
pub fn to_json(
    state: &mut dyn State,
    addresses: &BTreeSet<[u8; 20]>,
    slots: &BTreeSet<([u8; 20], [u8; 32])>,
    changes: Option<&StateChanges>,
    diff: bool,
) -> Value {
    if !diff {
        let pre: Map<String, Value> = addresses
            .iter()
            .filter_map(|a| {
                account_json(state, a, &slots_of(slots, a))
                    .map(|v| (format!("{:#x}", Address::from(*a)), v))
            })
            .collect();
        return Value::Object(pre);
    }
    let mut pre = Map::new();
    let mut post = Map::new();
    for change in changes.map(|c| c.accounts.as_slice()).unwrap_or_default() {
        let key = format!("{:#x}", Address::from(change.address));
        let written: BTreeSet<[u8; 32]> = change
            .storage
            .iter()
            .map(|(s, _)| s.to_be_bytes())
            .collect();
        let before = state.account(&change.address).ok().flatten();
        if let Some(value) = account_json(state, &change.address, &written) {
            pre.insert(key.clone(), value);
        }
        let Some(after) = &change.info else {
            continue; // deleted: in pre only
        };
        let mut fields = Map::new();
        if before.as_ref().map(|b| b.balance) != Some(after.balance) {
            fields.insert("balance".into(), json!(format!("{:#x}", after.balance)));
        }
        if before.as_ref().map(|b| b.nonce) != Some(after.nonce) {
            fields.insert("nonce".into(), json!(after.nonce));
        }
        if let Some(code) = &change.code {
            fields.insert("code".into(), json!(format!("0x{}", hex::encode(code))));
        }
        let storage: BTreeMap<String, Value> = change
            .storage
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(s, v)| {
                (
                    format!("0x{}", hex::encode(s.to_be_bytes::<32>())),
                    json!(format!("0x{}", hex::encode(v.to_be_bytes::<32>()))),
                )
            })
            .collect();
        if !storage.is_empty() {
            fields.insert("storage".into(), json!(storage));
        }
        post.insert(key, Value::Object(fields));
    }
    json!({ "pre": pre, "post": post })
}
