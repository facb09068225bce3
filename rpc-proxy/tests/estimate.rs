//! eth_estimateGas answers the least gas that does what the unlimited run does, not only the
//! least that does not fail: a contract that ignores a failed inner call (an ERC-4337 account
//! paying its EntryPoint, found by OpenZeppelin's suite) must get enough for that call too.

mod support;

use jsonrpsee::rpc_params;
use serde_json::json;
use support::*;

/// `sstore(0, 1)`: a new slot, 22,100 gas.
const STORE: &str = "0x60015f5500";
const STORE_AT: &str = "0x0000000000000000000000000000000000005101";
const CALLER_AT: &str = "0x0000000000000000000000000000000000005102";

/// CALL `STORE_AT` with all the gas there is, ignore whether it failed, stop.
fn caller_code() -> String {
    format!(
        "0x5f5f5f5f5f73{}5af15000",
        STORE_AT.trim_start_matches("0x")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_estimate_covers_inner_calls_whose_failure_is_ignored() {
    let proxy = Proxy::start(None).await;
    proxy
        .call("hardhat_setCode", rpc_params![STORE_AT, STORE])
        .await;
    proxy
        .call("hardhat_setCode", rpc_params![CALLER_AT, caller_code()])
        .await;
    let wallet = dev_wallet(0);
    let estimate = proxy
        .call(
            "eth_estimateGas",
            rpc_params![json!({"from": hex(&wallet.address), "to": CALLER_AT})],
        )
        .await;
    let gas = quantity(&estimate) as u64;

    let nonce = proxy.nonce(wallet.address, "latest").await;
    let mut to = [0u8; 20];
    to[18..].copy_from_slice(&[0x51, 0x02]);
    let raw = sign(
        &wallet,
        &isthmus_test_support::tx1559(CHAIN_ID, nonce, Some(to), 0, vec![], gas),
    );
    let hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&raw)])
        .await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), std::time::Duration::from_secs(10))
        .await
        .expect("a receipt");
    assert_eq!(receipt["status"], "0x1");
    let stored = proxy
        .call("eth_getStorageAt", rpc_params![STORE_AT, "0x0", "latest"])
        .await;
    assert_eq!(
        quantity(&stored),
        1,
        "the inner call ran out of gas at the estimate ({gas})"
    );
}
