//! A block's hash as eth_getBlockByNumber reports it is what BLOCKHASH answers for that number
//! inside a later transaction run on chain, on the embedded chain and against a cluster (the
//! LiteSVM-backed stand-in, whose SlotHashes are not the embedded chain's `keccak(slot)`; or the
//! validator `ISTHMUS_TEST_SOLANA_URL` and `ISTHMUS_TEST_OPERATOR_KEYPAIR` name).

mod standin;
mod support;

use isthmus_test_support::tx1559;
use jsonrpsee::rpc_params;
use std::time::Duration;
use support::*;

/// Creation code that logs BLOCKHASH(`number`) as its one log's data:
/// PUSH8 number BLOCKHASH PUSH0 MSTORE PUSH1 32 PUSH0 LOG0 STOP.
fn log_blockhash_of(number: u64) -> Vec<u8> {
    let mut code = vec![0x67];
    code.extend_from_slice(&number.to_be_bytes());
    code.extend_from_slice(&[0x40, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xa0, 0x00]);
    code
}

/// Sends a transfer, then a transaction logging BLOCKHASH of the transfer's block: the logged
/// hash is the block's.
async fn blockhash_is_the_blocks(proxy: &Proxy) {
    let wallet = dev_wallet(1);
    let nonce = proxy.nonce(wallet.address, "latest").await;
    let first = transfer(&wallet, nonce, [0x42; 20], 1);
    let hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&first)])
        .await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(60))
        .await
        .expect("the transfer lands");
    let number = quantity(&receipt["blockNumber"]) as u64;
    let block = proxy
        .call(
            "eth_getBlockByNumber",
            rpc_params![format!("{number:#x}"), false],
        )
        .await;
    assert_eq!(block["hash"], receipt["blockHash"]);

    let probe = wallet.sign(&tx1559(
        CHAIN_ID,
        nonce + 1,
        None,
        0,
        log_blockhash_of(number),
        200_000,
    ));
    let hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&probe)])
        .await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(60))
        .await
        .expect("the probe lands");
    assert_eq!(quantity(&receipt["status"]), 1);
    assert!(quantity(&receipt["blockNumber"]) as u64 > number);
    let logged = &receipt["logs"][0]["data"];
    assert_ne!(
        logged.as_str().unwrap(),
        hex(&[0; 32]),
        "BLOCKHASH({number}) is zero"
    );
    assert_eq!(*logged, block["hash"], "BLOCKHASH({number}) on chain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_embedded_chain() {
    let proxy = Proxy::start(None).await;
    blockhash_is_the_blocks(&proxy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_a_cluster() {
    let dir = temp_dir("blockhash-cluster");
    let (stand_in, url, key) = standin::cluster(&dir).await;
    let proxy = Proxy::start_remote(None, &url, &key).await;
    blockhash_is_the_blocks(&proxy).await;
    drop(proxy);
    drop(stand_in);
    std::fs::remove_dir_all(&dir).unwrap();
}
