//! The fork the config records, run on-chain: Osaka's CLZ, EIP-7702 set-code transactions
//! (delegating an account, running through the delegation, clearing it), Osaka's P256VERIFY
//! verified (in steps), and a chain's own code size limit. Each transaction goes through the
//! relayer and must agree with the emulator's run.

use isthmus_evm::env::{TxEnv, TxKind};
use isthmus_evm::{HostCrypto, U256};
use isthmus_program_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

struct World {
    h: Harness,
    operator: Keypair,
    alice: EthWallet,
}

/// An Osaka chain (the default for a new one) with 10 SOL deposited to alice.
fn world() -> World {
    let (mut h, operator) = Harness::with_operator();
    assert_eq!(h.config().fork, Fork::Osaka);
    let alice = EthWallet::new(0xa1);
    h.deposit_to(&alice.address, 10 * SOL).unwrap();
    World { h, operator, alice }
}

/// Initcode returning `runtime` (at most 32 bytes): PUSHn runtime, PUSH0, MSTORE, then RETURN
/// of its bytes at the end of that word.
fn initcode(runtime: &[u8]) -> Vec<u8> {
    assert!((1..=32).contains(&runtime.len()));
    let n = runtime.len() as u8;
    let mut code = vec![0x5f + n];
    code.extend_from_slice(runtime);
    code.extend_from_slice(&[0x5f, 0x52, 0x60, n, 0x60, 32 - n, 0xf3]);
    code
}

impl World {
    fn deploy(&mut self, runtime: &[u8]) -> [u8; 20] {
        let run = self.h.run(
            &self.operator,
            &self.alice,
            None,
            0,
            initcode(runtime),
            200_000,
        );
        assert_eq!(run.receipt.status, 1);
        run.receipt.created_address.expect("deployed")
    }

    /// A transaction from alice, her next nonce.
    fn tx(&self, to: [u8; 20], data: Vec<u8>) -> TxEnv {
        let nonce = self.h.eth_nonce(&self.alice.address);
        tx1559(self.h.config().chain_id, nonce, Some(to), 0, data, 300_000)
    }
}

/// `slot0 = clz(calldata word 0)`: PUSH0 CALLDATALOAD CLZ PUSH0 SSTORE STOP.
const CLZ_RUNTIME: [u8; 6] = [0x5f, 0x35, 0x1e, 0x5f, 0x55, 0x00];

#[test]
fn clz_runs_on_an_osaka_chain() {
    let mut w = world();
    let contract = w.deploy(&CLZ_RUNTIME);
    for (input, zeros) in [(1u64, 255u128), (0, 256), (1 << 40, 215)] {
        let raw = w
            .alice
            .sign(&w.tx(contract, U256::from(input).to_be_bytes::<32>().to_vec()));
        let run = w.h.run_raw(&w.operator, &raw);
        assert_eq!(run.receipt.status, 1, "clz({input})");
        assert_eq!(w.h.eth_account(&contract).unwrap().slot(0), zeros);
    }
}

/// `slot0 += 1`: PUSH0 SLOAD PUSH1 1 ADD PUSH0 SSTORE STOP, the code an account delegates to.
const INCREMENT_RUNTIME: [u8; 8] = [0x5f, 0x54, 0x60, 0x01, 0x01, 0x5f, 0x55, 0x00];

#[test]
fn a_set_code_transaction_delegates_an_account_and_calls_run_its_delegate() {
    let mut w = world();
    let target = w.deploy(&INCREMENT_RUNTIME);
    let bob = EthWallet::new(0xb0);
    let chain_id = w.h.config().chain_id;

    // Alice sends a type-4 transaction to bob carrying bob's authorization (bob has no account
    // yet: nonce 0): bob's account gets the delegation, then the call runs target's code in it.
    let mut tx = w.tx(bob.address, vec![]);
    tx.kind = TxKind::SetCode;
    tx.authorization_list = vec![bob.authorize(chain_id, target, 0)];
    let run = w.h.run_raw(&w.operator, &w.alice.sign(&tx));
    assert_eq!(run.receipt.status, 1);
    let designator = [&[0xef, 0x01, 0x00][..], &target].concat();
    let account = w.h.eth_account(&bob.address).expect("bob's account");
    assert_eq!(
        account.nonce, 1,
        "the authorization bumps the authority's nonce"
    );
    assert_eq!(account.code_hash, keccak(&designator));
    let (_, code) = decode_code(&w.h.account(&code_pda(&bob.address)).unwrap().data);
    assert_eq!(code, designator);
    assert_eq!(account.slot(0), 1, "target's code ran in bob's account");

    // An ordinary call to bob runs the delegate again.
    let raw = w.alice.sign(&w.tx(bob.address, vec![]));
    assert_eq!(w.h.run_raw(&w.operator, &raw).receipt.status, 1);
    assert_eq!(w.h.eth_account(&bob.address).unwrap().slot(0), 2);

    // Bob clears the delegation (an authorization to the zero address) in his own type-4
    // transaction, paying for it: his code reads empty again, his storage stays.
    w.h.deposit_to(&bob.address, SOL).unwrap();
    let mut tx = tx1559(chain_id, 1, Some(w.alice.address), 0, vec![], 100_000);
    tx.kind = TxKind::SetCode;
    tx.authorization_list = vec![bob.authorize(chain_id, [0; 20], 2)];
    let run = w.h.run_raw(&w.operator, &bob.sign(&tx));
    assert_eq!(run.receipt.status, 1);
    let account = w.h.eth_account(&bob.address).unwrap();
    assert_eq!(
        account.nonce, 3,
        "one for the transaction, one for the authorization"
    );
    assert_eq!(account.code_hash, KECCAK_EMPTY);
    assert_eq!(account.slot(0), 2);

    // A call to bob now runs nothing.
    let raw = w.alice.sign(&w.tx(bob.address, vec![]));
    assert_eq!(w.h.run_raw(&w.operator, &raw).receipt.status, 1);
    assert_eq!(w.h.eth_account(&bob.address).unwrap().slot(0), 2);
}

/// revm's `ok_1` P256VERIFY vector (hash, r, s, x, y): a valid signature.
const P256_VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";

/// Copies its calldata to memory, STATICCALLs P256VERIFY (0x100) with it, stores the call's
/// success in slot 0 and the size of its answer in slot 1: CALLDATASIZE PUSH0 PUSH0
/// CALLDATACOPY, PUSH0 PUSH0 CALLDATASIZE PUSH0 PUSH2 0x0100 GAS STATICCALL, PUSH0 SSTORE,
/// RETURNDATASIZE PUSH1 1 SSTORE, STOP.
const P256_CALLER_RUNTIME: [u8; 21] = [
    0x36, 0x5f, 0x5f, 0x37, 0x5f, 0x5f, 0x36, 0x5f, 0x61, 0x01, 0x00, 0x5a, 0xfa, 0x5f, 0x55, 0x3d,
    0x60, 0x01, 0x55, 0x00, 0x00,
];

#[test]
fn osaka_p256verify_verifies_on_chain() {
    let mut w = world();
    let contract = w.deploy(&P256_CALLER_RUNTIME);
    let input = unhex(P256_VALID);
    let verified = isthmus_evm::precompiles::p256verify::run(&input, 10_000, &HostCrypto)
        .expect("the host verifies");
    assert_eq!(verified.output.len(), 32);
    // On-chain the verification runs as a job over several steps (tests/p256verify.rs has
    // more cases), with the answer the host gives, as the emulator predicted: `run_raw` checks
    // that chain and emulation agree.
    let raw = w.alice.sign(&w.tx(contract, input));
    let run = w.h.run_raw(&w.operator, &raw);
    assert_eq!(run.receipt.status, 1);
    let account = w.h.eth_account(&contract).unwrap();
    assert_eq!(account.slot(0), 1, "the call succeeded");
    assert_eq!(account.slot(1), 32, "with the answer 1");
}

/// Initcode returning 25,000 zero bytes (over EIP-170's 24,576): PUSH2 25000 PUSH0 RETURN.
const LARGE_RETURN: [u8; 5] = [0x61, 0x61, 0xa8, 0x5f, 0xf3];

#[test]
fn a_chain_may_raise_the_code_size_limit() {
    // EIP-170's limit: 25,000 bytes of code are refused (the creation fails, its gas spent).
    let mut w = world();
    let run = w.h.run(
        &w.operator,
        &w.alice,
        None,
        0,
        LARGE_RETURN.to_vec(),
        5_900_000,
    );
    assert_eq!(run.receipt.status, 0);
    assert_eq!(run.receipt.gas_used, 5_900_000);

    // A chain initialized with a 64 KiB limit (anvil's --code-size-limit) deploys them.
    let mut args = default_args();
    let operator = Keypair::new();
    args.operators = vec![operator.pubkey()];
    args.code_size_limit = Some(65_536);
    let mut h = Harness::initialized_with(&args);
    h.chain.airdrop(&operator.pubkey(), 100 * SOL).unwrap();
    h.deposit_to(&w.alice.address, 10 * SOL).unwrap();
    let run = h.run(
        &operator,
        &w.alice,
        None,
        0,
        LARGE_RETURN.to_vec(),
        5_900_000,
    );
    assert_eq!(run.receipt.status, 1);
    let contract = run.receipt.created_address.expect("deployed");
    let (_, code) = decode_code(&h.account(&code_pda(&contract)).unwrap().data);
    assert_eq!(code, vec![0u8; 25_000]);
}

/// A chain moves to a later fork when its admin says (`update_config`): CLZ is an invalid
/// opcode on a Cancun chain and runs once the chain moves to Osaka.
#[test]
fn the_admin_moves_a_chain_to_a_later_fork() {
    let operator = Keypair::new();
    let mut args = default_args();
    args.operators = vec![operator.pubkey()];
    args.fork = Fork::Cancun;
    let mut h = Harness::initialized_with(&args);
    h.chain.airdrop(&operator.pubkey(), 100 * SOL).unwrap();
    let mut w = World {
        h,
        operator,
        alice: EthWallet::new(0xa1),
    };
    w.h.deposit_to(&w.alice.address, 10 * SOL).unwrap();
    let contract = w.deploy(&CLZ_RUNTIME);
    let input = U256::from(1).to_be_bytes::<32>().to_vec();
    let raw = w.alice.sign(&w.tx(contract, input.clone()));
    assert_eq!(
        w.h.run_raw(&w.operator, &raw).receipt.status,
        0,
        "no CLZ in Cancun"
    );

    let admin = w.h.admin.insecure_clone();
    let ix = update_config_ix(
        &admin.pubkey(),
        &[w.operator.pubkey()],
        &FeeMarketParams::default(),
        Some(Fork::Osaka),
    );
    w.h.send(&[ix], &admin, &[]).unwrap();
    assert_eq!(w.h.config().fork, Fork::Osaka);
    let raw = w.alice.sign(&w.tx(contract, input));
    assert_eq!(w.h.run_raw(&w.operator, &raw).receipt.status, 1);
    assert_eq!(w.h.eth_account(&contract).unwrap().slot(0), 255);
}

/// Calls the EIP-2935 history contract for block `NUMBER - 1` and for `NUMBER` (outside its
/// window), and stores: slot0 = (its answer == BLOCKHASH(NUMBER - 1)), slot1 = (that hash is not
/// zero), slot2 = the first call's success, slot3 = the second's.
fn history_probe() -> Vec<u8> {
    let history = isthmus_evm::history::HISTORY_STORAGE_ADDRESS;
    // STATICCALL(gas, HISTORY, 0, 32, 32, 32), the number in memory word 0.
    let mut call = vec![0x60, 0x20, 0x60, 0x20, 0x60, 0x20, 0x5f, 0x73];
    call.extend_from_slice(&history);
    call.extend_from_slice(&[0x5a, 0xfa]);
    let mut code = vec![0x60, 0x01, 0x43, 0x03, 0x5f, 0x52]; // mem[0] = NUMBER - 1
    code.extend_from_slice(&call);
    code.extend_from_slice(&[0x60, 0x02, 0x55]); // slot2 = success
    code.extend_from_slice(&[
        0x60, 0x20, 0x51, 0x60, 0x01, 0x43, 0x03, 0x40, 0x14, 0x5f, 0x55,
    ]);
    code.extend_from_slice(&[0x60, 0x01, 0x43, 0x03, 0x40, 0x15, 0x15, 0x60, 0x01, 0x55]);
    code.extend_from_slice(&[0x43, 0x5f, 0x52]); // mem[0] = NUMBER
    code.extend_from_slice(&call);
    code.extend_from_slice(&[0x60, 0x03, 0x55, 0x00]); // slot3 = success
    code
}

/// From Prague the history contract's address answers block hashes (EIP-2935) from the chain's
/// own (the registry and SlotHashes, as BLOCKHASH), with no contract deployed or written per
/// block; the emulator agrees, and a number outside the window reverts as the EIP's code does.
#[test]
fn the_history_contract_answers_from_the_chains_block_hashes() {
    let mut w = world();
    w.h.warp_to(1_000, 512, &[]);
    let probe = [0x29; 20];
    w.h.plant_contract(&probe, &history_probe());
    let raw = w.alice.sign(&w.tx(probe, vec![]));
    let run = w.h.run_raw(&w.operator, &raw);
    assert_eq!(run.receipt.status, 1);
    let stored = w.h.eth_account(&probe).unwrap();
    assert_eq!(
        (
            stored.slot(0),
            stored.slot(1),
            stored.slot(2),
            stored.slot(3)
        ),
        (1, 1, 1, 0),
        "equal to BLOCKHASH, not zero, answered, the current block refused"
    );
    // Nothing was created at the contract's address: it is served, not stored.
    let history = isthmus_evm::history::HISTORY_STORAGE_ADDRESS;
    assert!(w.h.eth_account(&history).is_none());
}
