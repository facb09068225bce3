//! Real contracts (tests/contracts, solc 0.8.24, cancun) through `execute`, each transaction run
//! off-chain first by the emulator (tests/program/src/emulate.rs), which also finds the accounts
//! to pass; `Harness::run` then asserts the on-chain receipt, logs and every changed account,
//! code and slot equal the off-chain run, and that the Solana transaction fits 1,232 bytes.
//!
//! Transactions too large for one Solana transaction (the OpenZeppelin ERC-20 and ERC-721
//! deployments, 3-4 KB of initcode; the Uniswap v2 factory, 14 KB) go through the operator's
//! holder (`holder_create`/`holder_write`, then `execute_from_holder`), and those that need more
//! than one instruction's compute or heap (the factory; `createPair`, which CREATE2s an 11 KB
//! pair) through `step`s: every contract here is deployed on chain, none installed as a fixture.

use isthmus_evm::machine::create2_address;
use isthmus_evm::{HostCrypto, U256};
use isthmus_program_tests::contracts::*;
use isthmus_program_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const GAS: u64 = 1_000_000;

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    bob: EthWallet,
}

fn world() -> World {
    let (mut h, operator) = Harness::with_operator();
    let alice = EthWallet::new(0xa1);
    let bob = EthWallet::new(0xb0);
    h.deposit_to(&alice.address, 20 * SOL).unwrap();
    World {
        h,
        operator,
        alice,
        bob,
    }
}

impl World {
    /// Deploys `name` (creation code + `args`) from alice in one `execute`.
    fn deploy(&mut self, name: &str, args: &[Arg]) -> [u8; 20] {
        let mut code = creation_code(name);
        code.extend_from_slice(&encode(args));
        let run = self.h.run(&self.operator, &self.alice, None, 0, code, GAS);
        assert_eq!(run.receipt.status, 1, "deploying {name}");
        println!("execute: deploy {name}: {} CU, {} bytes", run.cu, run.size);
        run.receipt.created_address.unwrap()
    }

    fn call(&mut self, to: [u8; 20], value: u128, data: Vec<u8>) -> Run {
        let run = self
            .h
            .run(&self.operator, &self.alice, Some(to), value, data, GAS);
        println!(
            "execute: call {}: status {}, {} gas, {} CU, {} bytes",
            hex(&to[..4]),
            run.receipt.status,
            run.receipt.gas_used,
            run.cu,
            run.size
        );
        run
    }
}

fn word(v: u64) -> [u8; 32] {
    U256::from(v).to_be_bytes::<32>()
}

#[test]
fn logs() {
    let mut w = world();
    let logs = w.deploy("Logs", &[]);
    let payload = b"isthmus logs".to_vec();
    let run = w.call(logs, 0, calldata("emitAll(bytes)", &[Arg::Bytes(&payload)]));
    let r = &run.receipt;
    assert_eq!(r.status, 1);
    assert_eq!(r.log_count, 6);
    for (i, log) in r.logs.iter().take(5).enumerate() {
        assert_eq!(log.index, i as u32);
        assert_eq!(log.address, logs);
        assert_eq!(log.topics.len(), i);
        assert_eq!(log.data, payload);
        assert_eq!(log.tx_hash, r.tx_hash);
    }
    let names = [b"a", b"b", b"c", b"d"];
    for (topic, name) in r.logs[4].topics.iter().zip(names) {
        assert_eq!(*topic, keccak(name));
    }
    let transfer = &r.logs[5];
    assert_eq!(
        transfer.topics,
        vec![
            keccak(b"Transfer(address,address,uint256)"),
            address_word(&w.alice.address),
            address_word(&logs)
        ]
    );
    assert_eq!(transfer.data, word(payload.len() as u64));
}

#[test]
fn revert_data() {
    let mut w = world();
    let reverter = w.deploy("Reverter", &[]);

    let run = w.call(reverter, 0, calldata("custom(uint256)", &[uint(5)]));
    assert_eq!((run.receipt.status, run.receipt.outcome), (0, 1));
    let mut expected = selector("Unauthorized(address,uint256)").to_vec();
    expected.extend_from_slice(&encode(&[Arg::Address(w.alice.address), uint(5)]));
    assert_eq!(run.receipt.revert_data, expected);
    // The write before the revert is rolled back: no storage cell.
    assert!(run
        .emulation
        .change(&reverter)
        .is_none_or(|c| c.storage.is_empty()));

    let run = w.call(reverter, 0, calldata("message()", &[]));
    let mut expected = selector("Error(string)").to_vec();
    expected.extend_from_slice(&encode(&[Arg::String("isthmus: message")]));
    assert_eq!(run.receipt.revert_data, expected);

    let run = w.call(reverter, 0, calldata("panic(uint256)", &[uint(0)]));
    let mut expected = selector("Panic(uint256)").to_vec();
    expected.extend_from_slice(&word(0x12));
    assert_eq!(run.receipt.revert_data, expected);

    let raw = b"\x01\x02 any bytes at all".to_vec();
    let run = w.call(reverter, 0, calldata("raw(bytes)", &[Arg::Bytes(&raw)]));
    assert_eq!(run.receipt.revert_data, raw);
    assert_eq!(run.receipt.outcome, 1);
}

#[test]
fn create2_address_matches() {
    let mut w = world();
    let factory = w.deploy("Create2Factory", &[]);
    let salt = keccak(b"salt");
    let run = w.call(
        factory,
        0,
        calldata("deploy(bytes32,uint256)", &[Arg::Word(salt), uint(42)]),
    );
    assert_eq!(run.receipt.status, 1);
    let mut initcode = creation_code("Child");
    initcode.extend_from_slice(&word(42));
    let predicted = create2_address(&HostCrypto, &factory, &U256::from_be_bytes(salt), &initcode);
    assert_eq!(run.receipt.logs[0].data, address_word(&predicted));
    // The child exists on chain with its code and value (the comparison checked code and slot).
    let child = w.h.eth_account(&predicted).expect("the child's account");
    assert_eq!(child.nonce, 1);
    assert_ne!(child.code_hash, KECCAK_EMPTY);
    let change = run.emulation.change(&predicted).unwrap();
    assert_eq!(change.storage, vec![(U256::ZERO, U256::from(42))]);

    // The same salt again: a collision, the CREATE2 fails and `deploy` reverts.
    let run = w.call(
        factory,
        0,
        calldata("deploy(bytes32,uint256)", &[Arg::Word(salt), uint(42)]),
    );
    assert_eq!(run.receipt.status, 0);
}

#[test]
fn selfdestruct_cancun() {
    let mut w = world();
    let destroyer = w.deploy("Destroyer", &[]);
    let bob = w.bob.address;

    // Created and destroyed in one transaction: deleted, its value sent to bob.
    let run = w.call(
        destroyer,
        1_000,
        calldata("createAndDestroy(address)", &[Arg::Address(bob)]),
    );
    assert_eq!(run.receipt.status, 1);
    let doomed: [u8; 20] = run.receipt.logs[0].data[12..32].try_into().unwrap();
    assert!(run.emulation.change(&doomed).unwrap().info.is_none());
    let gone = w.h.eth_account(&doomed);
    assert!(gone.is_none_or(|a| a.nonce == 0 && a.balance == 0 && a.code_hash == KECCAK_EMPTY));
    assert_eq!(w.h.eth_account(&bob).unwrap().balance, 1_000);

    // Created in one transaction, destroyed in a later one: only its balance moves (EIP-6780).
    let run = w.call(destroyer, 500, calldata("create()", &[]));
    let doomed: [u8; 20] = run.receipt.logs[0].data[12..32].try_into().unwrap();
    let run = w.call(
        doomed,
        0,
        calldata("destroy(address)", &[Arg::Address(bob)]),
    );
    assert_eq!(run.receipt.status, 1);
    let survivor = w.h.eth_account(&doomed).unwrap();
    assert_eq!(survivor.balance, 0);
    assert_ne!(survivor.code_hash, KECCAK_EMPTY);
    assert_eq!(w.h.eth_account(&bob).unwrap().balance, 1_500);
    let run = w.call(doomed, 0, calldata("value()", &[]));
    assert_eq!(run.receipt.status, 1);
}

fn unhex(s: &str) -> Vec<u8> {
    isthmus_program_tests::unhex(s)
}

/// One input per precompile 0x01..=0x09 (valid ones: each must succeed).
fn precompile_inputs(signer: &EthWallet) -> Vec<(u8, Vec<u8>)> {
    // 0x01: a real signature.
    let hash = keccak(b"isthmus");
    let (sig, recid) = signer.key.sign_prehash_recoverable(&hash).unwrap();
    let mut ecrecover = hash.to_vec();
    ecrecover.extend_from_slice(&word(27 + recid.to_byte() as u64));
    ecrecover.extend_from_slice(&sig.to_bytes());
    // 0x05: 3^(p-1) mod p for secp256k1's p (EIP-198's example): 1.
    let mut modexp = [word(1), word(32), word(32)].concat();
    modexp.push(3);
    modexp.extend(unhex(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e",
    ));
    modexp.extend(unhex(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f",
    ));
    // bn254: G1 generator (1, 2), its negation, the G2 generator (EIP-197 encoding).
    let g1 = [word(1), word(2)].concat();
    let neg_g1 = [
        word(1).to_vec(),
        unhex("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45"),
    ]
    .concat();
    let g2 = unhex(concat!(
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2",
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed",
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b",
        "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa",
    ));
    let add = [g1.clone(), g1.clone()].concat();
    let mul = [g1.clone(), word(7).to_vec()].concat();
    // e(G1, G2) * e(-G1, G2) = 1
    let pairing = [g1.clone(), g2.clone(), neg_g1, g2].concat();
    // 0x09: EIP-152 test vector 5 (12 rounds of BLAKE2b over "abc").
    let mut blake = 12u32.to_be_bytes().to_vec();
    blake.extend(unhex(concat!(
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5",
        "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
    )));
    let mut m = vec![0u8; 128];
    m[..3].copy_from_slice(b"abc");
    blake.extend(m);
    blake.extend(3u64.to_le_bytes());
    blake.extend(0u64.to_le_bytes());
    blake.push(1);
    vec![
        (1, ecrecover),
        (2, b"abc".to_vec()),
        (3, b"abc".to_vec()),
        (4, b"identity".to_vec()),
        (5, modexp),
        (6, add),
        (7, mul),
        (8, pairing),
        (9, blake),
    ]
}

fn precompile(n: u8) -> [u8; 20] {
    let mut a = [0u8; 20];
    a[19] = n;
    a
}

/// The `Result(target, ok, output)` event: (ok, output).
fn result_event(run: &Run) -> (bool, Vec<u8>) {
    let data = &run.receipt.logs[0].data;
    let ok = data[31] == 1;
    let len = U256::from_be_slice(&data[64..96]).to::<usize>();
    (ok, data[96..96 + len].to_vec())
}

#[test]
fn precompiles_agree_with_off_chain() {
    let mut w = world();
    let pc = w.deploy("Precompiles", &[]);
    let signer = EthWallet::new(0x55);
    for (n, input) in precompile_inputs(&signer) {
        let run = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(n)), Arg::Bytes(&input)],
            ),
        );
        let (ok, output) = result_event(&run);
        // The same call to an address without code (0x12: past Prague's BLS12-381 precompiles,
        // 0x0b-0x11): the difference is about what the precompile itself costs on-chain.
        let baseline = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(0x12)), Arg::Bytes(&input)],
            ),
        );
        println!(
            "precompile 0x{n:02x}: {} CU, {} over a call to an empty address; {} gas; output {}",
            run.cu,
            run.cu as i64 - baseline.cu as i64,
            run.receipt.gas_used,
            hex(&output)
        );
        assert!(ok, "precompile 0x{n:02x} failed");
        match n {
            1 => assert_eq!(output, address_word(&signer.address)),
            5 => assert_eq!(output, word(1)),
            8 => assert_eq!(output, word(1)),
            _ => assert!(!output.is_empty()),
        }
    }
    // modexp edge cases (zero modulus, zero exponent, modulus one, input shorter than its
    // lengths, a 64-byte modulus with a leading zero byte): same output on both sides.
    let lens = |b: u64, e: u64, m: u64| [word(b), word(e), word(m)].concat();
    let mut long = lens(64, 3, 64);
    long.extend([0x12; 64]);
    long.extend([1, 0, 1]);
    long.push(0);
    long.extend([0xab; 63]);
    for input in [
        [lens(1, 1, 1), vec![2, 3, 0]].concat(),
        [lens(0, 0, 2), vec![1, 1]].concat(),
        [lens(3, 1, 1), vec![9, 9, 9, 5, 1]].concat(),
        [lens(32, 32, 32), vec![7; 40]].concat(),
        long,
    ] {
        let run = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(5)), Arg::Bytes(&input)],
            ),
        );
        let (ok, output) = result_event(&run);
        println!("modexp edge case: {} CU, output {}", run.cu, hex(&output));
        assert!(ok);
    }
    // A G2 point on the twist curve (x = 1) but not in the order-r subgroup: EIP-197 requires
    // the pairing to fail; the syscall must check the subgroup as substrate-bn does.
    let off_subgroup_g2 = unhex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "0d1271953ed9ea0836846e70a1934187998c7f790cb4d7511b7f8da82de048a4",
        "2869111d5381f072f8e2728fdb825a51aadd70e52c9830e9ab4b871c0531f1bb",
    ));
    let mut off_curve_g2 = off_subgroup_g2.clone();
    off_curve_g2[127] ^= 1;
    // Invalid inputs fail alike on both sides: a point not on the curve, a pairing input of the
    // wrong length, G2 points off the subgroup or off the curve, a point-evaluation input whose
    // versioned hash does not match.
    for (n, input) in [
        (
            8u8,
            [word(1).to_vec(), word(2).to_vec(), off_subgroup_g2].concat(),
        ),
        (
            8u8,
            [word(1).to_vec(), word(2).to_vec(), off_curve_g2].concat(),
        ),
        (6u8, [word(1), word(3), word(1), word(2)].concat()),
        (8, vec![0u8; 100]),
        (10, vec![0u8; 192]),
    ] {
        let run = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(n)), Arg::Bytes(&input)],
            ),
        );
        let (ok, output) = result_event(&run);
        assert!(
            !ok && output.is_empty(),
            "precompile 0x{n:02x} accepted a bad input"
        );
    }
}

const KZG_VERSIONED_HASH: &str = "01228461eb9cfa5aecb883d64f7434b6c092be63e8599fa9da8473a13f8b804e";
const KZG_Z: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const KZG_Y: &str = "443e7af5274b52214ea6c775908c54519fea957eecd98069165a8b771082fd51";
const KZG_COMMITMENT: &str = "b49d88afcd7f6c61a8ea69eff5f609d2432b47e7e4cd50b02cdddb4e0c1460517e8df02e4e64dc55e3d8ca192d57193a";
const KZG_PROOF: &str = "a060b350ad63d61979b80b25258e7cc6caf781080222e0209b4a0b074decca874afc5c41de3313d8ed217d905e6ada43";
const KZG_WRONG_PROOF: &str = "a7de1e32bb336b85e42ff5028167042188317299333f091dd88675e84a550577bfa564b2f57cd2498e2acf875e0aaa40";

/// KZG point evaluation (0x0a), from the execution-spec tests' vectors (verify_kzg_proof_case_
/// correct_proof_444b73ff54a19b44 and its incorrect_proof case): a valid proof verifies on-chain
/// (BLS12-381 syscalls) as off-chain (c-kzg), a wrong proof, a wrong y and a z not below the
/// field modulus fail on both.
#[test]
fn kzg_point_evaluation() {
    let mut w = world();
    let pc = w.deploy("Precompiles", &[]);
    let r_modulus = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
    let mut wrong_y = unhex(KZG_Y);
    wrong_y[31] ^= 1;
    let cases = [
        (
            unhex(&[KZG_VERSIONED_HASH, KZG_Z, KZG_Y, KZG_COMMITMENT, KZG_PROOF].concat()),
            true,
        ),
        (
            unhex(
                &[
                    KZG_VERSIONED_HASH,
                    KZG_Z,
                    KZG_Y,
                    KZG_COMMITMENT,
                    KZG_WRONG_PROOF,
                ]
                .concat(),
            ),
            false,
        ),
        (
            [
                unhex(KZG_VERSIONED_HASH),
                unhex(KZG_Z),
                wrong_y,
                unhex(KZG_COMMITMENT),
                unhex(KZG_PROOF),
            ]
            .concat(),
            false,
        ),
        (
            unhex(
                &[
                    KZG_VERSIONED_HASH,
                    r_modulus,
                    KZG_Y,
                    KZG_COMMITMENT,
                    KZG_PROOF,
                ]
                .concat(),
            ),
            false,
        ),
    ];
    for (input, valid) in cases {
        let run = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(10)), Arg::Bytes(&input)],
            ),
        );
        let (ok, output) = result_event(&run);
        let baseline = w.call(
            pc,
            0,
            calldata(
                "call(address,bytes)",
                &[Arg::Address(precompile(0x12)), Arg::Bytes(&input)],
            ),
        );
        println!(
            "precompile 0x0a: {} CU, {} over a call to an empty address; {} gas; ok {ok}",
            run.cu,
            run.cu as i64 - baseline.cu as i64,
            run.receipt.gas_used
        );
        assert_eq!(ok, valid);
        if valid {
            assert_eq!(
                hex(&output),
                concat!(
                    "0000000000000000000000000000000000000000000000000000000000001000",
                    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
                )
            );
        }
    }
}

#[test]
fn erc20_transfer() {
    let mut w = world();
    let supply = U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let mut code = creation_code("Token");
    code.extend(encode(&[
        Arg::String("Token A"),
        Arg::String("TKA"),
        Arg::Uint(supply),
    ]));
    // 3 KB of initcode: through the holder, as off-chain.
    let deploy = w.h.run(&w.operator, &w.alice, None, 0, code, 3_000_000);
    assert_eq!(deploy.receipt.status, 1);
    assert!(deploy.size > PACKET_DATA_SIZE, "{} bytes", deploy.size);
    println!("holder deploy of the ERC-20: {} CU", deploy.cu);
    let token = deploy.receipt.created_address.unwrap();
    let bob = w.bob.address;
    let run = w.call(
        token,
        0,
        calldata(
            "transfer(address,uint256)",
            &[Arg::Address(bob), uint(1_000)],
        ),
    );
    assert_eq!(run.receipt.status, 1);
    assert_eq!(
        run.receipt.logs[0].topics[0],
        keccak(b"Transfer(address,address,uint256)")
    );
    // A second transfer (existing balance slots both sides).
    let run = w.call(
        token,
        0,
        calldata(
            "transfer(address,uint256)",
            &[Arg::Address(bob), uint(2_000)],
        ),
    );
    assert_eq!(run.receipt.status, 1);
    // More than alice has: reverts with ERC20InsufficientBalance.
    let run = w.call(
        token,
        0,
        calldata(
            "transfer(address,uint256)",
            &[Arg::Address(bob), Arg::Uint(supply)],
        ),
    );
    assert_eq!(run.receipt.outcome, 1);
    assert_eq!(
        run.receipt.revert_data[..4],
        selector("ERC20InsufficientBalance(address,uint256,uint256)")
    );
}

#[test]
fn erc721_mint_and_transfer() {
    let mut w = world();
    // Through the holder, as for the ERC-20.
    let deploy = w.h.run(
        &w.operator,
        &w.alice,
        None,
        0,
        creation_code("Nft"),
        3_000_000,
    );
    assert_eq!(deploy.receipt.status, 1);
    assert!(deploy.size > PACKET_DATA_SIZE, "{} bytes", deploy.size);
    println!("holder deploy of the ERC-721: {} CU", deploy.cu);
    let nft = deploy.receipt.created_address.unwrap();
    let (alice, bob) = (w.alice.address, w.bob.address);
    let run = w.call(
        nft,
        0,
        calldata("mint(address,uint256)", &[Arg::Address(alice), uint(7)]),
    );
    assert_eq!(run.receipt.status, 1);
    let run = w.call(
        nft,
        0,
        calldata(
            "transferFrom(address,address,uint256)",
            &[Arg::Address(alice), Arg::Address(bob), uint(7)],
        ),
    );
    assert_eq!(run.receipt.status, 1);
    assert_eq!(run.receipt.logs[0].topics[3], word(7));
    // Minting the same id again reverts (ERC721InvalidSender).
    let run = w.call(
        nft,
        0,
        calldata("mint(address,uint256)", &[Arg::Address(alice), uint(7)]),
    );
    assert_eq!(run.receipt.outcome, 1);
}

#[test]
fn uniswap_v2_swap() {
    let mut w = world();
    let supply = U256::from(1_000_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let op = w.operator.insecure_clone();
    let mut token = |name, symbol| {
        let run = w.h.run(
            &op,
            &w.alice,
            None,
            0,
            token_deployment(name, symbol, supply),
            3_000_000,
        );
        assert_eq!(run.receipt.status, 1);
        run.receipt.created_address.unwrap()
    };
    let (a, b) = (token("Token A", "TKA"), token("Token B", "TKB"));
    let reserves = U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18));
    let uni = uniswap_pair(&mut w.h, &op, &w.alice, a, b, reserves);
    let bob = w.bob.address;
    let amount_in = U256::from(10u64).pow(U256::from(18));
    let [transfer, swap] = uni.swap_calls(a, amount_in, reserves, bob);
    let run = w.call(transfer.0, 0, transfer.1);
    assert_eq!(run.receipt.status, 1);
    let run = w.call(swap.0, 0, swap.1);
    assert_eq!(run.receipt.status, 1);
    // Swap, Sync and the output Transfer to bob.
    let swap_topic = keccak(b"Swap(address,uint256,uint256,uint256,uint256,address)");
    assert!(run
        .receipt
        .logs
        .iter()
        .any(|l| l.topics[0] == swap_topic && l.address == uni.pair));
    // Asking for one more unit than the formula allows fails the K check.
    let [transfer, _] = uni.swap_calls(a, amount_in, reserves, bob);
    w.call(transfer.0, 0, transfer.1);
    let greedy = calldata(
        "swap(uint256,uint256,address,bytes)",
        &[
            Arg::Uint(U256::ZERO),
            Arg::Uint(amount_in),
            Arg::Address(bob),
            Arg::Bytes(&[]),
        ],
    );
    let run = w.call(uni.pair, 0, greedy);
    assert_eq!(run.receipt.outcome, 1);
}

/// `transaction_size` (which holds test transactions to the packet limit) is the wire size.
#[test]
fn transaction_size_is_the_wire_size() {
    let w = world();
    let raw = w
        .alice
        .sign(&tx1559(1337, 0, Some([1; 20]), 5, vec![7; 300], 50_000));
    let metas: Vec<_> = (0u8..6)
        .map(|i| {
            let key = account_pda(&[i; 20]).0;
            if i % 2 == 0 {
                solana_instruction::AccountMeta::new(key, false)
            } else {
                solana_instruction::AccountMeta::new_readonly(key, false)
            }
        })
        .collect();
    let mut ixs = budget_ixs();
    ixs.push(execute_ix(&w.operator.pubkey(), &raw, &metas));
    let message = solana_message::Message::new(&ixs, Some(&w.operator.pubkey()));
    let tx =
        solana_transaction::Transaction::new(&[&w.operator], message, w.h.svm.latest_blockhash());
    let wire = bincode::serialized_size(&tx).unwrap() as usize;
    assert_eq!(transaction_size(&ixs, &w.operator.pubkey()), wire);
}

/// The emulator's account list is exact for an ERC-20 transfer: without any one of the accounts,
/// or with any writable one passed read-only, `execute` refuses the transaction.
#[test]
fn discovered_accounts_are_all_needed() {
    let mut w = world();
    let supply = U256::from(1_000_000u64);
    let op = w.operator.pubkey();
    let operator = w.operator.insecure_clone();
    let deploy = w.h.run(
        &operator,
        &w.alice,
        None,
        0,
        token_deployment("T", "T", supply),
        3_000_000,
    );
    let token = deploy.receipt.created_address.unwrap();
    // A first transfer, so bob's balance slot exists and the second has read-only accounts too.
    let bob = w.bob.address;
    let transfer = calldata("transfer(address,uint256)", &[Arg::Address(bob), uint(5)]);
    w.call(token, 0, transfer.clone());
    let chain_id = w.h.config().chain_id;
    let nonce = w.h.eth_nonce(&w.alice.address);
    let raw = w
        .alice
        .sign(&tx1559(chain_id, nonce, Some(token), 0, transfer, GAS));
    let emulation = isthmus_program_tests::emulate(&w.h, &op, &raw);
    let metas = emulation.metas.clone();
    let readonly = metas.iter().filter(|m| !m.is_writable).count();
    println!("{} accounts, {readonly} read-only", metas.len());
    assert!(readonly >= 2, "the token's account and code are only read");
    for i in 0..metas.len() {
        let mut fewer = metas.clone();
        fewer.remove(i);
        let f =
            w.h.execute(&w.operator, &raw, &fewer)
                .expect_err("an account missing");
        assert_eq!(
            f.custom(),
            ProgramError::AccountNotProvided.code(),
            "without {i}"
        );
        if metas[i].is_writable {
            let mut ro = metas.clone();
            ro[i].is_writable = false;
            let f = w.h.execute(&w.operator, &raw, &ro).expect_err("read-only");
            assert_eq!(
                f.custom(),
                ProgramError::AccountNotWritable.code(),
                "{i} read-only"
            );
        }
    }
    w.h.run_raw(&w.operator, &raw);
}
