//! The Isthmus program (`target/deploy/isthmus.so`) in LiteSVM: `initialize` and `deposit`, and
//! what each refuses. Every refused transaction must leave the program's accounts unchanged.

use isthmus_program_tests::*;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_instruction_error::InstructionError;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

fn eth(n: u8) -> [u8; 20] {
    [n; 20]
}

/// Asserts that `f` fails and leaves every account in `watch` (plus config and vault) unchanged.
fn refused(
    h: &mut Harness,
    watch: &[Address],
    f: impl FnOnce(&mut Harness) -> Result<Success, Failure>,
) -> Failure {
    let before = h.snapshot(watch);
    let failure = match f(h) {
        Ok(s) => panic!("expected a failure, got success:\n{}", s.logs.join("\n")),
        Err(failure) => failure,
    };
    assert_eq!(
        before,
        h.snapshot(watch),
        "state changed by a refused transaction"
    );
    failure
}

// ---------------------------------------------------------------------------------------------
// initialize

#[test]
fn initialize_creates_config_and_vault() {
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    let ops = vec![Address::new_unique(), Address::new_unique()];
    let args = InitializeArgs {
        chain_id: 245022934,
        operators: ops.clone(),
        fee_market: FeeMarketParams {
            contract_compute_cap: 12_000_000,
            min_base_fee: 7,
            base_fee_change_denominator: 8,
            charge_solana_costs: true,
        },
        development: false,
        fork: Fork::Prague,
        code_size_limit: Some(65_536),
    };
    let ok = h
        .send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
        .unwrap();
    let config = h.config();
    assert_eq!(config.fork, Fork::Prague);
    assert_eq!(config.code_size_limit, Some(65_536));
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(config.chain_id, 245022934);
    assert_eq!(config.operators, ops);
    assert_eq!(config.fee_market, args.fee_market);
    assert_eq!(
        config.bump,
        Address::find_program_address(&[b"config"], &PROGRAM_ID).1
    );
    assert_eq!(
        config.vault_bump,
        Address::find_program_address(&[b"vault"], &PROGRAM_ID).1
    );

    let config_account = h.account(&config_pda()).unwrap();
    assert_eq!(config_account.owner, PROGRAM_ID);
    assert_eq!(
        config_account.lamports,
        h.svm.minimum_balance_for_rent_exemption(CONFIG_LEN)
    );
    let vault = h.account(&vault_pda()).unwrap();
    assert_eq!(vault.owner, PROGRAM_ID);
    assert_eq!(vault.data[..8], discriminator("account", "Vault"));
    assert_eq!(vault.data.len(), VAULT_LEN);
    assert_eq!(vault.data[8], config.vault_bump);
    assert_eq!(
        vault.lamports,
        h.svm.minimum_balance_for_rent_exemption(VAULT_LEN)
    );

    let events = events(&ok.logs);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0][..8], discriminator("event", "Initialized"));
    assert_eq!(events[0][8..40], admin.pubkey().as_ref()[..]);
    assert_eq!(events[0][40..48], 245022934u64.to_le_bytes());
}

#[test]
fn initialize_twice_is_refused() {
    let mut h = Harness::initialized();
    let admin = h.admin.insecure_clone();
    let mut args = default_args();
    args.chain_id = 1;
    let f = refused(&mut h, &[], |h| {
        h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
    });
    // The system program refuses to create an account that already exists
    // (SystemError::AccountAlreadyInUse).
    assert_eq!(f.custom(), 0);
    assert!(
        f.logs.iter().any(|l| l.contains("already in use")),
        "{:?}\n{}",
        f.err,
        f.logs.join("\n")
    );
    assert_eq!(h.config().chain_id, default_args().chain_id);
}

#[test]
fn initialize_by_other_than_upgrade_authority_is_refused() {
    let mut h = Harness::new();
    let mallory = h.wallet(10 * SOL);
    let f = refused(&mut h, &[], |h| {
        h.send(
            &[initialize_ix(&mallory.pubkey(), &default_args())],
            &mallory,
            &[],
        )
    });
    assert_eq!(f.custom(), ProgramError::NotUpgradeAuthority.code());
    assert!(h.account(&config_pda()).is_none());
}

#[test]
fn initialize_without_upgrade_authority_is_refused() {
    let mut h = Harness::new();
    // An immutable program (no authority): nobody can initialize it.
    let pd = program_data_address();
    let mut account = h.account(&pd).unwrap();
    account.data[12] = 0;
    h.svm.set_account(pd, account).unwrap();
    let admin = h.admin.insecure_clone();
    let f = refused(&mut h, &[], |h| {
        h.send(
            &[initialize_ix(&admin.pubkey(), &default_args())],
            &admin,
            &[],
        )
    });
    assert_eq!(f.custom(), ProgramError::NotUpgradeAuthority.code());
}

#[test]
fn initialize_without_admin_signature_is_refused() {
    let mut h = Harness::new();
    let admin = h.admin.pubkey();
    let payer = h.wallet(10 * SOL);
    let mut ix = initialize_ix(&admin, &default_args());
    ix.accounts[0] = AccountMeta::new(admin, false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &payer, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::MissingRequiredSignature
    );
}

#[test]
fn initialize_with_substituted_config_or_vault_is_refused() {
    for slot in [1, 2] {
        let mut h = Harness::new();
        let admin = h.admin.insecure_clone();
        let fake = Address::new_unique();
        let mut ix = initialize_ix(&admin.pubkey(), &default_args());
        ix.accounts[slot] = AccountMeta::new(fake, false);
        let f = refused(&mut h, &[fake], |h| h.send(&[ix], &admin, &[]));
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::InvalidSeeds,
            "slot {slot}"
        );
        // Config and vault swapped.
        let mut ix = initialize_ix(&admin.pubkey(), &default_args());
        ix.accounts.swap(1, 2);
        let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::InvalidSeeds
        );
    }
}

#[test]
fn initialize_with_forged_program_data_is_refused() {
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    // An account of the attacker's making that claims the attacker is the upgrade authority...
    let mut data = vec![0u8; 45];
    data[0] = 3;
    data[12] = 1;
    data[13..45].copy_from_slice(admin.pubkey().as_ref());
    // ... owned by the loader but at another address (the seeds bind it to this program) ...
    let elsewhere = Address::new_unique();
    h.svm
        .set_account(
            elsewhere,
            Account {
                lamports: SOL,
                data: data.clone(),
                owner: LOADER_V3,
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    let mut ix = initialize_ix(&admin.pubkey(), &default_args());
    ix.accounts[4] = AccountMeta::new_readonly(elsewhere, false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidSeeds
    );

    // ... or at the right address but not owned by the loader.
    let pd = program_data_address();
    let mut real = h.account(&pd).unwrap();
    real.owner = Address::new_unique();
    h.svm.set_account(pd, real).unwrap();
    let f = refused(&mut h, &[], |h| {
        h.send(
            &[initialize_ix(&admin.pubkey(), &default_args())],
            &admin,
            &[],
        )
    });
    assert_eq!(f.custom(), ProgramError::BadProgramData.code());
}

#[test]
fn initialize_with_fake_system_program_is_refused() {
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    // Another program (executable, but not the system program).
    let mut ix = initialize_ix(&admin.pubkey(), &default_args());
    ix.accounts[5] = AccountMeta::new_readonly(PROGRAM_ID, false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::IncorrectProgramId
    );
    // Not a program at all: Anchor's ConstraintExecutable.
    let mut ix = initialize_ix(&admin.pubkey(), &default_args());
    ix.accounts[5] = AccountMeta::new_readonly(Address::new_unique(), false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(f.custom(), anchor_error::CONSTRAINT_EXECUTABLE);
}

#[test]
fn initialize_with_readonly_config_vault_or_registry_is_refused() {
    for slot in [1, 2, 3] {
        let mut h = Harness::new();
        let admin = h.admin.insecure_clone();
        let mut ix = initialize_ix(&admin.pubkey(), &default_args());
        ix.accounts[slot].is_writable = false;
        let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
        // `init` creates the account first: the runtime refuses to let the system program write
        // an account the transaction marked read-only.
        assert_eq!(
            f.instruction_error().unwrap(),
            &InstructionError::PrivilegeEscalation,
            "slot {slot}"
        );
    }
}

#[test]
fn initialize_checks_its_arguments() {
    let cases: Vec<(InitializeArgs, u32)> = vec![
        (
            InitializeArgs {
                chain_id: 0,
                ..default_args()
            },
            ProgramError::ZeroChainId.code(),
        ),
        (
            InitializeArgs {
                operators: vec![],
                ..default_args()
            },
            ProgramError::BadOperatorCount.code(),
        ),
        (
            InitializeArgs {
                code_size_limit: Some(10 * 1024 * 1024),
                ..default_args()
            },
            ProgramError::BadCodeSizeLimit.code(),
        ),
        (
            InitializeArgs {
                operators: (0..9).map(|_| Address::new_unique()).collect(),
                ..default_args()
            },
            ProgramError::BadOperatorCount.code(),
        ),
        (
            InitializeArgs {
                operators: vec![
                    Address::new_from_array([1; 32]),
                    Address::new_from_array([1; 32]),
                ],
                ..default_args()
            },
            ProgramError::DuplicateOperator.code(),
        ),
        (
            InitializeArgs {
                fee_market: FeeMarketParams {
                    contract_compute_cap: 1,
                    ..Default::default()
                },
                ..default_args()
            },
            ProgramError::BadFeeMarket.code(),
        ),
        (
            InitializeArgs {
                fee_market: FeeMarketParams {
                    contract_compute_cap: 48_000_001,
                    ..Default::default()
                },
                ..default_args()
            },
            ProgramError::BadFeeMarket.code(),
        ),
        (
            InitializeArgs {
                fee_market: FeeMarketParams {
                    min_base_fee: 0,
                    ..Default::default()
                },
                ..default_args()
            },
            ProgramError::BadFeeMarket.code(),
        ),
        (
            InitializeArgs {
                fee_market: FeeMarketParams {
                    base_fee_change_denominator: 0,
                    ..Default::default()
                },
                ..default_args()
            },
            ProgramError::BadFeeMarket.code(),
        ),
    ];
    for (args, expected) in cases {
        let mut h = Harness::new();
        let admin = h.admin.insecure_clone();
        let f = refused(&mut h, &[], |h| {
            h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
        });
        assert_eq!(f.custom(), expected, "{args:?}");
    }
    // A fork byte that names no fork (before the last four bytes of the arguments).
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    let mut ix = initialize_ix(&admin.pubkey(), &default_args());
    let at = ix.data.len() - 5;
    ix.data[at] = 3;
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(f.custom(), ProgramError::UnknownFork.code());
    // Eight operators is the most, and allowed.
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    let args = InitializeArgs {
        operators: (0..8).map(|_| Address::new_unique()).collect(),
        ..default_args()
    };
    h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
        .unwrap();
    assert_eq!(h.config().operators, args.operators);
}

#[test]
fn truncated_instruction_data_is_refused() {
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    let mut ix = initialize_ix(&admin.pubkey(), &default_args());
    ix.data.truncate(ix.data.len() - 1);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidInstructionData
    );

    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.data.truncate(8 + 20 + 4);
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidInstructionData
    );

    // An unknown discriminator.
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.data[0] ^= 0xff;
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidInstructionData
    );
}

// ---------------------------------------------------------------------------------------------
// deposit

#[test]
fn first_deposit_creates_the_account_and_credits_wei() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let vault_before = h.lamports(&vault_pda());
    let ok = h
        .send(
            &[deposit_ix(&alice.pubkey(), &eth(0xaa), 2 * SOL)],
            &alice,
            &[],
        )
        .unwrap();

    let (pda, bump) = account_pda(&eth(0xaa));
    let account = h.eth_account(&eth(0xaa)).expect("account created");
    assert_eq!(
        account,
        EthAccount {
            address: eth(0xaa),
            bump,
            version: 1,
            nonce: 0,
            balance: 2 * SOL as u128 * WEI_PER_LAMPORT,
            code_hash: KECCAK_EMPTY,
            generation: 0,
            inline_storage: [[0; 32]; INLINE_SLOTS],
        }
    );
    assert_eq!(h.account(&pda).unwrap().owner, PROGRAM_ID);
    assert_eq!(
        h.lamports(&pda),
        h.svm.minimum_balance_for_rent_exemption(ETH_ACCOUNT_LEN)
    );
    assert_eq!(h.lamports(&vault_pda()), vault_before + 2 * SOL);

    let events = events(&ok.logs);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0][..8], discriminator("event", "Deposited"));
    assert_eq!(events[0][8..28], eth(0xaa));
    assert_eq!(events[0][28..60], alice.pubkey().as_ref()[..]);
    assert_eq!(events[0][60..68], (2 * SOL).to_le_bytes());
}

#[test]
fn later_deposits_add_up_from_anyone() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let bob = h.wallet(10 * SOL);
    let vault_before = h.lamports(&vault_pda());
    h.send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
        .unwrap();
    h.send(&[deposit_ix(&bob.pubkey(), &eth(1), 3)], &bob, &[])
        .unwrap();
    h.send(
        &[deposit_ix(&alice.pubkey(), &eth(1), 5 * SOL)],
        &alice,
        &[],
    )
    .unwrap();
    h.send(&[deposit_ix(&bob.pubkey(), &eth(2), 1)], &bob, &[])
        .unwrap();
    assert_eq!(
        h.eth_account(&eth(1)).unwrap().balance,
        (6 * SOL + 3) as u128 * WEI_PER_LAMPORT
    );
    assert_eq!(h.eth_account(&eth(2)).unwrap().balance, WEI_PER_LAMPORT);
    assert_eq!(h.lamports(&vault_pda()), vault_before + 6 * SOL + 4);
}

#[test]
fn deposit_to_a_prefunded_address_still_works() {
    const PREFUND: u64 = 1_000_000;
    // Someone sends lamports to an address's PDA before its first deposit, hoping to block it
    // (creating a funded system account there: at least the rent-exempt minimum of 0 bytes).
    let mut h = Harness::initialized();
    let mallory = h.wallet(10 * SOL);
    let (pda, _) = account_pda(&eth(9));
    let transfer = solana_instruction::Instruction {
        program_id: SYSTEM_PROGRAM,
        accounts: vec![
            AccountMeta::new(mallory.pubkey(), true),
            AccountMeta::new(pda, false),
        ],
        data: [
            2u32.to_le_bytes().as_slice(),
            PREFUND.to_le_bytes().as_slice(),
        ]
        .concat(),
    };
    h.send(&[transfer], &mallory, &[]).unwrap();
    assert_eq!(h.lamports(&pda), PREFUND);

    let alice = h.wallet(10 * SOL);
    h.send(&[deposit_ix(&alice.pubkey(), &eth(9), SOL)], &alice, &[])
        .unwrap();
    assert_eq!(
        h.eth_account(&eth(9)).unwrap().balance,
        SOL as u128 * WEI_PER_LAMPORT
    );
    assert_eq!(
        h.lamports(&pda),
        h.svm.minimum_balance_for_rent_exemption(ETH_ACCOUNT_LEN)
    );
}

#[test]
fn zero_deposit_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let pda = account_pda(&eth(1)).0;
    let f = refused(&mut h, &[pda], |h| {
        h.send(&[deposit_ix(&alice.pubkey(), &eth(1), 0)], &alice, &[])
    });
    assert_eq!(f.custom(), ProgramError::ZeroDeposit.code());
    // Also to an existing account.
    h.send(&[deposit_ix(&alice.pubkey(), &eth(1), 1)], &alice, &[])
        .unwrap();
    let f = refused(&mut h, &[pda], |h| {
        h.send(&[deposit_ix(&alice.pubkey(), &eth(1), 0)], &alice, &[])
    });
    assert_eq!(f.custom(), ProgramError::ZeroDeposit.code());
}

#[test]
fn deposit_before_initialize_is_refused() {
    let mut h = Harness::new();
    let alice = h.wallet(10 * SOL);
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
    });
    // The vault does not exist yet (Anchor checks the data length before the owner).
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::AccountDataTooSmall,
        "{}",
        f.logs.join("\n")
    );
}

#[test]
fn deposit_more_than_the_wallet_has_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(SOL);
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(
            &[deposit_ix(&alice.pubkey(), &eth(1), 2 * SOL)],
            &alice,
            &[],
        )
    });
    // The system program's "insufficient funds" (custom error 1).
    assert_eq!(f.custom(), 1);
}

#[test]
fn deposit_without_depositor_signature_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let relayer = h.wallet(10 * SOL);
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[0] = AccountMeta::new(alice.pubkey(), false);
    let f = refused(&mut h, &[account_pda(&eth(1)).0, alice.pubkey()], |h| {
        h.send(&[ix], &relayer, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::MissingRequiredSignature
    );
}

#[test]
fn deposit_to_a_substituted_account_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    // Account of another address (existing, program-owned, the right type) in place of eth(1)'s.
    h.send(&[deposit_ix(&alice.pubkey(), &eth(2), SOL)], &alice, &[])
        .unwrap();
    let other = account_pda(&eth(2)).0;
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[2] = AccountMeta::new(other, false);
    let f = refused(&mut h, &[other, account_pda(&eth(1)).0], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidSeeds
    );

    // A fresh address that is not the PDA (init_if_needed would create it).
    let fresh = Address::new_unique();
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[2] = AccountMeta::new(fresh, false);
    let f = refused(&mut h, &[fresh], |h| h.send(&[ix], &alice, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidSeeds
    );

    // The config (program-owned, another type and size) in place of the account: Anchor's
    // ConstraintSpace (init_if_needed checks the size of an existing account first).
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[2] = AccountMeta::new(config_pda(), false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &alice, &[]));
    assert_eq!(f.custom(), anchor_error::CONSTRAINT_SPACE);
}

#[test]
fn deposit_to_a_substituted_vault_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let mallory = h.wallet(SOL);
    let pda = account_pda(&eth(1)).0;
    // Mallory's wallet as the vault: a system account without data (Anchor checks the data
    // length before the owner; a wrong owner alone is tested below).
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[1] = AccountMeta::new(mallory.pubkey(), false);
    let f = refused(&mut h, &[pda, mallory.pubkey()], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::AccountDataTooSmall,
        "{}",
        f.logs.join("\n")
    );

    // Another program-owned account (an address's account) as the vault.
    h.send(&[deposit_ix(&alice.pubkey(), &eth(2), SOL)], &alice, &[])
        .unwrap();
    let other = account_pda(&eth(2)).0;
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[1] = AccountMeta::new(other, false);
    let f = refused(&mut h, &[pda, other], |h| h.send(&[ix], &alice, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidAccountData
    );

    // A forged vault: the right bytes, owned by the program, at another address.
    let forged = Address::new_unique();
    let vault = h.account(&vault_pda()).unwrap();
    h.svm.set_account(forged, vault).unwrap();
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[1] = AccountMeta::new(forged, false);
    let f = refused(&mut h, &[pda, forged], |h| h.send(&[ix], &alice, &[]));
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::InvalidSeeds
    );
}

#[test]
fn accounts_owned_by_another_program_are_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let impostor = Address::new_unique();

    // eth(1)'s PDA holding a well-formed account, but owned by another program.
    let (pda, bump) = account_pda(&eth(1));
    let forged = EthAccount {
        address: eth(1),
        bump,
        version: 1,
        nonce: 0,
        balance: 1 << 100,
        code_hash: KECCAK_EMPTY,
        generation: 0,
        inline_storage: [[0; 32]; INLINE_SLOTS],
    };
    h.svm
        .set_account(
            pda,
            Account {
                lamports: SOL,
                data: forged.encode(),
                owner: impostor,
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    let f = refused(&mut h, &[pda], |h| {
        h.send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::IllegalOwner,
        "{}",
        f.logs.join("\n")
    );

    // The vault PDA handed to another program (its bytes intact).
    let mut vault = h.account(&vault_pda()).unwrap();
    vault.owner = impostor;
    h.svm.set_account(vault_pda(), vault).unwrap();
    let f = refused(&mut h, &[account_pda(&eth(2)).0], |h| {
        h.send(&[deposit_ix(&alice.pubkey(), &eth(2), SOL)], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::IllegalOwner
    );
}

#[test]
fn deposit_with_readonly_accounts_is_refused() {
    for slot in [1, 2] {
        let mut h = Harness::initialized();
        let alice = h.wallet(10 * SOL);
        // Existing account, so that `init_if_needed` does not try to create it.
        h.send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
            .unwrap();
        let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
        ix.accounts[slot].is_writable = false;
        let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
            h.send(&[ix], &alice, &[])
        });
        assert_eq!(f.custom(), anchor_error::CONSTRAINT_MUT, "slot {slot}");
    }
}

#[test]
fn deposit_with_fake_system_program_is_refused() {
    let mut h = Harness::initialized();
    let alice = h.wallet(10 * SOL);
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[3] = AccountMeta::new_readonly(PROGRAM_ID, false);
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(
        f.instruction_error().unwrap(),
        &InstructionError::IncorrectProgramId
    );
    let mut ix = deposit_ix(&alice.pubkey(), &eth(1), SOL);
    ix.accounts[3] = AccountMeta::new_readonly(Address::new_unique(), false);
    let f = refused(&mut h, &[account_pda(&eth(1)).0], |h| {
        h.send(&[ix], &alice, &[])
    });
    assert_eq!(f.custom(), anchor_error::CONSTRAINT_EXECUTABLE);
}

// ---------------------------------------------------------------------------------------------
// Compute units

/// Prints the compute units of each instruction (run with `--nocapture`) and keeps them bounded.
#[test]
fn compute_units() {
    let mut h = Harness::new();
    let admin = h.admin.insecure_clone();
    let init = h
        .send(
            &[initialize_ix(&admin.pubkey(), &default_args())],
            &admin,
            &[],
        )
        .unwrap()
        .cu;
    let alice = h.wallet(10 * SOL);
    let first = h
        .send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
        .unwrap()
        .cu;
    let again = h
        .send(&[deposit_ix(&alice.pubkey(), &eth(1), SOL)], &alice, &[])
        .unwrap()
        .cu;
    let refused_zero = h
        .send(&[deposit_ix(&alice.pubkey(), &eth(1), 0)], &alice, &[])
        .unwrap_err();
    let so = std::fs::metadata(so_path()).unwrap().len();
    println!("program size: {so} bytes");
    println!("initialize                          {init:>7} CU");
    println!("deposit (creates the account)       {first:>7} CU");
    println!("deposit (existing account)          {again:>7} CU");
    let zero_cu = program_cu(&refused_zero.logs);
    println!("deposit of zero (refused)           {zero_cu:>7} CU");
    assert!(init < 30_000, "initialize: {init} CU");
    assert!(first < 20_000, "first deposit: {first} CU");
    assert!(again < 10_000, "deposit: {again} CU");
}

// ---------------------------------------------------------------------------------------------
// update_config

#[test]
fn the_admin_adds_and_removes_operators_and_changes_the_fee_market() {
    let (mut h, op) = Harness::with_operator();
    let admin = h.admin.insecure_clone();
    let op2 = h.wallet(10 * SOL);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    let transfer = |h: &Harness, nonce| {
        alice.sign(&tx1559(
            h.config().chain_id,
            nonce,
            Some(eth(0xb0)),
            1,
            Vec::new(),
            21_000,
        ))
    };
    // Not an operator yet: refused.
    let raw = transfer(&h, 0);
    let f = refused(&mut h, &[], |h| {
        let metas = emulate(h, &op2.pubkey(), &raw).metas;
        h.execute(&op2, &raw, &metas)
    });
    assert_eq!(f.custom(), ProgramError::NotOperator.code());
    // Added (with a new fee market): it relays.
    let fee_market = FeeMarketParams {
        contract_compute_cap: 6_000_000,
        min_base_fee: 1_500_000_000,
        base_fee_change_denominator: 4,
        charge_solana_costs: false,
    };
    h.send(
        &[update_config_ix(
            &admin.pubkey(),
            &[op.pubkey(), op2.pubkey()],
            &fee_market,
            None,
        )],
        &admin,
        &[],
    )
    .unwrap();
    let config = h.config();
    assert_eq!(config.operators, vec![op.pubkey(), op2.pubkey()]);
    assert_eq!(config.fee_market, fee_market);
    assert_eq!((config.admin, config.chain_id), (admin.pubkey(), 1337));
    let run = h.run_raw(&op2, &raw);
    assert_eq!(run.receipt.status, 1);
    assert_eq!(
        run.receipt.effective_gas_price.to::<u128>(),
        1_500_000_000 + 500_000_000,
        "the new floor is the base fee (2 gwei cap)"
    );
    // Removed again: refused; the remaining operator still relays.
    h.send(
        &[update_config_ix(
            &admin.pubkey(),
            &[op.pubkey()],
            &fee_market,
            None,
        )],
        &admin,
        &[],
    )
    .unwrap();
    let raw = transfer(&h, 1);
    let f = refused(&mut h, &[], |h| {
        let metas = emulate(h, &op2.pubkey(), &raw).metas;
        h.execute(&op2, &raw, &metas)
    });
    assert_eq!(f.custom(), ProgramError::NotOperator.code());
    assert_eq!(h.run_raw(&op, &raw).receipt.status, 1);
}

#[test]
fn only_the_admin_changes_the_config_and_only_to_a_valid_one() {
    let (mut h, op) = Harness::with_operator();
    let admin = h.admin.insecure_clone();
    let params = FeeMarketParams::default();
    // Another key, even an operator, is refused.
    for intruder in [op.insecure_clone(), h.wallet(SOL)] {
        let ix = update_config_ix(&intruder.pubkey(), &[intruder.pubkey()], &params, None);
        let f = refused(&mut h, &[], |h| h.send(&[ix], &intruder, &[]));
        assert_eq!(f.custom(), ProgramError::NotAdmin.code());
    }
    // The admin's key without its signature: refused.
    let payer = h.wallet(SOL);
    let mut ix = update_config_ix(&admin.pubkey(), &[payer.pubkey()], &params, None);
    ix.accounts[0].is_signer = false;
    let f = refused(&mut h, &[], |h| h.send(&[ix], &payer, &[]));
    assert!(f.instruction_error().is_some(), "{:?}", f.err);
    // Invalid lists and parameters: refused as `initialize` refuses them.
    let bad: Vec<(Vec<Address>, FeeMarketParams, ProgramError)> = vec![
        (vec![], params, ProgramError::BadOperatorCount),
        (
            (0..9).map(|_| Address::new_unique()).collect(),
            params,
            ProgramError::BadOperatorCount,
        ),
        (
            vec![op.pubkey(), op.pubkey()],
            params,
            ProgramError::DuplicateOperator,
        ),
        (
            vec![op.pubkey()],
            FeeMarketParams {
                min_base_fee: 0,
                ..params
            },
            ProgramError::BadFeeMarket,
        ),
    ];
    for (operators, fee_market, error) in bad {
        let ix = update_config_ix(&admin.pubkey(), &operators, &fee_market, None);
        let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
        assert_eq!(f.custom(), error.code(), "{operators:?}");
    }
    // An unknown fork, and a fork back: refused.
    let mut ix = update_config_ix(&admin.pubkey(), &[op.pubkey()], &params, None);
    ix.data.pop();
    ix.data.extend_from_slice(&[1, 3]);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(f.custom(), ProgramError::UnknownFork.code());
    let ix = update_config_ix(&admin.pubkey(), &[op.pubkey()], &params, Some(Fork::Prague));
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert_eq!(f.custom(), ProgramError::ForkGoesBack.code());
    // A config account at another address is not the config.
    let mut ix = update_config_ix(&admin.pubkey(), &[op.pubkey()], &params, None);
    ix.accounts[1] = AccountMeta::new(vault_pda(), false);
    let f = refused(&mut h, &[], |h| h.send(&[ix], &admin, &[]));
    assert!(f.instruction_error().is_some(), "{:?}", f.err);
}
