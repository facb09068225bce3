//! The blockhash registry (BLOCKHASH over the 256-slot window, the crank), the per-contract fee
//! market (one congested contract's base fee rises while another stays at the floor; refusals
//! above the cap and below the base fee), the reverse registry and withdrawals, in LiteSVM.
//! Every refused instruction must leave the accounts it was given unchanged.

use isthmus_evm::machine::create_address;
use isthmus_evm::HostCrypto;
use isthmus_program_tests::*;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const CHAIN_ID: u64 = 1337;
const GWEI: u64 = 1_000_000_000;

/// Reverts with 128 bytes: BLOCKHASH(calldata[0]), PREVRANDAO, BASEFEE, NUMBER (the receipt
/// carries revert data, so the test reads the values from it).
const PROBE: [u8; 25] = [
    0x60, 0x00, 0x35, 0x40, 0x60, 0x00, 0x52, // mstore(0, blockhash(calldataload(0)))
    0x44, 0x60, 0x20, 0x52, // mstore(32, prevrandao)
    0x48, 0x60, 0x40, 0x52, // mstore(64, basefee)
    0x43, 0x60, 0x60, 0x52, // mstore(96, number)
    0x60, 0x80, 0x60, 0x00, 0xfd, // revert(0, 128)
    0x00,
];

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
    op_eth: [u8; 20],
    nonce: u64,
}

fn world_with(fee_market: FeeMarketParams) -> World {
    let (mut h, operator) = Harness::with_fee_market(fee_market);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let op_eth = operator_eth_address(&operator.pubkey());
    World {
        h,
        operator,
        alice,
        op_eth,
        nonce: 0,
    }
}

fn world() -> World {
    world_with(FeeMarketParams::default())
}

fn word(v: u64) -> [u8; 32] {
    slot_key(v)
}

fn probe_accounts(wd: &World, contract: &[u8; 20]) -> Vec<AccountMeta> {
    vec![
        AccountMeta::new(account_pda(&wd.alice.address).0, false),
        AccountMeta::new(account_pda(&wd.op_eth).0, false),
        AccountMeta::new_readonly(account_pda(contract).0, false),
        AccountMeta::new_readonly(code_pda(contract), false),
    ]
}

/// What the probe saw: (BLOCKHASH(n), PREVRANDAO, BASEFEE, NUMBER).
struct Seen {
    blockhash: [u8; 32],
    prevrandao: [u8; 32],
    basefee: [u8; 32],
    number: [u8; 32],
    cu: u64,
    price: u128,
}

fn probe_tx(wd: &mut World, contract: &[u8; 20], n: u64, max_fee: u64, tip: u64) -> Vec<u8> {
    let mut tx = tx1559(
        CHAIN_ID,
        wd.nonce,
        Some(*contract),
        0,
        word(n).to_vec(),
        100_000,
    );
    tx.gas_price = isthmus_evm::U256::from(max_fee);
    tx.gas_priority_fee = Some(isthmus_evm::U256::from(tip));
    wd.alice.sign(&tx)
}

/// Calls the probe at `contract` asking for BLOCKHASH(`n`), paying 2 gwei max, 1 gwei tip.
fn probe(wd: &mut World, contract: &[u8; 20], n: u64) -> Seen {
    let raw = probe_tx(wd, contract, n, 2 * GWEI, GWEI);
    let metas = probe_accounts(wd, contract);
    let op = wd.operator.insecure_clone();
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    wd.nonce += 1;
    let r = receipt(&ok.logs);
    assert_eq!(
        (r.status, r.outcome),
        (0, 1),
        "the probe reverts with its data"
    );
    let d = r.revert_data;
    assert_eq!(d.len(), 128);
    Seen {
        blockhash: d[..32].try_into().unwrap(),
        prevrandao: d[32..64].try_into().unwrap(),
        basefee: d[64..96].try_into().unwrap(),
        number: d[96..].try_into().unwrap(),
        cu: ok.cu,
        price: r.effective_gas_price.to::<u128>(),
    }
}

/// Sends `ixs` (paid by `payer`, also signed by `signers`) expecting a failure that `check`
/// accepts, and that none of `watch` changes.
fn refused(
    h: &mut Harness,
    ixs: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
    watch: &[Address],
    check: impl Fn(&Failure),
) {
    let before = h.snapshot(watch);
    match h.send(ixs, payer, signers) {
        Ok(s) => panic!("expected a failure, got success:\n{}", s.logs.join("\n")),
        Err(f) => check(&f),
    }
    assert_eq!(
        before,
        h.snapshot(watch),
        "state changed by a refused instruction"
    );
}

fn custom(code: u32) -> impl Fn(&Failure) {
    move |f: &Failure| assert_eq!(f.custom(), code, "{}", f.logs.join("\n"))
}

fn instruction_error(e: InstructionError) -> impl Fn(&Failure) {
    move |f: &Failure| assert_eq!(f.instruction_error().unwrap(), &e, "{}", f.logs.join("\n"))
}

// ---------------------------------------------------------------------------------------------
// Blockhash registry

#[test]
fn blockhash_answers_the_whole_256_slot_window() {
    let mut wd = world();
    let contract = [0x77; 20];
    wd.h.plant_contract(&contract, &PROBE);
    // SlotHashes holds 999 down to 488, without 900 (a skipped slot).
    wd.h.warp_to(1_000, 512, &[900]);

    let seen = probe(&mut wd, &contract, 999);
    println!("execute: probe (BLOCKHASH etc.) {:>7} CU", seen.cu);
    assert_eq!(seen.blockhash, test_slot_hash(999));
    assert_eq!(
        seen.prevrandao,
        test_slot_hash(999),
        "PREVRANDAO: the newest slot hash"
    );
    assert_eq!(seen.number, word(1_000));
    assert_eq!(seen.basefee, word(GWEI));
    // The oldest slot of the window, just outside it, a skipped slot, the current slot.
    assert_eq!(
        probe(&mut wd, &contract, 744).blockhash,
        test_slot_hash(744)
    );
    assert_eq!(probe(&mut wd, &contract, 743).blockhash, [0; 32]);
    assert_eq!(probe(&mut wd, &contract, 900).blockhash, [0; 32]);
    assert_eq!(probe(&mut wd, &contract, 1_000).blockhash, [0; 32]);
    for n in [745, 800, 899, 901, 998] {
        assert_eq!(
            probe(&mut wd, &contract, n).blockhash,
            test_slot_hash(n),
            "{n}"
        );
    }

    // Executions read the registry, never write it: only the crank does.
    assert_eq!(wd.h.registry().unwrap().newest_slot, 0);
    let cranker = wd.h.wallet(SOL);
    wd.h.send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap();
    // 100 slots later SlotHashes holds only 1099..1090 here: the registry still answers the
    // older slots of the window from its ring.
    wd.h.warp_to(1_100, 10, &[]);
    let seen = probe(&mut wd, &contract, 850);
    assert_eq!(seen.blockhash, test_slot_hash(850));
    assert_eq!(seen.prevrandao, test_slot_hash(1_099));
    assert_eq!(
        probe(&mut wd, &contract, 1_095).blockhash,
        test_slot_hash(1_095)
    );
    assert_eq!(probe(&mut wd, &contract, 843).blockhash, [0; 32]);
    assert_eq!(probe(&mut wd, &contract, 900).blockhash, [0; 32]);
    // Slots the registry never saw (1000..1089) answer zero.
    assert_eq!(probe(&mut wd, &contract, 1_050).blockhash, [0; 32]);
    assert_eq!(wd.h.registry().unwrap().newest_slot, 999);
}

#[test]
fn crank_creates_and_refreshes_the_registry() {
    let mut h = Harness::initialized();
    let cranker = h.wallet(SOL);
    h.warp_to(1_000, 300, &[990]);
    let ok = h
        .send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!(
        "crank_blockhashes: creates the registry, 256 slots {:>7} CU",
        ok.cu
    );
    let account = h.account(&blockhashes_pda()).unwrap();
    assert_eq!(account.owner, PROGRAM_ID);
    assert_eq!(
        account.lamports,
        h.svm.minimum_balance_for_rent_exemption(BLOCKHASHES_LEN)
    );
    let r = h.registry().unwrap();
    assert_eq!(r.newest_slot, 999);
    assert_eq!(
        r.bump,
        Address::find_program_address(&[b"blockhashes"], &PROGRAM_ID).1
    );
    assert_eq!(r.hash(999), test_slot_hash(999));
    assert_eq!(r.hash(744), test_slot_hash(744));
    assert_eq!(r.hash(743), [0; 32]);
    assert_eq!(r.hash(990), [0; 32]);

    // Nothing new: a no-op.
    let ok = h
        .send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap();
    println!("crank_blockhashes: nothing new {:>7} CU", ok.cu);
    assert_eq!(h.registry().unwrap(), r);

    // 200 slots later (SlotHashes: 1199..1150): slots that left the window are forgotten.
    h.warp_to(1_200, 50, &[]);
    let ok = h
        .send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap();
    println!("crank_blockhashes: 50 new slots {:>7} CU", ok.cu);
    let r = h.registry().unwrap();
    assert_eq!(r.newest_slot, 1_199);
    assert_eq!(r.hash(1_199), test_slot_hash(1_199));
    assert_eq!(r.hash(1_150), test_slot_hash(1_150));
    assert_eq!(r.hash(1_100), [0; 32], "never in SlotHashes while cranked");
    assert_eq!(r.hash(999), test_slot_hash(999), "still in the window");
    assert_eq!(r.hash(944), test_slot_hash(944));
    assert_eq!(r.hash(943), [0; 32], "left the window");
}

#[test]
fn crank_refuses_substituted_accounts() {
    let mut h = Harness::initialized();
    let cranker = h.wallet(SOL);
    h.warp_to(100, 50, &[]);
    h.send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap();
    h.warp_to(200, 50, &[]);
    let watch = [blockhashes_pda()];

    // Another sysvar in SlotHashes' place.
    let mut ix = crank_ix(&cranker.pubkey());
    ix.accounts[2] = AccountMeta::new_readonly(
        Address::from_str_const("SysvarC1ock11111111111111111111111111111111"),
        false,
    );
    refused(
        &mut h,
        &[ix],
        &cranker,
        &[],
        &watch,
        custom(ProgramError::NotSlotHashes.code()),
    );

    // A copy of SlotHashes with forged hashes, at another address.
    let forged = Address::new_unique();
    let mut account = h.account(&SLOT_HASHES).unwrap();
    account.data = slot_hashes_data(&[(199, [0xee; 32])]);
    h.svm.set_account(forged, account).unwrap();
    let mut ix = crank_ix(&cranker.pubkey());
    ix.accounts[2] = AccountMeta::new_readonly(forged, false);
    refused(
        &mut h,
        &[ix],
        &cranker,
        &[],
        &watch,
        custom(ProgramError::NotSlotHashes.code()),
    );

    // Another account in the registry's place.
    let fake = Address::new_unique();
    let copy = h.account(&blockhashes_pda()).unwrap();
    h.svm.set_account(fake, copy).unwrap();
    let mut ix = crank_ix(&cranker.pubkey());
    ix.accounts[1] = AccountMeta::new(fake, false);
    refused(
        &mut h,
        &[ix],
        &cranker,
        &[],
        &[blockhashes_pda(), fake],
        instruction_error(InstructionError::InvalidSeeds),
    );

    // The registry read-only.
    let mut ix = crank_ix(&cranker.pubkey());
    ix.accounts[1] = AccountMeta::new_readonly(blockhashes_pda(), false);
    refused(
        &mut h,
        &[ix],
        &cranker,
        &[],
        &watch,
        custom(anchor_error::CONSTRAINT_MUT),
    );

    // The payer named but not signing.
    let payer = h.wallet(SOL);
    let mut ix = crank_ix(&cranker.pubkey());
    ix.accounts[0] = AccountMeta::new(cranker.pubkey(), false);
    refused(
        &mut h,
        &[ix],
        &payer,
        &[],
        &watch,
        instruction_error(InstructionError::MissingRequiredSignature),
    );

    // And the real thing still works.
    h.send(&[crank_ix(&cranker.pubkey())], &cranker, &[])
        .unwrap();
    assert_eq!(h.registry().unwrap().newest_slot, 199);
}

/// `execute` with the fixed account `index` replaced by `meta`.
fn execute_with(
    wd: &World,
    raw: &[u8],
    metas: &[AccountMeta],
    index: usize,
    meta: AccountMeta,
) -> Vec<Instruction> {
    let mut ix = execute_ix(&wd.operator.pubkey(), raw, metas);
    ix.accounts[index] = meta;
    let mut ixs = budget_ixs();
    ixs.push(ix);
    ixs
}

#[test]
fn execute_refuses_substituted_registry_fee_market_and_sysvar() {
    let mut wd = world();
    let contract = [0x77; 20];
    wd.h.plant_contract(&contract, &PROBE);
    wd.h.warp_to(50, 20, &[]);
    probe(&mut wd, &contract, 1); // creates the contract's fee market
    wd.h.warp_to(60, 20, &[]);
    let raw = probe_tx(&mut wd, &contract, 55, 2 * GWEI, GWEI);
    let metas = probe_accounts(&wd, &contract);
    let op = wd.operator.insecure_clone();
    let mut watch: Vec<Address> = metas.iter().map(|m| m.pubkey).collect();
    watch.extend([blockhashes_pda(), fee_pda(&contract).0, fee_pda(&[0; 20]).0]);

    // SlotHashes replaced by the clock sysvar, or by a forged copy.
    let clock = Address::from_str_const("SysvarC1ock11111111111111111111111111111111");
    let ixs = execute_with(
        &wd,
        &raw,
        &metas,
        4,
        AccountMeta::new_readonly(clock, false),
    );
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::NotSlotHashes.code()),
    );
    let forged = Address::new_unique();
    let mut account = wd.h.account(&SLOT_HASHES).unwrap();
    account.data = slot_hashes_data(&[(59, [0xee; 32])]);
    wd.h.svm.set_account(forged, account).unwrap();
    let ixs = execute_with(
        &wd,
        &raw,
        &metas,
        4,
        AccountMeta::new_readonly(forged, false),
    );
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::NotSlotHashes.code()),
    );

    // The registry replaced by a copy at another address.
    let fake = Address::new_unique();
    let copy = wd.h.account(&blockhashes_pda()).unwrap();
    wd.h.svm.set_account(fake, copy).unwrap();
    let ixs = execute_with(&wd, &raw, &metas, 2, AccountMeta::new(fake, false));
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        instruction_error(InstructionError::InvalidSeeds),
    );

    // The fee market of another address (the zero address's, not created yet; then an existing
    // one of another contract), a forged copy at another address, one owned by another program,
    // and the right one read-only.
    let ixs = execute_with(
        &wd,
        &raw,
        &metas,
        3,
        AccountMeta::new(fee_pda(&[0; 20]).0, false),
    );
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::BadFeeMarketAccount.code()),
    );
    let other = [0x78; 20];
    wd.h.plant_contract(&other, &PROBE);
    probe(&mut wd, &other, 1);
    let raw = probe_tx(&mut wd, &contract, 55, 2 * GWEI, GWEI);
    watch.push(fee_pda(&other).0);
    let ixs = execute_with(
        &wd,
        &raw,
        &metas,
        3,
        AccountMeta::new(fee_pda(&other).0, false),
    );
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::BadFeeMarketAccount.code()),
    );
    let copy = wd.h.account(&fee_pda(&contract).0).unwrap();
    let fake = Address::new_unique();
    wd.h.svm.set_account(fake, copy.clone()).unwrap();
    let ixs = execute_with(&wd, &raw, &metas, 3, AccountMeta::new(fake, false));
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::BadFeeMarketAccount.code()),
    );
    let elsewhere = Address::new_unique();
    wd.h.svm
        .set_account(
            elsewhere,
            Account {
                owner: Address::new_unique(),
                ..copy
            },
        )
        .unwrap();
    let ixs = execute_with(&wd, &raw, &metas, 3, AccountMeta::new(elsewhere, false));
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(ProgramError::BadFeeMarketAccount.code()),
    );
    let ixs = execute_with(
        &wd,
        &raw,
        &metas,
        3,
        AccountMeta::new_readonly(fee_pda(&contract).0, false),
    );
    refused(
        &mut wd.h,
        &ixs,
        &op,
        &[],
        &watch,
        custom(anchor_error::CONSTRAINT_MUT),
    );

    // Unchanged, the same transaction runs.
    let ok = wd.h.execute(&op, &raw, &metas).unwrap();
    let r = receipt(&ok.logs);
    assert_eq!(&r.revert_data[..32], &test_slot_hash(55));
}

// ---------------------------------------------------------------------------------------------
// Fee market

/// EIP-1559 step, as the program's README states it.
fn next_base_fee(base: u64, used: u64, p: &FeeMarketParams) -> u64 {
    let target = p.contract_compute_cap / 2;
    let d = p.base_fee_change_denominator as u128;
    let next = if used > target {
        base + ((base as u128 * (used - target) as u128 / target as u128 / d) as u64).max(1)
    } else {
        base - (base as u128 * (target - used) as u128 / target as u128 / d) as u64
    };
    next.max(p.min_base_fee)
}

#[test]
fn a_congested_contract_pays_more_while_another_stays_at_the_floor() {
    let params = FeeMarketParams {
        contract_compute_cap: 250_000,
        min_base_fee: GWEI,
        base_fee_change_denominator: 8,
        charge_solana_costs: false,
    };
    let mut wd = world_with(params);
    let (busy, quiet) = ([0xaa; 20], [0xbb; 20]);
    wd.h.plant_contract(&busy, &PROBE);
    wd.h.plant_contract(&quiet, &PROBE);
    wd.h.warp_to(10, 5, &[]);
    let op = wd.operator.insecure_clone();

    // Slot 10: call `busy` until its cap refuses a call.
    let mut cus = Vec::new();
    loop {
        assert!(cus.len() < 20, "the cap never refused");
        let raw = probe_tx(&mut wd, &busy, 1, 2 * GWEI, GWEI);
        let metas = probe_accounts(&wd, &busy);
        let before_used = wd.h.fee_market(&busy).map(|f| f.used).unwrap_or(0);
        let mut watch: Vec<Address> = metas.iter().map(|m| m.pubkey).collect();
        watch.push(fee_pda(&busy).0);
        let before = wd.h.snapshot(&watch);
        match wd.h.execute(&op, &raw, &metas) {
            Ok(ok) => {
                wd.nonce += 1;
                let fee = wd.h.fee_market(&busy).unwrap();
                let charged = fee.used - before_used;
                println!(
                    "execute: probe call #{} in one slot {:>7} CU (fee market charged {charged})",
                    cus.len() + 1,
                    ok.cu
                );
                // The charge is the compute of the transaction's gas (the same off-chain).
                let gas = receipt(&ok.logs).gas_used;
                assert_eq!(charged, gas * interface::fee_market::CU_PER_GAS);
                cus.push(ok.cu);
            }
            Err(f) => {
                assert_eq!(
                    f.custom(),
                    ProgramError::ContractComputeCapExceeded.code(),
                    "{}",
                    f.logs.join("\n")
                );
                assert_eq!(
                    before,
                    wd.h.snapshot(&watch),
                    "a refused call changed state"
                );
                break;
            }
        }
    }
    assert!(cus.len() >= 3, "{cus:?}");
    let fee = wd.h.fee_market(&busy).unwrap();
    assert_eq!(fee.address, busy);
    assert_eq!(fee.bump, fee_pda(&busy).1);
    assert_eq!((fee.last_slot, fee.base_fee), (10, GWEI));
    assert!(fee.used > 125_000 && fee.used <= 250_000, "{fee:?}");
    let busy_used = fee.used;

    // One call to `quiet` in the same slot: its own account, below its target.
    let seen = probe(&mut wd, &quiet, 1);
    assert_eq!(seen.basefee, word(GWEI));
    let quiet_fee = wd.h.fee_market(&quiet).unwrap();
    assert!(quiet_fee.used < 125_000);

    // Slot 11: busy's base fee rose by the EIP-1559 rule; quiet stays at the floor.
    wd.h.warp_to(11, 5, &[]);
    let expected = next_base_fee(GWEI, busy_used, &params);
    assert!(expected > GWEI);
    let seen = probe(&mut wd, &busy, 1);
    assert_eq!(
        seen.basefee,
        word(expected),
        "BASEFEE of the congested contract"
    );
    // The price paid: min(max fee 2 gwei, base fee + 1 gwei tip).
    assert_eq!(seen.price, (2 * GWEI).min(expected + GWEI) as u128);
    assert_eq!(wd.h.fee_market(&busy).unwrap().base_fee, expected);
    let seen = probe(&mut wd, &quiet, 1);
    assert_eq!(seen.basefee, word(GWEI), "BASEFEE of the quiet contract");
    assert_eq!(seen.price, 2 * GWEI as u128);
    println!(
        "fee market: busy contract {} wei/gas after one congested slot, quiet contract {}",
        expected, GWEI
    );

    // A transaction that offers only the floor is refused by busy, accepted by quiet.
    let raw = probe_tx(&mut wd, &busy, 1, GWEI, 0);
    let metas = probe_accounts(&wd, &busy);
    let mut watch: Vec<Address> = metas.iter().map(|m| m.pubkey).collect();
    watch.push(fee_pda(&busy).0);
    refused(
        &mut wd.h,
        &{
            let mut ixs = budget_ixs();
            ixs.push(execute_ix(&op.pubkey(), &raw, &metas));
            ixs
        },
        &op,
        &[],
        &watch,
        custom(ProgramError::FeeCapBelowBaseFee.code()),
    );
    let raw = probe_tx(&mut wd, &quiet, 1, GWEI, 0);
    let ok =
        wd.h.execute(&op, &raw, &probe_accounts(&wd, &quiet))
            .unwrap();
    wd.nonce += 1;
    assert_eq!(receipt(&ok.logs).effective_gas_price, GWEI as u128);

    // Idle for 30 slots: empty slots bring busy back to the floor.
    wd.h.warp_to(41, 5, &[]);
    let seen = probe(&mut wd, &busy, 1);
    assert_eq!(seen.basefee, word(GWEI));
}

#[test]
fn a_creation_uses_the_zero_address_fee_market() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let contract = create_address(&HostCrypto, &wd.alice.address, 0);
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 0, None, 0, vec![0x00], 100_000));
    let metas = vec![
        AccountMeta::new(account_pda(&wd.alice.address).0, false),
        AccountMeta::new(account_pda(&wd.op_eth).0, false),
        AccountMeta::new(account_pda(&contract).0, false),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let op_lamports = wd.h.lamports(&op.pubkey());
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    assert_eq!(receipt(&ok.logs).status, 1);
    let fee = wd.h.fee_market(&[0; 20]).unwrap();
    assert_eq!((fee.address, fee.base_fee), ([0; 20], GWEI));
    assert!(fee.used > 0);
    // The operator paid the rent of what was created (fee account, registry, the new accounts).
    let rent = wd.h.svm.minimum_balance_for_rent_exemption(FEE_MARKET_LEN);
    assert_eq!(wd.h.account(&fee_pda(&[0; 20]).0).unwrap().lamports, rent);
    assert!(op_lamports - wd.h.lamports(&op.pubkey()) > rent);
}

// ---------------------------------------------------------------------------------------------
// Reverse registry and withdraw

struct Bank {
    h: Harness,
    alice: EthWallet,
    bob: EthWallet,
    /// Linked to alice.
    wallet: Keypair,
    /// Pays the fees, so the wallet's lamports only move by what it withdraws.
    payer: Keypair,
}

fn bank() -> Bank {
    let mut h = Harness::initialized();
    let alice = EthWallet::new(0xa1);
    let bob = EthWallet::new(0xb0);
    let depositor = h.wallet(30 * SOL);
    for who in [&alice.address, &bob.address] {
        h.send(
            &[deposit_ix(&depositor.pubkey(), who, 10 * SOL)],
            &depositor,
            &[],
        )
        .unwrap();
    }
    let wallet = h.wallet(SOL);
    let payer = h.wallet(10 * SOL);
    let sig = alice.sign_link(&wallet.pubkey(), CHAIN_ID);
    let ok = h
        .send(
            &[link_wallet_ix(&wallet.pubkey(), &alice.address, &sig)],
            &wallet,
            &[],
        )
        .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!("link_wallet (creates the reverse entry) {:>7} CU", ok.cu);
    Bank {
        h,
        alice,
        bob,
        wallet,
        payer,
    }
}

#[test]
fn link_then_withdraw() {
    let mut b = bank();
    let (entry_wallet, entry_address, bump) = decode_reverse(
        &b.h.account(&reverse_pda(&b.wallet.pubkey()).0)
            .unwrap()
            .data,
    );
    assert_eq!(entry_wallet, b.wallet.pubkey());
    assert_eq!(entry_address, b.alice.address);
    assert_eq!(bump, reverse_pda(&b.wallet.pubkey()).1);

    let wallet_before = b.h.lamports(&b.wallet.pubkey());
    let vault_before = b.h.lamports(&vault_pda());
    let ok =
        b.h.send(
            &[withdraw_ix(&b.wallet.pubkey(), &b.alice.address, 3 * SOL)],
            &b.payer,
            &[&b.wallet],
        )
        .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    println!("withdraw {:>7} CU", ok.cu);
    assert_eq!(b.h.lamports(&b.wallet.pubkey()), wallet_before + 3 * SOL);
    assert_eq!(b.h.lamports(&vault_pda()), vault_before - 3 * SOL);
    let alice = b.h.eth_account(&b.alice.address).unwrap();
    assert_eq!(alice.balance, 7 * SOL as u128 * WEI_PER_LAMPORT);

    // All the rest, then one lamport more.
    b.h.send(
        &[withdraw_ix(&b.wallet.pubkey(), &b.alice.address, 7 * SOL)],
        &b.payer,
        &[&b.wallet],
    )
    .unwrap();
    assert_eq!(b.h.eth_account(&b.alice.address).unwrap().balance, 0);
    let watch = [
        b.wallet.pubkey(),
        account_pda(&b.alice.address).0,
        reverse_pda(&b.wallet.pubkey()).0,
    ];
    let (payer, wallet) = (b.payer.insecure_clone(), b.wallet.insecure_clone());
    refused(
        &mut b.h,
        &[withdraw_ix(&wallet.pubkey(), &b.alice.address, 1)],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::InsufficientBalance.code()),
    );

    // Re-linking to bob (bob signs) moves the wallet to bob's balance.
    let sig = b.bob.sign_link(&wallet.pubkey(), CHAIN_ID);
    b.h.send(
        &[link_wallet_ix(&wallet.pubkey(), &b.bob.address, &sig)],
        &payer,
        &[&wallet],
    )
    .unwrap();
    b.h.send(
        &[withdraw_ix(&wallet.pubkey(), &b.bob.address, SOL)],
        &payer,
        &[&wallet],
    )
    .unwrap();
    assert_eq!(
        b.h.eth_account(&b.bob.address).unwrap().balance,
        9 * SOL as u128 * WEI_PER_LAMPORT
    );
}

#[test]
fn link_refuses_signatures_that_do_not_prove_the_address() {
    let mut b = bank();
    let other = b.h.wallet(SOL);
    let (payer, wallet) = (b.payer.insecure_clone(), other.insecure_clone());
    let watch = [wallet.pubkey(), reverse_pda(&wallet.pubkey()).0];
    let link = |address: &[u8; 20], sig: &[u8; 65]| link_wallet_ix(&wallet.pubkey(), address, sig);
    let bad = || custom(ProgramError::BadLinkSignature.code());

    // Signed by bob, claiming alice.
    let sig = b.bob.sign_link(&wallet.pubkey(), CHAIN_ID);
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    // Alice's signature for another wallet (replayed for this one).
    let sig = b.alice.sign_link(&b.wallet.pubkey(), CHAIN_ID);
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    // For another chain.
    let sig = b.alice.sign_link(&wallet.pubkey(), 1);
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    // A message naming another program.
    let msg = link_message(&wallet.pubkey(), CHAIN_ID, &Address::new_unique());
    let sig = b.alice.personal_sign(&msg);
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    // A bad v, the malleable high-s twin, r = 0.
    let good = b.alice.sign_link(&wallet.pubkey(), CHAIN_ID);
    let mut sig = good;
    sig[64] = 29;
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    let n = isthmus_evm::U256::from_be_bytes(hex32(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
    ));
    let s = isthmus_evm::U256::from_be_slice(&good[32..64]);
    let mut sig = good;
    sig[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    sig[64] = if good[64] == 27 { 28 } else { 27 };
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );
    let mut sig = good;
    sig[..32].fill(0);
    refused(
        &mut b.h,
        &[link(&b.alice.address, &sig)],
        &payer,
        &[&wallet],
        &watch,
        bad(),
    );

    // The wallet named but not signing.
    let mut ix = link(&b.alice.address, &good);
    ix.accounts[0] = AccountMeta::new(wallet.pubkey(), false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[],
        &watch,
        instruction_error(InstructionError::MissingRequiredSignature),
    );
    // Another wallet's reverse entry.
    let mut ix = link(&b.alice.address, &good);
    ix.accounts[2] = AccountMeta::new(reverse_pda(&b.wallet.pubkey()).0, false);
    let mut watch2 = watch.to_vec();
    watch2.push(reverse_pda(&b.wallet.pubkey()).0);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[&wallet],
        &watch2,
        instruction_error(InstructionError::InvalidSeeds),
    );

    // The good signature (v as 0/1 works too).
    let mut sig = good;
    sig[64] -= 27;
    let ok =
        b.h.send(&[link(&b.alice.address, &sig)], &payer, &[&wallet])
            .unwrap();
    assert!(!ok.logs.is_empty());
    let (_, address, _) =
        decode_reverse(&b.h.account(&reverse_pda(&wallet.pubkey()).0).unwrap().data);
    assert_eq!(address, b.alice.address);
}

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

#[test]
fn withdraw_refuses_hostile_input() {
    let mut b = bank();
    let (payer, wallet) = (b.payer.insecure_clone(), b.wallet.insecure_clone());
    let alice_pda = account_pda(&b.alice.address).0;
    let watch = [
        wallet.pubkey(),
        alice_pda,
        account_pda(&b.bob.address).0,
        reverse_pda(&wallet.pubkey()).0,
    ];
    let withdraw = |lamports: u64| withdraw_ix(&wallet.pubkey(), &b.alice.address, lamports);

    // Zero; more than the balance.
    refused(
        &mut b.h,
        &[withdraw(0)],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::ZeroWithdraw.code()),
    );
    refused(
        &mut b.h,
        &[withdraw(10 * SOL + 1)],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::InsufficientBalance.code()),
    );
    // A wallet that never linked acts for its own derived address, not alice's.
    let stranger = b.h.wallet(SOL);
    refused(
        &mut b.h,
        &[withdraw_ix(&stranger.pubkey(), &b.alice.address, SOL)],
        &payer,
        &[&stranger],
        &watch,
        custom(ProgramError::AddressMismatch.code()),
    );
    // The wallet named but not signing.
    let mut ix = withdraw(SOL);
    ix.accounts[0] = AccountMeta::new(wallet.pubkey(), false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[],
        &watch,
        instruction_error(InstructionError::MissingRequiredSignature),
    );
    // Another wallet's reverse entry (linked to bob).
    let bobs = b.h.wallet(SOL);
    let sig = b.bob.sign_link(&bobs.pubkey(), CHAIN_ID);
    b.h.send(
        &[link_wallet_ix(&bobs.pubkey(), &b.bob.address, &sig)],
        &bobs,
        &[],
    )
    .unwrap();
    let mut ix = withdraw_ix(&wallet.pubkey(), &b.bob.address, SOL);
    ix.accounts[1] = AccountMeta::new_readonly(reverse_pda(&bobs.pubkey()).0, false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[&wallet],
        &watch,
        instruction_error(InstructionError::InvalidSeeds),
    );
    // Bob's account for a wallet linked to alice.
    refused(
        &mut b.h,
        &[withdraw_ix(&wallet.pubkey(), &b.bob.address, SOL)],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::AddressMismatch.code()),
    );
    // A forged copy of alice's account (richer) at another address.
    let mut forged = b.h.eth_account(&b.alice.address).unwrap();
    forged.balance *= 100;
    let fake = Address::new_unique();
    b.h.plant(fake, forged.encode());
    let mut ix = withdraw(50 * SOL);
    ix.accounts[2] = AccountMeta::new(fake, false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::AddressMismatch.code()),
    );
    // Alice's bytes in an account of another program: not an account of hers at all.
    let mut copy = b.h.account(&alice_pda).unwrap();
    copy.owner = Address::new_unique();
    let elsewhere = Address::new_unique();
    b.h.svm.set_account(elsewhere, copy).unwrap();
    let mut ix = withdraw(SOL);
    ix.accounts[2] = AccountMeta::new(elsewhere, false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[&wallet],
        &watch,
        custom(ProgramError::InsufficientBalance.code()),
    );
    // Another account in the vault's place.
    let mut ix = withdraw(SOL);
    let vault_copy = b.h.account(&vault_pda()).unwrap();
    let fake_vault = Address::new_unique();
    b.h.svm.set_account(fake_vault, vault_copy).unwrap();
    ix.accounts[3] = AccountMeta::new(fake_vault, false);
    refused(
        &mut b.h,
        &[ix],
        &payer,
        &[&wallet],
        &watch,
        instruction_error(InstructionError::InvalidSeeds),
    );
    // A vault that would drop below its rent-exempt minimum.
    let mut vault = b.h.account(&vault_pda()).unwrap();
    vault.lamports = b.h.svm.minimum_balance_for_rent_exemption(VAULT_LEN) + SOL;
    b.h.svm.set_account(vault_pda(), vault).unwrap();
    let mut watch2 = watch.to_vec();
    watch2.push(vault_pda());
    refused(
        &mut b.h,
        &[withdraw(2 * SOL)],
        &payer,
        &[&wallet],
        &watch2,
        custom(ProgramError::VaultBelowRent.code()),
    );
    // Down to exactly the minimum is fine.
    b.h.send(&[withdraw(SOL)], &payer, &[&wallet]).unwrap();
    assert_eq!(
        b.h.lamports(&vault_pda()),
        b.h.svm.minimum_balance_for_rent_exemption(VAULT_LEN)
    );
}

#[test]
fn a_prefunded_fee_market_address_is_still_created() {
    let mut wd = world();
    let op = wd.operator.insecure_clone();
    let bob = [0xb0; 20];
    // Someone sends lamports to bob's fee-market PDA first, to block its creation.
    let griefer = wd.h.wallet(SOL);
    let pda = fee_pda(&bob).0;
    let lamports = wd.h.svm.minimum_balance_for_rent_exemption(0);
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    let ix = Instruction {
        program_id: SYSTEM_PROGRAM,
        accounts: vec![
            AccountMeta::new(griefer.pubkey(), true),
            AccountMeta::new(pda, false),
        ],
        data,
    };
    wd.h.send(&[ix], &griefer, &[]).unwrap();
    let raw = wd
        .alice
        .sign(&tx1559(CHAIN_ID, 0, Some(bob), 5, vec![], 21_000));
    let metas = vec![
        AccountMeta::new(account_pda(&wd.alice.address).0, false),
        AccountMeta::new(account_pda(&bob).0, false),
        AccountMeta::new(account_pda(&wd.op_eth).0, false),
    ];
    let ok =
        wd.h.execute(&op, &raw, &metas)
            .unwrap_or_else(|f| panic!("{:?}\n{}", f.err, f.logs.join("\n")));
    assert_eq!(receipt(&ok.logs).status, 1);
    let account = wd.h.account(&pda).unwrap();
    assert_eq!(account.owner, PROGRAM_ID);
    assert_eq!(
        account.lamports,
        wd.h.svm.minimum_balance_for_rent_exemption(FEE_MARKET_LEN)
    );
    let fee = wd.h.fee_market(&bob).unwrap();
    assert_eq!((fee.address, fee.base_fee), (bob, GWEI));
}
