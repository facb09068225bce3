//! Restart: rpc-proxy killed with SIGKILL in the middle of a load of transfers, restarted on the
//! same data directory, loses no accepted transaction and no receipt; nonces stay gap-free; a
//! transaction accepted while waiting on a nonce gap survives the restart too.
//!
//! Embedded by default; against a validator with `ISTHMUS_TEST_SOLANA_URL` and
//! `ISTHMUS_TEST_OPERATOR_KEYPAIR` (scripts/test-remote.sh). Nonces and balances are taken
//! relative to where the chain is, so a reused ledger works.

mod support;

use jsonrpsee::rpc_params;
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
    let mut proxy = Proxy::start_on_any(Some(&dir)).await;
    // A recipient of this run only.
    let recipient = run_recipient(0x77);
    let start_balance = proxy.balance(recipient).await;
    let mut first_nonce = Vec::new();
    for s in 0..=SENDERS {
        first_nonce.push(proxy.nonce(dev_wallet(s).address, "latest").await);
    }

    // A transaction with a nonce gap: accepted, waits in the mempool (and the database).
    let gapped_wallet = dev_wallet(3);
    let gap_base = first_nonce[3];
    let gapped = transfer(&gapped_wallet, gap_base + 1, recipient, VALUE);
    let gapped_hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&gapped)])
        .await;
    assert_eq!(proxy.nonce(gapped_wallet.address, "latest").await, gap_base);

    // Three senders, each sending its transfers in nonce order; killed after 10 are accepted.
    let accepted = Arc::new(AtomicUsize::new(0));
    let (signed, tasks) = send_transfers(
        &proxy.client,
        &first_nonce[..SENDERS],
        PER_SENDER,
        recipient,
        VALUE,
        &accepted,
    );
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
    let proxy = Proxy::start_on_any(Some(&dir)).await;
    // What the node stored before the kill it relays after the restart, answered or not (the kill
    // can take an answer with it); on a cluster that takes a slot or more a transaction, so the
    // counts below wait until each sender's stored transactions are in.
    for s in 0..SENDERS {
        let address = dev_wallet(s).address;
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while proxy.nonce(address, "pending").await > proxy.nonce(address, "latest").await {
            assert!(
                std::time::Instant::now() < deadline,
                "sender {s}: the restarted node did not relay what it stored"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
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
        let landed = receipts_in_order(&proxy, &signed[s], first_nonce[s], nonce).await;
        landed_value += VALUE * landed.len() as u128;
    }
    assert_eq!(proxy.balance(recipient).await, start_balance + landed_value);

    // The gapped transaction came back from the database: filling the gap lands both.
    let filler = transfer(&gapped_wallet, gap_base, recipient, VALUE);
    proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&filler)])
        .await;
    let receipt = proxy
        .receipt(gapped_hash.as_str().unwrap(), Duration::from_secs(30))
        .await
        .expect("the gapped transaction lands after the restart");
    assert_eq!(quantity(&receipt["status"]), 1);
    assert_eq!(
        proxy.nonce(gapped_wallet.address, "latest").await,
        gap_base + 2
    );
    assert_eq!(
        proxy.balance(recipient).await,
        start_balance + landed_value + 2 * VALUE
    );
    drop(proxy);
    std::fs::remove_dir_all(&dir).unwrap();
}
