//! EIP-7951's P256VERIFY through the node: the program runs it as a job over several `step`s,
//! and eth_call, eth_estimateGas and the relayed transaction give the answer and the gas the
//! chain does (the emulator runs the same job, `ProgramCrypto::runs_stepped`).

mod support;

use jsonrpsee::rpc_params;
use serde_json::json;
use support::*;

const P256VERIFY: &str = "0x0000000000000000000000000000000000000100";
/// revm's `ok_1` vector (hash, r, s, x, y): a valid signature.
const VALID: &str = "0x4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";
/// The same with the hash's first byte changed: not a valid signature.
const WRONG_HASH: &str = "0x4dee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p256verify_answers_and_costs_as_on_chain() {
    let proxy = Proxy::start(None).await;
    let wallet = dev_wallet(0);
    let from = hex(&wallet.address);
    let one = format!("0x{:064x}", 1);
    let call = |data: &str| json!({"from": from, "to": P256VERIFY, "data": data});
    assert_eq!(
        proxy
            .call("eth_call", rpc_params![call(VALID), "latest"])
            .await,
        json!(one)
    );
    assert_eq!(
        proxy
            .call("eth_call", rpc_params![call(WRONG_HASH), "latest"])
            .await,
        json!("0x")
    );

    // The transaction itself calls the precompile: 21,000, the calldata, and 6,900.
    let estimate = quantity(
        &proxy
            .call("eth_estimateGas", rpc_params![call(VALID)])
            .await,
    ) as u64;
    let data = alloy_primitives::hex::decode(VALID.trim_start_matches("0x")).unwrap();
    let nonzero = data.iter().filter(|&&b| b != 0).count() as u64;
    let calldata = 16 * nonzero + 4 * (data.len() as u64 - nonzero);
    assert_eq!(estimate, 21_000 + calldata + 6_900);
    let mut to = [0u8; 20];
    to[18] = 1;
    let receipt = proxy
        .send_and_wait(
            &wallet,
            to,
            data,
            estimate,
            std::time::Duration::from_secs(60),
        )
        .await;
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(quantity(&receipt["gasUsed"]) as u64, estimate);
}
