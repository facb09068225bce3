//! EIP-2935 on an Osaka chain: the history contract's address has the EIP's code and answers
//! `get(n)` with the hash BLOCKHASH gives for block n, served from the chain's block hashes; both
//! are the hash eth_getBlockByNumber reports for n.

mod support;

use jsonrpsee::rpc_params;
use serde_json::json;
use support::*;

const HISTORY: &str = "0x0000f90827f1c53a10cb7a02335b175320002935";
/// `mstore(0, blockhash(calldataload(0))); return(0, 32)`.
const BLOCKHASH_OF_ARG: &str = "0x5f35405f5260205ff3";
const PROBE_AT: &str = "0x0000000000000000000000000000000000005201";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_contract_answers_blockhash() {
    let proxy = Proxy::start(None).await;
    let code = proxy
        .call("eth_getCode", rpc_params![HISTORY, "latest"])
        .await;
    assert_eq!(
        code.as_str().unwrap(),
        hex(&isthmus_evm::history::HISTORY_CODE)
    );
    proxy
        .call("hardhat_setCode", rpc_params![PROBE_AT, BLOCKHASH_OF_ARG])
        .await;
    for _ in 0..3 {
        proxy.call("evm_mine", rpc_params![]).await;
    }
    let latest = quantity(&proxy.call("eth_blockNumber", rpc_params![]).await) as u64;
    let number = format!("0x{:064x}", latest - 1);
    let from_history = proxy
        .call(
            "eth_call",
            rpc_params![json!({"to": HISTORY, "data": number}), "latest"],
        )
        .await;
    let from_blockhash = proxy
        .call(
            "eth_call",
            rpc_params![json!({"to": PROBE_AT, "data": number}), "latest"],
        )
        .await;
    assert_eq!(from_history, from_blockhash);
    // Both are the hash eth_getBlockByNumber gives that block.
    let block = proxy
        .call(
            "eth_getBlockByNumber",
            rpc_params![format!("{:#x}", latest - 1), false],
        )
        .await;
    assert_eq!(block["hash"], from_history);
    assert_ne!(
        from_history.as_str().unwrap(),
        format!("0x{}", "0".repeat(64))
    );
    // The current block is outside the window: the EIP's code reverts.
    let current = format!("0x{latest:064x}");
    let refused = proxy
        .try_call(
            "eth_call",
            rpc_params![json!({"to": HISTORY, "data": current}), "latest"],
        )
        .await;
    assert!(refused.is_err(), "{refused:?}");
}
