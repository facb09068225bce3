//! Hostile input to the holder and iterative-execution instructions (`holder_create`,
//! `holder_write`, `holder_resize`, `holder_delete`, `execute_from_holder`, `step`, `cancel`):
//! forged holders (another program's account with a holder's bytes, a program account at the
//! wrong address), operators that do not sign, another operator's holder, forged, missing or
//! read-only EVM accounts between steps, substituted fixed accounts, replayed, foreign-chain,
//! badly signed, gapped and unpayable transactions in a holder, truncated holder data and sizes
//! beyond Solana's 10 KiB growth limit. Each is refused with a clear error, and every account the
//! instruction could touch is byte-for-byte what it was (`Harness::snapshot`).
//!
//! Also here, what a third party or a sender can do to an operator's holders beyond a refusal:
//! pre-fund a holder's PDA (blocks `holder_create`: program bug, ignored test), send a transaction
//! with more EVM memory than a step can reload (stuck: program bug, ignored test), or restart an
//! iterative transaction at every step by depositing to its sender (pinned, a design risk).
//!
//! The `execute` instruction's own hostile cases are in tests/execute.rs, tests/program.rs and
//! tests/registries.rs; the holder cases already in tests/iterative.rs (stranger creating or
//! writing, stepping an empty holder, a truncated transaction stepped) are not repeated.

use isthmus_evm::machine::create_address;
use isthmus_evm::{HostCrypto, U256};
use isthmus_program_tests::*;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;
const CHAIN_ID: u64 = 1337;

/// Runtime: `n = calldataload(0); acc = 0; while n != 0 { acc += n; n -= 1 }; sstore(16, acc)`
/// (tests/iterative.rs's loop with slot 16, beyond the inline slots, so the result lives in a
/// storage cell): reads its storage slot only at the very end.
const LOOP_RUNTIME: [u8; 28] = [
    0x60, 0x00, 0x60, 0x00, 0x35, 0x5b, 0x80, 0x15, 0x60, 0x16, 0x57, 0x90, 0x81, 0x01, 0x90, 0x60,
    0x01, 0x90, 0x03, 0x60, 0x05, 0x56, 0x5b, 0x50, 0x60, 0x10, 0x55, 0x00,
];
/// The slot the loop writes.
const SLOT: u64 = 0x10;

/// Initcode returning `runtime`.
fn initcode(runtime: &[u8]) -> Vec<u8> {
    let len = (runtime.len() as u16).to_be_bytes();
    let mut code = vec![
        0x61, len[0], len[1], 0x60, 0x0e, 0x60, 0x00, 0x39, 0x61, len[0], len[1], 0x60, 0x00, 0xf3,
    ];
    code.extend_from_slice(runtime);
    code
}

struct World {
    h: Harness,
    /// Two listed operators.
    op: Keypair,
    op2: Keypair,
    /// Someone who is not an operator (pays for transactions naming an operator who does not
    /// sign).
    mallory: Keypair,
    alice: EthWallet,
    op_eth: [u8; 20],
    /// The loop contract, deployed by alice with nonce 0.
    contract: [u8; 20],
}

fn world() -> World {
    let mut h = Harness::new();
    let op = h.wallet(100 * SOL);
    let op2 = h.wallet(100 * SOL);
    let mallory = h.wallet(100 * SOL);
    let mut args = default_args();
    args.operators = vec![op.pubkey(), op2.pubkey()];
    let admin = h.admin.insecure_clone();
    h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
        .unwrap();
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let op_eth = operator_eth_address(&op.pubkey());
    let contract = create_address(&HostCrypto, &alice.address, 0);
    let raw = alice.sign(&tx1559(
        CHAIN_ID,
        0,
        None,
        0,
        initcode(&LOOP_RUNTIME),
        200_000,
    ));
    let metas = [
        w(&alice.address),
        w(&op_eth),
        w(&contract),
        AccountMeta::new(code_pda(&contract), false),
    ];
    let ok = h.execute(&op, &raw, &metas).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    World {
        h,
        op,
        op2,
        mallory,
        alice,
        op_eth,
        contract,
    }
}

fn w(address: &[u8; 20]) -> AccountMeta {
    AccountMeta::new(account_pda(address).0, false)
}

impl World {
    /// The EVM accounts of a call to the loop contract from alice, relayed by `op`.
    fn metas(&self) -> Vec<AccountMeta> {
        vec![
            w(&self.alice.address),
            w(&self.op_eth),
            AccountMeta::new_readonly(account_pda(&self.contract).0, false),
            AccountMeta::new_readonly(code_pda(&self.contract), false),
            AccountMeta::new(storage_pda(&self.contract, SLOT), false),
        ]
    }

    /// alice calls the loop contract with `n` (nonce `nonce`).
    fn loop_call(&self, nonce: u64, n: u64, gas: u64) -> Vec<u8> {
        self.alice.sign(&tx1559(
            CHAIN_ID,
            nonce,
            Some(self.contract),
            0,
            slot_key(n).to_vec(),
            gas,
        ))
    }

    /// Every account a holder instruction could change: the holders given, the EVM accounts of
    /// the loop call, the contract's and the creations' fee markets, the blockhash registry, the
    /// config and vault.
    fn snapshot(&self, holders: &[Address]) -> Vec<Option<Account>> {
        let mut keys: Vec<Address> = holders.to_vec();
        keys.extend(self.metas().iter().map(|m| m.pubkey));
        keys.push(account_pda(&operator_eth_address(&self.op2.pubkey())).0);
        keys.push(fee_pda(&self.contract).0);
        keys.push(fee_pda(&[0; 20]).0);
        keys.push(blockhashes_pda());
        self.h.snapshot(&keys)
    }

    /// Sends `ix` (after the compute-budget instructions) paid and signed by `payer`, expects
    /// the custom error `code` and that nothing in `snapshot(holders)` changed.
    fn refused(&mut self, payer: &Keypair, ix: Instruction, code: u32, holders: &[Address]) {
        let before = self.snapshot(holders);
        let mut ixs = budget_ixs();
        ixs.push(ix);
        let f = self.h.send(&ixs, payer, &[]).unwrap_err();
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::Custom(code),
            "{}",
            f.logs.join("\n")
        );
        assert_eq!(self.snapshot(holders), before, "state changed");
    }

    /// As [`World::refused`], for a non-custom instruction error.
    fn refused_with(
        &mut self,
        payer: &Keypair,
        ix: Instruction,
        error: InstructionError,
        holders: &[Address],
    ) {
        let before = self.snapshot(holders);
        let mut ixs = budget_ixs();
        ixs.push(ix);
        let f = self.h.send(&ixs, payer, &[]).unwrap_err();
        assert_eq!(
            f.instruction_error().unwrap(),
            &error,
            "{}",
            f.logs.join("\n")
        );
        assert_eq!(self.snapshot(holders), before, "state changed");
    }

    /// The loop call (`n` iterations) written into `op`'s holder `index` and stepped
    /// `max_steps` opcodes, so the holder is running.
    fn running_holder(&mut self, index: u64, n: u64, max_steps: u64) -> (Address, Vec<u8>) {
        let op = self.op.insecure_clone();
        let nonce = self.h.eth_nonce(&self.alice.address);
        let raw = self.loop_call(nonce, n, 3_000_000);
        let (holder, _, _) = self.h.write_holder(&op, index, &raw);
        let metas = self.metas();
        self.h.step(&op, &holder, max_steps, &metas).unwrap();
        assert_eq!(self.header(&holder).status, 1, "running");
        (holder, raw)
    }

    fn header(&self, holder: &Address) -> HolderHeader {
        HolderHeader::decode(&self.h.account(holder).expect("holder").data).unwrap()
    }

    fn stored(&self) -> u128 {
        self.h
            .account(&storage_pda(&self.contract, SLOT))
            .map(|a| decode_storage_cell(&a.data).4)
            .unwrap_or(0)
    }

    fn step_ix(&self, operator: &Address, holder: &Address, extra: &[AccountMeta]) -> Instruction {
        step_ix(operator, holder, &self.contract, 0, extra)
    }
}

/// `ix` with its first account (the operator) no longer a signer.
fn unsigned(mut ix: Instruction) -> Instruction {
    ix.accounts[0].is_signer = false;
    ix
}

/// A holder's bytes as `holder_create` + `holder_write` would leave them: idle, holding `raw`.
fn holder_bytes(operator: &Address, index: u64, raw: &[u8]) -> Vec<u8> {
    let (_, bump) = Address::find_program_address(
        &[b"holder", operator.as_ref(), &index.to_le_bytes()],
        &PROGRAM_ID,
    );
    let mut data = vec![0u8; HOLDER_HEADER];
    data[..8].copy_from_slice(&discriminator("account", "Holder"));
    data[8..40].copy_from_slice(operator.as_ref());
    data[40..48].copy_from_slice(&index.to_le_bytes());
    data[48] = bump;
    data[50..54].copy_from_slice(&(raw.len() as u32).to_le_bytes());
    data.extend_from_slice(raw);
    data.resize(data.len() + 1024, 0);
    data
}

/// A holder with a valid transaction in it, owned by another program (at the operator's holder
/// PDA), or owned by this program at an address that is not the PDA its bytes name: every holder
/// instruction refuses it (`BadHolder`) and nothing changes.
#[test]
fn forged_holders_are_refused() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let raw = wd.loop_call(1, 10, 200_000);
    let metas = wd.metas();
    let other_program = Address::new_unique();

    let at_pda = holder_pda(&op.pubkey(), 7);
    let not_at_pda = Address::new_unique();
    for (holder, owner) in [(at_pda, other_program), (not_at_pda, PROGRAM_ID)] {
        let data = holder_bytes(&op.pubkey(), 7, &raw);
        let lamports = wd.h.svm.minimum_balance_for_rent_exemption(data.len());
        wd.h.svm
            .set_account(
                holder,
                Account {
                    lamports,
                    data,
                    owner,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .unwrap();
        let o = op.pubkey();
        let bad = ProgramError::BadHolder.code();
        let hs = [holder];
        wd.refused(&op, holder_write_ix(&o, &holder, 0, &raw), bad, &hs);
        wd.refused(&op, holder_resize_ix(&o, &holder, 4096), bad, &hs);
        wd.refused(&op, holder_resize_ix(&o, &holder, 200), bad, &hs);
        wd.refused(&op, holder_delete_ix(&o, &holder), bad, &hs);
        let ix = execute_from_holder_ix(&o, &holder, &wd.contract, &metas);
        wd.refused(&op, ix, bad, &hs);
        let ix = wd.step_ix(&o, &holder, &metas);
        wd.refused(&op, ix, bad, &hs);
        let ix = cancel_ix(&o, &holder, &metas[..2]);
        wd.refused(&op, ix, bad, &hs);
    }
    assert_eq!(wd.stored(), 0);
    assert_eq!(wd.h.eth_nonce(&wd.alice.address), 1);

    // The real holder at that PDA cannot be created over another program's account either.
    let f =
        wd.h.send(
            &[holder_create_ix(&op.pubkey(), &at_pda, 7, 1024)],
            &op,
            &[],
        )
        .unwrap_err();
    assert_eq!(f.custom(), ProgramError::HolderExists.code());

    // Other program accounts of this program in a holder's place: the config, a fee market.
    let o = op.pubkey();
    for other in [config_pda(), fee_pda(&[0; 20]).0] {
        if wd.h.account(&other).is_none() {
            continue;
        }
        let hs = [other];
        wd.refused(
            &op,
            holder_write_ix(&o, &other, 0, &raw),
            ProgramError::BadHolder.code(),
            &hs,
        );
        wd.refused(
            &op,
            holder_delete_ix(&o, &other),
            ProgramError::BadHolder.code(),
            &hs,
        );
    }
}

/// Every holder instruction names its operator, who must sign: a transaction paid by someone
/// else that names the operator without its signature is refused (`MissingRequiredSignature`).
#[test]
fn holder_instructions_need_the_operator_signature() {
    let mut wd = world();
    let op = wd.op.pubkey();
    let mallory = wd.mallory.insecure_clone();
    let metas = wd.metas();
    let missing = InstructionError::MissingRequiredSignature;

    let new_holder = holder_pda(&op, 9);
    let hs = [new_holder];
    wd.refused_with(
        &mallory,
        unsigned(holder_create_ix(&op, &new_holder, 9, 1024)),
        missing.clone(),
        &hs,
    );
    assert!(wd.h.account(&new_holder).is_none());

    // An idle holder with a transaction in it.
    let raw = wd.loop_call(1, 10, 200_000);
    let opk = wd.op.insecure_clone();
    let (idle, _, _) = wd.h.write_holder(&opk, 1, &raw);
    let hs = [idle];
    for ix in [
        holder_write_ix(&op, &idle, 0, &[0xff; 8]),
        holder_resize_ix(&op, &idle, 30_000),
        holder_delete_ix(&op, &idle),
        execute_from_holder_ix(&op, &idle, &wd.contract, &metas),
        wd.step_ix(&op, &idle, &metas),
    ] {
        wd.refused_with(&mallory, unsigned(ix), missing.clone(), &hs);
    }

    // A running holder: cancel and step.
    let (running, _) = wd.running_holder(2, 3_000, 1_000);
    let hs = [running, idle];
    for ix in [
        cancel_ix(&op, &running, &metas[..2]),
        wd.step_ix(&op, &running, &metas),
    ] {
        wd.refused_with(&mallory, unsigned(ix), missing.clone(), &hs);
    }
    assert_eq!(wd.stored(), 0);
}

/// A listed operator cannot use another operator's holder: write, resize, delete, run, step or
/// cancel it (`NotHolderOperator`); the owner then finishes its transaction undisturbed.
#[test]
fn another_operator_cannot_use_a_holder() {
    let mut wd = world();
    let op2 = wd.op2.insecure_clone();
    let o2 = op2.pubkey();
    // op2's own accounts for the loop call (its COINBASE differs from op's).
    let mut metas2 = wd.metas();
    metas2[1] = w(&operator_eth_address(&o2));
    let not_theirs = ProgramError::NotHolderOperator.code();

    let raw = wd.loop_call(1, 10, 200_000);
    let op = wd.op.insecure_clone();
    let (idle, _, _) = wd.h.write_holder(&op, 1, &raw);
    let (running, _) = wd.running_holder(2, 3_000, 1_000);
    let hs = [idle, running];
    for holder in [idle, running] {
        wd.refused(
            &op2,
            holder_write_ix(&o2, &holder, 0, &[1; 4]),
            not_theirs,
            &hs,
        );
        wd.refused(
            &op2,
            holder_resize_ix(&o2, &holder, 40_000),
            not_theirs,
            &hs,
        );
        wd.refused(&op2, holder_delete_ix(&o2, &holder), not_theirs, &hs);
        let ix = execute_from_holder_ix(&o2, &holder, &wd.contract, &metas2);
        wd.refused(&op2, ix, not_theirs, &hs);
        let ix = wd.step_ix(&o2, &holder, &metas2);
        wd.refused(&op2, ix, not_theirs, &hs);
        let ix = cancel_ix(&o2, &holder, &metas2[..2]);
        wd.refused(&op2, ix, not_theirs, &hs);
    }
    // op2 cannot create a holder at op's PDA (it is the PDA of (op, index), not (op2, index)).
    let f =
        wd.h.send(
            &[holder_create_ix(
                &o2,
                &holder_pda(&wd.op.pubkey(), 5),
                5,
                1024,
            )],
            &op2,
            &[],
        )
        .unwrap_err();
    assert_eq!(f.custom(), ProgramError::BadHolder.code());

    // The owner steps its running transaction to the end.
    let metas = wd.metas();
    let run = wd.h.step_to_end(&op, &running, 0, &metas, 20);
    assert_eq!(run.receipt.status, 1);
    assert_eq!(run.restarts, 0);
    assert_eq!(wd.stored(), 3_000 * 3_001 / 2);
}

/// Between steps, the relayer must pass the same accounts: a step without an account the
/// transaction read (`AccountNotProvided`) or is about to read (the storage cell,
/// `AccountNotProvided` when it gets there), with a forged EthAccount in place of the sender's
/// (another program's copy is ignored, so the sender is missing; this program's account at
/// another address is `BadEvmAccount`), with the cell read-only (`AccountNotWritable`), or with
/// substituted fixed accounts is refused, and the holder keeps its saved progress.
#[test]
fn forged_or_missing_accounts_between_steps_are_refused() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let o = op.pubkey();
    // Small enough that the step after the first runs to the SSTORE.
    let n = 1_000;
    let (holder, _) = wd.running_holder(0, n, 1_000);
    let metas = wd.metas();
    let hs = [holder];
    let alice_pda = account_pda(&wd.alice.address).0;

    // alice's account (read when the transaction began) left out.
    let without_alice: Vec<_> = metas[1..].to_vec();
    let ix = wd.step_ix(&o, &holder, &without_alice);
    wd.refused(&op, ix, ProgramError::AccountNotProvided.code(), &hs);

    // A forged alice: her account's bytes with a larger balance, at another address, owned by
    // another program (ignored: alice is missing) or by this program (not at its PDA).
    let mut forged = wd.h.eth_account(&wd.alice.address).unwrap();
    forged.balance *= 1_000;
    for (owner, code) in [
        (
            Address::new_unique(),
            ProgramError::AccountNotProvided.code(),
        ),
        (PROGRAM_ID, ProgramError::BadEvmAccount.code()),
    ] {
        let fake = Address::new_unique();
        let data = forged.encode();
        let lamports = wd.h.svm.minimum_balance_for_rent_exemption(data.len());
        wd.h.svm
            .set_account(
                fake,
                Account {
                    lamports,
                    data,
                    owner,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .unwrap();
        let mut with_fake = without_alice.clone();
        with_fake.push(AccountMeta::new(fake, false));
        let ix = wd.step_ix(&o, &holder, &with_fake);
        wd.refused(&op, ix, code, &hs);
    }

    // The storage cell (written at the very end) left out, then passed read-only: the step runs
    // to the SSTORE and is refused there.
    let without_cell: Vec<_> = metas[..4].to_vec();
    let ix = wd.step_ix(&o, &holder, &without_cell);
    wd.refused(&op, ix, ProgramError::AccountNotProvided.code(), &hs);
    let mut cell_read_only = metas.clone();
    cell_read_only[4].is_writable = false;
    let ix = wd.step_ix(&o, &holder, &cell_read_only);
    wd.refused(&op, ix, ProgramError::AccountNotWritable.code(), &hs);
    // alice's account read-only (the transaction charges her).
    let mut alice_read_only = metas.clone();
    alice_read_only[0].is_writable = false;
    assert_eq!(alice_read_only[0].pubkey, alice_pda);
    let ix = wd.step_ix(&o, &holder, &alice_read_only);
    wd.refused(&op, ix, ProgramError::AccountNotWritable.code(), &hs);

    // Substituted fixed accounts: another contract's fee market, another account as SlotHashes,
    // a copy of the config naming the operator, the blockhash registry replaced.
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[3] = AccountMeta::new(fee_pda(&[0x33; 20]).0, false);
    wd.refused(&op, ix, ProgramError::BadFeeMarketAccount.code(), &hs);
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[4] = AccountMeta::new_readonly(Address::new_unique(), false);
    wd.refused(&op, ix, ProgramError::NotSlotHashes.code(), &hs);
    let fake_config = Address::new_unique();
    let config = wd.h.account(&config_pda()).unwrap();
    wd.h.svm.set_account(fake_config, config).unwrap();
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[1] = AccountMeta::new_readonly(fake_config, false);
    wd.refused_with(&op, ix, InstructionError::InvalidSeeds, &hs);
    let fake_registry = Address::new_unique();
    let registry = wd.h.account(&blockhashes_pda()).unwrap();
    wd.h.svm.set_account(fake_registry, registry).unwrap();
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[2] = AccountMeta::new_readonly(fake_registry, false);
    wd.refused_with(&op, ix, InstructionError::InvalidSeeds, &hs);
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[2] = AccountMeta::new_readonly(Address::new_unique(), false);
    wd.refused_with(&op, ix, InstructionError::UninitializedAccount, &hs);
    // The holder passed read-only.
    let mut ix = wd.step_ix(&o, &holder, &metas);
    ix.accounts[5].is_writable = false;
    wd.refused(&op, ix, anchor_error::CONSTRAINT_MUT, &hs);

    // With the right accounts it finishes, without a restart: nothing it read was changed.
    let run = wd.h.step_to_end(&op, &holder, 0, &metas, 20);
    assert_eq!((run.receipt.status, run.restarts), (1, 0));
    assert_eq!(wd.stored(), (n as u128) * (n as u128 + 1) / 2);
}

/// `cancel` needs the sender's account, writable, and refuses a forged one; a running holder
/// cannot be run whole, deleted or shrunk meanwhile (`HolderBusy`).
#[test]
fn cancel_and_busy_holders_refuse_hostile_accounts() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let o = op.pubkey();
    let (holder, _) = wd.running_holder(0, 20_000, 1_000);
    let metas = wd.metas();
    let hs = [holder];
    let alice_before = wd.h.eth_account(&wd.alice.address).unwrap();

    // Busy: no execute_from_holder, delete, write or shrink.
    let ix = execute_from_holder_ix(&o, &holder, &wd.contract, &metas);
    wd.refused(&op, ix, ProgramError::HolderBusy.code(), &hs);
    wd.refused(
        &op,
        holder_delete_ix(&o, &holder),
        ProgramError::HolderBusy.code(),
        &hs,
    );
    wd.refused(
        &op,
        holder_write_ix(&o, &holder, 0, &[1]),
        ProgramError::HolderBusy.code(),
        &hs,
    );
    let len = wd.h.account(&holder).unwrap().data.len() as u32;
    wd.refused(
        &op,
        holder_resize_ix(&o, &holder, len - 1),
        ProgramError::HolderBusy.code(),
        &hs,
    );

    // cancel without the sender's account; with it read-only; with another program's copy.
    let ix = cancel_ix(&o, &holder, &metas[1..2]);
    wd.refused(&op, ix, ProgramError::AccountNotProvided.code(), &hs);
    let mut read_only = metas[..2].to_vec();
    read_only[0].is_writable = false;
    let ix = cancel_ix(&o, &holder, &read_only);
    wd.refused(&op, ix, ProgramError::AccountNotWritable.code(), &hs);
    let fake = Address::new_unique();
    let mut copy = wd.h.account(&account_pda(&wd.alice.address).0).unwrap();
    copy.owner = Address::new_unique();
    wd.h.svm.set_account(fake, copy).unwrap();
    let ix = cancel_ix(
        &o,
        &holder,
        &[AccountMeta::new(fake, false), metas[1].clone()],
    );
    wd.refused(&op, ix, ProgramError::AccountNotProvided.code(), &hs);
    // Without COINBASE's account (paid the gas spent).
    let ix = cancel_ix(&o, &holder, &metas[..1]);
    wd.refused(&op, ix, ProgramError::AccountNotProvided.code(), &hs);

    // The real cancel: nonce used, gas spent charged, holder idle.
    let mut ixs = budget_ixs();
    ixs.push(cancel_ix(&o, &holder, &metas[..2]));
    let ok = wd.h.send(&ixs, &op, &[]).unwrap();
    let r = receipt(&ok.logs);
    assert_eq!((r.status, r.outcome), (0, 3));
    let alice = wd.h.eth_account(&wd.alice.address).unwrap();
    assert_eq!(alice.nonce, alice_before.nonce + 1);
    assert!(alice.balance < alice_before.balance);
    assert_eq!(wd.header(&holder).status, 0);
    assert_eq!(wd.stored(), 0);
}

/// Ethereum-level hostile transactions arriving through a holder, refused by
/// `execute_from_holder` and by a beginning `step` as by `execute`: a replay, another chain id, no
/// chain id, a bad signature, a nonce gap, a sender who cannot pay, a truncated transaction.
#[test]
fn hostile_transactions_in_a_holder_are_refused() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let o = op.pubkey();
    let metas = wd.metas();

    // A transaction that ran (nonce 1), then replayed.
    let ran = wd.loop_call(1, 3, 100_000);
    let ok = wd.h.execute(&op, &ran, &metas).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);

    let call = |nonce: u64, chain_id: u64, gas: u64| {
        tx1559(
            chain_id,
            nonce,
            Some(wd.contract),
            0,
            slot_key(5).to_vec(),
            gas,
        )
    };
    let good =
        isthmus_evm::transaction::decode(&wd.alice.sign(&call(2, CHAIN_ID, 100_000)), &HostCrypto)
            .unwrap();
    let high_s = isthmus_evm::transaction::encode(
        &call(2, CHAIN_ID, 100_000),
        &isthmus_evm::transaction::Signature {
            y_parity: !good.signature.y_parity,
            r: good.signature.r,
            s: U256::from_be_slice(&SECP256K1_N) - good.signature.s,
            v: 0,
        },
    );
    let zero_r = isthmus_evm::transaction::encode(
        &call(2, CHAIN_ID, 100_000),
        &isthmus_evm::transaction::Signature {
            y_parity: good.signature.y_parity,
            r: U256::ZERO,
            s: good.signature.s,
            v: 0,
        },
    );
    let mut legacy = call(2, CHAIN_ID, 100_000);
    legacy.kind = TxKind::Legacy;
    legacy.chain_id = None;
    legacy.gas_priority_fee = None;
    let unprotected = wd.alice.sign(&legacy);
    let valid = wd.alice.sign(&call(2, CHAIN_ID, 100_000));
    let cases: Vec<(&str, Vec<u8>, u32)> = vec![
        ("replay", ran.clone(), ProgramError::NonceMismatch.code()),
        (
            "another chain",
            wd.alice.sign(&call(2, CHAIN_ID + 1, 100_000)),
            ProgramError::WrongChainId.code(),
        ),
        (
            "no chain id",
            unprotected,
            ProgramError::UnprotectedTransaction.code(),
        ),
        ("high s", high_s, ProgramError::BadSignature.code()),
        ("zero r", zero_r, ProgramError::BadSignature.code()),
        (
            "nonce gap",
            wd.alice.sign(&call(3, CHAIN_ID, 100_000)),
            ProgramError::NonceMismatch.code(),
        ),
        (
            // 11 ether of value; she has less than 10.
            "cannot pay",
            wd.alice.sign(&tx1559(
                CHAIN_ID,
                2,
                Some(wd.contract),
                11 * 10u128.pow(18),
                slot_key(5).to_vec(),
                100_000,
            )),
            ProgramError::InsufficientFunds.code(),
        ),
        (
            "truncated",
            valid[..valid.len() - 5].to_vec(),
            ProgramError::MalformedTransaction.code(),
        ),
        (
            "trailing bytes",
            [valid.clone(), vec![0]].concat(),
            ProgramError::MalformedTransaction.code(),
        ),
    ];
    for (i, (what, raw, code)) in cases.into_iter().enumerate() {
        let (holder, _, _) = wd.h.write_holder(&op, 10 + i as u64, &raw);
        let hs = [holder];
        let before = wd.snapshot(&hs);
        let ix = execute_from_holder_ix(&o, &holder, &wd.contract, &metas);
        let mut ixs = budget_ixs();
        ixs.push(ix);
        let f = wd.h.send(&ixs, &op, &[]).unwrap_err();
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::Custom(code),
            "execute_from_holder: {what}"
        );
        assert_eq!(wd.snapshot(&hs), before, "{what}");
        let f = wd.h.step(&op, &holder, 0, &metas).unwrap_err();
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::Custom(code),
            "step: {what}"
        );
        assert_eq!(wd.snapshot(&hs), before, "{what}");
        assert_eq!(wd.header(&holder).status, 0, "{what}");
    }
    assert_eq!(wd.h.eth_nonce(&wd.alice.address), 2);
    assert_eq!(wd.stored(), 6);

    // The valid one still runs from a holder.
    let (holder, _, _) = wd.h.write_holder(&op, 30, &valid);
    let mut ixs = budget_ixs();
    ixs.push(execute_from_holder_ix(&o, &holder, &wd.contract, &metas));
    let ok = wd.h.send(&ixs, &op, &[]).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    assert_eq!(wd.stored(), 15);
}

/// secp256k1's group order n, big-endian.
const SECP256K1_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// Sizes: a holder is created with 96 bytes to 10 KiB; a write or resize may grow it by at most
/// 10 KiB (Solana's limit for one instruction) and past that is refused (`HolderTooSmall`), as is
/// shrinking it below the transaction it holds (truncating it); growing by exactly 10 KiB works.
#[test]
fn holder_sizes_beyond_the_limits_are_refused() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let o = op.pubkey();
    let too_small = ProgramError::HolderTooSmall.code();

    let holder = holder_pda(&o, 0);
    let hs = [holder];
    for size in [95, 10 * 1024 + 1] {
        wd.refused(&op, holder_create_ix(&o, &holder, 0, size), too_small, &hs);
    }
    assert!(wd.h.account(&holder).is_none());
    wd.h.send(&[holder_create_ix(&o, &holder, 0, 1024)], &op, &[])
        .unwrap();

    // A write ending more than 10 KiB beyond the holder's end.
    let end_now = 1024 - HOLDER_HEADER;
    let offset = (end_now + 10 * 1024 + 1 - 8) as u32;
    wd.refused(
        &op,
        holder_write_ix(&o, &holder, offset, &[7; 8]),
        too_small,
        &hs,
    );
    // An offset near u32::MAX.
    wd.refused(
        &op,
        holder_write_ix(&o, &holder, u32::MAX - 4, &[7; 8]),
        too_small,
        &hs,
    );
    // A resize by more than 10 KiB.
    wd.refused(
        &op,
        holder_resize_ix(&o, &holder, 1024 + 10 * 1024 + 1),
        too_small,
        &hs,
    );
    // Exactly 10 KiB more is fine, by a write as by a resize.
    let offset = (end_now + 10 * 1024 - 8) as u32;
    wd.h.send(&[holder_write_ix(&o, &holder, offset, &[7; 8])], &op, &[])
        .unwrap();
    assert_eq!(wd.h.account(&holder).unwrap().data.len(), 1024 + 10 * 1024);
    assert_eq!(wd.header(&holder).tx_len as usize, end_now + 10 * 1024);
    wd.h.send(&[holder_resize_ix(&o, &holder, 1024 + 20 * 1024)], &op, &[])
        .unwrap();
    // Not below the header; shrinking to what it holds keeps it whole.
    let len = wd.h.account(&holder).unwrap().data.len() as u32;
    let held = (HOLDER_HEADER + end_now + 10 * 1024) as u32;
    wd.refused(
        &op,
        holder_resize_ix(&o, &holder, HOLDER_HEADER as u32 - 1),
        too_small,
        &hs,
    );
    wd.h.send(&[holder_resize_ix(&o, &holder, held)], &op, &[])
        .unwrap();
    assert!(held < len);
    assert_eq!(wd.h.account(&holder).unwrap().data.len() as u32, held);
    assert_eq!(wd.header(&holder).tx_len, held - HOLDER_HEADER as u32);
    // What it holds (zeros and sevens) is no transaction.
    let metas = wd.metas();
    let ix = execute_from_holder_ix(&o, &holder, &wd.contract, &metas);
    wd.refused(&op, ix, ProgramError::MalformedTransaction.code(), &hs);
}

/// Anyone can send lamports to an address, also to the PDA of an operator's next holder before
/// the operator creates it. `deposit` and the fee market create their accounts anyway (tests
/// `deposit_to_a_prefunded_address_still_works`, `a_prefunded_fee_market_address_is_still_created`);
/// `holder_create` refuses with `HolderExists`, so ~0.0009 SOL blocks that holder index for good.
/// PROGRAM BUG (reported): `create_holder` requires `lamports == 0` and uses `CreateAccount`; it
/// should top up, allocate and assign a system-owned, empty, funded PDA as Anchor's `init` does.
#[test]
fn a_prefunded_holder_address_is_still_created() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let holder = holder_pda(&op.pubkey(), 4);
    let griefer = wd.mallory.insecure_clone();
    // The rent-exempt minimum of an empty account, so the transfer is allowed.
    let lamports = wd.h.svm.minimum_balance_for_rent_exemption(0);
    wd.h.send(
        &[solana_system_transfer(&griefer.pubkey(), &holder, lamports)],
        &griefer,
        &[],
    )
    .unwrap();
    let done = wd.h.send(
        &[holder_create_ix(&op.pubkey(), &holder, 4, 1024)],
        &op,
        &[],
    );
    assert!(done.is_ok(), "{:?}", done.map_err(|f| f.logs));
    assert_eq!(wd.header(&holder).operator, op.pubkey().to_bytes());
}

/// A system-program transfer (instruction 2: u32 tag, u64 lamports).
fn solana_system_transfer(from: &Address, to: &Address, lamports: u64) -> Instruction {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    Instruction {
        program_id: SYSTEM_PROGRAM,
        accounts: vec![AccountMeta::new(*from, true), AccountMeta::new(*to, false)],
        data,
    }
}

/// A holder keeps a refused transaction (`execute_from_holder` and `step` change nothing); the
/// operator empties it by shrinking it to its header (`holder_resize` cuts what it holds), then
/// writes the next one.
#[test]
fn a_refused_transaction_stays_in_its_holder() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let o = op.pubkey();
    let metas = wd.metas();
    // Nonce 5: a gap, refused. Longer calldata than the next one.
    let long = wd.alice.sign(&tx1559(
        CHAIN_ID,
        5,
        Some(wd.contract),
        0,
        [slot_key(3).to_vec(), vec![0; 64]].concat(),
        100_000,
    ));
    let (holder, _, _) = wd.h.write_holder(&op, 0, &long);
    let ix = execute_from_holder_ix(&o, &holder, &wd.contract, &metas);
    wd.refused(&op, ix, ProgramError::NonceMismatch.code(), &[holder]);
    assert_eq!(wd.header(&holder).tx_len as usize, long.len());

    // Emptied by shrinking it to its header (a shorter transaction written over the refused
    // one would keep its tail), the holder takes the right transaction (nonce 1).
    let short = wd.loop_call(1, 3, 100_000);
    assert!(short.len() < long.len());
    wd.h.send(
        &[holder_resize_ix(&o, &holder, HOLDER_HEADER as u32)],
        &op,
        &[],
    )
    .unwrap();
    assert_eq!(wd.header(&holder).tx_len, 0);
    wd.h.write_holder(&op, 0, &short);
    assert_eq!(wd.header(&holder).tx_len as usize, short.len());
    let mut ixs = budget_ixs();
    ixs.push(execute_from_holder_ix(&o, &holder, &wd.contract, &metas));
    let ok = wd.h.send(&ixs, &op, &[]).unwrap();
    assert_eq!(receipt(&ok.logs).status, 1);
    assert_eq!(wd.stored(), 6);
}

/// Two operators relay the same transaction through their own holders, one in steps: the one that
/// settles first wins; the other, at its next step, finds the nonce used and drops it (a
/// `Dropped` event, nothing charged), its holder idle again. The sender pays once.
#[test]
fn the_same_transaction_through_two_operators_is_charged_once() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let op2 = wd.op2.insecure_clone();
    let raw = wd.loop_call(1, 2_000, 300_000);
    let metas = wd.metas();
    let mut metas2 = metas.clone();
    metas2[1] = w(&operator_eth_address(&op2.pubkey()));

    let (slow, _, _) = wd.h.write_holder(&op, 0, &raw);
    wd.h.step(&op, &slow, 1_000, &metas).unwrap();
    let (fast, _, _) = wd.h.write_holder(&op2, 0, &raw);
    let run = wd.h.step_to_end(&op2, &fast, 0, &metas2, 10);
    assert_eq!(run.receipt.status, 1);
    let alice = wd.h.eth_account(&wd.alice.address).unwrap();
    assert_eq!(alice.nonce, 2);

    let ok = wd.h.step(&op, &slow, 0, &metas).unwrap();
    assert!(!has_receipt(&ok.logs));
    let dropped = events(&ok.logs)
        .into_iter()
        .find(|e| e[..8] == discriminator("event", "Dropped"))
        .expect("a Dropped event");
    assert_eq!(dropped[8..40], keccak(&raw));
    assert_eq!(wd.h.eth_account(&wd.alice.address).unwrap(), alice);
    assert_eq!(wd.header(&slow).status, 0);
    assert_eq!(wd.stored(), 2_000 * 2_001 / 2);
}

/// EVM memory lives on the 256 KiB heap while a step runs, beside the rest of the machine and,
/// while it grows, its old buffer: a transaction whose memory stays under ~100 KB finishes in
/// steps (here a keccak loop whose `abi.encodePacked` takes 64 fresh bytes an iteration: ~90 KB,
/// with the same gas as off-chain); one that needs much more cannot, on-chain, and is cancelled
/// (programs/isthmus/README.md, "What differs from Ethereum"). Steps with large memory pause on
/// the heap after few opcodes, so they cost many Solana transactions.
const ITERATIONS: u64 = 1_400;

#[test]
fn a_transaction_with_large_memory_finishes_in_steps() {
    use isthmus_program_tests::contracts::*;
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let run = wd.h.run(
        &op,
        &wd.alice,
        None,
        0,
        creation_code("KeccakLoop"),
        1_000_000,
    );
    let keccak_loop = run.receipt.created_address.unwrap();
    let nonce = wd.h.eth_nonce(&wd.alice.address);
    let raw = wd.alice.sign(&tx1559(
        CHAIN_ID,
        nonce,
        Some(keccak_loop),
        0,
        calldata("run(uint256)", &[uint(ITERATIONS)]),
        5_000_000,
    ));
    let emulation = isthmus_program_tests::emulate(&wd.h, &op.pubkey(), &raw);
    println!("off-chain: {} gas", emulation.result().gas_used);
    let (holder, _, _) = wd.h.write_holder(&op, 1, &raw);
    let run = wd.h.step_to_end(&op, &holder, 0, &emulation.metas, 2_000);
    println!(
        "large memory: {} steps, {} CU in all, {} at most",
        run.steps, run.total_cu, run.max_cu
    );
    assert_eq!(run.receipt.status, 1);
    assert_eq!(run.receipt.gas_used, emulation.result().gas_used);
}

/// A third party cannot starve an iterative transaction with deposits: `deposit` is
/// permissionless and changes the sender's account, but a balance the transaction only debits
/// (it never ran BALANCE on it) may grow underneath it; the growth is added to the final balance.
/// Twenty steps, a one-lamport deposit to the sender after each of the first ten: no restart, and
/// nothing deposited is lost.
#[test]
fn deposits_between_steps_do_not_restart_an_iterative_transaction() {
    let mut wd = world();
    let op = wd.op.insecure_clone();
    let n = 7_000u64;
    let raw = wd.loop_call(1, n, 3_200_000);
    let metas = wd.metas();
    let expected = isthmus_program_tests::emulate(&wd.h, &op.pubkey(), &raw);
    let balance_before = wd.h.eth_account(&wd.alice.address).unwrap().balance;
    let (holder, _, _) = wd.h.write_holder(&op, 0, &raw);
    let griefer = wd.mallory.insecure_clone();
    let (mut steps_sent, mut deposited) = (0, 0u128);
    let receipt = loop {
        let slot = wd.h.svm.get_sysvar::<solana_clock::Clock>().slot;
        wd.h.svm.warp_to_slot(slot + 1);
        let ok = wd.h.step(&op, &holder, 5_000, &metas).unwrap();
        steps_sent += 1;
        if has_receipt(&ok.logs) {
            break receipt(&ok.logs);
        }
        let (_, _, restarts) = step_progress(&ok.logs).unwrap();
        assert_eq!(restarts, 0, "step {steps_sent} started over");
        if steps_sent <= 10 {
            wd.h.send(
                &[deposit_ix(&griefer.pubkey(), &wd.alice.address, 1)],
                &griefer,
                &[],
            )
            .unwrap();
            deposited += WEI_PER_LAMPORT;
        }
        assert!(steps_sent < 40, "never finished");
    };
    assert!(steps_sent >= 20, "{steps_sent} steps");
    assert_eq!(receipt.status, 1);
    assert_eq!(receipt.gas_used, expected.result().gas_used);
    assert_eq!(wd.stored(), (n as u128) * (n as u128 + 1) / 2);
    let paid = receipt.gas_used as u128 * receipt.effective_gas_price.to::<u128>();
    assert_eq!(
        wd.h.eth_account(&wd.alice.address).unwrap().balance,
        balance_before + deposited - paid,
        "the deposits are kept"
    );
}
