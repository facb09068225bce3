//! The emulator agrees with the program on the block: a contract that logs NUMBER, TIMESTAMP,
//! BASEFEE, PREVRANDAO, BLOCKHASH(NUMBER - 1), COINBASE, GASPRICE and GASLIMIT runs through the
//! relayer, and the logs and gas the emulator predicted are what the program produced, also on a
//! contract whose local fee market is congested (its base fee above the floor).

use isthmus_evm::U256;
use isthmus_relayer::{relay, RelayError};
use isthmus_test_support::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const CONTRACT: [u8; 20] = [0xb1; 20];

/// Stores the eight block values in memory words 0..8 and logs them (LOG0 of 256 bytes).
const BLOCK_LOGGER: &[u8] = &[
    0x43, 0x5f, 0x52, // NUMBER PUSH0 MSTORE
    0x42, 0x60, 0x20, 0x52, // TIMESTAMP
    0x48, 0x60, 0x40, 0x52, // BASEFEE
    0x44, 0x60, 0x60, 0x52, // PREVRANDAO
    0x60, 0x01, 0x43, 0x03, 0x40, 0x60, 0x80, 0x52, // BLOCKHASH(NUMBER - 1)
    0x41, 0x60, 0xa0, 0x52, // COINBASE
    0x3a, 0x60, 0xc0, 0x52, // GASPRICE
    0x45, 0x60, 0xe0, 0x52, // GASLIMIT
    0x61, 0x01, 0x00, 0x5f, 0xa0, // PUSH2 256 PUSH0 LOG0
    0x00, // STOP
];

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
}

impl World {
    fn new(fee_market: FeeMarketParams) -> Self {
        let (mut h, operator) = Harness::with_fee_market(fee_market);
        let alice = EthWallet::new(0xa1);
        h.deposit_to(&alice.address, 10 * SOL).unwrap();
        h.plant_contract(&CONTRACT, BLOCK_LOGGER);
        // A cluster's SlotHashes: the 300 slots before 1,000.
        h.warp_to(1_000, 300, &[]);
        h.set_time(1_750_000_000);
        Self { h, operator, alice }
    }

    /// Calls the logger through the relayer; returns the logged words and checks the emulator
    /// predicted the program exactly.
    fn call(&mut self) -> [U256; 8] {
        let nonce = self.h.eth_nonce(&self.alice.address);
        let raw = self
            .alice
            .sign(&tx1559(1337, nonce, Some(CONTRACT), 0, Vec::new(), 100_000));
        let emulation = emulate(&self.h, &self.operator.pubkey(), &raw);
        let predicted = emulation.result().clone();
        let relayed = relay(&mut self.h, &self.operator, &raw).expect("relayed");
        assert!(relayed.differences.is_empty(), "{:?}", relayed.differences);
        let receipt = relayed.receipt;
        assert_eq!(receipt.status, 1);
        assert_eq!(receipt.gas_used, predicted.gas_used);
        assert_eq!(receipt.logs.len(), 1);
        assert_eq!(predicted.logs.len(), 1);
        assert_eq!(receipt.logs[0].data, predicted.logs[0].data);
        let data = &receipt.logs[0].data;
        std::array::from_fn(|i| U256::from_be_slice(&data[32 * i..32 * i + 32]))
    }

    fn slot(&self) -> u64 {
        self.h.clock().slot
    }
}

fn word(bytes: &[u8]) -> U256 {
    U256::from_be_slice(bytes)
}

#[test]
fn block_values_are_the_programs() {
    let mut w = World::new(FeeMarketParams::default());
    let [number, timestamp, base_fee, prevrandao, blockhash, coinbase, gas_price, gas_limit] =
        w.call();
    assert_eq!(number, U256::from(w.slot()));
    assert_eq!(timestamp, U256::from(1_750_000_000u64));
    assert_eq!(
        base_fee,
        U256::from(FeeMarketParams::default().min_base_fee)
    );
    // PREVRANDAO: the newest slot hash; BLOCKHASH(NUMBER - 1): that same slot's hash.
    assert_eq!(prevrandao, word(&test_slot_hash(999)));
    assert_eq!(blockhash, word(&test_slot_hash(999)));
    assert_eq!(coinbase, word(&operator_eth_address(&w.operator.pubkey())));
    // Base fee + the 1 gwei tip, under the 2 gwei cap.
    assert_eq!(gas_price, base_fee + U256::from(1_000_000_000u64));
    assert_eq!(gas_limit, U256::from(30_000_000u64));
}

#[test]
fn a_congested_contract_pays_its_own_base_fee() {
    // A small cap, so a few calls in one slot take the contract over its target.
    let params = FeeMarketParams {
        contract_compute_cap: 300_000,
        ..FeeMarketParams::default()
    };
    let mut w = World::new(params);
    let mut calls = 0;
    while w.h.fee_market(&CONTRACT).map(|m| m.used).unwrap_or(0) <= params.contract_compute_cap / 2
    {
        assert!(calls < 10, "never over the target");
        w.call();
        calls += 1;
    }
    let used = w.h.fee_market(&CONTRACT).unwrap().used;
    assert!(used > params.contract_compute_cap / 2, "used {used}");
    // The next slot: the base fee rose, and the emulator (checked inside `call`) knew it.
    w.h.warp_to(1_001, 300, &[]);
    let [number, _, base_fee, prevrandao, blockhash, ..] = w.call();
    assert_eq!(number, U256::from(1_001u64));
    assert!(
        base_fee > U256::from(params.min_base_fee),
        "base fee {base_fee} after {used} CU"
    );
    assert_eq!(
        base_fee,
        U256::from(w.h.fee_market(&CONTRACT).unwrap().base_fee)
    );
    assert_eq!(prevrandao, word(&test_slot_hash(1_000)));
    assert_eq!(blockhash, word(&test_slot_hash(1_000)));
}

/// A contract at its compute cap for the slot: the relayer sends nothing (the program would
/// refuse the transaction after running it, at the operator's expense) and says to wait; the next
/// slot takes it.
#[test]
fn a_transaction_over_a_contracts_cap_waits_for_the_next_slot() {
    let params = FeeMarketParams {
        contract_compute_cap: 300_000,
        ..FeeMarketParams::default()
    };
    let mut w = World::new(params);
    let op = w.operator.insecure_clone();
    let mut relayed = 0;
    let (raw, before) = loop {
        assert!(relayed < 20, "the cap never stopped a call");
        let nonce = w.h.eth_nonce(&w.alice.address);
        let raw = w
            .alice
            .sign(&tx1559(1337, nonce, Some(CONTRACT), 0, Vec::new(), 100_000));
        let before = (w.h.lamports(&op.pubkey()), w.h.fee_market(&CONTRACT));
        match relay(&mut w.h, &op, &raw) {
            Ok(r) => {
                assert_eq!(r.receipt.status, 1);
                relayed += 1;
            }
            Err(RelayError::Busy(why)) => {
                assert!(why.contains("300000"), "{why}");
                break (raw, before);
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert!(relayed >= 2, "{relayed} calls fit");
    // Nothing was sent: no fee paid, the market as it was.
    assert_eq!(
        (w.h.lamports(&op.pubkey()), w.h.fee_market(&CONTRACT)),
        before
    );
    w.h.warp_to(1_001, 300, &[]);
    let r = relay(&mut w.h, &op, &raw).expect("the next slot takes it");
    assert_eq!(r.receipt.status, 1);
}
