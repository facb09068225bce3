//! The node's accounts (issue 12): eth_accounts lists the ten development accounts, and the node
//! signs for them: eth_sendTransaction (nonce, gas and fees filled in), eth_signTransaction,
//! eth_sign / personal_sign (EIP-191) and eth_signTypedData_v4 (EIP-712).

mod support;

use alloy_primitives::{b256, Address, Signature};
use jsonrpsee::rpc_params;
use serde_json::json;
use support::*;

fn signature(v: &serde_json::Value) -> Signature {
    let hex = v.as_str().unwrap().trim_start_matches("0x");
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    Signature::try_from(&bytes[..]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_signs_for_its_development_accounts() {
    let proxy = Proxy::start(None).await;
    let accounts = proxy.call("eth_accounts", rpc_params![]).await;
    let accounts: Vec<Address> = serde_json::from_value(accounts).unwrap();
    assert_eq!(accounts.len(), 10);
    let first = accounts[0];
    assert_eq!(
        first,
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
            .parse::<Address>()
            .unwrap()
    );

    // A transfer with only from, to and value: the node fills in the rest and signs.
    let to = [0x5a; 20];
    let before = proxy.balance(to).await;
    let hash = proxy
        .call(
            "eth_sendTransaction",
            rpc_params![
                json!({"from": first, "to": Address::from(to), "value": "0xde0b6b3a7640000"})
            ],
        )
        .await;
    let receipt = proxy
        .call("eth_getTransactionReceipt", rpc_params![hash.clone()])
        .await;
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(
        receipt["from"].as_str().unwrap().to_lowercase(),
        format!("{first:#x}")
    );
    assert_eq!(proxy.balance(to).await - before, 1_000_000_000_000_000_000);

    // eth_signTransaction: the raw transaction, from that account, with the next nonce.
    let raw = proxy
        .call(
            "eth_signTransaction",
            rpc_params![json!({"from": first, "to": Address::from(to), "value": "0x1"})],
        )
        .await;
    let raw = raw.as_str().unwrap().trim_start_matches("0x");
    let raw: Vec<u8> = (0..raw.len() / 2)
        .map(|i| u8::from_str_radix(&raw[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut signed = isthmus_evm::transaction::decode(&raw, &isthmus_evm::HostCrypto).unwrap();
    let sender = signed.recover_sender(&isthmus_evm::HostCrypto).unwrap();
    assert_eq!(Address::from(sender), first);
    assert_eq!(
        signed.tx.nonce,
        proxy.nonce(first.into_array(), "latest").await
    );

    // EIP-191, both argument orders.
    let message = b"hello isthmus";
    let by_eth_sign = proxy
        .call(
            "eth_sign",
            rpc_params![
                first,
                format!("0x{}", hex(message).trim_start_matches("0x"))
            ],
        )
        .await;
    let by_personal = proxy
        .call("personal_sign", rpc_params![hex(message), first])
        .await;
    assert_eq!(by_eth_sign, by_personal);
    assert_eq!(
        signature(&by_personal)
            .recover_address_from_msg(message)
            .unwrap(),
        first
    );

    // EIP-712: the specification's Mail example, whose signing hash is known.
    let mail = json!({
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}
            ],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [
                {"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                {"name": "contents", "type": "string"}
            ]
        },
        "primaryType": "Mail",
        "domain": {
            "name": "Ether Mail", "version": "1", "chainId": 1,
            "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
        },
        "message": {
            "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
            "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
            "contents": "Hello, Bob!"
        }
    });
    let hash712 = b256!("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    for typed in [mail.clone(), json!(mail.to_string())] {
        let signed = proxy
            .call("eth_signTypedData_v4", rpc_params![first, typed])
            .await;
        assert_eq!(
            signature(&signed)
                .recover_address_from_prehash(&hash712)
                .unwrap(),
            first
        );
    }

    // Not the node's account: refused.
    let message = proxy
        .error(
            "personal_sign",
            rpc_params![hex(b"x"), Address::repeat_byte(0x42)],
        )
        .await;
    assert!(message.contains("no signer"), "{message}");
}

/// eth_sendTransaction picks the type a wallet would: a gas price alone makes a legacy
/// transaction, with an access list an EIP-2930 one, neither an EIP-1559 one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_transaction_type_follows_the_fee_fields() {
    let proxy = Proxy::start(None).await;
    let from = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    let to = "0x00000000000000000000000000000000000000c7";
    let cases = [
        (
            json!({"from": from, "to": to, "gasPrice": "0x77359400"}),
            "0x0",
        ),
        (
            json!({"from": from, "to": to, "gasPrice": "0x77359400",
                   "accessList": [{"address": to, "storageKeys": []}]}),
            "0x1",
        ),
        (json!({"from": from, "to": to}), "0x2"),
    ];
    for (request, kind) in cases {
        let hash = proxy
            .call("eth_sendTransaction", rpc_params![request.clone()])
            .await;
        let receipt = proxy
            .receipt(hash.as_str().unwrap(), std::time::Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(receipt["status"], "0x1", "{request}");
        assert_eq!(receipt["type"], kind, "{request}");
    }
}

/// Concurrent eth_sendTransaction requests from one account each get their own nonce (as the
/// Hardhat node and anvil take them one at a time), none refused as a replacement: found by
/// OpenZeppelin's suite, which sends in `Promise.all`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_from_one_account_take_consecutive_nonces() {
    let proxy = Proxy::start(None).await;
    let from = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    let to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    let before = proxy.nonce(dev_wallet(0).address, "latest").await;
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let client = proxy.client.clone();
        sends.spawn(async move {
            use jsonrpsee::core::client::ClientT;
            client
                .request::<serde_json::Value, _>(
                    "eth_sendTransaction",
                    rpc_params![json!({"from": from, "to": to, "value": "0x1"})],
                )
                .await
        });
    }
    while let Some(result) = sends.join_next().await {
        let result = result.unwrap();
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(
        proxy.nonce(dev_wallet(0).address, "latest").await,
        before + 8
    );
}
