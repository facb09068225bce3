//! Relays in parallel on a cluster: with several operators, the first ready transaction of each
//! sender is relayed at once, each through its own operator, so their Solana transactions are in
//! flight together (one at a time, a cluster's ~slot per confirmation bounded the node to a few
//! Ethereum transactions a second). Transactions that share a written account wait for a later
//! round; a sender's own go in nonce order. Against the LiteSVM-backed stand-in, whose sends land
//! after a delay, so that what is in flight at once can be counted.

mod standin;
mod support;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::rpc_params;
use serde_json::Value;
use standin::StandIn;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::*;

const SENDERS: usize = 4;
const PER_SENDER: u64 = 3;
const VALUE: u128 = 1_000_000_000_000_000; // 0.001 ether

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn senders_are_relayed_at_once_through_the_operator_pool() {
    // Each sender pays its own recipient.
    let most = relay_transfers("cluster-parallel", false).await;
    assert!(
        most >= 2,
        "at most {most} Solana transaction in flight at once with {SENDERS} operators"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transactions_writing_the_same_account_go_one_at_a_time() {
    // One recipient for all: its account is written by every transfer, so a round takes one.
    let most = relay_transfers("cluster-parallel-shared", true).await;
    assert_eq!(most, 1, "transfers to one recipient in flight together");
}

/// Sends PER_SENDER transfers from each of SENDERS senders through rpc-proxy on a stand-in
/// with SENDERS operators (to one recipient when `shared`, else one each), checks that each
/// landed once, successful, in nonce order, with exact balances; returns the most Solana
/// transactions seen in flight at once.
async fn relay_transfers(name: &str, shared: bool) -> usize {
    let dir = temp_dir(name);
    let stand_in = StandIn::start_with_operators(&dir, Duration::from_millis(200), SENDERS).await;
    let url: std::ffi::OsString = stand_in.url.clone().into();
    let keys: Vec<String> = stand_in
        .operator_keys
        .iter()
        .map(|k| k.display().to_string())
        .collect();
    let mut more = Vec::new();
    for key in &keys[1..] {
        more.extend(["--operator-keypair", key.as_str()]);
    }
    let proxy = Proxy::start_remote_with(None, &url, keys[0].as_ref(), &more).await;
    // Slow landings: each relay is in flight for a while.
    let recipients: Vec<[u8; 20]> = (0..SENDERS)
        .map(|s| run_recipient(if shared { 0x90 } else { 0x91 + s as u8 }))
        .collect();
    let start_balance = proxy.balance(recipients[0]).await;
    let mut start_balances = Vec::new();
    let mut first_nonce = Vec::new();
    for (s, recipient) in recipients.iter().enumerate() {
        start_balances.push(proxy.balance(*recipient).await);
        first_nonce.push(proxy.nonce(dev_wallet(s).address, "latest").await);
    }
    stand_in.land_after(Duration::from_millis(800));

    // Count what is in flight at once while the senders send.
    let stand_in = Arc::new(stand_in);
    let most_in_flight = Arc::new(AtomicUsize::new(0));
    let sending = Arc::new(AtomicBool::new(true));
    let watch = {
        let (most, sending, watched) = (most_in_flight.clone(), sending.clone(), stand_in.clone());
        tokio::spawn(async move {
            while sending.load(Ordering::SeqCst) {
                most.fetch_max(watched.in_flight(), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    let mut tasks = Vec::new();
    for s in 0..SENDERS {
        let (client, to, base) = (proxy.client.clone(), recipients[s], first_nonce[s]);
        tasks.push(tokio::spawn(async move {
            let wallet = dev_wallet(s);
            let mut hashes = Vec::new();
            for n in base..base + PER_SENDER {
                let raw = transfer(&wallet, n, to, VALUE);
                let hash: Value = client
                    .request("eth_sendRawTransaction", rpc_params![hex(&raw)])
                    .await
                    .unwrap_or_else(|e| panic!("sender {s} nonce {n}: {e}"));
                hashes.push(hash.as_str().unwrap().to_string());
            }
            hashes
        }));
    }
    let mut sent = Vec::new();
    for t in tasks {
        sent.push(t.await.unwrap());
    }
    sending.store(false, Ordering::SeqCst);
    watch.await.unwrap();

    // Every transaction landed once, successful, in nonce order; balances exact.
    for s in 0..SENDERS {
        let mut last_block = 0;
        for (i, hash) in sent[s].iter().enumerate() {
            let receipt = proxy
                .receipt(hash, Duration::from_secs(60))
                .await
                .unwrap_or_else(|| panic!("sender {s} transaction {i}: no receipt"));
            assert_eq!(
                quantity(&receipt["status"]),
                1,
                "sender {s} transaction {i}"
            );
            let block = quantity(&receipt["blockNumber"]);
            assert!(block >= last_block, "sender {s}: out of nonce order");
            last_block = block;
        }
        let address = dev_wallet(s).address;
        assert_eq!(
            proxy.nonce(address, "latest").await,
            first_nonce[s] + PER_SENDER
        );
        if !shared {
            assert_eq!(
                proxy.balance(recipients[s]).await,
                start_balances[s] + VALUE * PER_SENDER as u128
            );
        }
    }
    if shared {
        assert_eq!(
            proxy.balance(recipients[0]).await,
            start_balance + VALUE * (PER_SENDER as u128 * SENDERS as u128)
        );
    }
    let ran = stand_in.receipts();
    for hashes in &sent {
        for hash in hashes {
            let key: [u8; 32] = alloy_primitives::hex::decode(hash)
                .unwrap()
                .try_into()
                .unwrap();
            assert_eq!(ran.get(&key).map(Vec::len), Some(1), "{hash} ran once");
        }
    }
    let most = most_in_flight.load(Ordering::SeqCst);
    eprintln!("{name}: at most {most} Solana transactions in flight at once");
    drop(proxy);
    drop(stand_in);
    std::fs::remove_dir_all(&dir).unwrap();
    most
}
