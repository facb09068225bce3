//! debug_trace* (issue 12): geth's struct logger, callTracer (nested calls, logs, reverts,
//! onlyTopCall) and prestateTracer (with diffMode), for a mined transaction (run again on the
//! state before it, the block's earlier transactions included), a call, and a whole block.

mod support;

use jsonrpsee::rpc_params;
use serde_json::{json, Value};
use support::*;

const FIRST: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const LOGGER: &str = "0x00000000000000000000000000000000000000b1";
const REVERTER: &str = "0x00000000000000000000000000000000000000b0";
const CALLER: &str = "0x00000000000000000000000000000000000000a0";
/// mstore(0, 42); log1(0, 32, 0x77); sstore(5, sload(5) + 1); return(0, 32)
const LOGGER_CODE: &str = "0x602a600052607760206000a160055460010160055560206000f3";
/// revert(0, 0)
const REVERTER_CODE: &str = "0x60006000fd";

/// call(LOGGER) into memory 0..32, call(REVERTER), return(0, 32).
fn caller_code() -> String {
    format!(
        "0x6020600060006000600073{}5af150600060206000600060007300{}5af15060206000f3",
        &LOGGER[2..],
        // PUSH20 0x00..b0: "73", then the address without its first byte after "00".
        &REVERTER[4..]
    )
}

async fn set_up(proxy: &Proxy) {
    for (address, code) in [
        (LOGGER, LOGGER_CODE.to_string()),
        (REVERTER, REVERTER_CODE.to_string()),
        (CALLER, caller_code()),
    ] {
        proxy
            .call("hardhat_setCode", rpc_params![address, code])
            .await;
    }
}

async fn send(proxy: &Proxy) -> Value {
    proxy
        .call(
            "eth_sendTransaction",
            rpc_params![json!({"from": FIRST, "to": CALLER, "gas": "0x40000"})],
        )
        .await
}

fn slot(n: u8) -> String {
    format!("0x{:064x}", n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mined_transaction_is_traced_as_geth_traces_it() {
    let proxy = Proxy::start(None).await;
    set_up(&proxy).await;
    let hash = send(&proxy).await;
    let receipt = proxy
        .receipt(hash.as_str().unwrap(), std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(receipt["status"], "0x1");

    // callTracer: the root call, the logging call with its log, the reverted one.
    let calls = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![
                hash.clone(),
                json!({"tracer": "callTracer", "tracerConfig": {"withLog": true}})
            ],
        )
        .await;
    assert_eq!(calls["type"], "CALL");
    assert_eq!(calls["to"], CALLER);
    assert_eq!(calls["gasUsed"], receipt["gasUsed"]);
    assert_eq!(calls["output"], slot(42));
    let inner = calls["calls"].as_array().unwrap();
    assert_eq!(inner.len(), 2, "{calls}");
    assert_eq!(inner[0]["to"], LOGGER);
    assert_eq!(inner[0]["output"], slot(42));
    assert_eq!(inner[0]["logs"][0]["topics"][0], slot(0x77));
    assert_eq!(inner[0]["logs"][0]["data"], slot(42));
    assert!(inner[0].get("error").is_none());
    assert_eq!(inner[1]["to"], REVERTER);
    assert_eq!(inner[1]["error"], "execution reverted");
    let top = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![
                hash.clone(),
                json!({"tracer": "callTracer", "tracerConfig": {"onlyTopCall": true}})
            ],
        )
        .await;
    assert!(top.get("calls").is_none(), "{top}");

    // The struct logger: every opcode, costs, depth, stack, the storage an SSTORE writes.
    let logs = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![hash.clone(), json!({"enableMemory": true})],
        )
        .await;
    assert_eq!(logs["failed"], false);
    assert_eq!(
        json!(format!("{:#x}", logs["gas"].as_u64().unwrap())),
        receipt["gasUsed"]
    );
    assert_eq!(logs["returnValue"], slot(42));
    let steps = logs["structLogs"].as_array().unwrap();
    assert_eq!(steps[0]["op"], "PUSH1");
    assert_eq!(steps[0]["depth"], 1);
    assert_eq!(steps[0]["gasCost"], 3);
    let log1 = steps.iter().find(|s| s["op"] == "LOG1").unwrap();
    assert_eq!(log1["depth"], 2);
    assert_eq!(log1["gasCost"], 375 + 375 + 8 * 32);
    assert_eq!(log1["memory"][0], format!("{:064x}", 42));
    let sstore = steps.iter().find(|s| s["op"] == "SSTORE").unwrap();
    assert_eq!(
        sstore["storage"][format!("{:064x}", 5)],
        format!("{:064x}", 1)
    );
    assert!(steps.iter().any(|s| s["op"] == "REVERT" && s["depth"] == 2));

    // prestateTracer: the logger's slot before (0), and with diffMode after (1).
    let pre = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![hash.clone(), json!({"tracer": "prestateTracer"})],
        )
        .await;
    assert_eq!(pre[LOGGER]["storage"][slot(5)], slot(0), "{pre}");
    assert!(pre[LOGGER]["code"].as_str().unwrap().starts_with("0x602a"));
    let diff = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![
                hash.clone(),
                json!({"tracer": "prestateTracer", "tracerConfig": {"diffMode": true}})
            ],
        )
        .await;
    assert_eq!(diff["post"][LOGGER]["storage"][slot(5)], slot(1), "{diff}");
    assert!(diff["post"][FIRST.to_lowercase()]["nonce"].is_number());

    // The block: one transaction.
    let block = proxy
        .call(
            "debug_traceBlockByNumber",
            rpc_params![
                receipt["blockNumber"].clone(),
                json!({"tracer": "callTracer"})
            ],
        )
        .await;
    assert_eq!(block[0]["txHash"], hash);
    assert_eq!(block[0]["result"]["calls"].as_array().unwrap().len(), 2);
    let by_hash = proxy
        .call(
            "debug_traceBlockByHash",
            rpc_params![
                receipt["blockHash"].clone(),
                json!({"tracer": "callTracer"})
            ],
        )
        .await;
    assert_eq!(by_hash, block);

    // A call: traced on the newest state (the slot is 1 now).
    let call = proxy
        .call(
            "debug_traceCall",
            rpc_params![
                json!({"to": CALLER}),
                "latest",
                json!({"tracer": "prestateTracer"})
            ],
        )
        .await;
    assert_eq!(call[LOGGER]["storage"][slot(5)], slot(1), "{call}");
    let message = proxy
        .error(
            "debug_traceCall",
            rpc_params![
                json!({"to": CALLER}),
                "latest",
                json!({"tracer": "4byteTracer"})
            ],
        )
        .await;
    assert!(message.contains("not supported"), "{message}");
}

/// The second transaction of a block is traced on the state the first left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_transaction_of_a_block_sees_the_earlier_ones() {
    let proxy = Proxy::start(None).await;
    set_up(&proxy).await;
    proxy.call("evm_setAutomine", rpc_params![false]).await;
    let first = send(&proxy).await;
    let second = send(&proxy).await;
    proxy.call("evm_mine", rpc_params![]).await;
    let a = proxy
        .call("eth_getTransactionReceipt", rpc_params![first])
        .await;
    let b = proxy
        .call("eth_getTransactionReceipt", rpc_params![second.clone()])
        .await;
    assert_eq!(a["blockNumber"], b["blockNumber"]);
    let pre = proxy
        .call(
            "debug_traceTransaction",
            rpc_params![second, json!({"tracer": "prestateTracer"})],
        )
        .await;
    assert_eq!(pre[LOGGER]["storage"][slot(5)], slot(1), "{pre}");
    let block = proxy
        .call(
            "debug_traceBlockByNumber",
            rpc_params![
                a["blockNumber"].clone(),
                json!({"tracer": "prestateTracer"})
            ],
        )
        .await;
    assert_eq!(block.as_array().unwrap().len(), 2);
    assert_eq!(block[0]["result"][LOGGER]["storage"][slot(5)], slot(0));
    assert_eq!(block[1]["result"][LOGGER]["storage"][slot(5)], slot(1));
}
