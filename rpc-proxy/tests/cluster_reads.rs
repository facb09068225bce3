//! Against a cluster whose reads of an account fail for a while (an overloaded node): a failed
//! read is an error, not an absent account. A transaction submitted then is refused with a
//! clear error and nothing is accepted; one accepted before waits in the mempool instead of
//! being dropped as unfunded, and lands once the reads work again.

mod standin;
mod support;

use jsonrpsee::rpc_params;
use standin::StandIn;
use std::time::{Duration, Instant};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_read_drops_nothing() {
    let dir = temp_dir("cluster-reads");
    let stand_in = StandIn::start(&dir, Duration::from_millis(200)).await;
    let key = stand_in.operator_key.clone().into_os_string();
    let proxy = Proxy::start_remote(None, stand_in.url.as_ref(), &key).await;
    let recipient = [0x79; 20];
    let (busy, reader) = (dev_wallet(1), dev_wallet(2));
    let reader_account = isthmus_client::pda::account(&reader.address).0;
    let reader_nonce = proxy.nonce(reader.address, "latest").await;

    // The producer busy with another sender's transaction, held in flight.
    stand_in.hold(true);
    let first = transfer(
        &busy,
        proxy.nonce(busy.address, "latest").await,
        recipient,
        1,
    );
    let client = proxy.client.clone();
    let busy_send = tokio::spawn(async move {
        use jsonrpsee::core::client::ClientT;
        let hash: serde_json::Value = client
            .request("eth_sendRawTransaction", rpc_params![hex(&first)])
            .await
            .unwrap();
        hash
    });
    until("a send in flight", Duration::from_secs(30), || {
        stand_in.in_flight() > 0
    })
    .await;
    // Accepted while the reads work; then they fail before it is relayed.
    let accepted = transfer(&reader, reader_nonce, recipient, 2);
    let client = proxy.client.clone();
    let accepted_send = tokio::spawn(async move {
        use jsonrpsee::core::client::ClientT;
        let hash: serde_json::Value = client
            .request("eth_sendRawTransaction", rpc_params![hex(&accepted)])
            .await
            .unwrap();
        hash
    });
    let pending = |p: &Proxy| {
        let p = p.client.clone();
        async move {
            use jsonrpsee::core::client::ClientT;
            let n: serde_json::Value = p
                .request(
                    "eth_getTransactionCount",
                    rpc_params![hex(&reader.address), "pending"],
                )
                .await
                .unwrap();
            quantity(&n) as u64
        }
    };
    let started = Instant::now();
    while pending(&proxy).await != reader_nonce + 1 {
        assert!(started.elapsed() < Duration::from_secs(30), "not accepted");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stand_in.fail_reads(&[reader_account]);
    stand_in.hold(false);
    let busy_hash = busy_send.await.unwrap();
    proxy
        .receipt(busy_hash.as_str().unwrap(), Duration::from_secs(60))
        .await
        .expect("the other sender's transaction lands");
    // The producer tried the reader's account again and again meanwhile.
    let failed = stand_in.failed_reads();
    until("the producer's rounds", Duration::from_secs(30), || {
        stand_in.failed_reads() >= failed + 3
    })
    .await;

    // Submitted while its sender cannot be read: a clear refusal, nothing accepted.
    let refused = transfer(&reader, reader_nonce + 1, recipient, 3);
    let message = proxy
        .error("eth_sendRawTransaction", rpc_params![hex(&refused)])
        .await;
    assert!(message.contains("could not be read"), "{message}");

    // Reads work again: the accepted one lands; the refused one was never taken.
    stand_in.fail_reads(&[]);
    let hash = accepted_send.await.unwrap();
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(60))
        .await
        .expect("the transaction accepted before the failed reads lands");
    assert_eq!(quantity(&receipt["status"]), 1);
    assert_eq!(
        proxy.nonce(reader.address, "latest").await,
        reader_nonce + 1
    );
    assert_eq!(
        proxy.nonce(reader.address, "pending").await,
        reader_nonce + 1
    );
    drop(proxy);
    drop(stand_in);
    std::fs::remove_dir_all(&dir).unwrap();
}
