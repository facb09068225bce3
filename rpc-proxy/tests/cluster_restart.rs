//! Restart against a cluster: rpc-proxy `--solana-url` killed with SIGKILL while a Solana
//! transaction it sent is still in flight, restarted on the same data directory while that
//! transaction has not landed yet. Every acknowledged Ethereum transaction ends with exactly one
//! receipt, in the block of the slot it landed in; none runs twice on the chain; nonces stay
//! gap-free and balances exact.
//!
//! Against the LiteSVM-backed stand-in (`tests/standin`) by default, which holds the in-flight
//! transaction across the restart and counts what ran. Against a real validator when
//! `ISTHMUS_TEST_SOLANA_URL` and `ISTHMUS_TEST_OPERATOR_KEYPAIR` name one (the program deployed
//! and initialized with that operator: scripts/test-remote.sh); the kill then comes after a few
//! acknowledgements, at whatever point the relay is.

mod standin;
mod support;

use standin::stand_in_slot_hash;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const SENDERS: usize = 3;
const PER_SENDER: u64 = 6;
const VALUE: u128 = 1_000_000_000_000_000; // 0.001 ether

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_with_solana_transactions_in_flight_loses_and_repeats_nothing() {
    let dir = temp_dir("cluster-restart");
    let (stand_in, url, key) = standin::cluster(&dir).await;
    let data = dir.join("proxy");
    let mut proxy = Proxy::start_remote(Some(&data), &url, &key).await;
    let recipient = run_recipient(0x78);
    let start_balance = proxy.balance(recipient).await;
    let mut first_nonce = Vec::new();
    for s in 0..SENDERS {
        first_nonce.push(proxy.nonce(dev_wallet(s).address, "latest").await);
    }
    // Slow landings: each relay is in flight for a while.
    if let Some(s) = &stand_in {
        s.land_after(Duration::from_millis(700));
    }

    let accepted = Arc::new(AtomicUsize::new(0));
    let (signed, tasks) = send_transfers(
        &proxy.client,
        &first_nonce,
        PER_SENDER,
        recipient,
        VALUE,
        &accepted,
    );
    let enough = || accepted.load(Ordering::SeqCst) >= 4;
    until("4 acknowledgements", Duration::from_secs(120), enough).await;
    if let Some(s) = &stand_in {
        // A Solana transaction sent and not landed stays in flight until the restarted node is
        // up; its Ethereum transaction is acknowledged meanwhile (eth_sendRawTransaction waits
        // at most 10 s for inclusion), then the node is killed.
        until(
            "a Solana transaction in flight",
            Duration::from_secs(60),
            || s.in_flight() > 0,
        )
        .await;
        s.hold(true);
        let before = accepted.load(Ordering::SeqCst);
        until(
            "an acknowledgement in flight",
            Duration::from_secs(30),
            || accepted.load(Ordering::SeqCst) > before,
        )
        .await;
        assert!(s.in_flight() > 0);
    }
    proxy.kill();
    let mut acknowledged: Vec<Vec<(u64, String)>> = Vec::new();
    for t in tasks {
        acknowledged.push(t.await.unwrap());
    }
    let total: usize = acknowledged.iter().map(|a| a.len()).sum();
    assert!(total >= 4, "{total} acknowledged before the kill");

    let proxy = Proxy::start_remote(Some(&data), &url, &key).await;
    if let Some(s) = &stand_in {
        assert!(
            s.in_flight() > 0,
            "the send is still in flight after the restart"
        );
        // The restarted node relays another sender's transaction meanwhile; both land now in
        // the same slot, which is indexed in two goes (the one relayed, then the one found).
        until(
            "a relay of the restarted node",
            Duration::from_secs(60),
            || s.in_flight() >= 2,
        )
        .await;
        s.hold(false);
    }

    // Everything the node held is settled: nothing waits in its mempool.
    let started = Instant::now();
    for s in 0..SENDERS {
        let address = dev_wallet(s).address;
        while proxy.nonce(address, "latest").await != proxy.nonce(address, "pending").await {
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "sender {s} never settles"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let mut landed_value = 0u128;
    let mut receipts = Vec::new();
    for s in 0..SENDERS {
        for (n, hash) in &acknowledged[s] {
            let receipt = proxy
                .receipt(hash, Duration::from_secs(120))
                .await
                .unwrap_or_else(|| panic!("sender {s}: acknowledged nonce {n} has no receipt"));
            assert_eq!(quantity(&receipt["status"]), 1, "sender {s} nonce {n}");
        }
        let nonce = proxy.nonce(dev_wallet(s).address, "latest").await;
        eprintln!(
            "sender {s}: {} acknowledged before the kill, nonce {nonce} after the restart",
            acknowledged[s].len()
        );
        // Gap-free: every nonce below the chain's has its receipt, successful, in order.
        let landed = receipts_in_order(&proxy, &signed[s], first_nonce[s], nonce).await;
        landed_value += VALUE * landed.len() as u128;
        for (n, receipt) in (first_nonce[s]..).zip(landed) {
            let block = quantity(&receipt["blockNumber"]) as u64;
            receipts.push((signed[s][&n].clone(), block, receipt["blockHash"].clone()));
        }
    }
    assert_eq!(proxy.balance(recipient).await, start_balance + landed_value);

    if let Some(s) = &stand_in {
        // What ran on the chain: each Ethereum transaction once, in the slot its receipt names,
        // whose block hash is the slot's SlotHashes entry; nothing else ran.
        let ran = s.receipts();
        for (hash, block, block_hash) in &receipts {
            let key: [u8; 32] = alloy_primitives::hex::decode(hash)
                .unwrap()
                .try_into()
                .unwrap();
            assert_eq!(
                ran.get(&key),
                Some(&vec![*block]),
                "{hash} ran in {:?}",
                ran.get(&key)
            );
            assert_eq!(
                block_hash.as_str().unwrap(),
                hex(&stand_in_slot_hash(*block))
            );
        }
        let ours = ran
            .keys()
            .filter(|h| signed.iter().any(|m| m.values().any(|x| *x == hex(&h[..]))))
            .count();
        assert_eq!(
            ours,
            receipts.len(),
            "transactions ran that have no receipt"
        );
    }
    drop(proxy);
    drop(stand_in);
    std::fs::remove_dir_all(&dir).unwrap();
}
