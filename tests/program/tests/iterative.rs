//! Holders and iterative execution: transactions too large for one Solana transaction (written
//! into a holder in chunks) and transactions that need more compute than one (run in `step`s),
//! compared with the same transaction run off-chain through the interpreter crate; conflicts
//! between steps (restart, drop), `cancel`, and what the holder instructions refuse.

use isthmus_evm::machine::create_address;
use isthmus_evm::memory_state::MemoryState;
use isthmus_evm::result::ExecutionResult;
use isthmus_evm::{AccountInfo, BlockEnv, HostCrypto, Machine, RunOutcome, Status, U256};
use isthmus_program_tests::*;
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const CHAIN_ID: u64 = 1337;

/// Runtime: `n = calldataload(0); acc = 0; while n != 0 { acc += n; n -= 1 }; sstore(0, acc)`,
/// 54 gas per iteration.
const LOOP_RUNTIME: [u8; 28] = [
    0x60, 0x00, 0x60, 0x00, 0x35, 0x5b, 0x80, 0x15, 0x60, 0x16, 0x57, 0x90, 0x81, 0x01, 0x90, 0x60,
    0x01, 0x90, 0x03, 0x60, 0x05, 0x56, 0x5b, 0x50, 0x60, 0x00, 0x55, 0x00,
];

/// Initcode returning `runtime` (copied from behind a 14-byte prefix), followed by `padding`
/// bytes that never run.
fn initcode(runtime: &[u8], padding: usize) -> Vec<u8> {
    let len = (runtime.len() as u16).to_be_bytes();
    let mut code = vec![
        0x61, len[0], len[1], 0x60, 0x0e, 0x60, 0x00, 0x39, 0x61, len[0], len[1], 0x60, 0x00, 0xf3,
    ];
    code.extend_from_slice(runtime);
    code.extend(std::iter::repeat_n(0u8, padding));
    code
}

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    op_eth: [u8; 20],
}

fn world() -> World {
    let (mut h, operator) = Harness::with_operator();
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let op_eth = operator_eth_address(&operator.pubkey());
    World {
        h,
        operator,
        alice,
        op_eth,
    }
}

fn w(address: &[u8; 20]) -> AccountMeta {
    AccountMeta::new(account_pda(address).0, false)
}

/// The pre-state of `addresses` as the interpreter sees it, read from the program's accounts.
fn memory_state(h: &Harness, addresses: &[[u8; 20]]) -> MemoryState {
    let mut state = MemoryState::default();
    for address in addresses {
        if let Some(account) = h.eth_account(address) {
            let code = h
                .account(&code_pda(address))
                .filter(|a| a.owner == PROGRAM_ID)
                .map(|a| decode_code(&a.data).1)
                .unwrap_or_default();
            state.insert_account(
                *address,
                AccountInfo {
                    balance: U256::from(account.balance),
                    nonce: account.nonce,
                    code_hash: account.code_hash,
                },
                code,
            );
        }
    }
    state
}

/// Runs `raw` off-chain over `state` in the block the program would use.
fn off_chain(wd: &World, state: &mut MemoryState, raw: &[u8]) -> ExecutionResult {
    let mut signed = isthmus_evm::transaction::decode(raw, &HostCrypto).unwrap();
    signed.recover_sender(&HostCrypto).unwrap();
    let clock = wd.h.svm.get_sysvar::<solana_clock::Clock>();
    let block = BlockEnv {
        number: clock.slot,
        coinbase: wd.op_eth,
        timestamp: clock.unix_timestamp as u64,
        gas_limit: 30_000_000,
        base_fee: U256::from(1_000_000_000u64),
        prevrandao: [0; 32],
        excess_blob_gas: 0,
        chain_id: CHAIN_ID,
        fork: wd.h.config().fork,
        code_size_limit: None,
        serve_history: true,
    };
    match Machine::transact(block, signed.tx, state, &HostCrypto) {
        RunOutcome::Done(result) => result,
        other => panic!("off-chain: {other:?}"),
    }
}

/// [`LOOP_RUNTIME`] reading its caller's balance first (`CALLER BALANCE POP`), its jumps moved
/// by those three bytes.
const BALANCE_LOOP_RUNTIME: [u8; 31] = [
    0x33, 0x31, 0x50, 0x60, 0x00, 0x60, 0x00, 0x35, 0x5b, 0x80, 0x15, 0x60, 0x19, 0x57, 0x90, 0x81,
    0x01, 0x90, 0x60, 0x01, 0x90, 0x03, 0x60, 0x08, 0x56, 0x5b, 0x50, 0x60, 0x00, 0x55, 0x00,
];

/// [`LOOP_RUNTIME`] reading its caller's balance last, after the loop (`CALLER BALANCE POP`
/// before the SSTORE).
const LATE_BALANCE_LOOP_RUNTIME: [u8; 31] = [
    0x60, 0x00, 0x60, 0x00, 0x35, 0x5b, 0x80, 0x15, 0x60, 0x16, 0x57, 0x90, 0x81, 0x01, 0x90, 0x60,
    0x01, 0x90, 0x03, 0x60, 0x05, 0x56, 0x5b, 0x50, 0x33, 0x31, 0x50, 0x60, 0x00, 0x55, 0x00,
];

/// Deploys the loop contract with `execute` (nonce 0) and returns its address.
fn deploy_loop(wd: &mut World) -> [u8; 20] {
    deploy_runtime(wd, &LOOP_RUNTIME)
}

/// Deploys `runtime` with `execute` (alice's nonce 0) and returns its address.
fn deploy_runtime(wd: &mut World, runtime: &[u8]) -> [u8; 20] {
    let op = wd.operator.insecure_clone();
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 0, None, 0, initcode(runtime, 0), 200_000));
    let metas = [
        w(&wd.alice.address),
        w(&wd.op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let ok = wd.h.execute(&op, &raw, &metas).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    contract
}

fn loop_metas(wd: &World, contract: &[u8; 20]) -> Vec<AccountMeta> {
    vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        // Written: the loop's result goes to slot 0, held in the account itself.
        AccountMeta::new(account_pda(contract).0, false),
        AccountMeta::new_readonly(code_pda(contract), false),
    ]
}

fn loop_call(wd: &World, contract: [u8; 20], nonce: u64, n: u64, gas: u64) -> Vec<u8> {
    wd.alice.sign(&tx1559(
        CHAIN_ID,
        nonce,
        Some(contract),
        0,
        slot_key(n).to_vec(),
        gas,
    ))
}

/// The loop contract's slot 0 (an inline slot of its EthAccount).
fn stored(h: &Harness, contract: &[u8; 20]) -> u128 {
    h.eth_account(contract).map(|a| a.slot(0)).unwrap_or(0)
}

fn holder_header(h: &Harness, holder: &Address) -> HolderHeader {
    HolderHeader::decode(&h.account(holder).expect("holder").data).unwrap()
}

#[test]
fn a_loop_of_five_million_gas_runs_in_steps_as_off_chain() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_loop(&mut wd);
    let n = 100_000u64;
    let raw = loop_call(&wd, contract, 1, n, 5_600_000);
    let mut state = memory_state(&wd.h, &[wd.alice.address, wd.op_eth, contract]);
    let expected = off_chain(&wd, &mut state, &raw);
    assert!(expected.gas_used > 5_000_000, "{}", expected.gas_used);

    // Too much for one instruction.
    let metas = loop_metas(&wd, &contract);
    let failed = wd.h.execute(&op, &raw, &metas).unwrap_err();
    assert!(
        out_of_compute(&failed),
        "{:?}\n{}",
        failed.err,
        failed.logs.join("\n")
    );

    let (holder, writes, _) = wd.h.write_holder(&op, 0, &raw);
    let run = wd.h.step_to_end(&op, &holder, 0, &metas, 1_000);
    println!(
        "iterative: loop of {} gas: {} steps + {} writes, {} CU in all, {} CU at most per step",
        run.receipt.gas_used, run.steps, writes, run.total_cu, run.max_cu
    );
    assert!(run.steps > 10, "{}", run.steps);
    assert!(run.max_cu <= 1_400_000);
    assert_eq!(run.restarts, 0);
    let r = &run.receipt;
    assert_eq!((r.status, r.outcome), (1, 0), "{r:?}");
    assert_eq!(r.gas_used, expected.gas_used);
    assert_eq!(r.tx_hash, keccak(&raw));
    assert_eq!(stored(&wd.h, &contract), (n as u128) * (n as u128 + 1) / 2);
    state.apply(&expected.changes);
    assert_eq!(
        wd.h.eth_account(&wd.alice.address).unwrap().balance,
        state_balance(&mut state, &wd.alice.address)
    );
    // The holder is idle and empty again, ready for the next transaction.
    let header = holder_header(&wd.h, &holder);
    assert_eq!(
        (header.status, header.tx_len, header.progress_len),
        (0, 0, 0)
    );

    // Replaying the same transaction through the holder: its nonce is used.
    wd.h.write_holder(&op, 0, &raw);
    let failed = wd.h.step(&op, &holder, 0, &metas).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::NonceMismatch.code());
}

fn state_balance(state: &mut MemoryState, address: &[u8; 20]) -> u128 {
    use isthmus_evm::State;
    let balance = state.account(address).unwrap().unwrap().balance;
    balance.to::<u128>()
}

#[test]
fn a_24_kib_contract_deploys_through_holder_and_steps() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    // 24,576 bytes (EIP-170's maximum): STOP, then JUMPDESTs.
    let mut runtime = vec![0x5bu8; 24_576];
    runtime[0] = 0x00;
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        None,
        0,
        initcode(&runtime, 0),
        6_000_000,
    ));
    let mut state = memory_state(&wd.h, &[wd.alice.address, wd.op_eth]);
    let expected = off_chain(&wd, &mut state, &raw);
    assert_eq!(expected.status, Status::Success);

    let metas = vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let (holder, writes, _) = wd.h.write_holder(&op, 3, &raw);
    // Not in one instruction: it runs out of heap (or, with heap left, its code account needs
    // more than one instruction to grow), and changes nothing.
    let before =
        wd.h.snapshot(&[account_pda(&wd.alice.address).0, account_pda(&contract).0]);
    let mut ixs = budget_ixs();
    ixs.push(execute_from_holder_ix(
        &op.pubkey(),
        &holder,
        &[0; 20],
        &metas,
    ));
    wd.h.send(&ixs, &op, &[]).unwrap_err();
    assert_eq!(
        wd.h.snapshot(&[account_pda(&wd.alice.address).0, account_pda(&contract).0]),
        before
    );

    let run = wd.h.step_to_end(&op, &holder, 0, &metas, 50);
    println!(
        "iterative: 24 KiB deploy, {} gas: {} writes + {} steps, {} CU in all, {} CU at most",
        run.receipt.gas_used, writes, run.steps, run.total_cu, run.max_cu
    );
    let r = &run.receipt;
    assert_eq!((r.status, r.outcome), (1, 0), "{r:?}");
    assert_eq!(r.gas_used, expected.gas_used);
    assert_eq!(r.created_address, Some(contract));
    let (owner, code) = decode_code(&wd.h.account(&code_pda(&contract)).unwrap().data);
    assert_eq!(owner, contract);
    assert_eq!(code, runtime);
    assert_eq!(
        wd.h.eth_account(&contract).unwrap().code_hash,
        keccak(&runtime)
    );
}

#[test]
fn execute_from_holder_runs_a_transaction_larger_than_a_solana_transaction() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        None,
        0,
        initcode(&LOOP_RUNTIME, 3_000),
        300_000,
    ));
    assert!(raw.len() > 3_000);
    let metas = vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let (holder, writes, _) = wd.h.write_holder(&op, 1, &raw);
    let mut ixs = budget_ixs();
    ixs.push(execute_from_holder_ix(
        &op.pubkey(),
        &holder,
        &[0; 20],
        &metas,
    ));
    let ok = wd.h.send(&ixs, &op, &[]).unwrap();
    println!(
        "iterative: execute_from_holder of {} bytes: {} writes, {} CU",
        raw.len(),
        writes,
        ok.cu
    );
    let r = receipt(&ok.logs);
    assert_eq!((r.status, r.created_address), (1, Some(contract)));
    let (_, code) = decode_code(&wd.h.account(&code_pda(&contract)).unwrap().data);
    assert_eq!(code, LOOP_RUNTIME);
    assert_eq!(holder_header(&wd.h, &holder).tx_len, 0);
    // Run again from the emptied holder: nothing to run.
    let failed = wd.h.send(&ixs, &op, &[]).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::HolderEmpty.code());

    // Deleting the holder returns its rent.
    let before = wd.h.lamports(&op.pubkey());
    let rent = wd.h.lamports(&holder);
    wd.h.send(&[holder_delete_ix(&op.pubkey(), &holder)], &op, &[])
        .unwrap();
    assert!(wd.h.account(&holder).is_none());
    assert_eq!(wd.h.lamports(&op.pubkey()), before + rent - 5_000);
}

#[test]
fn a_conflicting_write_between_steps_restarts_the_transaction() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_loop(&mut wd);
    let n = 20_000u64;
    let raw = loop_call(&wd, contract, 1, n, 1_200_000);
    let metas = loop_metas(&wd, &contract);
    let (holder, _, _) = wd.h.write_holder(&op, 0, &raw);
    wd.h.step(&op, &holder, 5_000, &metas).unwrap();
    assert_eq!(holder_header(&wd.h, &holder).status, 1);

    // Bob's call writes the contract's slot 0, which the transaction read when it began.
    let bob = EthWallet::new(0xb0);
    wd.h.deposit_to(&bob.address, SOL).unwrap();
    let bobs = bob.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(contract),
        0,
        slot_key(3).to_vec(),
        200_000,
    ));
    // Sent as one `execute` (the relayer would first cancel what holds its holder).
    let metas_bob = isthmus_program_tests::emulate(&wd.h, &op.pubkey(), &bobs).metas;
    let ok = wd.h.execute(&op, &bobs, &metas_bob).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    assert_eq!(stored(&wd.h, &contract), 6);
    let expected = isthmus_program_tests::emulate(&wd.h, &op.pubkey(), &raw);

    let ok = wd.h.step(&op, &holder, 5_000, &metas).unwrap();
    let (steps, _, restarts) = step_progress(&ok.logs).unwrap();
    assert_eq!((steps, restarts), (5_000, 1), "started over");

    // It ends as the emulator runs it on the state after Bob's write.
    let run = wd.h.step_to_end(&op, &holder, 0, &metas, 100);
    assert_eq!(run.receipt.status, 1);
    assert_eq!(run.restarts, 1);
    assert_eq!(run.receipt.gas_used, expected.result().gas_used);
    assert_eq!(stored(&wd.h, &contract), (n as u128) * (n as u128 + 1) / 2);
    let change = expected.change(&contract).expect("writes the contract");
    assert_eq!(
        change.storage,
        vec![(U256::ZERO, U256::from((n as u128) * (n as u128 + 1) / 2))]
    );
}

/// A transaction to a contract with `runtime` (a 20,000-iteration loop), after a deposit to its
/// sender between its first two steps.
struct DepositRace {
    wd: World,
    op: Keypair,
    holder: Address,
    metas: Vec<AccountMeta>,
    contract: [u8; 20],
    /// The sender's balance after the deposit.
    before: u128,
    /// The logs of the step after the deposit.
    second: Vec<String>,
}

const RACE_ITERATIONS: u64 = 20_000;

/// Deploys `runtime`, runs the first 5,000 opcodes of the call, deposits 1 SOL to the sender and
/// runs the next 5,000.
fn deposit_between_steps(runtime: &[u8]) -> DepositRace {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_runtime(&mut wd, runtime);
    let raw = loop_call(&wd, contract, 1, RACE_ITERATIONS, 1_200_000);
    let metas = loop_metas(&wd, &contract);
    let (holder, _, _) = wd.h.write_holder(&op, 0, &raw);
    wd.h.step(&op, &holder, 5_000, &metas).unwrap();
    wd.h.deposit_to(&wd.alice.address, SOL).unwrap();
    let before = wd.h.eth_account(&wd.alice.address).unwrap().balance;
    let second = wd.h.step(&op, &holder, 5_000, &metas).unwrap().logs;
    DepositRace {
        wd,
        op,
        holder,
        metas,
        contract,
        before,
        second,
    }
}

/// Steps the race's transaction to the end (`max_steps` opcodes a step, at most `limit` steps):
/// it started over once, stored the loop's sum and paid its gas from the balance with the
/// deposit.
fn finish_after_one_restart(race: &mut DepositRace, max_steps: u64, limit: usize) {
    let wd = &mut race.wd;
    let run =
        wd.h.step_to_end(&race.op, &race.holder, max_steps, &race.metas, limit);
    assert_eq!((run.receipt.status, run.restarts), (1, 1));
    let n = RACE_ITERATIONS as u128;
    assert_eq!(stored(&wd.h, &race.contract), n * (n + 1) / 2);
    let paid = run.receipt.gas_used as u128 * run.receipt.effective_gas_price.to::<u128>();
    assert_eq!(
        wd.h.eth_account(&wd.alice.address).unwrap().balance,
        race.before - paid
    );
}

/// A deposit does not restart a transaction that only debits the sender (tests/program/tests/
/// hostile.rs), but one whose code read the sender's balance (BALANCE) saw the old value: it
/// starts over, and ends with the deposit kept.
#[test]
fn a_deposit_restarts_a_transaction_that_read_the_balance() {
    let mut race = deposit_between_steps(&BALANCE_LOOP_RUNTIME);
    let (steps, _, restarts) = step_progress(&race.second).unwrap();
    assert_eq!((steps, restarts), (5_000, 1), "started over");
    finish_after_one_restart(&mut race, 0, 100);
}

/// A deposit lands between steps while the balance is unobserved (no restart then); a later
/// step's BALANCE would read the old value, so that step starts the transaction over instead of
/// going on with it.
#[test]
fn a_balance_read_after_a_deposit_restarts_the_transaction() {
    let mut race = deposit_between_steps(&LATE_BALANCE_LOOP_RUNTIME);
    assert_eq!(
        step_progress(&race.second).unwrap().2,
        0,
        "the deposit alone restarts nothing"
    );
    finish_after_one_restart(&mut race, 5_000, 200);
}

#[test]
fn a_transaction_whose_nonce_is_used_between_steps_is_dropped() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_loop(&mut wd);
    let metas = loop_metas(&wd, &contract);
    let slow = loop_call(&wd, contract, 1, 20_000, 1_200_000);
    let (holder, _, _) = wd.h.write_holder(&op, 0, &slow);
    wd.h.step(&op, &holder, 5_000, &metas).unwrap();

    // Another transaction with the same nonce lands first.
    let fast = loop_call(&wd, contract, 1, 3, 100_000);
    let ok = wd.h.execute(&op, &fast, &metas).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    let balance = wd.h.eth_account(&wd.alice.address).unwrap().balance;

    let ok = wd.h.step(&op, &holder, 0, &metas).unwrap();
    let dropped = events(&ok.logs)
        .into_iter()
        .find(|e| e[..8] == discriminator("event", "Dropped"))
        .expect("a Dropped event");
    assert_eq!(dropped[8..40], keccak(&slow));
    assert_eq!(
        u32::from_le_bytes(dropped[40..44].try_into().unwrap()),
        ProgramError::NonceMismatch.code()
    );
    assert!(!has_receipt(&ok.logs));
    assert_eq!(stored(&wd.h, &contract), 6);
    assert_eq!(wd.h.eth_account(&wd.alice.address).unwrap().nonce, 2);
    assert_eq!(
        wd.h.eth_account(&wd.alice.address).unwrap().balance,
        balance
    );
    assert_eq!(holder_header(&wd.h, &holder).status, 0);
}

#[test]
fn cancel_charges_the_gas_spent_and_uses_the_nonce() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_loop(&mut wd);
    let metas = loop_metas(&wd, &contract);
    let raw = loop_call(&wd, contract, 1, 50_000, 3_000_000);
    let (holder, _, _) = wd.h.write_holder(&op, 0, &raw);
    let before_alice = wd.h.eth_account(&wd.alice.address).unwrap();
    let before_op = wd.h.eth_account(&wd.op_eth).map(|a| a.balance).unwrap_or(0);
    wd.h.step(&op, &holder, 10_000, &metas).unwrap();
    let ok = wd.h.step(&op, &holder, 10_000, &metas).unwrap();
    let (_, gas_spent, _) = step_progress(&ok.logs).unwrap();
    assert!(gas_spent > 20_000 * 54 / 14 * 2 / 2, "{gas_spent}");

    // Not the holder's operator's to cancel or write: only a listed operator with its own holder.
    let failed =
        wd.h.send(
            &[holder_write_ix(&op.pubkey(), &holder, 0, &[1, 2, 3])],
            &op,
            &[],
        )
        .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::HolderBusy.code());

    let cancel_metas = [w(&wd.alice.address), w(&wd.op_eth)];
    let mut ixs = budget_ixs();
    ixs.push(cancel_ix(&op.pubkey(), &holder, &cancel_metas));
    let ok = wd.h.send(&ixs, &op, &[]).unwrap();
    println!("iterative: cancel {} CU", ok.cu);
    let r = receipt(&ok.logs);
    assert_eq!((r.status, r.outcome, r.gas_used), (0, 3, gas_spent));
    let price = 2_000_000_000u128;
    let alice = wd.h.eth_account(&wd.alice.address).unwrap();
    assert_eq!(alice.nonce, before_alice.nonce + 1);
    assert_eq!(
        alice.balance,
        before_alice.balance - gas_spent as u128 * price
    );
    let op_balance = wd.h.eth_account(&wd.op_eth).unwrap().balance;
    assert_eq!(op_balance, before_op + gas_spent as u128 * price);
    assert_eq!(stored(&wd.h, &contract), 0, "no other effect applied");
    assert_eq!(holder_header(&wd.h, &holder).status, 0);
    // Nothing left to cancel.
    let failed = wd.h.send(&ixs, &op, &[]).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::HolderIdle.code());
}

#[test]
fn hostile_holder_use_is_refused_and_changes_nothing() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = deploy_loop(&mut wd);
    let metas = loop_metas(&wd, &contract);
    let raw = loop_call(&wd, contract, 1, 100, 200_000);
    let holder = holder_pda(&op.pubkey(), 0);

    // Only operators create holders; a holder at another PDA than (operator, index) is refused.
    let stranger = wd.h.wallet(10 * SOL);
    let theirs = holder_pda(&stranger.pubkey(), 0);
    let failed =
        wd.h.send(
            &[holder_create_ix(&stranger.pubkey(), &theirs, 0, 1024)],
            &stranger,
            &[],
        )
        .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::NotOperator.code());
    let failed =
        wd.h.send(
            &[holder_create_ix(&op.pubkey(), &holder, 1, 1024)],
            &op,
            &[],
        )
        .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::BadHolder.code());
    wd.h.send(
        &[holder_create_ix(&op.pubkey(), &holder, 0, 1024)],
        &op,
        &[],
    )
    .unwrap();
    let failed =
        wd.h.send(
            &[holder_create_ix(&op.pubkey(), &holder, 0, 1024)],
            &op,
            &[],
        )
        .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::HolderExists.code());

    // A stranger cannot write into the operator's holder.
    let failed =
        wd.h.send(
            &[holder_write_ix(&stranger.pubkey(), &holder, 0, &raw)],
            &stranger,
            &[],
        )
        .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::NotHolderOperator.code());

    // Stepping an empty holder; a truncated transaction; the config passed as the holder.
    let failed = wd.h.step(&op, &holder, 0, &metas).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::HolderEmpty.code());
    wd.h.send(
        &[holder_write_ix(
            &op.pubkey(),
            &holder,
            0,
            &raw[..raw.len() - 7],
        )],
        &op,
        &[],
    )
    .unwrap();
    let before = wd.h.snapshot(&[holder, account_pda(&wd.alice.address).0]);
    let failed = wd.h.step(&op, &holder, 0, &metas).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::MalformedTransaction.code());
    let failed = wd.h.step(&op, &vault_pda(), 0, &metas).unwrap_err();
    assert_eq!(failed.custom(), ProgramError::BadHolder.code());
    assert_eq!(
        wd.h.snapshot(&[holder, account_pda(&wd.alice.address).0]),
        before
    );

    // Completed, the transaction runs.
    wd.h.send(&[holder_write_ix(&op.pubkey(), &holder, 0, &raw)], &op, &[])
        .unwrap();
    let run = wd.h.step_to_end(&op, &holder, 0, &metas, 5);
    assert_eq!((run.receipt.status, run.steps), (1, 1));
    assert_eq!(stored(&wd.h, &contract), 5050);
}

#[test]
fn an_operator_withdraws_the_gas_it_was_paid() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    deploy_loop(&mut wd);
    let earned = wd.h.eth_account(&wd.op_eth).unwrap().balance;
    assert!(earned > 0);
    let lamports = (earned / 1_000_000_000) as u64;
    let before = wd.h.lamports(&op.pubkey());
    // Never linked: it withdraws from its own derived address, its COINBASE.
    let ok =
        wd.h.send(&[withdraw_ix(&op.pubkey(), &wd.op_eth, lamports)], &op, &[])
            .unwrap();
    println!("iterative: operator withdraw {} CU", ok.cu);
    assert_eq!(wd.h.lamports(&op.pubkey()), before + lamports - 5_000);
    assert_eq!(
        wd.h.eth_account(&wd.op_eth).unwrap().balance,
        earned - lamports as u128 * 1_000_000_000
    );
    // Another wallet cannot take it.
    let thief = wd.h.wallet(SOL);
    let failed =
        wd.h.send(&[withdraw_ix(&thief.pubkey(), &wd.op_eth, 1)], &thief, &[])
            .unwrap_err();
    assert_eq!(failed.custom(), ProgramError::AddressMismatch.code());
}
