//! A chain whose senders pay their Solana costs (`--charge-solana-costs`, as a cluster
//! deployment is initialized): eth_estimateGas tells a wallet the gas it will use, rent of the
//! accounts its transaction creates included; a gas limit below that is refused at submission
//! with geth's "intrinsic gas too low" and why; the receipt's gasUsed is what the sender paid.

mod support;

use isthmus_client::interface::account::{eth_account, fee_market};
use isthmus_client::interface::solana_costs::{rent_exempt, LAMPORTS_PER_SIGNATURE};
use jsonrpsee::rpc_params;
use serde_json::json;
use std::time::Duration;
use support::*;

const FRESH: [u8; 20] = [0x5e; 20];
const GWEI: u128 = 1_000_000_000;

/// A 1-wei transfer to `to` with `gas`, at the 1 gwei floor.
fn one_wei(
    wallet: &isthmus_test_support::EthWallet,
    nonce: u64,
    to: [u8; 20],
    gas: u64,
) -> Vec<u8> {
    let mut tx = isthmus_test_support::tx1559(CHAIN_ID, nonce, Some(to), 1, vec![], gas);
    tx.gas_price = isthmus_evm::U256::from(GWEI);
    tx.gas_priority_fee = Some(isthmus_evm::U256::ZERO);
    sign(wallet, &tx)
}

/// Sends `raw`, which must be refused; returns why.
async fn refused(proxy: &Proxy, raw: &[u8]) -> String {
    proxy
        .try_call("eth_sendRawTransaction", rpc_params![hex(raw)])
        .await
        .expect_err("refused")
        .to_string()
}

/// Sends `raw` and waits for its receipt.
async fn mined(proxy: &Proxy, raw: &[u8]) -> serde_json::Value {
    let hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(raw)])
        .await;
    proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(10))
        .await
        .expect("a receipt")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn estimates_include_the_rent_and_underpaying_transactions_are_refused() {
    let proxy = Proxy::start_with(&["--charge-solana-costs"]).await;
    let wallet = dev_wallet(0);
    // A first transfer, relayed by one operator of the pool; the next goes through another, whose
    // COINBASE account it makes (the operator's own: not charged). Either way the sender pays for
    // the recipient's account and fee market only.
    let warm = one_wei(&wallet, 0, [0x11; 20], 10_000_000);
    assert_eq!(mined(&proxy, &warm).await["status"], "0x1");

    let estimate = proxy
        .call(
            "eth_estimateGas",
            rpc_params![json!({"from": hex(&wallet.address), "to": hex(&FRESH), "value": "0x1"})],
        )
        .await;
    let rent = rent_exempt(eth_account::LEN) + rent_exempt(fee_market::LEN);
    // 1 lamport a gas at the 1 gwei floor.
    let expected = 21_000 + rent + LAMPORTS_PER_SIGNATURE;
    assert_eq!(quantity(&estimate) as u64, expected);

    // Ethereum's 21,000 does not cover it: refused, in geth's words and with the reason.
    let refused = refused(&proxy, &one_wei(&wallet, 1, FRESH, 21_000)).await;
    assert!(refused.contains("intrinsic gas too low"), "{refused}");
    assert!(refused.contains(&format!("want {expected}")), "{refused}");
    assert!(refused.contains("Solana costs"), "{refused}");
    assert_eq!(proxy.nonce(wallet.address, "latest").await, 1);

    // With the estimate it goes through, and the sender pays exactly value + gasUsed * price.
    let before = proxy.balance(wallet.address).await;
    let paid = one_wei(&wallet, 1, FRESH, expected);
    let receipt = mined(&proxy, &paid).await;
    assert_eq!(receipt["status"], "0x1");
    let gas_used = quantity(&receipt["gasUsed"]);
    assert_eq!(gas_used, expected as u128);
    let price = quantity(&receipt["effectiveGasPrice"]);
    assert_eq!(
        before - proxy.balance(wallet.address).await,
        1 + gas_used * price
    );
}

/// With a priority fee (`--priority-fee`, micro-lamports a compute unit), a transaction whose gas
/// would not pay for its relay is refused at submission; one at the price the node quotes goes
/// through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_underpriced_transaction_is_refused_at_submission() {
    let proxy = Proxy::start_with(&["--charge-solana-costs", "--priority-fee", "1000000"]).await;
    let wallet = dev_wallet(0);
    let refused = refused(&proxy, &one_wei(&wallet, 0, FRESH, 10_000_000)).await;
    assert!(refused.contains("transaction underpriced"), "{refused}");

    // What the node quotes pays for it: a tip whose 21,000 gas pay the 1.4M lamports of priority
    // fee (ceil(1.4e6 * 1e9 / 21,000) wei a gas), over the 1 gwei floor.
    let tip = quantity(&proxy.call("eth_maxPriorityFeePerGas", rpc_params![]).await);
    let price = quantity(&proxy.call("eth_gasPrice", rpc_params![]).await);
    assert_eq!(price, (1_400_000 * GWEI).div_ceil(21_000));
    assert_eq!(tip, price - GWEI);
    let mut tx = isthmus_test_support::tx1559(CHAIN_ID, 0, Some(FRESH), 1, vec![], 10_000_000);
    tx.gas_price = isthmus_evm::U256::from(price);
    tx.gas_priority_fee = Some(isthmus_evm::U256::from(tip));
    let receipt = mined(&proxy, &sign(&wallet, &tx)).await;
    assert_eq!(receipt["status"], "0x1");

    // A transaction the node fills and signs (eth_sendTransaction) takes that tip too.
    let hash = proxy
        .call(
            "eth_sendTransaction",
            rpc_params![json!({"from": hex(&wallet.address), "to": hex(&FRESH), "value": "0x1"})],
        )
        .await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(10))
        .await
        .expect("a receipt");
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(quantity(&receipt["effectiveGasPrice"]), price);
}
