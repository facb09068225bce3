//! What a public endpoint needs (issue 12): browsers from other origins are answered (CORS), a
//! batch over the limit (1,000, geth's) is refused whole, and a call that does not end is cut at
//! the timeout.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use support::*;

/// One HTTP/1.1 exchange with the proxy: the response's head (lower-cased) and body.
fn http(url: &str, request_head: &str, body: &str) -> (String, String) {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!(
        "{request_head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.to_lowercase(), body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_origins_are_answered_and_batches_are_bounded() {
    let proxy = Proxy::start(None).await;
    let url = proxy.url.clone();
    tokio::task::spawn_blocking(move || {
        // A browser's preflight, then its request.
        let (head, _) = http(
            &url,
            "OPTIONS / HTTP/1.1\r\nOrigin: http://dapp.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type",
            "",
        );
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("access-control-allow-origin: *"), "{head}");
        let call = r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#;
        let (head, body) = http(
            &url,
            "POST / HTTP/1.1\r\nOrigin: http://dapp.example\r\nContent-Type: application/json",
            call,
        );
        assert!(head.contains("access-control-allow-origin: *"), "{head}");
        assert!(body.contains("\"result\":\"0x539\""), "{body}");

        let batch = |n: usize| format!("[{}]", vec![call; n].join(","));
        let post = "POST / HTTP/1.1\r\nContent-Type: application/json";
        let (_, body) = http(&url, post, &batch(1_000));
        let answers: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answers.as_array().map(Vec::len), Some(1_000));
        let (_, body) = http(&url, post, &batch(1_001));
        let refused: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(refused["error"]["code"], -32010, "{body}");
        assert!(refused["error"]["data"].to_string().contains("1000"), "{body}");
    })
    .await
    .unwrap();
}

/// A contract that loops until its gas runs out, called with 30M gas: cut at the timeout
/// (`--rpc-evmtimeout 0.001`: a millisecond; the loop runs ~7.5M opcodes) with geth's error, while a short call still answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_that_runs_too_long_is_aborted_at_the_timeout() {
    let proxy = Proxy::start_with(&["--rpc-evmtimeout", "0.001"]).await;
    // Runtime `JUMPDEST PUSH1 0 JUMP`, deployed by initcode that copies it out.
    let runtime = [0x5b, 0x60, 0x00, 0x56];
    let mut initcode = vec![
        0x60, 4, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3,
    ];
    initcode.extend_from_slice(&runtime);
    let wallet = dev_wallet(0);
    let nonce = proxy.nonce(wallet.address, "latest").await;
    let raw = sign(
        &wallet,
        &isthmus_test_support::tx1559(CHAIN_ID, nonce, None, 0, initcode, 200_000),
    );
    let hash = proxy
        .call("eth_sendRawTransaction", jsonrpsee::rpc_params![hex(&raw)])
        .await;
    let receipt = proxy
        .call("eth_getTransactionReceipt", jsonrpsee::rpc_params![hash])
        .await;
    let contract = receipt["contractAddress"].as_str().unwrap().to_string();
    let started = std::time::Instant::now();
    let message = proxy
        .error(
            "eth_call",
            jsonrpsee::rpc_params![
                serde_json::json!({"to": contract, "gas": "0x1c9c380"}),
                "latest"
            ],
        )
        .await;
    assert!(message.contains("timeout"), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let chain_id = proxy.call("eth_chainId", jsonrpsee::rpc_params![]).await;
    assert_eq!(chain_id, "0x539");
}

/// `--rpc-gascap`: calls run with at most that gas, whatever they ask for, as geth's
/// `--rpc.gascap`: a loop runs out of gas at the cap, asked for more or not; a transfer's
/// estimate is untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_are_held_to_the_gas_cap() {
    let proxy = Proxy::start_with(&["--rpc-gascap", "100000"]).await;
    let looping = "0x00000000000000000000000000000000000100f5";
    // `JUMPDEST PUSH1 0 JUMP`: loops until its gas runs out.
    proxy
        .call(
            "hardhat_setCode",
            jsonrpsee::rpc_params![looping, "0x5b600056"],
        )
        .await;
    let message = proxy
        .error(
            "eth_call",
            jsonrpsee::rpc_params![
                serde_json::json!({"to": looping, "gas": "0x1c9c380"}),
                "latest"
            ],
        )
        .await;
    assert!(
        message.contains("gas required exceeds allowance (100000)"),
        "{message}"
    );
    let message = proxy
        .error(
            "eth_estimateGas",
            jsonrpsee::rpc_params![serde_json::json!({"to": looping}), "latest"],
        )
        .await;
    assert!(message.contains("100000"), "{message}");
    let plain = proxy
        .call(
            "eth_estimateGas",
            jsonrpsee::rpc_params![serde_json::json!({
                "from": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                "to": "0x00000000000000000000000000000000000000e1",
                "value": "0x1"
            })],
        )
        .await;
    assert_eq!(plain, "0x5208");
}

/// `--rpc-max-response-mib`: a response over the limit is refused (-32008), not sent; a small
/// one on the same node is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_response_is_refused() {
    let proxy = Proxy::start_with(&["--rpc-max-response-mib", "1"]).await;
    let big = "0x00000000000000000000000000000000000200f5";
    // return(0, 0x200000): two MiB of zeros, four of hex.
    proxy
        .call(
            "hardhat_setCode",
            jsonrpsee::rpc_params![big, "0x622000006000f3"],
        )
        .await;
    match proxy
        .try_call(
            "eth_call",
            jsonrpsee::rpc_params![serde_json::json!({"to": big}), "latest"],
        )
        .await
    {
        Err(jsonrpsee::core::client::Error::Call(e)) => assert_eq!(e.code(), -32008, "{e}"),
        other => panic!("expected -32008, got {other:?}"),
    }
    let chain_id = proxy.call("eth_chainId", jsonrpsee::rpc_params![]).await;
    assert_eq!(chain_id, "0x539");
}
