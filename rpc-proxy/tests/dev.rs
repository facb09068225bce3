//! The development methods (issue 12), as Hardhat's network helpers and anvil's users call them,
//! against the embedded chain: state written by the setters is what the program then runs on;
//! snapshots put back state, blocks and receipts; automine off gathers transactions into one
//! block; the clock moves as `evm_increaseTime`, `evm_setNextBlockTimestamp` and `hardhat_mine`
//! say; a reset returns to genesis.

mod support;

use jsonrpsee::rpc_params;
use serde_json::{json, Value};
use support::*;

const FIRST: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const SECOND: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

fn number(v: &Value) -> u64 {
    quantity(v) as u64
}

async fn latest_block(proxy: &Proxy) -> Value {
    proxy
        .call("eth_getBlockByNumber", rpc_params!["latest", false])
        .await
}

async fn send(proxy: &Proxy, from: &str, to: &str, value: &str) -> Value {
    proxy
        .call(
            "eth_sendTransaction",
            rpc_params![json!({"from": from, "to": to, "value": value})],
        )
        .await
}

/// Code that adds one to storage slot 0x100 and stores it in slot 0x101:
/// `SLOAD(0x100) + 1 -> SSTORE(0x101)`, then returns nothing.
const INCREMENT: &str = "0x6101005460010161010155";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setters_write_state_the_program_runs_on() {
    let proxy = Proxy::start(None).await;
    let contract = "0x00000000000000000000000000000000000c0de1";
    let fresh = "0x00000000000000000000000000000000000000f5";
    let value = format!("0x{:064x}", 41);

    assert_eq!(
        proxy
            .call("hardhat_setCode", rpc_params![contract, INCREMENT])
            .await,
        true
    );
    proxy
        .call(
            "hardhat_setStorageAt",
            rpc_params![contract, "0x100", value],
        )
        .await;
    // An inline slot (the account's own) and a cell beyond them.
    proxy
        .call(
            "anvil_setStorageAt",
            rpc_params![contract, "0x3", format!("0x{:064x}", 7)],
        )
        .await;
    assert_eq!(
        proxy
            .call("eth_getCode", rpc_params![contract, "latest"])
            .await,
        INCREMENT
    );
    assert_eq!(
        number(
            &proxy
                .call("eth_getStorageAt", rpc_params![contract, "0x3", "latest"])
                .await
        ),
        7
    );

    // A transaction through the program reads and writes what the setters wrote.
    let hash = send(&proxy, FIRST, contract, "0x0").await;
    let receipt = proxy.receipt(hash.as_str().unwrap(), LIMIT).await.unwrap();
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    assert_eq!(
        number(
            &proxy
                .call("eth_getStorageAt", rpc_params![contract, "0x101", "latest"])
                .await
        ),
        42
    );

    // A balance set on a fresh address pays for a transfer, and the nonce set is its next.
    proxy
        .call(
            "hardhat_setBalance",
            rpc_params![fresh, "0x3635c9adc5dea00000"],
        )
        .await;
    proxy
        .call("hardhat_setNonce", rpc_params![fresh, "0x9"])
        .await;
    assert_eq!(
        proxy
            .call("eth_getBalance", rpc_params![fresh, "latest"])
            .await,
        "0x3635c9adc5dea00000"
    );
    assert_eq!(proxy.nonce(parse(fresh), "latest").await, 9);
    proxy
        .call("hardhat_setBalance", rpc_params![SECOND, "0x0"])
        .await;
    assert_eq!(proxy.balance(parse(SECOND)).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revert_puts_back_state_blocks_and_receipts() {
    let proxy = Proxy::start(None).await;
    let to = "0x00000000000000000000000000000000000000aa";
    send(&proxy, FIRST, to, "0x1").await;
    let id = proxy.call("evm_snapshot", rpc_params![]).await;
    let block = number(&proxy.call("eth_blockNumber", rpc_params![]).await);
    let timestamp = number(&latest_block(&proxy).await["timestamp"]);

    let later = send(&proxy, FIRST, to, "0x2").await;
    proxy
        .call("hardhat_setBalance", rpc_params![to, "0x64"])
        .await;
    proxy.call("evm_increaseTime", rpc_params![86_400]).await;
    proxy.call("hardhat_mine", rpc_params!["0x10"]).await;
    assert_eq!(proxy.balance(parse(to)).await, 100);

    assert_eq!(
        proxy.call("evm_revert", rpc_params![id.clone()]).await,
        true
    );
    assert_eq!(proxy.balance(parse(to)).await, 1);
    assert_eq!(proxy.nonce(parse(FIRST), "latest").await, 1);
    assert_eq!(
        number(&proxy.call("eth_blockNumber", rpc_params![]).await),
        block
    );
    assert_eq!(
        proxy
            .call("eth_getTransactionReceipt", rpc_params![later])
            .await,
        Value::Null
    );
    // The clock's offset went back with it: the next block is near the wall clock again.
    let hash = send(&proxy, FIRST, to, "0x3").await;
    let receipt = proxy.receipt(hash.as_str().unwrap(), LIMIT).await.unwrap();
    assert_eq!(receipt["status"], "0x1");
    let next = number(&latest_block(&proxy).await["timestamp"]);
    assert!(
        next >= timestamp && next < timestamp + 3_600,
        "{timestamp} {next}"
    );
    // A snapshot is used up by its revert.
    assert_eq!(proxy.call("evm_revert", rpc_params![id]).await, false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automine_off_gathers_transactions_into_the_mined_block() {
    let proxy = Proxy::start(None).await;
    let to = "0x00000000000000000000000000000000000000bb";
    proxy.call("evm_setAutomine", rpc_params![false]).await;
    assert_eq!(
        proxy.call("hardhat_getAutomine", rpc_params![]).await,
        false
    );
    let before = number(&proxy.call("eth_blockNumber", rpc_params![]).await);
    let mut hashes = Vec::new();
    for (from, value) in [(FIRST, "0x1"), (FIRST, "0x2"), (SECOND, "0x4")] {
        hashes.push(send(&proxy, from, to, value).await);
    }
    // Waiting, not mined: the pending nonce counts them, the state does not.
    assert_eq!(proxy.nonce(parse(FIRST), "pending").await, 2);
    assert_eq!(proxy.balance(parse(to)).await, 0);
    // One dropped before mining never runs.
    let dropped = send(&proxy, SECOND, to, "0x8").await;
    assert_eq!(
        proxy
            .call("hardhat_dropTransaction", rpc_params![dropped])
            .await,
        true
    );

    // eth_estimateGas runs on the pending state, as the Hardhat node's: an address funded only
    // by a waiting transaction can pay; at `latest` it cannot.
    let fresh = "0x00000000000000000000000000000000000000f6";
    hashes.push(send(&proxy, FIRST, fresh, "0xde0b6b3a7640000").await);
    let spend = json!({"from": fresh, "to": to, "value": "0x1"});
    assert_eq!(
        proxy
            .call("eth_estimateGas", rpc_params![spend.clone()])
            .await,
        "0x5208"
    );
    let refused = proxy
        .error("eth_estimateGas", rpc_params![spend, "latest"])
        .await;
    assert!(refused.contains("insufficient funds"), "{refused}");

    proxy.call("evm_mine", rpc_params![]).await;
    let block = latest_block(&proxy).await;
    assert_eq!(number(&block["number"]), before + 1);
    let mut included: Vec<Value> = block["transactions"].as_array().unwrap().clone();
    included.sort_by_key(|h| h.to_string());
    hashes.sort_by_key(|h| h.to_string());
    assert_eq!(included, hashes);
    assert_eq!(proxy.balance(parse(to)).await, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_moves_as_told() {
    let proxy = Proxy::start(None).await;
    proxy.call("evm_mine", rpc_params![]).await;
    let start = number(&latest_block(&proxy).await["timestamp"]);

    proxy.call("evm_increaseTime", rpc_params![3_600]).await;
    proxy.call("evm_mine", rpc_params![]).await;
    let after = number(&latest_block(&proxy).await["timestamp"]);
    // An hour more than the wall clock: the start block may itself have been a second ahead of
    // it (each block at least a second after the one before).
    assert!(
        after >= start + 3_599 && after < start + 3_700,
        "{start} {after}"
    );

    let exact = after + 1_000_000;
    proxy
        .call("evm_setNextBlockTimestamp", rpc_params![exact])
        .await;
    proxy.call("evm_mine", rpc_params![]).await;
    assert_eq!(number(&latest_block(&proxy).await["timestamp"]), exact);
    let message = proxy
        .error("evm_setNextBlockTimestamp", rpc_params![exact - 1])
        .await;
    assert!(message.contains("lower than previous"), "{message}");

    // A thousand blocks a minute apart, at once.
    let number_before = number(&proxy.call("eth_blockNumber", rpc_params![]).await);
    proxy
        .call("hardhat_mine", rpc_params!["0x3e8", "0x3c"])
        .await;
    let block = latest_block(&proxy).await;
    assert_eq!(number(&block["number"]), number_before + 1_000);
    let first_of_them = number(&block["timestamp"]) - 999 * 60;
    assert!(first_of_them >= exact && first_of_them < exact + 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_returns_to_genesis() {
    let proxy = Proxy::start(None).await;
    let to = "0x00000000000000000000000000000000000000cc";
    send(&proxy, FIRST, to, "0x5").await;
    proxy.call("hardhat_setCode", rpc_params![to, "0x00"]).await;
    proxy.call("hardhat_mine", rpc_params!["0x20"]).await;
    proxy.call("hardhat_reset", rpc_params![]).await;
    assert_eq!(
        number(&proxy.call("eth_blockNumber", rpc_params![]).await),
        1
    );
    assert_eq!(proxy.balance(parse(to)).await, 0);
    assert_eq!(proxy.nonce(parse(FIRST), "latest").await, 0);
    assert_eq!(
        proxy.call("eth_getCode", rpc_params![to, "latest"]).await,
        "0x"
    );
    assert_eq!(
        proxy.balance(parse(FIRST)).await,
        10_000_000_000_000_000_000_000
    );
    // The chain runs on from there.
    let hash = send(&proxy, FIRST, to, "0x5").await;
    let receipt = proxy.receipt(hash.as_str().unwrap(), LIMIT).await.unwrap();
    assert_eq!(receipt["status"], "0x1");
}

/// `hardhat_impersonateAccount`: eth_sendTransaction sends as an address whose key the node
/// does not hold, one with code too (a contract acting as itself); refused before and after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impersonated_account_sends_without_its_key() {
    let proxy = Proxy::start(None).await;
    let contract = "0x00000000000000000000000000000000000c0de2";
    let to = "0x00000000000000000000000000000000000000dd";
    proxy
        .call("hardhat_setCode", rpc_params![contract, "0x00"])
        .await;
    proxy
        .call(
            "hardhat_setBalance",
            rpc_params![contract, "0xde0b6b3a7640000"],
        )
        .await;
    let request = json!({"from": contract, "to": to, "value": "0x9"});
    let refused = proxy
        .error("eth_sendTransaction", rpc_params![request.clone()])
        .await;
    assert!(refused.contains("no signer"), "{refused}");

    proxy
        .call("hardhat_impersonateAccount", rpc_params![contract])
        .await;
    let hash = proxy
        .call("eth_sendTransaction", rpc_params![request.clone()])
        .await;
    let receipt = proxy.receipt(hash.as_str().unwrap(), LIMIT).await.unwrap();
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    assert_eq!(receipt["from"], contract);
    assert_eq!(proxy.balance(parse(to)).await, 9);
    let tx = proxy
        .call("eth_getTransactionByHash", rpc_params![hash.clone()])
        .await;
    assert_eq!(tx["hash"], hash);
    assert_eq!(tx["from"], contract);

    proxy
        .call("hardhat_stopImpersonatingAccount", rpc_params![contract])
        .await;
    let refused = proxy
        .error("eth_sendTransaction", rpc_params![request])
        .await;
    assert!(refused.contains("no signer"), "{refused}");
}

/// web3_clientVersion starts with `anvil` (Hardhat's network helpers accept such a node) and
/// says what it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_version_lets_development_tools_in() {
    let proxy = Proxy::start(None).await;
    let version = proxy.call("web3_clientVersion", rpc_params![]).await;
    let version = version.as_str().unwrap();
    assert!(version.starts_with("anvil/"), "{version}");
    assert!(version.contains("isthmus-rpc-proxy"), "{version}");
}

const LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

fn parse(address: &str) -> [u8; 20] {
    let digits = address.trim_start_matches("0x");
    let mut out = [0u8; 20];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

/// Returns NUMBER and TIMESTAMP (two words).
const BLOCK_INFO: &str = "0x435f524260205260405ff3";

/// eth_call at `latest` runs in the newest block (NUMBER and TIMESTAMP are its own, as geth,
/// anvil and the Hardhat node answer: a contract's `clock()` equals the latest block number),
/// at `pending` in the next; blocks mined within one second are a second apart (OpenZeppelin's
/// Votes require `timepoint < block.timestamp` one block later). Both found by OpenZeppelin's
/// suite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_run_in_the_latest_block_and_blocks_move_time_forward() {
    let proxy = Proxy::start(None).await;
    let at = "0x0000000000000000000000000000000000007007";
    proxy
        .call("hardhat_setCode", rpc_params![at, BLOCK_INFO])
        .await;
    send(&proxy, FIRST, SECOND, "0x1").await;
    let info = |v: Value| {
        let s = v.as_str().unwrap().trim_start_matches("0x").to_string();
        (
            u64::from_str_radix(&s[48..64], 16).unwrap(),
            u64::from_str_radix(&s[112..128], 16).unwrap(),
        )
    };
    let latest = latest_block(&proxy).await;
    let called = info(
        proxy
            .call("eth_call", rpc_params![json!({"to": at}), "latest"])
            .await,
    );
    assert_eq!(
        called,
        (number(&latest["number"]), number(&latest["timestamp"]))
    );
    let pending = info(
        proxy
            .call("eth_call", rpc_params![json!({"to": at}), "pending"])
            .await,
    );
    assert_eq!(pending.0, called.0 + 1);

    // BLOCKHASH over the whole window, to its oldest block (NUMBER - 256) included.
    proxy.call("hardhat_mine", rpc_params!["0x12c"]).await;
    let oldest = "0x0000000000000000000000000000000000007008";
    // PUSH2 256 NUMBER SUB BLOCKHASH PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
    proxy
        .call(
            "hardhat_setCode",
            rpc_params![oldest, "0x6101004303405f5260205ff3"],
        )
        .await;
    let latest = number(&latest_block(&proxy).await["number"]);
    let hash = proxy
        .call("eth_call", rpc_params![json!({"to": oldest}), "latest"])
        .await;
    let block = proxy
        .call(
            "eth_getBlockByNumber",
            rpc_params![format!("{:#x}", latest - 256), false],
        )
        .await;
    assert_eq!(hash, block["hash"], "BLOCKHASH(latest - 256)");

    // Blocks mined at once: each a second after the one before.
    let mut times = Vec::new();
    for _ in 0..3 {
        proxy.call("evm_mine", rpc_params![]).await;
        times.push(number(&latest_block(&proxy).await["timestamp"]));
    }
    assert!(
        times.windows(2).all(|w| w[1] > w[0]),
        "timestamps {times:?}"
    );
}
