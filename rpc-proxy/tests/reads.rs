//! Reads never wait on writes (issue 13): while the block producer holds the chain locked in the
//! middle of a block (`ISTHMUS_TEST_RELAY_HOLD_MS` keeps it locked after each relay), balances,
//! nonces, eth_call, the newest block and its number are answered from the last published
//! block's state; once the block is committed they show the transaction.

mod support;

use jsonrpsee::rpc_params;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::*;

/// How long the producer holds the chain after relaying.
const HOLD: Duration = Duration::from_secs(4);

/// Init code returning BALANCE(`address`): eth_call runs it as a creation.
fn balance_of_code(address: [u8; 20]) -> String {
    let mut code = vec![0x73];
    code.extend_from_slice(&address);
    code.extend_from_slice(&[0x31, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    hex(&code)
}

fn number(v: &Value) -> u128 {
    quantity(v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_answer_from_the_published_block_while_the_producer_holds_the_chain() {
    // This binary's only test: the variable reaches the child it starts and nothing else.
    std::env::set_var("ISTHMUS_TEST_RELAY_HOLD_MS", HOLD.as_millis().to_string());
    let proxy = Proxy::start(None).await;
    let sender = dev_wallet(1);
    let recipient = [0x7e; 20];
    let value = 123_456_789u128;
    let call = json!({ "data": balance_of_code(recipient) });

    let block_before = number(&proxy.call("eth_blockNumber", rpc_params![]).await);
    let nonce_before = proxy.nonce(sender.address, "latest").await;
    assert_eq!(proxy.balance(recipient).await, 0);

    // The transfer: eth_sendRawTransaction answers once it is in a block, after the hold.
    let raw = transfer(&sender, nonce_before, recipient, value);
    let url = proxy.url.clone();
    let send = tokio::spawn(async move {
        let client = jsonrpsee::http_client::HttpClientBuilder::default()
            .request_timeout(Duration::from_secs(60))
            .build(&url)
            .unwrap();
        jsonrpsee::core::client::ClientT::request::<Value, _>(
            &client,
            "eth_sendRawTransaction",
            rpc_params![hex(&raw)],
        )
        .await
    });
    // Accepted (in the mempool) and being relayed: the producer now holds the chain.
    let accepted = Instant::now();
    while proxy.nonce(sender.address, "pending").await == nonce_before {
        assert!(
            accepted.elapsed() < HOLD,
            "the transaction was not accepted"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Every read answers while the block is still being produced, with the last block's state.
    let reads = Instant::now();
    for _ in 0..5 {
        assert_eq!(proxy.balance(recipient).await, 0);
        let balance = proxy
            .call("eth_call", rpc_params![call.clone(), "latest"])
            .await;
        assert_eq!(number(&balance), 0, "eth_call BALANCE");
        assert_eq!(proxy.nonce(sender.address, "latest").await, nonce_before);
        assert_eq!(
            number(&proxy.call("eth_blockNumber", rpc_params![]).await),
            block_before
        );
        let latest = proxy
            .call("eth_getBlockByNumber", rpc_params!["latest", false])
            .await;
        assert_eq!(number(&latest["number"]), block_before);
    }
    assert!(
        !send.is_finished(),
        "the reads were answered while the block was still being produced"
    );
    assert!(
        reads.elapsed() < HOLD,
        "reads took {:?}: they waited on the producer",
        reads.elapsed()
    );

    // Committed: the next published state has the transfer.
    let hash = send.await.unwrap().expect("the transfer is accepted");
    let receipt = proxy.receipt(hash.as_str().unwrap(), HOLD * 2).await;
    assert_eq!(receipt.expect("a receipt")["status"], "0x1");
    assert_eq!(proxy.balance(recipient).await, value);
    let balance = proxy.call("eth_call", rpc_params![call, "latest"]).await;
    assert_eq!(number(&balance), value);
    assert_eq!(
        proxy.nonce(sender.address, "latest").await,
        nonce_before + 1
    );
    assert!(number(&proxy.call("eth_blockNumber", rpc_params![]).await) > block_before);
}
