//! Known transactions of every type (the EIP-155 example, vectors from the Ethereum state tests),
//! transactions signed here with k256, round trips, and one test per way of being refused.

use super::*;
use crate::env::{AccessListItem, Authorization};
use crate::HostCrypto;
use alloc::string::ToString;
use alloc::vec;
use alloy_rlp::{Encodable, Header, PayloadView};
use k256::ecdsa::SigningKey;

fn bytes(hex_str: &str) -> Vec<u8> {
    hex::decode(hex_str.trim_start_matches("0x")).unwrap()
}

fn array<const N: usize>(hex_str: &str) -> [u8; N] {
    bytes(hex_str).try_into().unwrap()
}

fn decode_ok(raw: &[u8]) -> SignedTransaction {
    decode(raw, &HostCrypto).unwrap()
}

fn decode_err(raw: &[u8]) -> DecodeError {
    decode(raw, &HostCrypto).unwrap_err()
}

fn recover(raw: &[u8]) -> Result<Address, SignatureError> {
    decode_ok(raw).recover_sender(&HostCrypto)
}

// ---- the EIP-155 example --------------------------------------------------------------------

const EIP155_RAW: &str = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

#[test]
fn eip155_example_decodes() {
    let signed = decode_ok(&bytes(EIP155_RAW));
    let tx = &signed.tx;
    assert_eq!(tx.kind, TxKind::Legacy);
    assert_eq!(tx.nonce, 9);
    assert_eq!(tx.gas_price, U256::from(20_000_000_000u64));
    assert_eq!(tx.gas_limit, 21_000);
    assert_eq!(tx.to, Some([0x35; 20]));
    assert_eq!(tx.value, U256::from(1_000_000_000_000_000_000u64));
    assert!(tx.data.is_empty());
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.gas_priority_fee, None);
    assert_eq!(tx.caller, [0; 20]);
    let r: U256 = "18515461264373351373200002665853028612451056578545711640558177340181847433846"
        .parse()
        .unwrap();
    let s: U256 = "46948507304638947509940763649030358759909902576025900602547168820602576006531"
        .parse()
        .unwrap();
    assert_eq!(
        signed.signature,
        Signature {
            y_parity: false,
            r,
            s,
            v: 37
        }
    );
    assert_eq!(
        signed.hash,
        array("0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788")
    );
}

#[test]
fn eip155_example_signing_data_and_sender() {
    let mut signed = decode_ok(&bytes(EIP155_RAW));
    assert_eq!(
        signing_payload(&signed.tx),
        bytes("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")
    );
    assert_eq!(
        signing_hash(&signed.tx, &HostCrypto),
        array("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    );
    let sender = signed.recover_sender(&HostCrypto).unwrap();
    assert_eq!(sender, array("9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"));
    assert_eq!(sender, address_of(&[0x46; 32]));
    assert_eq!(signed.tx.caller, sender);
}

// ---- vectors from the Ethereum state tests (`txbytes`, signed with `secretKey`) ---------------

/// Sender of every state-test vector below (secret key 0x45a9...f2d8).
const STATE_TEST_SENDER: &str = "a94f5374fce5edbc8e2a8697c15331677e6ebf0b";

/// (file, kind, raw transaction).
const STATE_TEST_VECTORS: &[(&str, TxKind, &str)] = &[
    // Pre-EIP-155 call; s is 31 bytes long.
    ("stBadOpcode/eip2315NotRemoved", TxKind::Legacy, "f85f800a83061a8094100000000000000000000000000000000000000080801ba06f9b4ea02c2623bdd69fd0df484e92344b6abd00f31e2e6148b6d4bf2f3209869ff15ca97779078c002b38a70aa4402c960d1c2fd008220e22962f196297ac89"),
    // Pre-EIP-155 contract creation.
    ("stHomesteadSpecific/createContractViaTransactionCost53000", TxKind::Legacy, "f84c800a830186a08080801ba04a70e36753e51ecbabb12ffefb365a5d70ddfc104dfbd752f26fb43bb03577fea006b0526056d8c5dd80222b72cc3f0860f38750ca98d3261b29ec6bdc5833d9d1"),
    // EIP-2930 contract creation with an access list.
    ("stEIP2930/manualCreate", TxKind::AccessList, "01f89e01010a83061a808080975a3031505a90036001555a60ff6000555a900360005500f838f794ec0e71ad0a90ffe1909d27dac207f7680abba42de1a0000000000000000000000000000000000000000000000000000000000000000080a0624806136601d18806233d5ec831f6926ff892c3fbdd32b0a0a694501036127da0638a01db82a445461cf2ab4b2876ffbcd55ab145c93efff82fbfcff0ec59fa25"),
    // EIP-2930 call, y parity 1.
    ("stEIP2930/transactionCosts", TxKind::AccessList, "01f86501800a83061a8094cccccccccccccccccccccccccccccccccccccccc830186a000c001a0f8e99a86c0c2d6f76107e51df7d03421762f7b8893f0a4cddba5713ce3c04df7a053ff5e820be599dc2e608436267868824867ccd13f64038256bb9bcb0ecbf559"),
    // EIP-1559 call with calldata and an access list entry without storage keys.
    ("stEIP2930/coinbaseT2", TxKind::DynamicFee, "02f8a10101648227108402625a0094000000000000000000000000000000000000c0de80a4693c61390000000000000000000000000000000000000000000000000000000000000000d7d694000000000000000000000000000000000000ba5ec080a0d5a3052a8cc387f35ffdebe832afdfdd45980cdcbb9b926dee7fb9b1d9a4ee08a06210d404eb6aecd05bc214b120959a71ede9fadcae4b769c96c58bffa216f205"),
    // EIP-1559 with zero fees.
    ("cancun/eip4844_blobs/invalid_precompile_calls", TxKind::DynamicFee, "02f86301808007830f42409400000000000000000000000000000000000001008080c080a01a94485b340386550a1eef3e191b544c82f27fa5ba502ebf516f5ac72441be47a01d14cf4a8d5be4584cb5a8f2ca7f3cad5ca89f52409b51715828090ea1164288"),
    // EIP-4844 with an access list and one blob.
    ("cancun/eip4844_blobs/sufficient_balance_blob_tx", TxKind::Blob, "03f8e10180800e826a409400000000000000000000000000000000000001008080f85bf859940000000000000000000000000000000000000064f842a00000000000000000000000000000000000000000000000000000000000000064a000000000000000000000000000000000000000000000000000000000000000c801e1a0010000000000000000000000000000000000000000000000000000000000000001a05a1caaf6469249c75dee8f45b645aedf2a4db37b07feb1f8855c71d17ad9621fa01ab9bb529e7f569dbf189e7d449abdd451a6312acc1f4b7721a47554477875b0"),
    // EIP-4844 with no blobs (valid RLP; refused later, at validation).
    ("cancun/eip4844_blobs/invalid_tx_blob_count", TxKind::Blob, "03f864018080078252089400000000000000000000000000000000000001000180c001c080a0de3ecf0321e2d26c34d6b9bd1ffb5a30167abafd5ecacd477049544c23d402cda06c56b464881a4af7bb8216d47c6c5e3286395027af44044b3d7d31a2d24901f2"),
];

#[test]
fn state_test_vectors_recover_their_sender_and_round_trip() {
    for (name, kind, raw) in STATE_TEST_VECTORS {
        let raw = bytes(raw);
        let mut signed = decode(&raw, &HostCrypto).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(signed.tx.kind, *kind, "{name}");
        assert_eq!(signed.hash, HostCrypto.keccak256(&raw), "{name}");
        let sender = signed
            .recover_sender(&HostCrypto)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sender, array(STATE_TEST_SENDER), "{name}");
        assert_eq!(signed.encode(), raw, "{name}");
        // The message taken from the raw bytes is the one a re-encoding gives.
        let at_once = decode_and_recover(&raw, &HostCrypto).unwrap();
        assert_eq!(
            (at_once.tx.caller, at_once.hash),
            (sender, signed.hash),
            "{name}"
        );
    }
}

#[test]
fn state_test_secret_key_is_the_sender() {
    let key = array("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
    assert_eq!(address_of(&key), array(STATE_TEST_SENDER));
}

#[test]
fn pre_eip155_has_no_chain_id() {
    let signed = decode_ok(&bytes(STATE_TEST_VECTORS[0].2));
    assert_eq!(signed.tx.chain_id, None);
    assert_eq!(signed.signature.v, 27);
    assert!(!signed.signature.y_parity);
    assert_eq!(
        signed.tx.to,
        Some(array("1000000000000000000000000000000000000000"))
    );
    assert_eq!(signed.tx.gas_limit, 400_000);
    assert_eq!(signed.tx.gas_price, U256::from(10));
}

#[test]
fn legacy_creation_has_no_to() {
    let signed = decode_ok(&bytes(STATE_TEST_VECTORS[1].2));
    assert_eq!(signed.tx.to, None);
    assert!(signed.tx.data.is_empty());
}

#[test]
fn access_list_transaction_fields() {
    let signed = decode_ok(&bytes(STATE_TEST_VECTORS[2].2));
    let tx = &signed.tx;
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 1);
    assert_eq!(tx.gas_price, U256::from(10));
    assert_eq!(tx.gas_priority_fee, None);
    assert_eq!(tx.gas_limit, 400_000);
    assert_eq!(tx.to, None);
    assert_eq!(tx.data.len(), 23);
    assert_eq!(
        tx.access_list,
        vec![AccessListItem {
            address: array("ec0e71ad0a90ffe1909d27dac207f7680abba42d"),
            storage_keys: vec![[0; 32]],
        }]
    );
    assert_eq!(signed.signature.v, 0);
}

#[test]
fn dynamic_fee_transaction_fields() {
    let signed = decode_ok(&bytes(STATE_TEST_VECTORS[4].2));
    let tx = &signed.tx;
    assert_eq!(tx.chain_id, Some(1));
    assert_eq!(tx.nonce, 1);
    assert_eq!(tx.gas_priority_fee, Some(U256::from(100)));
    assert_eq!(tx.gas_price, U256::from(10_000));
    assert_eq!(tx.gas_limit, 40_000_000);
    assert_eq!(
        tx.to,
        Some(array("000000000000000000000000000000000000c0de"))
    );
    assert_eq!(tx.data.len(), 36);
    let ba5e = array("000000000000000000000000000000000000ba5e");
    assert_eq!(
        tx.access_list,
        vec![AccessListItem {
            address: ba5e,
            storage_keys: vec![]
        }]
    );
    assert!(tx.blob_hashes.is_empty());
}

#[test]
fn blob_transaction_fields() {
    let signed = decode_ok(&bytes(STATE_TEST_VECTORS[6].2));
    let tx = &signed.tx;
    assert_eq!(tx.gas_priority_fee, Some(U256::ZERO));
    assert_eq!(tx.gas_price, U256::from(14));
    assert_eq!(tx.max_fee_per_blob_gas, U256::from(1));
    let mut blob_hash = [0u8; 32];
    blob_hash[0] = 1;
    assert_eq!(tx.blob_hashes, vec![blob_hash]);
    assert_eq!(tx.access_list.len(), 1);
    assert_eq!(tx.access_list[0].storage_keys.len(), 2);
    assert!(signed.signature.y_parity);
    assert_eq!(signed.signature.v, 1);
}

// ---- transactions signed here -----------------------------------------------------------------

/// The address of a secret key, computed by k256 rather than by the code under test.
fn address_of(secret: &[u8; 32]) -> Address {
    let key = SigningKey::from_slice(secret).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let digest = HostCrypto.keccak256(&point.as_bytes()[1..]);
    digest[12..].try_into().unwrap()
}

/// Signs `tx` with `secret` and returns the raw envelope.
fn sign(tx: &TxEnv, secret: &[u8; 32]) -> Vec<u8> {
    let key = SigningKey::from_slice(secret).unwrap();
    let hash = signing_hash(tx, &HostCrypto);
    let (sig, recovery_id) = key.sign_prehash_recoverable(&hash).unwrap();
    let signature = Signature {
        y_parity: recovery_id.is_y_odd(),
        r: U256::from_be_slice(&sig.r().to_bytes()),
        s: U256::from_be_slice(&sig.s().to_bytes()),
        v: 0,
    };
    encode(tx, &signature)
}

fn sample(kind: TxKind) -> TxEnv {
    let typed = kind != TxKind::Legacy;
    let fee_market = matches!(kind, TxKind::DynamicFee | TxKind::Blob | TxKind::SetCode);
    TxEnv {
        kind,
        caller: [0; 20],
        gas_limit: u64::MAX,
        gas_price: U256::MAX,
        gas_priority_fee: fee_market.then_some(U256::from(7)),
        to: Some([0xab; 20]),
        value: U256::from(0x80),
        data: vec![0x7f; 100],
        nonce: u64::MAX - 1,
        chain_id: Some(245_022_934),
        access_list: if typed {
            vec![
                AccessListItem {
                    address: [1; 20],
                    storage_keys: vec![[2; 32], [3; 32]],
                },
                AccessListItem {
                    address: [4; 20],
                    storage_keys: vec![],
                },
            ]
        } else {
            vec![]
        },
        blob_hashes: if kind == TxKind::Blob {
            vec![[1; 32], [5; 32]]
        } else {
            vec![]
        },
        max_fee_per_blob_gas: if kind == TxKind::Blob {
            U256::from(1u128 << 100)
        } else {
            U256::ZERO
        },
        authorization_list: if kind == TxKind::SetCode {
            vec![
                Authorization {
                    chain_id: U256::MAX,
                    address: [9; 20],
                    nonce: u64::MAX,
                    y_parity: 255,
                    r: U256::from(1),
                    s: U256::MAX,
                },
                Authorization::default(),
            ]
        } else {
            vec![]
        },
    }
}

#[test]
fn signed_here_round_trips_and_recovers() {
    let secret = [0x11; 32];
    let mut legacy_155 = sample(TxKind::Legacy);
    legacy_155.to = None;
    let mut legacy_pre_155 = sample(TxKind::Legacy);
    legacy_pre_155.chain_id = None;
    legacy_pre_155.value = U256::ZERO;
    let mut small = sample(TxKind::DynamicFee);
    small.data = vec![0x00];
    small.gas_limit = 0;
    small.nonce = 0;
    let txs = [
        legacy_155,
        legacy_pre_155,
        sample(TxKind::AccessList),
        sample(TxKind::DynamicFee),
        small,
        sample(TxKind::Blob),
        sample(TxKind::SetCode),
    ];
    for expected in txs {
        let raw = sign(&expected, &secret);
        let mut signed = decode_ok(&raw);
        assert_eq!(signed.tx, expected);
        assert_eq!(signed.encode(), raw);
        let at_once = decode_and_recover(&raw, &HostCrypto).unwrap();
        assert_eq!(at_once.tx.caller, address_of(&secret));
        assert_eq!(signed.recover_sender(&HostCrypto), Ok(address_of(&secret)));
        if expected.kind == TxKind::Legacy {
            let parity = signed.signature.y_parity as u64;
            let v = expected
                .chain_id
                .map_or(27 + parity, |id| id * 2 + 35 + parity);
            assert_eq!(signed.signature.v, v);
        }
    }
}

// ---- refusals ---------------------------------------------------------------------------------

/// The encoded items of the RLP list at the start of `raw`.
fn items(raw: &[u8]) -> Vec<Vec<u8>> {
    match Header::decode_raw(&mut &raw[..]).unwrap() {
        PayloadView::List(items) => items.into_iter().map(<[u8]>::to_vec).collect(),
        PayloadView::String(_) => panic!("not a list"),
    }
}

/// An RLP list of already-encoded items.
fn list(items: &[Vec<u8>]) -> Vec<u8> {
    let payload: Vec<u8> = items.concat();
    let mut out = Vec::new();
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    out
}

/// The EIP-155 example with item `index` replaced by `item` (already encoded).
fn legacy_with(index: usize, item: &[u8]) -> Vec<u8> {
    let mut fields = items(&bytes(EIP155_RAW));
    fields[index] = item.to_vec();
    list(&fields)
}

/// The state-test vector `vector` (a typed transaction) with item `index` replaced.
fn typed_with(vector: usize, index: usize, item: &[u8]) -> Vec<u8> {
    let raw = bytes(STATE_TEST_VECTORS[vector].2);
    let mut fields = items(&raw[1..]);
    fields[index] = item.to_vec();
    [&raw[..1], &list(&fields)[..]].concat()
}

fn rlp_bytes(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    value.encode(&mut out);
    out
}

#[test]
fn refuses_empty_input() {
    assert_eq!(decode_err(&[]), DecodeError::Empty);
}

#[test]
fn refuses_truncated_input() {
    for (_, _, raw) in STATE_TEST_VECTORS {
        let raw = bytes(raw);
        for len in 1..raw.len() {
            assert!(
                decode(&raw[..len], &HostCrypto).is_err(),
                "prefix of {len} bytes"
            );
        }
    }
    let raw = bytes(EIP155_RAW);
    assert_eq!(
        decode_err(&raw[..raw.len() - 1]),
        DecodeError::Truncated {
            field: "transaction"
        }
    );
}

#[test]
fn refuses_trailing_bytes() {
    let mut raw = bytes(EIP155_RAW);
    raw.extend_from_slice(&[0x80, 0x80]);
    assert_eq!(decode_err(&raw), DecodeError::TrailingBytes { extra: 2 });
    let mut typed = bytes(STATE_TEST_VECTORS[4].2);
    typed.push(0);
    assert_eq!(decode_err(&typed), DecodeError::TrailingBytes { extra: 1 });
}

#[test]
fn refuses_unsupported_types() {
    let body = &bytes(STATE_TEST_VECTORS[4].2)[1..];
    for ty in [0x00, 0x05, 0x7f] {
        let raw = [&[ty][..], body].concat();
        assert_eq!(decode_err(&raw), DecodeError::UnsupportedType(ty));
    }
    assert_eq!(
        DecodeError::UnsupportedType(5).to_string(),
        "transaction type 0x05 is not supported"
    );
}

#[test]
fn refuses_a_byte_string_envelope() {
    assert_eq!(
        decode_err(&[0x83, 1, 2, 3]),
        DecodeError::InvalidEnvelope(0x83)
    );
    assert_eq!(
        decode_err(&[0x02, 0x83, 1, 2, 3]),
        DecodeError::ExpectedList {
            field: "transaction"
        }
    );
}

#[test]
fn refuses_wrong_item_counts() {
    let mut fields = items(&bytes(EIP155_RAW));
    fields.pop();
    assert_eq!(
        decode_err(&list(&fields)),
        DecodeError::WrongItemCount {
            field: "transaction",
            expected: 9,
            got: 8
        }
    );
    fields.push(vec![0x80]);
    fields.push(vec![0x80]);
    assert_eq!(
        decode_err(&list(&fields)),
        DecodeError::WrongItemCount {
            field: "transaction",
            expected: 9,
            got: 10
        }
    );
    // A malformed extra item is still an error about the list.
    fields.truncate(9);
    fields.push(vec![0x81, 0x01]);
    assert_eq!(
        decode_err(&list(&fields)),
        DecodeError::NonCanonical {
            field: "transaction"
        }
    );
    let raw = bytes(STATE_TEST_VECTORS[6].2);
    let mut fields = items(&raw[1..]);
    fields.remove(9); // max fee per blob gas
    let raw = [&[0x03][..], &list(&fields)[..]].concat();
    assert_eq!(
        decode_err(&raw),
        DecodeError::WrongItemCount {
            field: "transaction",
            expected: 14,
            got: 13
        }
    );
}

#[test]
fn refuses_leading_zeros_and_non_canonical_integers() {
    assert_eq!(
        decode_err(&legacy_with(0, &[0x82, 0x00, 0x09])),
        DecodeError::LeadingZeros { field: "nonce" }
    );
    assert_eq!(
        decode_err(&legacy_with(4, &[0x00])),
        DecodeError::LeadingZeros { field: "value" }
    );
    assert_eq!(
        decode_err(&legacy_with(0, &[0x81, 0x09])),
        DecodeError::NonCanonical { field: "nonce" }
    );
    let long_form = [&[0xb8, 0x02][..], &[0x52, 0x08]].concat();
    assert_eq!(
        decode_err(&legacy_with(2, &long_form)),
        DecodeError::NonCanonical { field: "gas limit" }
    );
    let r = [&[0xa1, 0x00][..], &[0x11; 32]].concat();
    assert_eq!(
        decode_err(&legacy_with(7, &r)),
        DecodeError::LeadingZeros {
            field: "signature r"
        }
    );
    assert_eq!(
        decode_err(&typed_with(4, 1, &[0x82, 0x00, 0x01])),
        DecodeError::LeadingZeros { field: "nonce" }
    );
}

#[test]
fn refuses_integers_too_large() {
    let nine = rlp_bytes(&[1; 9]);
    assert_eq!(
        decode_err(&legacy_with(0, &nine)),
        DecodeError::TooLarge {
            field: "nonce",
            max_bits: 64
        }
    );
    assert_eq!(
        decode_err(&legacy_with(2, &nine)),
        DecodeError::TooLarge {
            field: "gas limit",
            max_bits: 64
        }
    );
    assert_eq!(
        decode_err(&typed_with(4, 0, &nine)),
        DecodeError::TooLarge {
            field: "chain id",
            max_bits: 64
        }
    );
    let wide = rlp_bytes(&[1; 33]);
    assert_eq!(
        decode_err(&legacy_with(4, &wide)),
        DecodeError::TooLarge {
            field: "value",
            max_bits: 256
        }
    );
    assert_eq!(
        decode_err(&legacy_with(6, &nine)),
        DecodeError::TooLarge {
            field: "signature v",
            max_bits: 64
        }
    );
    // The largest values that fit are accepted.
    decode_ok(&legacy_with(0, &rlp_bytes(&[0xff; 8])));
    decode_ok(&legacy_with(4, &rlp_bytes(&[0xff; 32])));
}

#[test]
fn refuses_bad_to() {
    for len in [1, 19, 21, 32] {
        let to = rlp_bytes(&vec![0x35; len]);
        assert_eq!(
            decode_err(&legacy_with(3, &to)),
            DecodeError::InvalidTo { len }
        );
        assert_eq!(
            decode_err(&typed_with(4, 5, &to)),
            DecodeError::InvalidTo { len }
        );
    }
    assert_eq!(
        decode_err(&legacy_with(3, &[0xc0])),
        DecodeError::ExpectedBytes { field: "to" }
    );
}

#[test]
fn refuses_blob_creation_and_sidecars() {
    assert_eq!(
        decode_err(&typed_with(6, 5, &[0x80])),
        DecodeError::BlobCreate
    );
    // Network form: [[signed fields...], blobs, commitments, proofs].
    let inner = list(&items(&bytes(STATE_TEST_VECTORS[6].2)[1..]));
    let network = [
        &[0x03][..],
        &list(&[inner, vec![0xc0], vec![0xc0], vec![0xc0]]),
    ]
    .concat();
    assert_eq!(decode_err(&network), DecodeError::BlobSidecar);
}

#[test]
fn refuses_malformed_access_lists_and_blob_hashes() {
    let short_address = list(&[list(&[rlp_bytes(&[1; 19]), vec![0xc0]])]);
    assert_eq!(
        decode_err(&typed_with(4, 8, &short_address)),
        DecodeError::WrongLength {
            field: "access list address",
            expected: 20,
            got: 19
        }
    );
    let short_key = list(&[list(&[rlp_bytes(&[1; 20]), list(&[rlp_bytes(&[2; 31])])])]);
    assert_eq!(
        decode_err(&typed_with(4, 8, &short_key)),
        DecodeError::WrongLength {
            field: "access list storage key",
            expected: 32,
            got: 31
        }
    );
    let three_items = list(&[list(&[rlp_bytes(&[1; 20]), vec![0xc0], vec![0x80]])]);
    assert_eq!(
        decode_err(&typed_with(4, 8, &three_items)),
        DecodeError::WrongItemCount {
            field: "access list entry",
            expected: 2,
            got: 3
        }
    );
    assert_eq!(
        decode_err(&typed_with(4, 8, &[0x80])),
        DecodeError::ExpectedList {
            field: "access list"
        }
    );
    let short_hash = list(&[rlp_bytes(&[1; 33])]);
    assert_eq!(
        decode_err(&typed_with(6, 10, &short_hash)),
        DecodeError::WrongLength {
            field: "blob versioned hash",
            expected: 32,
            got: 33
        }
    );
}

#[test]
fn refuses_data_as_a_list() {
    assert_eq!(
        decode_err(&legacy_with(5, &[0xc0])),
        DecodeError::ExpectedBytes { field: "data" }
    );
}

#[test]
fn refuses_bad_legacy_v() {
    for v in [0u8, 1, 26, 29, 30, 34] {
        let mut item = Vec::new();
        v.encode(&mut item);
        assert_eq!(
            decode_err(&legacy_with(6, &item)),
            DecodeError::InvalidV(v as u64)
        );
    }
    // 35 is chain id 0, valid as an encoding (the chain id check comes later).
    let signed = decode_ok(&legacy_with(6, &[35]));
    assert_eq!(signed.tx.chain_id, Some(0));
}

#[test]
fn refuses_bad_y_parity() {
    assert_eq!(
        decode_err(&typed_with(4, 9, &[0x02])),
        DecodeError::InvalidYParity
    );
    assert_eq!(
        decode_err(&typed_with(4, 9, &[0x1b])),
        DecodeError::InvalidYParity
    );
    assert_eq!(
        decode_err(&typed_with(4, 9, &[0x00])),
        DecodeError::LeadingZeros {
            field: "signature y parity"
        }
    );
}

/// secp256k1's group order n.
fn curve_order() -> U256 {
    "115792089237316195423570985008687907852837564279074904382605163141518161494337"
        .parse()
        .unwrap()
}

/// `raw` re-encoded with another signature.
fn with_signature(raw: &[u8], change: impl FnOnce(&mut Signature)) -> Vec<u8> {
    let mut signed = decode_ok(raw);
    change(&mut signed.signature);
    signed.encode()
}

#[test]
fn refuses_high_s() {
    for (_, _, raw) in STATE_TEST_VECTORS {
        // (r, n - s) with the other parity is the same signer's malleable twin.
        let twin = with_signature(&bytes(raw), |sig| {
            sig.s = curve_order() - sig.s;
            sig.y_parity = !sig.y_parity;
        });
        assert_eq!(recover(&twin), Err(SignatureError::HighS));
    }
}

#[test]
fn refuses_out_of_range_r_and_s() {
    let raw = bytes(EIP155_RAW);
    assert_eq!(
        recover(&with_signature(&raw, |sig| sig.r = U256::ZERO)),
        Err(SignatureError::InvalidR)
    );
    assert_eq!(
        recover(&with_signature(&raw, |sig| sig.r = curve_order())),
        Err(SignatureError::InvalidR)
    );
    assert_eq!(
        recover(&with_signature(&raw, |sig| sig.s = U256::ZERO)),
        Err(SignatureError::InvalidS)
    );
    assert_eq!(
        recover(&with_signature(&raw, |sig| sig.s = U256::MAX)),
        Err(SignatureError::InvalidS)
    );
    // r = n - 1 and s = n / 2 are in range: whatever they recover to, they are not refused early.
    let edge = with_signature(&raw, |sig| {
        sig.r = curve_order() - U256::from(1);
        sig.s = curve_order() >> 1;
    });
    assert!(!matches!(
        recover(&edge),
        Err(SignatureError::InvalidR | SignatureError::InvalidS | SignatureError::HighS)
    ));
}

#[test]
fn a_changed_field_changes_the_sender() {
    let raw = bytes(EIP155_RAW);
    let tampered = legacy_with(0, &[0x0a]);
    assert_ne!(recover(&tampered), recover(&raw));
}

#[test]
fn messages_read_well() {
    let cases: [(DecodeError, &str); 4] = [
        (
            DecodeError::TooLarge {
                field: "nonce",
                max_bits: 64,
            },
            "nonce does not fit in 64 bits",
        ),
        (
            DecodeError::LeadingZeros { field: "value" },
            "value has leading zero bytes",
        ),
        (
            DecodeError::WrongItemCount {
                field: "transaction",
                expected: 9,
                got: 8,
            },
            "transaction has 8 items, expected 9",
        ),
        (
            DecodeError::InvalidV(29),
            "legacy signature v = 29 is invalid: expected 27, 28 or chain_id * 2 + 35/36",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
    assert_eq!(
        SignatureError::HighS.to_string(),
        "invalid signature: s is in the upper half of the secp256k1 order (EIP-2)"
    );
}

// ---- EIP-7702 ---------------------------------------------------------------------------------

/// `test_set_code_to_sstore` (execution-spec-tests, Osaka): one authorization by 0xa43a..
/// delegating to 0xd38e.., sent by 0xac63...
const SET_CODE_RAW: &str = "04f8c1018080078307a12094a43a3eae84c091674a012b4550867766629ccdec8080c0f85cf85a8094d38e1d3546bb5deee2fce227faf3889e86f388b88080a0784bc8ae7bae310c059da9810fbc2e8f00325bfafe1e697583693503f8f3f944a00f7d36e30482b4a314b00484ed184a0c6a63be83103351fee1382de33e7364dd80a0ba68b16e6f243385a30913fa084d786ab21798f21f1d9b52f4e74129d8391536a03731c2d001a52667b7eee83593a209daa29a7f5bd4632990a265219b0787f02d";

#[test]
fn set_code_transaction_decodes_and_its_authority_recovers() {
    let raw = bytes(SET_CODE_RAW);
    let mut signed = decode_ok(&raw);
    assert_eq!(signed.tx.kind, TxKind::SetCode);
    assert_eq!(signed.encode(), raw);
    assert_eq!(
        signed.recover_sender(&HostCrypto),
        Ok(array("ac639094afdf3847c42ecd23507721738959a724"))
    );
    let [auth] = signed.tx.authorization_list.as_slice() else {
        panic!("one authorization");
    };
    assert_eq!(auth.chain_id, U256::ZERO);
    assert_eq!(
        auth.address,
        array("d38e1d3546bb5deee2fce227faf3889e86f388b8")
    );
    assert_eq!(auth.nonce, 0);
    assert_eq!(
        authority(auth, &HostCrypto),
        Some(array("a43a3eae84c091674a012b4550867766629ccdec"))
    );
    // A parity above 1, a high s, or another nonce: no authority (or another one).
    let mut bad = auth.clone();
    bad.y_parity = 2;
    assert_eq!(authority(&bad, &HostCrypto), None);
    let mut bad = auth.clone();
    bad.s = curve_order() - auth.s;
    assert_eq!(authority(&bad, &HostCrypto), None);
    let mut other = auth.clone();
    other.nonce = 1;
    assert_ne!(
        authority(&other, &HostCrypto),
        Some(array("a43a3eae84c091674a012b4550867766629ccdec"))
    );
}

#[test]
fn authority_of_an_authorization_signed_here() {
    let secret = [0x22; 32];
    let mut auth = Authorization {
        chain_id: U256::from(1),
        address: [0x33; 20],
        nonce: 5,
        ..Authorization::default()
    };
    let key = SigningKey::from_slice(&secret).unwrap();
    let hash = authorization_signing_hash(&auth, &HostCrypto);
    let (sig, recovery_id) = key.sign_prehash_recoverable(&hash).unwrap();
    auth.y_parity = recovery_id.is_y_odd() as u8;
    auth.r = U256::from_be_slice(&sig.r().to_bytes());
    auth.s = U256::from_be_slice(&sig.s().to_bytes());
    assert_eq!(authority(&auth, &HostCrypto), Some(address_of(&secret)));
}

#[test]
fn set_code_refuses_creation_and_oversized_authorization_fields() {
    let mut tx = sample(TxKind::SetCode);
    tx.to = None;
    assert_eq!(
        decode_err(&sign(&tx, &[0x11; 32])),
        DecodeError::SetCodeCreate
    );
    // The authorization's nonce widened to 9 bytes.
    let raw = bytes(SET_CODE_RAW);
    let fields = items(&raw[1..]);
    let auth_list = items(&fields[9]);
    let mut auth = items(&auth_list[0]);
    auth[2] = rlp_bytes(&[1, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut fields = fields.clone();
    fields[9] = list(&[list(&auth)]);
    let raw = [&[0x04][..], &list(&fields)].concat();
    assert_eq!(
        decode_err(&raw),
        DecodeError::TooLarge {
            field: "authorization nonce",
            max_bits: 64
        }
    );
}
