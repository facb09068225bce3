//! The `personal_` namespace: personal_sign with the node's accounts (`crate::accounts`), the
//! EIP-191 signature wallets make (the message first, then the address, as MetaMask orders them).

use super::eth_accounts::{signature, signer};
use super::{arg, method};
use crate::app::App;
use alloy_primitives::{Address, Bytes};
use alloy_signer::SignerSync;
use jsonrpsee::RpcModule;

pub fn register(m: &mut RpcModule<App>) {
    method(m, "personal_sign", |app, a| {
        let message: Bytes = arg(a, 0)?;
        let address: Address = arg(a, 1)?;
        signature(signer(app, &address)?.sign_message_sync(&message))
    });
}
