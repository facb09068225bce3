//! The program as a cluster runs it (issue 11): independent Ethereum transactions become Solana
//! transactions that lock disjoint accounts, on mainnet-beta's feature set, and every contract
//! whose code runs counts in its own fee market.

use interface::account::{fee_market as market_layout, FEE_MARKET_DISCRIMINATOR};
use interface::fee_market::CU_PER_GAS;
use isthmus_evm::U256;
use isthmus_program_tests::parallel::{disjoint_writes, TRANSFERS};
use isthmus_program_tests::*;
use isthmus_relayer::RelayError;
use solana_address::Address;
use solana_signer::Signer;

/// Eight ERC-20 transfers on eight tokens from eight senders, relayed through eight operators:
/// no writable account in common, so a cluster may run all eight in one slot. (The blockhash
/// registry is read-only for executions; each operator's fee payer and COINBASE are its own.)
#[test]
fn independent_transfers_write_disjoint_accounts() {
    let run = disjoint_writes();
    assert!(run.all_succeeded);
    assert_eq!(run.writable.len(), TRANSFERS);
    assert_eq!(run.transactions, TRANSFERS, "one Solana transaction each");
    assert_eq!(
        run.conflicting_pairs, 0,
        "writable sets: {:#?}",
        run.writable
    );
    let registry = pda::blockhashes();
    assert!(run.writable.iter().all(|w| !w.contains(&registry)));
}

const GWEI: u64 = 1_000_000_000;
/// A contract that calls [`HOT`] and stops.
const WRAPPER: [u8; 20] = [0x3a; 20];
/// A contract whose code runs only through [`WRAPPER`]: `MSTORE(0, 1)`.
const HOT: [u8; 20] = [0x40; 20];
const HOT_CODE: [u8; 6] = [0x60, 0x01, 0x60, 0x00, 0x52, 0x00];

fn wrapper_code() -> Vec<u8> {
    // CALL(gas, HOT, 0, 0, 0, 0, 0); STOP
    let mut code = vec![0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x73];
    code.extend_from_slice(&HOT);
    code.extend_from_slice(&[0x5a, 0xf1, 0x00]);
    code
}

/// A call to [`WRAPPER`] from `wallet` paying at most `max_fee` wei a gas, `tip` to the operator.
fn call_wrapper(h: &Harness, wallet: &EthWallet, max_fee: u64, tip: u64) -> Vec<u8> {
    let nonce = h.eth_nonce(&wallet.address);
    let mut tx = tx1559(
        h.config().chain_id,
        nonce,
        Some(WRAPPER),
        0,
        vec![],
        100_000,
    );
    tx.gas_price = U256::from(max_fee);
    tx.gas_priority_fee = Some(U256::from(tip));
    wallet.sign(&tx)
}

/// A contract run through another one counts in its own fee market: the relayer passes that
/// market (the emulator finds it), the program charges it (creating it at the floor), refuses the
/// transaction when it is missing, and takes the highest base fee of the contracts run as BASEFEE.
#[test]
fn every_contract_whose_code_runs_counts_in_its_fee_market() {
    let (mut h, op) = Harness::with_operator();
    h.plant_contract(&WRAPPER, &wrapper_code());
    h.plant_contract(&HOT, &HOT_CODE);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 1_000_000_000).unwrap();
    h.warp_to(100, 50, &[]);

    // Without HOT's fee market the program refuses, changing nothing.
    let raw = call_wrapper(&h, &alice, 2 * GWEI, GWEI);
    let emulation = emulate(&h, &op.pubkey(), &raw);
    assert_eq!(emulation.fee_markets, vec![HOT]);
    let hot_market = pda::fee_market(&HOT).0;
    let without: Vec<_> = emulation
        .metas
        .iter()
        .filter(|m| m.pubkey != hot_market)
        .cloned()
        .collect();
    let watch: Vec<Address> = emulation.metas.iter().map(|m| m.pubkey).collect();
    let before = h.snapshot(&watch);
    let f = h.execute(&op, &raw, &without).unwrap_err();
    assert_eq!(f.custom(), ProgramError::AccountNotProvided.code());
    assert_eq!(h.snapshot(&watch), before);

    // Relayed: both markets charged the transaction's gas.
    let run = h.run_raw(&op, &raw);
    assert_eq!(run.receipt.status, 1);
    let charged = run.receipt.gas_used * CU_PER_GAS;
    for contract in [WRAPPER, HOT] {
        let market = h.fee_market(&contract).expect("created");
        assert_eq!((market.last_slot, market.used), (100, charged));
        assert_eq!(market.base_fee, GWEI);
    }

    // HOT congested (5 gwei): calling it through WRAPPER pays HOT's base fee.
    let mut data = vec![0u8; market_layout::LEN];
    data[..8].copy_from_slice(&FEE_MARKET_DISCRIMINATOR);
    data[market_layout::ADDRESS..market_layout::ADDRESS + 20].copy_from_slice(&HOT);
    data[market_layout::BUMP] = pda::fee_market(&HOT).1;
    data[market_layout::LAST_SLOT..market_layout::LAST_SLOT + 8]
        .copy_from_slice(&101u64.to_le_bytes());
    data[market_layout::BASE_FEE..market_layout::BASE_FEE + 8]
        .copy_from_slice(&(5 * GWEI).to_le_bytes());
    h.plant(hot_market, data);
    h.warp_to(101, 50, &[]);
    let cheap = call_wrapper(&h, &alice, 2 * GWEI, GWEI);
    match isthmus_relayer::relay(&mut h, &op, &cheap) {
        Err(RelayError::Invalid(why)) => assert!(why.contains("FeeCapTooLow"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The program refuses it too when a relayer sends it anyway (with the accounts it needs).
    let f = h.execute(&op, &cheap, &emulation.metas).unwrap_err();
    assert_eq!(f.custom(), ProgramError::FeeCapBelowBaseFee.code());
    let run = h.run_raw(&op, &call_wrapper(&h, &alice, 10 * GWEI, GWEI));
    assert_eq!(run.receipt.status, 1);
    assert_eq!(run.receipt.effective_gas_price, (6 * GWEI) as u128);
    assert_eq!(run.emulation.block.base_fee, U256::from(5 * GWEI));
}

/// `SSTORE(calldata[0..32], calldata[32..64])`.
const STORE_CODE: [u8; 8] = [0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x55, 0x00];

/// A call from `wallet` to `contract` with `words` (each a 32-byte big-endian word) as its data.
fn words_call(h: &Harness, wallet: &EthWallet, contract: [u8; 20], words: &[u64]) -> Vec<u8> {
    let data = words.iter().flat_map(|w| slot_key(*w)).collect();
    let nonce = h.eth_nonce(&wallet.address);
    wallet.sign(&tx1559(
        h.config().chain_id,
        nonce,
        Some(contract),
        0,
        data,
        200_000,
    ))
}

/// A storage cell written back to zero is closed and its rent returns to the operator that
/// relays the write (zero is what a missing cell reads); writing the slot again creates it anew.
#[test]
fn a_storage_cell_set_to_zero_is_closed_and_its_rent_returned() {
    let (mut h, op) = Harness::with_operator();
    let contract = [0x5e; 20];
    h.plant_contract(&contract, &STORE_CODE);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 1_000_000_000).unwrap();
    let cell = storage_pda(&contract, 100);

    let run = h.run_raw(&op, &words_call(&h, &alice, contract, &[100, 7]));
    assert_eq!(run.receipt.status, 1);
    let rent = h.account(&cell).expect("the cell is created").lamports;
    assert!(rent > 0);

    let before = h.lamports(&op.pubkey());
    let run = h.run_raw(&op, &words_call(&h, &alice, contract, &[100, 0]));
    assert_eq!(run.receipt.status, 1);
    assert!(h
        .account(&cell)
        .is_none_or(|a| a.lamports == 0 && a.data.is_empty()));
    // One signature's fee (5,000 lamports) paid, the cell's rent received.
    assert_eq!(h.lamports(&op.pubkey()), before - 5_000 + rent);

    let run = h.run_raw(&op, &words_call(&h, &alice, contract, &[100, 9]));
    assert_eq!(run.receipt.status, 1);
    assert_eq!(h.account(&cell).expect("created again").owner, PROGRAM_ID);
}

/// `SSTORE(calldata[0..32], 0); SSTORE(calldata[32..64], calldata[64..96])`.
const CLEAR_AND_STORE: [u8; 14] = [
    0x60, 0x00, 0x60, 0x00, 0x35, 0x55, 0x60, 0x40, 0x35, 0x60, 0x20, 0x35, 0x55, 0x00,
];

/// One transaction closing a cell and creating another (an ERC-721 transfer that empties the
/// sender's balance and starts the recipient's): the rent moves in both directions in one
/// instruction and the lamports balance.
#[test]
fn a_cell_closed_and_another_created_in_one_transaction() {
    let (mut h, op) = Harness::with_operator();
    let contract = [0x5f; 20];
    h.plant_contract(&contract, &CLEAR_AND_STORE);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 1_000_000_000).unwrap();
    assert_eq!(
        h.run_raw(&op, &words_call(&h, &alice, contract, &[300, 100, 7]))
            .receipt
            .status,
        1
    );
    let rent = h.account(&storage_pda(&contract, 100)).unwrap().lamports;
    let run = h.run_raw(&op, &words_call(&h, &alice, contract, &[100, 101, 5]));
    assert_eq!(run.receipt.status, 1);
    assert!(h.account(&storage_pda(&contract, 100)).is_none());
    assert_eq!(
        h.account(&storage_pda(&contract, 101)).unwrap().lamports,
        rent
    );
}

/// `JUMP` over an INVALID to a JUMPDEST, then `SSTORE(0, calldata[0..32])`.
const JUMP_THEN_STORE: [u8; 12] = [
    0x60, 0x04, 0x56, 0xfe, 0x5b, 0x60, 0x00, 0x35, 0x60, 0x00, 0x55, 0x00,
];

/// A code account written before code accounts kept their JUMPDEST analysis (the code alone)
/// still runs: its code is analysed when it jumps, as a cluster's existing contracts need after
/// the program is upgraded.
#[test]
fn a_code_account_without_its_analysis_still_runs() {
    let (mut h, op) = Harness::with_operator();
    let contract = [0x60; 20];
    h.plant_contract(&contract, &JUMP_THEN_STORE);
    let code_account = code_pda(&contract);
    let mut data = h.account(&code_account).expect("planted").data;
    data.truncate(interface::account::code::CODE + JUMP_THEN_STORE.len());
    h.plant(code_account, data);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 1_000_000_000).unwrap();

    let run = h.run_raw(&op, &words_call(&h, &alice, contract, &[42]));
    assert_eq!(run.receipt.status, 1);
    let account = h.eth_account(&contract).expect("the contract");
    assert_eq!(account.inline_storage[0], slot_key(42));
}
