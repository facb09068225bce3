//! Operators never pay for users (issue 11, point 4): on a chain whose config charges Solana
//! costs, a transaction's gas includes the rent of every account it creates and the operator's
//! signature, the emulator predicts it to the gas, a gas limit that does not cover it is refused
//! with nothing changed, and the hostile workload leaves the operator no poorer.

use interface::solana_costs::{rent_exempt, LAMPORTS_PER_SIGNATURE};
use isthmus_evm::machine::create_address;
use isthmus_evm::{HostCrypto, InvalidTransaction, RunOutcome, U256};
use isthmus_program_tests::economics::{charging_chain, hostile_workload};
use isthmus_program_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

const GWEI: u64 = 1_000_000_000;
const FRESH: [u8; 20] = [0x5e; 20];

/// A charging chain at a 1 gwei floor (1 lamport a gas) and a funded sender.
fn chain() -> (Harness, Keypair, EthWallet) {
    let (mut h, op) = Harness::with_fee_market(FeeMarketParams {
        charge_solana_costs: true,
        ..FeeMarketParams::default()
    });
    let alice = EthWallet::new(0x71);
    h.deposit_to(&alice.address, 50_000_000_000).unwrap();
    (h, op, alice)
}

/// A 1-wei transfer from `alice` to `to` with `gas_limit`, at the floor.
fn transfer(h: &Harness, alice: &EthWallet, to: [u8; 20], gas_limit: u64) -> Vec<u8> {
    let nonce = h.eth_nonce(&alice.address);
    let mut tx = tx1559(h.config().chain_id, nonce, Some(to), 1, vec![], gas_limit);
    tx.gas_price = U256::from(GWEI);
    tx.gas_priority_fee = Some(U256::ZERO);
    alice.sign(&tx)
}

/// The accounts a transfer from `alice` to `to` through `op` may create: the recipient's and
/// COINBASE's EthAccounts, the recipient's fee market.
fn created_by_transfer(op: &Keypair, to: &[u8; 20]) -> [Address; 3] {
    [
        pda::account(to).0,
        pda::account(&operator_eth_address(&op.pubkey())).0,
        pda::fee_market(to).0,
    ]
}

#[test]
fn a_transfer_to_a_new_address_pays_the_rent_it_causes() {
    let (mut h, op, alice) = chain();
    let raw = transfer(&h, &alice, FRESH, 10_000_000);
    let created = created_by_transfer(&op, &FRESH);
    assert!(created.iter().all(|a| h.account(a).is_none()));
    let balance_before = h.eth_account(&alice.address).unwrap().balance;
    let predicted = emulate(&h, &op.pubkey(), &raw);

    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed.receipt.status, 1);
    assert!(relayed.differences.is_empty(), "{:?}", relayed.differences);

    // The rent the operator paid for the transaction, read from the chain: the new accounts'
    // lamports, but COINBASE's, which is the operator's own (made on its first payment).
    assert!(h.account(&created[1]).is_some());
    let rent: u64 = [created[0], created[2]].iter().map(|a| h.lamports(a)).sum();
    assert_eq!(
        rent,
        rent_exempt(interface::account::eth_account::LEN)
            + rent_exempt(interface::account::fee_market::LEN)
    );
    let gas = 21_000 + rent + LAMPORTS_PER_SIGNATURE; // 1 lamport a gas at 1 gwei
    assert_eq!(relayed.receipt.gas_used, gas);
    assert_eq!(predicted.finished().unwrap().gas_used, gas);
    // The sender paid exactly value + gas * price, as its wallet computes from the receipt.
    let balance_after = h.eth_account(&alice.address).unwrap().balance;
    assert_eq!(
        balance_before - balance_after,
        1 + gas as u128 * GWEI as u128
    );
    // COINBASE holds all of it (the base fee is the operator's here), which it withdraws.
    let coinbase = operator_eth_address(&op.pubkey());
    assert_eq!(
        h.eth_account(&coinbase).unwrap().balance,
        gas as u128 * GWEI as u128
    );
}

#[test]
fn a_gas_limit_below_the_solana_costs_is_refused_with_nothing_changed() {
    let (mut h, op, alice) = chain();
    // Enough for the EVM (21,000) but not for the new accounts' rent.
    let raw = transfer(&h, &alice, FRESH, 1_000_000);
    let emulation = emulate(&h, &op.pubkey(), &raw);
    let needed = 21_000
        + rent_exempt(interface::account::eth_account::LEN)
        + rent_exempt(interface::account::fee_market::LEN)
        + LAMPORTS_PER_SIGNATURE;
    assert_eq!(
        emulation.outcome,
        RunOutcome::Invalid(InvalidTransaction::HostCostsNotCovered {
            gas_limit: 1_000_000,
            needed
        })
    );
    // The relayer refuses it before spending anything.
    let before = h.lamports(&op.pubkey());
    assert!(isthmus_relayer::relay(&mut h, &op, &raw).is_err());
    assert_eq!(h.lamports(&op.pubkey()), before);

    // Sent anyway (with the accounts a covering run would use), the program refuses it whole.
    let covered = transfer(&h, &alice, FRESH, 10_000_000);
    let metas = emulate(&h, &op.pubkey(), &covered).metas;
    let mut watched = vec![pda::account(&alice.address).0];
    watched.extend(created_by_transfer(&op, &FRESH));
    let snapshot = h.snapshot(&watched);
    let refused = h.execute(&op, &raw, &metas).unwrap_err();
    assert_eq!(
        refused.program_error(),
        Some(ProgramError::SolanaCostsNotCovered)
    );
    assert_eq!(h.snapshot(&watched), snapshot);

    // With the gas it needs, the same transfer goes through.
    let raw = transfer(&h, &alice, FRESH, needed);
    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed.receipt.gas_used, needed);
}

#[test]
fn a_transfer_that_creates_nothing_pays_only_the_signature() {
    let (mut h, op, alice) = chain();
    let raw = transfer(&h, &alice, FRESH, 10_000_000);
    isthmus_relayer::relay(&mut h, &op, &raw).unwrap();
    // Now the recipient, its fee market and COINBASE exist.
    let raw = transfer(&h, &alice, FRESH, 10_000_000);
    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap();
    assert_eq!(relayed.receipt.gas_used, 21_000 + LAMPORTS_PER_SIGNATURE);
}

#[test]
fn a_development_chain_keeps_ethereums_gas() {
    let (mut h, op) = Harness::with_operator();
    let alice = EthWallet::new(0x71);
    h.deposit_to(&alice.address, 50_000_000_000).unwrap();
    let raw = transfer(&h, &alice, FRESH, 21_000);
    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap();
    assert_eq!(relayed.receipt.gas_used, 21_000);
}

/// Issue 11's hostile workload (new addresses, new slots, a cancelled iterative transaction, a
/// refused holder) on a charging chain at the prices rpc-proxy quotes: the operator ends with
/// at least the SOL it started with once it withdraws its gas.
#[test]
fn the_operator_is_not_poorer_after_a_hostile_workload() {
    let run = hostile_workload(charging_chain());
    assert!(
        run.net >= 0,
        "operator-net {} over {} transactions",
        run.net,
        run.transactions
    );
}

/// A 24 KiB deployment runs in steps; its code account is grown over several of them and the
/// fee market of creations is made in the first: the holder carries that rent to the last step,
/// which charges it with the rest, as the emulator predicted.
#[test]
fn an_iterative_deployment_pays_the_rent_its_steps_caused() {
    const PRICE: u64 = 20 * GWEI; // at 1 gwei the code's rent alone (172M lamports) is over the cap
    let (mut h, op) = Harness::with_fee_market(FeeMarketParams {
        charge_solana_costs: true,
        min_base_fee: PRICE,
        ..FeeMarketParams::default()
    });
    let alice = EthWallet::new(0x72);
    h.deposit_to(&alice.address, 50_000_000_000).unwrap();
    // 24,576 bytes of runtime (STOP, then JUMPDESTs), returned by a 14-byte constructor.
    let mut runtime = vec![0x5bu8; 24_576];
    runtime[0] = 0x00;
    let mut initcode = vec![
        0x61, 0x60, 0x00, 0x60, 0x0e, 0x60, 0x00, 0x39, 0x61, 0x60, 0x00, 0x60, 0x00, 0xf3,
    ];
    initcode.extend_from_slice(&runtime);
    let mut tx = tx1559(h.config().chain_id, 0, None, 0, initcode, 16_000_000);
    tx.gas_price = U256::from(PRICE);
    tx.gas_priority_fee = Some(U256::ZERO);
    let raw = alice.sign(&tx);
    let contract = create_address(&HostCrypto, &alice.address, 0);
    // COINBASE's account is made too, but it is the operator's own and not charged.
    let created = [
        pda::account(&contract).0,
        pda::code(&contract).0,
        pda::fee_market(&[0; 20]).0,
    ];
    let predicted = emulate(&h, &op.pubkey(), &raw);

    let relayed = isthmus_relayer::relay(&mut h, &op, &raw).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed.receipt.status, 1);
    assert!(relayed.steps > 1, "{} steps", relayed.steps);
    assert!(relayed.differences.is_empty(), "{:?}", relayed.differences);
    let rent: u64 = created.iter().map(|a| h.lamports(a)).sum();
    let solana_gas = (rent + LAMPORTS_PER_SIGNATURE).div_ceil(PRICE / GWEI);
    assert_eq!(predicted.solana_costs_gas, solana_gas);
    assert_eq!(
        relayed.receipt.gas_used,
        predicted.evm_gas().unwrap() + solana_gas
    );
    // The holder is left idle with no rent carried over to the next transaction.
    let holder = relayed_holder(&h, &op);
    assert_eq!(holder.rent, 0);
}

/// The operator's first holder's header.
fn relayed_holder(h: &Harness, op: &Keypair) -> interface::account::HolderHeader {
    let data = h
        .account(&pda::holder(&op.pubkey(), 0))
        .expect("a holder")
        .data;
    interface::account::HolderHeader::decode(&data).unwrap()
}

/// With a priority fee (a congested cluster; here LiteSVM charges it), a transaction whose gas
/// does not pay for its relay is refused before the operator sends anything; one priced to pay
/// for it goes through and leaves the operator no poorer once it withdraws its gas.
#[test]
fn an_underpriced_transaction_is_refused_before_the_operator_pays_priority_fees() {
    let (mut h, op, alice) = chain();
    let warm = transfer(&h, &alice, FRESH, 10_000_000);
    isthmus_relayer::relay(&mut h, &op, &warm).unwrap();
    // 1 lamport a compute unit: 1.4M lamports of priority fee per relayed transaction.
    h.chain.priority_fee = 1_000_000;
    let per_transaction = fee_per_transaction(1_000_000);
    assert_eq!(per_transaction, 5_000 + 1_400_000);

    // At the 1 gwei floor a transfer pays 26,000 lamports: refused, nothing sent.
    let before = h.lamports(&op.pubkey());
    let cheap = transfer(&h, &alice, FRESH, 100_000);
    let refused = isthmus_relayer::relay(&mut h, &op, &cheap).unwrap_err();
    assert!(refused.to_string().contains("underpriced"), "{refused}");
    assert_eq!(h.lamports(&op.pubkey()), before);
    assert_eq!(h.eth_nonce(&alice.address), 1);

    // At 100 gwei it pays 2.6M lamports: relayed, and the operator comes out ahead.
    let coinbase = operator_eth_address(&op.pubkey());
    let earned_before = h.eth_account(&coinbase).unwrap().balance;
    let mut tx = tx1559(h.config().chain_id, 1, Some(FRESH), 1, vec![], 100_000);
    tx.gas_price = U256::from(100 * GWEI);
    tx.gas_priority_fee = Some(U256::from(99 * GWEI));
    let priced = alice.sign(&tx);
    let relayed = isthmus_relayer::relay(&mut h, &op, &priced).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed.receipt.status, 1);
    // It paid the priority fee on its 1.4M compute units (the fee payer's SOL, before the gas).
    assert_eq!(before - h.lamports(&op.pubkey()), per_transaction);
    let earned = h.eth_account(&coinbase).unwrap().balance - earned_before;
    let lamports = (earned / WEI_PER_LAMPORT) as u64;
    h.send(&[withdraw_ix(&op.pubkey(), &coinbase, lamports)], &op, &[])
        .unwrap();
    assert!(
        h.lamports(&op.pubkey()) >= before,
        "the operator lost {} lamports",
        before - h.lamports(&op.pubkey())
    );
}
