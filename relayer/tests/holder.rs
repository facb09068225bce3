//! The relayer over the built program in LiteSVM: each transaction takes the path its size and
//! compute need, and a holder left busy (the relayer stopped in the middle of a stepped
//! transaction) is stepped on when it holds the same transaction and cancelled when it holds
//! another, so the next transactions go through.

use isthmus_evm::machine::create_address;
use isthmus_evm::{HostCrypto, U256};
use isthmus_relayer::{estimate, relay, Path};
use isthmus_test_support::contracts::{creation_code, encode, selector, Arg};
use isthmus_test_support::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    chain_id: u64,
}

fn world() -> World {
    let (mut h, operator) = Harness::with_operator();
    let alice = EthWallet::new(0xa7);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let chain_id = h.config().chain_id;
    World {
        h,
        operator,
        alice,
        chain_id,
    }
}

impl World {
    fn sign(&self, nonce: u64, to: Option<[u8; 20]>, data: Vec<u8>, gas: u64) -> Vec<u8> {
        self.alice
            .sign(&tx1559(self.chain_id, nonce, to, 0, data, gas))
    }

    fn burn(&self, nonce: u64, burner: [u8; 20], n: u64) -> Vec<u8> {
        let mut data = selector("burn(uint256)").to_vec();
        data.extend(encode(&[Arg::Uint(U256::from(n))]));
        self.sign(nonce, Some(burner), data, 10_000_000)
    }

    fn holder_status(&self) -> u8 {
        let holder = holder_pda(&self.operator.pubkey(), 0);
        HolderHeader::decode(&self.h.account(&holder).unwrap().data)
            .unwrap()
            .status
    }
}

/// Deploys Burner (its initcode does not fit one Solana transaction: a holder).
fn deploy_burner(w: &mut World) -> [u8; 20] {
    let raw = w.sign(0, None, creation_code("Burner"), 1_000_000);
    let op = w.operator.insecure_clone();
    let relayed = relay(&mut w.h, &op, &raw).expect("deployed");
    assert_eq!(relayed.receipt.status, 1);
    assert!(relayed.differences.is_empty(), "{:?}", relayed.differences);
    create_address(&HostCrypto, &w.alice.address, 0)
}

#[test]
fn each_transaction_takes_the_path_it_needs() {
    let mut w = world();
    let burner = deploy_burner(&mut w);
    let op = w.operator.insecure_clone();
    let raw = w.burn(1, burner, 10);
    let small = relay(&mut w.h, &op, &raw).unwrap();
    assert_eq!((small.path, small.solana_txs), (Path::Execute, 1));
    let raw = w.burn(2, burner, 60_000);
    let large = relay(&mut w.h, &op, &raw).unwrap();
    assert_eq!(large.path, Path::Steps);
    assert!(
        large.solana_txs > 2,
        "{} Solana transactions",
        large.solana_txs
    );
    assert_eq!(large.receipt.status, 1);
    assert!(large.differences.is_empty(), "{:?}", large.differences);
    // Refused by the emulator: nothing sent.
    let raw = w.burn(2, burner, 10);
    let stale = relay(&mut w.h, &op, &raw).unwrap_err();
    assert!(
        matches!(stale, isthmus_relayer::RelayError::Invalid(_)),
        "{stale}"
    );
    assert_eq!(w.h.eth_nonce(&w.alice.address), 3);
}

/// Writes `raw` into holder 0 and runs one step of 1,000 opcodes: the holder is busy with it,
/// as when a relayer stops there.
fn leave_busy(w: &mut World, raw: &[u8]) {
    let op = w.operator.insecure_clone();
    let emulation = isthmus_test_support::emulate(&w.h, &op.pubkey(), raw);
    let (holder, _, _) = w.h.write_holder(&op, 0, raw);
    w.h.step(&op, &holder, 1_000, &emulation.metas)
        .expect("a first step");
    assert_eq!(w.holder_status(), 1, "running");
}

#[test]
fn a_busy_holder_with_the_same_transaction_is_resumed() {
    let mut w = world();
    let burner = deploy_burner(&mut w);
    let raw = w.burn(1, burner, 60_000);
    leave_busy(&mut w, &raw);
    let op = w.operator.insecure_clone();
    let relayed = relay(&mut w.h, &op, &raw).expect("resumed");
    assert_eq!(relayed.path, Path::Steps);
    assert_eq!(relayed.receipt.status, 1);
    assert_eq!(relayed.receipt.tx_hash, keccak(&raw));
    assert_eq!(w.holder_status(), 0, "idle again");
    assert_eq!(w.h.eth_nonce(&w.alice.address), 2);
}

#[test]
fn a_busy_holder_with_another_transaction_is_cancelled_first() {
    let mut w = world();
    let burner = deploy_burner(&mut w);
    // Bob's stepped transaction was left in the holder.
    let bob = EthWallet::new(0xb0);
    w.h.deposit_to(&bob.address, SOL).unwrap();
    let mut data = selector("burn(uint256)").to_vec();
    data.extend(encode(&[Arg::Uint(U256::from(60_000u64))]));
    let stale = bob.sign(&tx1559(w.chain_id, 0, Some(burner), 0, data, 10_000_000));
    leave_busy(&mut w, &stale);
    // Alice's next transaction needs the holder too (steps): Bob's is cancelled first (his nonce
    // used, outcome 3), then hers runs.
    let op = w.operator.insecure_clone();
    let next = w.burn(1, burner, 60_000);
    let relayed = relay(&mut w.h, &op, &next).expect("relayed after the cancel");
    assert_eq!(relayed.receipt.status, 1);
    assert_eq!(relayed.receipt.tx_hash, keccak(&next));
    assert_eq!(w.holder_status(), 0);
    assert_eq!(w.h.eth_nonce(&w.alice.address), 2);
    assert_eq!(
        w.h.eth_nonce(&bob.address),
        1,
        "the cancelled transaction used its nonce"
    );
}

#[test]
fn the_estimate_is_close_to_what_the_relay_takes() {
    let mut w = world();
    let burner = deploy_burner(&mut w);
    let op = w.operator.insecure_clone();
    for (nonce, n) in [(1, 10), (2, 500), (3, 20_000)] {
        let raw = w.burn(nonce, burner, n);
        let emulation = isthmus_test_support::emulate(&w.h, &op.pubkey(), &raw);
        let expected = estimate(&op.pubkey(), &raw, &emulation);
        let relayed = relay(&mut w.h, &op, &raw).unwrap();
        assert_eq!(expected.path, relayed.path, "burn({n})");
        let ratio = expected.compute_units as f64 / relayed.compute_units as f64;
        assert!(
            (0.8..1.25).contains(&ratio),
            "burn({n}): estimated {} CU, took {}",
            expected.compute_units,
            relayed.compute_units
        );
        let txs = relayed.solana_txs as i64 - expected.solana_txs as i64;
        assert!(
            txs.abs() <= 2,
            "burn({n}): estimated {} Solana transactions, took {}",
            expected.solana_txs,
            relayed.solana_txs
        );
    }
}

/// A stepped transaction that holds 60 KB of EVM memory is cancelled: `cancel` decodes the
/// paused machine, which needs the heap a step has (256 KiB), not the default 32 KiB.
#[test]
fn a_transaction_holding_much_memory_is_cancelled() {
    let mut w = world();
    // MLOAD at 0xf000 (memory grows to 60 KB), then JUMPDEST PUSH1 6 JUMP forever.
    let looper = [0x10; 20];
    w.h.plant_contract(
        &looper,
        &[0x62, 0x00, 0xf0, 0x00, 0x51, 0x50, 0x5b, 0x60, 0x06, 0x56],
    );
    let raw = w.sign(0, Some(looper), vec![], 2_000_000);
    let op = w.operator.insecure_clone();
    let metas = isthmus_test_support::emulate(&w.h, &op.pubkey(), &raw).metas;
    let (holder, _, _) = w.h.write_holder(&op, 0, &raw);
    // Room for the paused machine's memory, as the relayer makes it.
    for _ in 0..7 {
        w.h.grow_holder(&op, &holder);
    }
    w.h.step(&op, &holder, 1_000, &metas).expect("a first step");
    assert_eq!(w.holder_status(), 1, "running");
    let cancelled = isthmus_relayer::holder::cancel(&mut w.h, &op, &metas, 0).expect("cancelled");
    assert_eq!(cancelled.receipt.outcome, 3);
    assert_eq!(cancelled.receipt.status, 0);
    assert_eq!(w.holder_status(), 0, "idle again");
    assert_eq!(w.h.eth_nonce(&w.alice.address), 1);
}

/// A transaction whose machine cannot move in a step's heap (192 KB of EVM memory) is given up
/// after a few steps that run nothing, and cancelled (charged as out of gas), not stepped until
/// the step limit at the operator's expense. Found by OpenZeppelin's account tests.
#[test]
fn a_transaction_that_cannot_move_is_cancelled_after_a_few_steps() {
    let mut w = world();
    // MLOAD at 0x30000 (memory grows to 192 KB), then JUMPDEST PUSH1 6 JUMP forever.
    let looper = [0x11; 20];
    w.h.plant_contract(
        &looper,
        &[0x62, 0x03, 0x00, 0x00, 0x51, 0x50, 0x5b, 0x60, 0x06, 0x56],
    );
    let raw = w.sign(0, Some(looper), vec![], 2_000_000);
    let op = w.operator.insecure_clone();
    let holder = holder_pda(&op.pubkey(), 0);
    let coinbase = account_pda(&operator_eth_address(&op.pubkey())).0;
    let owned =
        |w: &World| w.h.lamports(&op.pubkey()) + w.h.lamports(&holder) + w.h.lamports(&coinbase);
    let before = owned(&w);
    let relayed = relay(&mut w.h, &op, &raw).expect("cancelled, with a receipt");
    assert_eq!(relayed.path, Path::Cancelled);
    assert_eq!(relayed.receipt.outcome, 3);
    // Beyond the rent of its holder and of its COINBASE account (which it keeps), the operator
    // paid ~1.5M lamports (the contract's fee-market account's rent and a few dozen transaction
    // fees: holder writes and growth, steps, the cancel), not 2,000 steps' 10M more.
    let spent = before - owned(&w);
    assert!(spent < 3_000_000, "{spent} lamports");
    assert_eq!(w.h.eth_nonce(&w.alice.address), 1);
}
