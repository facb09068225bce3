//! What changes between Cancun, Prague and Osaka, one rule per test, through whole transactions:
//! EIP-7702 delegation, the EIP-7623 calldata floor, CLZ. (The execution-spec-tests fixtures and
//! the differential test cover the rules exhaustively; these name them.)

mod common;

use common::asm::Asm;
use common::contracts::{legacy_tx, test_block};
use common::world::{memory_state, run_isthmus, Account, Case, Class, World};
use isthmus_evm::delegation::designator;
use isthmus_evm::env::TxKind;
use isthmus_evm::opcode::*;
use isthmus_evm::transaction::authorization_signing_hash;
use isthmus_evm::{Address, Authorization, Fork, HostCrypto, Machine, RunOutcome, TxEnv, U256};

const SENDER: Address = [0x5e; 20];
const LIBRARY: Address = [0x11; 20];
const AUTHORITY_KEY: [u8; 32] = [0xa1; 32];

fn authority() -> Address {
    let key = k256::ecdsa::SigningKey::from_slice(&AUTHORITY_KEY).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    common::world::keccak(&point.as_bytes()[1..])[12..]
        .try_into()
        .unwrap()
}

/// An authorization by the authority key for `address` at `nonce`, on any chain.
fn authorize(address: Address, nonce: u64) -> Authorization {
    let mut auth = Authorization {
        address,
        nonce,
        ..Authorization::default()
    };
    let key = k256::ecdsa::SigningKey::from_slice(&AUTHORITY_KEY).unwrap();
    let hash = authorization_signing_hash(&auth, &HostCrypto);
    let (signature, recovery_id) = key.sign_prehash_recoverable(&hash).unwrap();
    auth.y_parity = recovery_id.is_y_odd() as u8;
    auth.r = U256::from_be_slice(&signature.r().to_bytes());
    auth.s = U256::from_be_slice(&signature.s().to_bytes());
    auth
}

fn world(library_code: Vec<u8>) -> World {
    let mut world = World::new();
    world.insert(
        SENDER,
        Account::with_code(U256::from(10).pow(U256::from(20)), 0, Vec::new()),
    );
    world.insert(LIBRARY, Account::with_code(U256::ZERO, 1, library_code));
    world
}

fn block(fork: Fork) -> isthmus_evm::BlockEnv {
    let mut block = test_block();
    block.fork = fork;
    block
}

/// A set-code transaction from SENDER to the authority, delegating it to LIBRARY.
fn set_code_tx(authorizations: Vec<Authorization>) -> TxEnv {
    TxEnv {
        kind: TxKind::SetCode,
        gas_priority_fee: Some(U256::ZERO),
        authorization_list: authorizations,
        ..legacy_tx(SENDER, 0, Some(authority()), Vec::new(), 200_000)
    }
}

#[test]
fn set_code_delegates_and_the_call_runs_the_library_in_the_authority() {
    // The library stores 0x2a at slot 1 of whoever runs it.
    let mut library = Asm::new();
    library.push_u64(0x2a).push_u64(1).op(SSTORE).op(STOP);
    let library = library.finish();
    let case = Case {
        pre: world(library),
        block: block(Fork::Prague),
        tx: set_code_tx(vec![authorize(LIBRARY, 0)]),
    };
    let (outcome, _, _) = run_isthmus(&case);
    assert_eq!(outcome.class, Class::Success, "{}", outcome.detail);
    let delegated = &outcome.post[&authority()];
    assert_eq!(delegated.code, designator(&LIBRARY));
    assert_eq!(delegated.nonce, 1);
    assert_eq!(
        delegated.storage.get(&U256::from(1)),
        Some(&U256::from(0x2a))
    );
    assert!(outcome.post[&LIBRARY].storage.is_empty());
}

#[test]
fn an_authorization_for_a_stale_nonce_changes_nothing_but_is_paid_for() {
    let case = Case {
        pre: world(vec![STOP]),
        block: block(Fork::Osaka),
        tx: set_code_tx(vec![authorize(LIBRARY, 5)]),
    };
    let (outcome, _, _) = run_isthmus(&case);
    assert_eq!(outcome.class, Class::Success);
    assert!(!outcome.post.contains_key(&authority()));
    // 21,000 + 25,000 for the authorization, nothing refunded: the authority did not exist.
    assert_eq!(outcome.gas_used, 46_000);
}

#[test]
fn set_code_is_refused_before_prague() {
    let case = Case {
        pre: world(vec![STOP]),
        block: block(Fork::Cancun),
        tx: set_code_tx(vec![authorize(LIBRARY, 0)]),
    };
    assert_eq!(run_isthmus(&case).0.class, Class::Invalid);
}

#[test]
fn prague_charges_the_calldata_floor() {
    // 1,000 non-zero bytes to an account without code: 37,000 intrinsic, 61,000 floor.
    let data = vec![0xff; 1000];
    let gas_used = |fork| {
        let case = Case {
            pre: world(vec![STOP]),
            block: block(fork),
            tx: legacy_tx(SENDER, 0, Some([0x77; 20]), data.clone(), 100_000),
        };
        run_isthmus(&case).0.gas_used
    };
    assert_eq!(gas_used(Fork::Cancun), 37_000);
    assert_eq!(gas_used(Fork::Prague), 61_000);
    assert_eq!(gas_used(Fork::Osaka), 61_000);
}

#[test]
fn clz_exists_from_osaka_on() {
    // Returns CLZ(1 << 200) = 55.
    let mut code = Asm::new();
    code.push(U256::from(1) << 200)
        .op(CLZ)
        .push_u64(0)
        .op(MSTORE)
        .push_u64(32)
        .push_u64(0)
        .op(RETURN);
    let code = code.finish();
    let run = |fork| {
        let case = Case {
            pre: world(code.clone()),
            block: block(fork),
            tx: legacy_tx(SENDER, 0, Some(LIBRARY), Vec::new(), 100_000),
        };
        let mut state = memory_state(&case);
        let outcome = Machine::new(case.block.clone(), case.tx.clone()).run(
            &mut state,
            &HostCrypto,
            u64::MAX,
        );
        let RunOutcome::Done(result) = outcome else {
            panic!("{outcome:?}")
        };
        result
    };
    let osaka = run(Fork::Osaka);
    assert_eq!(U256::from_be_slice(&osaka.output), U256::from(55));
    let prague = run(Fork::Prague);
    assert_eq!(
        prague.status,
        isthmus_evm::Status::Halt(isthmus_evm::HaltReason::InvalidOpcode)
    );
}
