//! The mempool through eth_sendRawTransaction: each kind of bad transaction gets geth's error and
//! changes nothing; a nonce gap waits; a replacement needs a 10% higher fee.

mod support;

use isthmus_evm::env::TxKind;
use isthmus_evm::{TxEnv, U256};
use isthmus_test_support::tx1559;
use jsonrpsee::rpc_params;
use std::time::Duration;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_transactions_are_refused_and_change_nothing() {
    let proxy = Proxy::start(None).await;
    let wallet = dev_wallet(0);
    let to = [0x42; 20];
    let balance = proxy.balance(wallet.address).await;
    let send = |raw: Vec<u8>| {
        let proxy = &proxy;
        async move {
            proxy
                .error("eth_sendRawTransaction", rpc_params![hex(&raw)])
                .await
        }
    };

    let mut wrong_chain = tx1559(CHAIN_ID + 1, 0, Some(to), 1, vec![], 21_000);
    assert_eq!(
        send(sign(&wallet, &wrong_chain)).await,
        "invalid chain id for signer: have 1338 want 1337"
    );
    wrong_chain.kind = TxKind::Legacy;
    wrong_chain.chain_id = None;
    wrong_chain.gas_priority_fee = None;
    assert_eq!(
        send(sign(&wallet, &wrong_chain)).await,
        "only replay-protected (EIP-155) transactions allowed over RPC"
    );

    let mut cheap = tx1559(CHAIN_ID, 0, Some(to), 1, vec![], 21_000);
    cheap.gas_price = U256::from(500_000_000u64);
    cheap.gas_priority_fee = Some(U256::ZERO);
    assert!(send(sign(&wallet, &cheap))
        .await
        .starts_with("max fee per gas less than block base fee"));

    // Its whole balance plus gas.
    let everything = tx1559(CHAIN_ID, 0, Some(to), balance, vec![], 21_000);
    assert!(send(sign(&wallet, &everything))
        .await
        .starts_with("insufficient funds for gas * price + value"));

    let huge = tx1559(CHAIN_ID, 0, Some(to), 0, vec![1; 130 * 1024], 29_000_000);
    assert!(send(sign(&wallet, &huge))
        .await
        .starts_with("oversized data"));

    let over = tx1559(CHAIN_ID, 0, Some(to), 0, vec![], 31_000_000);
    assert_eq!(send(sign(&wallet, &over)).await, "exceeds block gas limit");

    let low_gas = tx1559(CHAIN_ID, 0, Some(to), 0, vec![], 20_000);
    assert!(send(sign(&wallet, &low_gas))
        .await
        .starts_with("intrinsic gas too low: have 20000, want 21000"));

    let mut malformed = sign(&wallet, &tx1559(CHAIN_ID, 0, Some(to), 1, vec![], 21_000));
    malformed.truncate(malformed.len() - 3);
    assert!(send(malformed)
        .await
        .starts_with("transaction could not be decoded"));
    assert!(send(vec![0xc0])
        .await
        .starts_with("transaction could not be decoded"));

    let mut bad_signature = sign(&wallet, &tx1559(CHAIN_ID, 0, Some(to), 1, vec![], 21_000));
    let n = bad_signature.len();
    bad_signature[n - 1] ^= 0xff; // s changed: another (or no) sender
    let e = send(bad_signature).await;
    assert!(
        e.starts_with("invalid sender") || e.starts_with("insufficient funds"),
        "{e}"
    );

    // Nothing changed.
    assert_eq!(proxy.balance(wallet.address).await, balance);
    assert_eq!(proxy.nonce(wallet.address, "pending").await, 0);
    assert_eq!(
        quantity(&proxy.call("eth_blockNumber", rpc_params![]).await),
        1
    );

    // One good transfer, then the same again and one with its nonce.
    let good = transfer(&wallet, 0, to, 5);
    let hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&good)])
        .await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), Duration::from_secs(30))
        .await
        .unwrap();
    // The state at the block before and at the block of the transfer (archive queries).
    let block = quantity(&receipt["blockNumber"]);
    let balance_at = |n: u128| {
        let proxy = &proxy;
        async move {
            quantity(
                &proxy
                    .call("eth_getBalance", rpc_params![hex(&to), format!("{n:#x}")])
                    .await,
            )
        }
    };
    assert_eq!(balance_at(block - 1).await, 0);
    assert_eq!(balance_at(block).await, 5);
    assert_eq!(send(good.clone()).await, "already known");
    assert_eq!(
        send(transfer(&wallet, 0, to, 6)).await,
        "nonce too low: next nonce 1, tx nonce 0"
    );
    assert_eq!(proxy.balance(to).await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_waits_and_a_replacement_needs_a_higher_fee() {
    let proxy = Proxy::start(None).await;
    let wallet = dev_wallet(1);
    let to = [0x43; 20];
    let later = |nonce: u64, value: u128, fee: u64| -> TxEnv {
        let mut tx = tx1559(CHAIN_ID, nonce, Some(to), value, vec![], 21_000);
        tx.gas_price = U256::from(fee);
        tx.gas_priority_fee = Some(U256::from(fee / 2));
        tx
    };
    let second = sign(&wallet, &later(1, 10, 2_000_000_000));
    let second_hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&second)])
        .await;
    // Waiting: visible, not mined, not counted.
    let tx = proxy
        .call("eth_getTransactionByHash", rpc_params![second_hash.clone()])
        .await;
    assert!(tx["blockHash"].is_null());
    assert_eq!(quantity(&tx["nonce"]), 1);
    assert!(proxy
        .call(
            "eth_getTransactionReceipt",
            rpc_params![second_hash.clone()]
        )
        .await
        .is_null());
    assert_eq!(proxy.nonce(wallet.address, "pending").await, 0);

    // Replacing it: 5% more is not enough, 10% is.
    let e = proxy
        .error(
            "eth_sendRawTransaction",
            rpc_params![hex(&sign(&wallet, &later(1, 11, 2_100_000_000)))],
        )
        .await;
    assert_eq!(e, "replacement transaction underpriced");
    let replacement = sign(&wallet, &later(1, 12, 2_200_000_000));
    let replacement_hash = proxy
        .call("eth_sendRawTransaction", rpc_params![hex(&replacement)])
        .await;
    assert!(proxy
        .call("eth_getTransactionByHash", rpc_params![second_hash.clone()])
        .await
        .is_null());

    // Filling the gap lands both, the replacement's value.
    proxy
        .call(
            "eth_sendRawTransaction",
            rpc_params![hex(&sign(&wallet, &later(0, 1, 2_000_000_000)))],
        )
        .await;
    let receipt = proxy
        .receipt(replacement_hash.as_str().unwrap(), Duration::from_secs(30))
        .await
        .expect("the replacement lands");
    assert_eq!(quantity(&receipt["status"]), 1);
    assert_eq!(proxy.balance(to).await, 13);
    assert_eq!(proxy.nonce(wallet.address, "latest").await, 2);
}
