//! EIP-2537's PAIRING_CHECK over more pairs than one Solana transaction computes, through the
//! node: eth_call answers as the chain does (the emulator runs the same job of syscall chunks,
//! `ProgramCrypto::runs_stepped`), and the relayed transaction (15 KB of calldata: a holder,
//! then `step`s with the job paused between them) lands with the estimated gas.

mod support;

use jsonrpsee::rpc_params;
use serde_json::json;
use support::*;

const PAIRING_CHECK: &str = "0x000000000000000000000000000000000000000f";
const G1_X: &str = "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
const G1_Y: &str = "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
/// p - G1_Y: the y of -G1.
const NEG_G1_Y: &str = "114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";
const G2: [&str; 4] = [
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
    "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be",
];

/// A field element as EIP-2537 pads it to 64 bytes.
fn fp(hex48: &str) -> String {
    format!("{:0>128}", hex48)
}

/// One pair (G1 point, G2 generator), hex without 0x.
fn pair(g1_y: &str) -> String {
    let g2: String = G2.iter().map(|c| fp(c)).collect();
    format!("{}{}{g2}", fp(G1_X), fp(g1_y))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forty_pair_pairing_check_answers_and_lands_as_on_chain() {
    let proxy = Proxy::start(None).await;
    let wallet = dev_wallet(0);
    let from = hex(&wallet.address);
    // e(G1, G2) · e(-G1, G2), twenty times: 1. e(G1, G2) forty times: not 1 (r is prime).
    let one_input = format!("0x{}", (pair(G1_Y) + &pair(NEG_G1_Y)).repeat(20));
    let not_one_input = format!("0x{}", pair(G1_Y).repeat(40));
    let call = |data: &str| json!({"from": from, "to": PAIRING_CHECK, "data": data});
    let word = |v: u8| json!(format!("0x{:064x}", v));
    assert_eq!(
        proxy
            .call("eth_call", rpc_params![call(&one_input), "latest"])
            .await,
        word(1)
    );
    assert_eq!(
        proxy
            .call("eth_call", rpc_params![call(&not_one_input), "latest"])
            .await,
        word(0)
    );

    // The transaction itself calls the precompile: 37,700 + 32,600 per pair on top of the
    // intrinsic gas.
    let estimate = quantity(
        &proxy
            .call("eth_estimateGas", rpc_params![call(&one_input)])
            .await,
    ) as u64;
    assert!(estimate > 21_000 + 37_700 + 32_600 * 40, "{estimate}");
    let data = alloy_primitives::hex::decode(&one_input[2..]).unwrap();
    let mut to = [0u8; 20];
    to[19] = 0x0f;
    let receipt = proxy
        .send_and_wait(
            &wallet,
            to,
            data,
            estimate,
            std::time::Duration::from_secs(120),
        )
        .await;
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(quantity(&receipt["gasUsed"]) as u64, estimate);
}
