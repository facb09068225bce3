//! `execute`: signed Ethereum transactions run by the program in LiteSVM — a value transfer, a
//! contract deployment and calls that SSTORE and LOG, and what `execute` refuses. Every refused
//! transaction must leave every account it was given unchanged.

use isthmus_evm::machine::create_address;
use isthmus_evm::HostCrypto;
use isthmus_program_tests::*;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const CHAIN_ID: u64 = 1337;
const ETHER: u128 = 1_000_000_000_000_000_000;
/// What the test transactions pay per gas: min(max fee 2 gwei, base fee 1 gwei + tip 1 gwei).
const PRICE: u128 = 2_000_000_000;

/// Runtime code of the counter: `slot16 += 1; mstore(0, slot16); log1(0, 32, 0x42); stop`. Slot
/// 16 is beyond the slots an EthAccount holds inline, so it lives in a storage cell.
const COUNTER_RUNTIME: [u8; 21] = [
    0x60, 0x10, 0x54, 0x60, 0x01, 0x01, 0x80, 0x60, 0x10, 0x55, 0x60, 0x00, 0x52, 0x60, 0x42, 0x60,
    0x20, 0x60, 0x00, 0xa1, 0x00,
];

const COUNTER_SLOT: u64 = 0x10;

/// Initcode: copies the runtime (at offset 12) to memory and returns it.
fn counter_initcode() -> Vec<u8> {
    let mut code = vec![
        0x60, 0x15, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x15, 0x60, 0x00, 0xf3,
    ];
    code.extend_from_slice(&COUNTER_RUNTIME);
    code
}

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    bob: EthWallet,
    op_eth: [u8; 20],
}

/// Initialized, with 10 SOL deposited to alice's Ethereum address.
fn world() -> World {
    let (mut h, operator) = Harness::with_operator();
    let alice = EthWallet::new(0xa1);
    let bob = EthWallet::new(0xb0);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let op_eth = operator_eth_address(&operator.pubkey());
    World {
        h,
        operator,
        alice,
        bob,
        op_eth,
    }
}

fn w(address: &[u8; 20]) -> AccountMeta {
    AccountMeta::new(account_pda(address).0, false)
}

fn transfer_accounts(wd: &World) -> Vec<AccountMeta> {
    vec![w(&wd.alice.address), w(&wd.bob.address), w(&wd.op_eth)]
}

fn balance(h: &Harness, address: &[u8; 20]) -> u128 {
    h.eth_account(address).map(|a| a.balance).unwrap_or(0)
}

fn snapshot(h: &Harness, metas: &[AccountMeta]) -> Vec<Option<Account>> {
    let keys: Vec<Address> = metas.iter().map(|m| m.pubkey).collect();
    h.snapshot(&keys)
}

/// `execute` must fail with custom error `code` and change none of `metas`.
fn refused_with(wd: &mut World, signer: &Keypair, raw: &[u8], metas: &[AccountMeta], code: u32) {
    let before = snapshot(&wd.h, metas);
    let f = match wd.h.execute(signer, raw, metas) {
        Ok(s) => panic!("expected a failure, got success:\n{}", s.logs.join("\n")),
        Err(f) => f,
    };
    assert_eq!(f.custom(), code, "{}", f.logs.join("\n"));
    assert_eq!(
        before,
        snapshot(&wd.h, metas),
        "state changed by a refused execute"
    );
}

#[test]
fn value_transfer_between_two_addresses() {
    let mut wd = world();
    let tx = tx1559(CHAIN_ID, 0, Some(wd.bob.address), ETHER / 4, vec![], 21_000);
    let raw = wd.alice.sign(&tx);
    let metas = transfer_accounts(&wd);
    let ok =
        wd.h.execute(&wd.operator.insecure_clone(), &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!(
        "execute: value transfer (creates 2 accounts) {:>7} CU, heap {} bytes",
        ok.cu,
        heap_used(&ok.logs)
    );

    let alice = wd.h.eth_account(&wd.alice.address).unwrap();
    assert_eq!(alice.nonce, 1);
    assert_eq!(alice.balance, 10 * ETHER - ETHER / 4 - 21_000 * PRICE);
    assert_eq!(balance(&wd.h, &wd.bob.address), ETHER / 4);
    // The operator is paid the whole gas: tip from the interpreter, base fee from the program.
    assert_eq!(balance(&wd.h, &wd.op_eth), 21_000 * PRICE);
    let bob = wd.h.eth_account(&wd.bob.address).unwrap();
    assert_eq!(bob.address, wd.bob.address);
    assert_eq!(bob.bump, account_pda(&wd.bob.address).1);
    assert_eq!(bob.version, 1);
    assert_eq!(bob.code_hash, KECCAK_EMPTY);

    let r = receipt(&ok.logs);
    assert_eq!(r.tx_hash, keccak(&raw));
    assert_eq!(r.sender, wd.alice.address);
    assert_eq!((r.status, r.outcome, r.gas_used), (1, 0, 21_000));
    assert_eq!(r.effective_gas_price, PRICE);
    assert_eq!(r.created_address, None);
    assert_eq!(r.log_count, 0);
    assert!(r.logs.is_empty());

    // The same transaction again: a replay.
    let op = wd.operator.insecure_clone();
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::NonceMismatch.code(),
    );

    // A second transfer, to existing accounts.
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        1,
        Some(wd.bob.address),
        1,
        vec![],
        21_000,
    ));
    let ok =
        wd.h.execute(&wd.operator.insecure_clone(), &raw, &metas)
            .unwrap();
    println!(
        "execute: value transfer (existing accounts) {:>7} CU, heap {} bytes",
        ok.cu,
        heap_used(&ok.logs)
    );
    assert_eq!(balance(&wd.h, &wd.bob.address), ETHER / 4 + 1);
}

#[test]
fn deploy_and_call_a_counter() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 0, None, 0, counter_initcode(), 200_000));
    let metas = vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!(
        "execute: deploy counter {:>7} CU, heap {} bytes",
        ok.cu,
        heap_used(&ok.logs)
    );
    let r = receipt(&ok.logs);
    assert_eq!((r.status, r.outcome), (1, 0), "{r:?}");
    assert_eq!(r.created_address, Some(contract));
    let account = wd.h.eth_account(&contract).unwrap();
    assert_eq!(account.nonce, 1);
    assert_eq!(account.code_hash, keccak(&COUNTER_RUNTIME));
    let (owner, code) = decode_code(&wd.h.account(&code_pda(&contract)).unwrap().data);
    assert_eq!(owner, contract);
    assert_eq!(code, COUNTER_RUNTIME);
    assert_eq!(wd.h.eth_account(&wd.alice.address).unwrap().nonce, 1);
    assert_eq!(
        balance(&wd.h, &wd.alice.address) + balance(&wd.h, &wd.op_eth),
        10 * ETHER
    );

    // The contract account is only read by a call that moves no value: read-only is enough.
    let call_metas = vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        AccountMeta::new_readonly(account_pda(&contract).0, false),
        AccountMeta::new_readonly(code_pda(&contract), false),
        AccountMeta::new(storage_pda(&contract, COUNTER_SLOT), false),
    ];
    for n in 1..=2u64 {
        let raw = wd
            .alice
            .sign(&tx1559(CHAIN_ID, n, Some(contract), 0, vec![], 100_000));
        let ok =
            wd.h.execute(&op, &raw, &call_metas)
                .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
        println!(
            "execute: counter call #{n} {:>7} CU, heap {} bytes",
            ok.cu,
            heap_used(&ok.logs)
        );
        let r = receipt(&ok.logs);
        assert_eq!((r.status, r.outcome), (1, 0), "{r:?}");
        assert_eq!(r.log_count, 1);
        assert_eq!(r.logs.len(), 1);
        let log = &r.logs[0];
        assert_eq!(log.tx_hash, keccak(&raw));
        assert_eq!(log.index, 0);
        assert_eq!(log.address, contract);
        assert_eq!(log.topics, vec![slot_key(0x42)]);
        assert_eq!(log.data, slot_key(n).to_vec());
        let (owner, slot, _bump, generation, value) = decode_storage_cell(
            &wd.h
                .account(&storage_pda(&contract, COUNTER_SLOT))
                .unwrap()
                .data,
        );
        assert_eq!(
            (owner, slot, generation, value),
            (contract, slot_key(COUNTER_SLOT), 0, n as u128)
        );
    }

    // The call without its storage cell: the program names the missing account and refuses.
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 3, Some(contract), 0, vec![], 100_000));
    refused_with(
        &mut wd,
        &op,
        &raw,
        &call_metas[..4],
        ProgramError::AccountNotProvided.code(),
    );
    // The cell passed read-only: it is written, so the call is refused.
    let mut ro = call_metas.clone();
    ro[4] = AccountMeta::new_readonly(storage_pda(&contract, COUNTER_SLOT), false);
    refused_with(
        &mut wd,
        &op,
        &raw,
        &ro,
        ProgramError::AccountNotWritable.code(),
    );
}

#[test]
fn wrong_chain_id_is_refused() {
    let mut wd = world();
    let raw = wd
        .alice
        .sign(&tx1559(1, 0, Some(wd.bob.address), 1, vec![], 21_000));
    let metas = transfer_accounts(&wd);
    let op = wd.operator.insecure_clone();
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::WrongChainId.code(),
    );
}

#[test]
fn bad_signatures_are_refused() {
    let mut wd = world();
    let tx = tx1559(CHAIN_ID, 0, Some(wd.bob.address), 1, vec![], 21_000);
    let metas = transfer_accounts(&wd);
    let op = wd.operator.insecure_clone();
    let sign = |r: isthmus_evm::U256, s: isthmus_evm::U256, y: bool| {
        isthmus_evm::transaction::encode(
            &tx,
            &isthmus_evm::transaction::Signature {
                y_parity: y,
                r,
                s,
                v: 0,
            },
        )
    };
    let good = isthmus_evm::transaction::decode(&wd.alice.sign(&tx), &HostCrypto).unwrap();
    let (r, s, y) = (good.signature.r, good.signature.s, good.signature.y_parity);
    let n = isthmus_evm::U256::from_be_slice(&hex_n());
    // r = 0, s = 0, high s (the malleable twin of a valid signature).
    refused_with(
        &mut wd,
        &op,
        &sign(isthmus_evm::U256::ZERO, s, y),
        &metas,
        ProgramError::BadSignature.code(),
    );
    refused_with(
        &mut wd,
        &op,
        &sign(r, isthmus_evm::U256::ZERO, y),
        &metas,
        ProgramError::BadSignature.code(),
    );
    refused_with(
        &mut wd,
        &op,
        &sign(r, n - s, !y),
        &metas,
        ProgramError::BadSignature.code(),
    );
    // A valid-looking signature of another message recovers some other address, whose account
    // was not passed.
    let other = sign(r, s, !y);
    let before = snapshot(&wd.h, &metas);
    let f = wd.h.execute(&op, &other, &metas).unwrap_err();
    assert!(
        [
            ProgramError::BadSignature.code(),
            ProgramError::AccountNotProvided.code()
        ]
        .contains(&f.custom()),
        "{}",
        f.logs.join("\n")
    );
    assert_eq!(before, snapshot(&wd.h, &metas));
    // Garbage.
    refused_with(
        &mut wd,
        &op,
        &[0x02, 0xc0],
        &metas,
        ProgramError::MalformedTransaction.code(),
    );
}

fn hex_n() -> [u8; 32] {
    let s = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    let mut out = [0u8; 32];
    for i in 0..32 {
        out[i] = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

#[test]
fn nonce_gap_and_insufficient_funds_are_refused() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let metas = transfer_accounts(&wd);
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        5,
        Some(wd.bob.address),
        1,
        vec![],
        21_000,
    ));
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::NonceMismatch.code(),
    );
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.bob.address),
        10 * ETHER,
        vec![],
        21_000,
    ));
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::InsufficientFunds.code(),
    );
    // A sender with no account at all.
    let raw = wd.bob.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.alice.address),
        0,
        vec![],
        21_000,
    ));
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::InsufficientFunds.code(),
    );
}

#[test]
fn non_operator_is_refused() {
    let mut wd = world();
    let mallory = wd.h.wallet(10 * SOL);
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.bob.address),
        1,
        vec![],
        21_000,
    ));
    let metas = transfer_accounts(&wd);
    refused_with(
        &mut wd,
        &mallory,
        &raw,
        &metas,
        ProgramError::NotOperator.code(),
    );
}

#[test]
fn substituted_accounts_are_refused() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.bob.address),
        1,
        vec![],
        21_000,
    ));

    // Bob's (absent) account replaced by some other empty account: bob is unavailable.
    let mut metas = transfer_accounts(&wd);
    metas[1] = AccountMeta::new(Address::new_unique(), false);
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::AccountNotProvided.code(),
    );

    // Alice's account left out: the sender is unavailable.
    let metas = vec![w(&wd.bob.address), w(&wd.op_eth)];
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::AccountNotProvided.code(),
    );

    // A program-owned account claiming to be alice's, at another address (a forged copy with a
    // bigger balance): the PDA check refuses it.
    let mut forged = wd.h.eth_account(&wd.alice.address).unwrap();
    forged.balance *= 100;
    let fake = Address::new_unique();
    let lamports = wd.h.lamports(&account_pda(&wd.alice.address).0);
    wd.h.svm
        .set_account(
            fake,
            Account {
                lamports,
                data: forged.encode(),
                owner: PROGRAM_ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    let metas = vec![
        AccountMeta::new(fake, false),
        w(&wd.bob.address),
        w(&wd.op_eth),
    ];
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::BadEvmAccount.code(),
    );

    // The right bytes owned by another program are ignored: the sender is unavailable.
    let pda = account_pda(&wd.alice.address).0;
    let mut a = wd.h.account(&pda).unwrap();
    let mut metas = transfer_accounts(&wd);
    let elsewhere = Address::new_unique();
    a.owner = Address::new_unique();
    wd.h.svm.set_account(elsewhere, a).unwrap();
    metas[0] = AccountMeta::new(elsewhere, false);
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::AccountNotProvided.code(),
    );

    // Alice's account read-only: it is written.
    let mut metas = transfer_accounts(&wd);
    metas[0] = AccountMeta::new_readonly(pda, false);
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::AccountNotWritable.code(),
    );
}

#[test]
fn a_reverting_creation_charges_nonce_and_gas_and_logs_its_revert_data() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    // mstore(0, 42); revert(0, 32)
    let initcode = vec![0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd];
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 0, None, 5, initcode, 100_000));
    let metas = vec![
        w(&wd.alice.address),
        w(&wd.op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!(
        "execute: reverting creation {:>7} CU, heap {} bytes",
        ok.cu,
        heap_used(&ok.logs)
    );
    let r = receipt(&ok.logs);
    assert_eq!((r.status, r.outcome), (0, 1));
    assert_eq!(r.created_address, None);
    assert_eq!(r.revert_data, slot_key(42).to_vec());
    let gas = r.gas_used as u128;
    assert!(gas > 53_000 && gas < 100_000, "{gas}");
    let alice = wd.h.eth_account(&wd.alice.address).unwrap();
    assert_eq!(alice.nonce, 1);
    assert_eq!(alice.balance, 10 * ETHER - gas * PRICE);
    assert_eq!(balance(&wd.h, &wd.op_eth), gas * PRICE);
    assert!(wd.h.eth_account(&contract).is_none());
    assert!(wd.h.account(&code_pda(&contract)).is_none());
}

fn legacy(chain_id: Option<u64>, nonce: u64, to: [u8; 20], value: u128) -> TxEnv {
    TxEnv {
        kind: TxKind::Legacy,
        chain_id,
        nonce,
        gas_price: isthmus_evm::U256::from(PRICE),
        gas_limit: 21_000,
        to: Some(to),
        value: isthmus_evm::U256::from(value),
        ..TxEnv::default()
    }
}

#[test]
fn legacy_transactions_need_a_chain_id() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let metas = transfer_accounts(&wd);
    // Pre-EIP-155 (v = 27/28): valid on every chain, so replayable from any: refused.
    let raw = wd.alice.sign(&legacy(None, 0, wd.bob.address, 7));
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::UnprotectedTransaction.code(),
    );
    // EIP-155 legacy: runs, at its gas price.
    let raw = wd.alice.sign(&legacy(Some(CHAIN_ID), 0, wd.bob.address, 7));
    let ok = wd.h.execute(&op, &raw, &metas).unwrap();
    let r = receipt(&ok.logs);
    assert_eq!(
        (r.status, r.gas_used, r.effective_gas_price.to::<u128>()),
        (1, 21_000, PRICE)
    );
    assert_eq!(balance(&wd.h, &wd.bob.address), 7);
    assert_eq!(balance(&wd.h, &wd.op_eth), 21_000 * PRICE);
}

#[test]
fn a_prefunded_address_is_still_created() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    // Someone sends lamports to bob's (not yet created) PDA first, to block its creation.
    let griefer = wd.h.wallet(SOL);
    let bob_pda = account_pda(&wd.bob.address).0;
    let ix = solana_instruction::Instruction {
        program_id: SYSTEM_PROGRAM,
        accounts: vec![
            AccountMeta::new(griefer.pubkey(), true),
            AccountMeta::new(bob_pda, false),
        ],
        data: {
            let mut d = 2u32.to_le_bytes().to_vec();
            // The least a data-less account may hold; below what an EthAccount needs.
            let lamports = wd.h.svm.minimum_balance_for_rent_exemption(0);
            d.extend_from_slice(&lamports.to_le_bytes());
            d
        },
    };
    wd.h.send(&[ix], &griefer, &[]).unwrap();
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.bob.address),
        3,
        vec![],
        21_000,
    ));
    let metas = transfer_accounts(&wd);
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    assert_eq!(receipt(&ok.logs).status, 1);
    let bob = wd.h.account(&bob_pda).unwrap();
    assert_eq!(bob.owner, PROGRAM_ID);
    assert_eq!(
        bob.lamports,
        wd.h.svm.minimum_balance_for_rent_exemption(ETH_ACCOUNT_LEN)
    );
    assert_eq!(balance(&wd.h, &wd.bob.address), 3);
}

#[test]
fn missing_operator_signature_or_substituted_config_is_refused() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        0,
        Some(wd.bob.address),
        1,
        vec![],
        21_000,
    ));
    let metas = transfer_accounts(&wd);

    // The operator named but not signing (someone else pays).
    let payer = wd.h.wallet(10 * SOL);
    let mut ix = execute_ix(&op.pubkey(), &raw, &metas);
    ix.accounts[0] = AccountMeta::new(op.pubkey(), false);
    let mut ixs = budget_ixs();
    ixs.push(ix);
    let before = snapshot(&wd.h, &metas);
    let f = wd.h.send(&ixs, &payer, &[]).unwrap_err();
    assert_eq!(
        f.instruction_error().unwrap(),
        &solana_instruction_error::InstructionError::MissingRequiredSignature
    );
    assert_eq!(before, snapshot(&wd.h, &metas));

    // Another account in the config's place (a copy of the config naming mallory as operator).
    let mallory = wd.h.wallet(10 * SOL);
    let mut config = wd.h.account(&config_pda()).unwrap();
    config.data[50..82].copy_from_slice(mallory.pubkey().as_ref());
    let fake = Address::new_unique();
    wd.h.svm.set_account(fake, config).unwrap();
    let mut ix = execute_ix(&mallory.pubkey(), &raw, &metas);
    ix.accounts[1] = AccountMeta::new_readonly(fake, false);
    let mut ixs = budget_ixs();
    ixs.push(ix);
    let f = wd.h.send(&ixs, &mallory, &[]).unwrap_err();
    assert_eq!(
        f.instruction_error().unwrap(),
        &solana_instruction_error::InstructionError::InvalidSeeds,
        "{}",
        f.logs.join("\n")
    );
    assert_eq!(before, snapshot(&wd.h, &metas));
}

/// Impersonated transactions (anvil's `impersonateAccount`: a named sender, the envelope's
/// signature not checked) run only on a chain initialized for development: on a chain
/// initialized without it (every cluster deployment) they are refused and change nothing; on a
/// development chain they run as the named sender, one with code too.
#[test]
fn impersonated_transactions_run_only_on_a_development_chain() {
    let contract = [0xcc; 20];
    let plant = |h: &mut Harness| {
        h.plant_contract(&contract, &[0x00]);
        h.deposit_to(&contract, SOL).unwrap();
    };
    let mut wd = world();
    plant(&mut wd.h);
    // Signed by alice, sent as the contract (nonce 1, as planted).
    let envelope = wd.alice.sign(&tx1559(
        CHAIN_ID,
        1,
        Some(wd.bob.address),
        5,
        vec![],
        21_000,
    ));
    let raw = impersonate(&contract, &envelope);
    let metas = vec![w(&contract), w(&wd.bob.address), w(&wd.op_eth)];
    let op = wd.operator.insecure_clone();
    assert!(!wd.h.config().development);
    refused_with(
        &mut wd,
        &op,
        &raw,
        &metas,
        ProgramError::ImpersonationDisabled.code(),
    );

    let operator = Keypair::new();
    let mut args = default_args();
    args.operators = vec![operator.pubkey()];
    args.development = true;
    let mut h = Harness::initialized_with(&args);
    assert!(h.config().development);
    h.chain.airdrop(&operator.pubkey(), 100 * SOL).unwrap();
    plant(&mut h);
    let op_eth = operator_eth_address(&operator.pubkey());
    // The sender's code too: from Prague on, a sender with code may send only if that code is a
    // delegation (EIP-7702), which the program reads to tell.
    let metas = vec![
        w(&contract),
        AccountMeta::new_readonly(code_pda(&contract), false),
        w(&wd.bob.address),
        w(&op_eth),
    ];
    let ok = h
        .execute(&operator, &raw, &metas)
        .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    let r = receipt(&ok.logs);
    assert_eq!(r.sender, contract);
    assert_eq!(r.tx_hash, keccak(&raw));
    assert_eq!(r.status, 1);
    assert_eq!(balance(&h, &wd.bob.address), 5);
    assert_eq!(h.eth_nonce(&contract), 2);
    // The key that signed the envelope is nobody here.
    assert!(h.eth_account(&wd.alice.address).is_none());
}
