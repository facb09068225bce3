//! Restart: rpc-proxy killed with SIGKILL in the middle of a load of transfers, restarted on the
//! same data directory, loses no accepted transaction and no receipt; nonces stay gap-free; a
//! transaction accepted while waiting on a nonce gap survives the restart too.

mod support;

use jsonrpsee::rpc_params;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::*;

const SENDERS: usize = 3;
const PER_SENDER: u64 = 12;
const VALUE: u128 = 1_000_000_000_000_000; // 0.001 ether

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_accepted_is_lost_across_a_kill() {
    let dir = temp_dir("restart");
    let mut proxy = Proxy::start(Some(&dir)).await;
    let recipient = [0x77; 20];

    // A transaction with a nonce gap: accepted, waits in the mempool (and the database).
    let gapped_wallet = dev_wallet(3);
    let gapped = transfer(&gapped_wallet, 1, recipient, VALUE);
    let gapped_hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&gapped)])
        .await;
    assert_eq!(proxy.nonce(gapped_wallet.address, "latest").await, 0);

    // Three senders, each sending its transfers in nonce order; killed after 10 are accepted.
    let accepted = Arc::new(AtomicUsize::new(0));
    let mut signed: Vec<BTreeMap<u64, String>> = Vec::new();
    let mut tasks = Vec::new();
    for s in 0..SENDERS {
        let wallet = dev_wallet(s);
        let txs: BTreeMap<u64, Vec<u8>> = (0..PER_SENDER)
            .map(|n| (n, transfer(&wallet, n, recipient, VALUE)))
            .collect();
        signed.push(
            txs.iter()
                .map(|(n, raw)| (*n, hex(&isthmus_client::keccak(raw))))
                .collect(),
        );
        let client = proxy.client.clone();
        let accepted = accepted.clone();
        tasks.push(tokio::spawn(async move {
            use jsonrpsee::core::client::ClientT;
            let mut ok = Vec::new();
            for (n, raw) in txs {
                let r: Result<serde_json::Value, _> = client
                    .request("eth_sendRawTransaction", rpc_params![hex(&raw)])
                    .await;
                match r {
                    Ok(hash) => {
                        ok.push((n, hash.as_str().unwrap().to_string()));
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => break, // the node is gone
                }
            }
            ok
        }));
    }
    while accepted.load(Ordering::SeqCst) < 10 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    proxy.kill();
    let mut acknowledged: Vec<Vec<(u64, String)>> = Vec::new();
    for t in tasks {
        acknowledged.push(t.await.unwrap());
    }
    let total: usize = acknowledged.iter().map(|a| a.len()).sum();
    assert!(total >= 10, "{total} acknowledged before the kill");

    // Restart on the same directory.
    let proxy = Proxy::start(Some(&dir)).await;
    let mut landed_value = 0u128;
    for s in 0..SENDERS {
        let wallet = dev_wallet(s);
        let nonce = proxy.nonce(wallet.address, "latest").await;
        // Every acknowledged transaction is in (the node acknowledges once it is in a block or
        // stored in the mempool).
        for (n, hash) in &acknowledged[s] {
            assert!(
                *n < nonce || proxy.receipt(hash, Duration::from_secs(30)).await.is_some(),
                "sender {s}: acknowledged nonce {n} lost (chain nonce {nonce})"
            );
        }
        let nonce = proxy.nonce(wallet.address, "latest").await;
        eprintln!(
            "sender {s}: {} acknowledged before the kill, nonce {nonce} after the restart",
            acknowledged[s].len()
        );
        // Gap-free: every nonce below the chain's has its receipt, successful, in order.
        let mut last_block = 0;
        for n in 0..nonce {
            let hash = &signed[s][&n];
            let receipt = proxy
                .receipt(hash, Duration::from_secs(30))
                .await
                .unwrap_or_else(|| panic!("sender {s} nonce {n}: no receipt"));
            assert_eq!(quantity(&receipt["status"]), 1);
            let block = quantity(&receipt["blockNumber"]);
            assert!(
                block >= last_block,
                "sender {s}: nonce {n} in an earlier block"
            );
            last_block = block;
            landed_value += VALUE;
        }
    }
    assert_eq!(proxy.balance(recipient).await, landed_value);

    // The gapped transaction came back from the database: filling the gap lands both.
    let filler = transfer(&gapped_wallet, 0, recipient, VALUE);
    proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&filler)])
        .await;
    let receipt = proxy
        .receipt(gapped_hash.as_str().unwrap(), Duration::from_secs(30))
        .await
        .expect("the gapped transaction lands after the restart");
    assert_eq!(quantity(&receipt["status"]), 1);
    assert_eq!(proxy.nonce(gapped_wallet.address, "latest").await, 2);
    assert_eq!(proxy.balance(recipient).await, landed_value + 2 * VALUE);
    drop(proxy);
    std::fs::remove_dir_all(&dir).unwrap();
}
