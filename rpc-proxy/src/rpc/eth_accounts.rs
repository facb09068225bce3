//! The `eth_` namespace's node accounts (`crate::accounts`): eth_accounts, eth_sign,
//! eth_signTypedData_v4, eth_signTransaction and eth_sendTransaction, which fills what the
//! request leaves out as anvil does: the pending nonce, the estimated gas, an EIP-1559 fee of twice
//! the contract's local base fee and no tip.

use super::{arg, hex, method, server_error};
use crate::app::App;
use crate::chain::Call;
use alloy_consensus::{SignableTransaction, TxEip1559, TxEip2930, TxEip7702, TxEnvelope, TxLegacy};
use alloy_dyn_abi::TypedData;
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, Signature, TxKind};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use isthmus_client::emulate::next_block;
use jsonrpsee::types::ErrorObjectOwned;
use jsonrpsee::RpcModule;
use serde_json::{json, Value};
use solana_signer::Signer as _;

pub fn register(m: &mut RpcModule<App>) {
    method(m, "eth_accounts", |app, _| {
        Ok(json!(app.accounts.addresses()))
    });
    method(m, "eth_sign", |app, a| {
        let address: Address = arg(a, 0)?;
        let message: Bytes = arg(a, 1)?;
        signature(signer(app, &address)?.sign_message_sync(&message))
    });
    let typed = |app: &App, a: &[Value]| {
        let address: Address = arg(a, 0)?;
        // Wallet libraries send the typed data as an object or as its JSON text.
        let data: TypedData = match a.get(1) {
            Some(Value::String(text)) => serde_json::from_str(text),
            Some(v) => serde_json::from_value(v.clone()),
            None => return Err(super::invalid_params("missing typed data")),
        }
        .map_err(|e| super::invalid_params(format!("typed data: {e}")))?;
        let hash = data
            .eip712_signing_hash()
            .map_err(|e| super::invalid_params(format!("typed data: {e}")))?;
        signature(signer(app, &address)?.sign_hash_sync(&hash))
    };
    method(m, "eth_signTypedData_v4", typed);
    method(m, "eth_signTypedData", typed);
    method(m, "eth_signTransaction", |app, a| {
        let request: TransactionRequest = arg(a, 0)?;
        Ok(Value::String(hex(&sign_filled(app, request, false)?)))
    });
    method(m, "eth_sendTransaction", |app, a| {
        let request: TransactionRequest = arg(a, 0)?;
        // One at a time from filling to the mempool, as the Hardhat node and anvil take them:
        // concurrent requests from one account get consecutive nonces (not one nonce twice,
        // refused as an underpriced replacement), and each estimate runs after the ones before.
        let hash = {
            let _one_at_a_time = app.node_signing.lock().unwrap_or_else(|p| p.into_inner());
            let raw = sign_filled(app, request, true)?;
            app.submit(&raw).map_err(|r| server_error(r.0))?
        };
        app.wait_for_inclusion(&hash, super::eth::INCLUSION_WAIT);
        Ok(json!(hash))
    });
}

/// The node's signer for `address`, or geth's and anvil's error.
pub(super) fn signer<'a>(
    app: &'a App,
    address: &Address,
) -> Result<&'a PrivateKeySigner, ErrorObjectOwned> {
    app.accounts
        .signer(address)
        .ok_or_else(|| server_error(format!("no signer for {address}: not one of eth_accounts")))
}

pub(super) fn signature(
    signed: alloy_signer::Result<Signature>,
) -> Result<Value, ErrorObjectOwned> {
    let signature = signed.map_err(|e| server_error(format!("signing: {e}")))?;
    Ok(Value::String(hex(&signature.as_bytes())))
}

/// `request` with its nonce, gas and fees filled in (anvil's rules), signed by its `from`: the
/// raw EIP-2718 envelope. With `impersonation`, a `from` the node has no key for but
/// impersonates (`anvil_impersonateAccount`) gets an impersonated transaction
/// (`isthmus_interface::transaction`), its envelope signed by a key of no account.
fn sign_filled(
    app: &App,
    request: TransactionRequest,
    impersonation: bool,
) -> Result<Vec<u8>, ErrorObjectOwned> {
    let from = request
        .from
        .ok_or_else(|| super::invalid_params("the transaction needs a from"))?;
    let impersonated = impersonation
        && app.accounts.signer(&from).is_none()
        && app.impersonates(&from.into_array());
    let signer = if impersonated {
        crate::accounts::impersonation_signer()
    } else {
        signer(app, &from)?
    };
    let to = request.to.unwrap_or(TxKind::Create);
    let input = request.input.input().cloned().unwrap_or_default();
    let value = request.value.unwrap_or_default();
    let nonce = match request.nonce {
        Some(n) => n,
        None => {
            let state = app.chain().nonce(&from.into_array());
            app.pool().pending_nonce(&from.into_array(), state)
        }
    };
    let gas_limit = match request.gas {
        Some(g) => g,
        None => {
            let call = Call {
                from: from.into_array(),
                to: to.to().map(|a| a.into_array()),
                gas: None,
                value: isthmus_evm::U256::from_limbs(value.into_limbs()),
                data: input.to_vec(),
                access_list: request
                    .access_list
                    .clone()
                    .map(super::eth::access_list_items)
                    .unwrap_or_default(),
                authorization_list: request
                    .authorization_list
                    .iter()
                    .flatten()
                    .map(super::eth::authorization)
                    .collect(),
                deadline: Some(app.call_deadline()),
            };
            super::eth::estimate(app, super::eth::At::Pending, &call, &Default::default())?
        }
    };
    let chain_id = app.chain_id;
    let raw = if let (Some(gas_price), Some(access_list)) =
        (request.gas_price, request.access_list.clone())
    {
        // A gas price and an access list: EIP-2930, as anvil and geth build it.
        let tx = TxEip2930 {
            chain_id,
            nonce,
            gas_price,
            gas_limit,
            to,
            value,
            access_list,
            input,
        };
        encode(signer, tx)?
    } else if let Some(gas_price) = request.gas_price {
        let tx = TxLegacy {
            chain_id: Some(chain_id),
            nonce,
            gas_price,
            gas_limit,
            to,
            value,
            input,
        };
        encode(signer, tx)?
    } else {
        // The contract's base fee, and the tip eth_maxPriorityFeePerGas suggests (on a chain
        // charging Solana costs with a priority fee, what pays the relay).
        let (base_fee, suggested_tip) = {
            let chain = app.chain();
            let base_fee = next_block(
                chain.source(),
                &chain.operator().pubkey(),
                to.to().map(|a| a.into_array()),
            )
            .map(|b| b.env.base_fee.to::<u128>())
            .unwrap_or_else(|_| chain.min_base_fee() as u128);
            (base_fee, chain.suggested_tip() as u128)
        };
        let tip = request.max_priority_fee_per_gas.unwrap_or(suggested_tip);
        let max_fee_per_gas = request.max_fee_per_gas.unwrap_or(2 * base_fee + tip);
        let access_list = request.access_list.unwrap_or_default();
        match request.authorization_list.filter(|list| !list.is_empty()) {
            // Authorizations: an EIP-7702 set-code transaction, which must call an account.
            Some(authorization_list) => {
                let TxKind::Call(to) = to else {
                    return Err(server_error(
                        "EIP-7702 transaction cannot be used to create contract",
                    ));
                };
                let tx = TxEip7702 {
                    chain_id,
                    nonce,
                    gas_limit,
                    max_fee_per_gas,
                    max_priority_fee_per_gas: tip,
                    to,
                    value,
                    access_list,
                    authorization_list,
                    input,
                };
                encode(signer, tx)?
            }
            None => {
                let tx = TxEip1559 {
                    chain_id,
                    nonce,
                    gas_limit,
                    max_fee_per_gas,
                    max_priority_fee_per_gas: tip,
                    to,
                    value,
                    access_list,
                    input,
                };
                encode(signer, tx)?
            }
        }
    };
    Ok(if impersonated {
        isthmus_client::interface::transaction::impersonate(&from.into_array(), &raw)
    } else {
        raw
    })
}

/// Signs `tx` and encodes it as the envelope wallets send.
fn encode<T>(signer: &PrivateKeySigner, tx: T) -> Result<Vec<u8>, ErrorObjectOwned>
where
    T: SignableTransaction<Signature>,
    TxEnvelope: From<alloy_consensus::Signed<T>>,
{
    let signature = signer
        .sign_hash_sync(&tx.signature_hash())
        .map_err(|e| server_error(format!("signing: {e}")))?;
    let envelope = TxEnvelope::from(tx.into_signed(signature));
    Ok(envelope.encoded_2718())
}
