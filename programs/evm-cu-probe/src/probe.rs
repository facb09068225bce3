//! Runs one probe message through the interpreter: the same code on-chain and in host tests.

use crate::message::{status, Message, Report};
use isthmus_evm::env::TxKind;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::{
    AccountInfo, Address, BlockEnv, Crypto, Fork, Machine, MemoryState, RunOutcome, Status, TxEnv,
    U256,
};

/// The account that sends every probe transaction.
pub const SENDER: Address = [0x5e; 20];
/// The account that holds the probe code.
pub const CONTRACT: Address = [0xc0; 20];
/// Chain id of the probe block (the transaction is a legacy one without chain id).
pub const CHAIN_ID: u64 = 1;
/// Block gas limit: far above any probe.
pub const BLOCK_GAS_LIMIT: u64 = 1 << 40;

/// Builds the world (a funded sender, the contract), runs one call to the contract with a zero gas
/// price and reports how it ended. The heap fields are left zero (the caller knows the heap).
/// With `checkpoint` (on-chain: log the remaining compute units) the run is split into phases and
/// it is called after the world is built, after `Machine::new`, after the start and at the end.
pub fn run(
    message: &Message<'_>,
    crypto: &dyn Crypto,
    checkpoint: Option<&mut dyn FnMut()>,
) -> Report {
    let code = message.code();
    let mut state = MemoryState::default();
    let sender = AccountInfo {
        balance: U256::from(u64::MAX),
        nonce: 0,
        code_hash: KECCAK_EMPTY,
    };
    state.insert_account(SENDER, sender, alloc::vec::Vec::new());
    let contract = AccountInfo {
        balance: U256::ZERO,
        nonce: 1,
        code_hash: crypto.keccak256(&code),
    };
    state.insert_account(CONTRACT, contract, code);

    let block = BlockEnv {
        number: 1,
        coinbase: [0xcb; 20],
        timestamp: 1,
        gas_limit: BLOCK_GAS_LIMIT,
        base_fee: U256::ZERO,
        prevrandao: [0; 32],
        excess_blob_gas: 0,
        chain_id: CHAIN_ID,
        // Opcodes cost the same in every fork; Cancun keeps the workloads' gas free of
        // EIP-7623's calldata floor, which the probe's gas arithmetic does not model.
        fork: Fork::Cancun,
        code_size_limit: None,
        serve_history: false,
    };
    let tx = TxEnv {
        kind: TxKind::Legacy,
        caller: SENDER,
        gas_limit: message.gas_limit,
        gas_price: U256::ZERO,
        gas_priority_fee: None,
        to: Some(CONTRACT),
        value: U256::ZERO,
        data: message.calldata.to_vec(),
        nonce: 0,
        chain_id: None,
        access_list: alloc::vec::Vec::new(),
        blob_hashes: alloc::vec::Vec::new(),
        max_fee_per_blob_gas: U256::ZERO,
        authorization_list: alloc::vec::Vec::new(),
    };
    let mut machine;
    let outcome = match checkpoint {
        None => {
            machine = Machine::new(block, tx);
            machine.run(&mut state, crypto, u64::MAX)
        }
        // Split: `Machine::new`; the start (a budget of no steps pauses before the first
        // opcode: validation, gas bought, nonce, warm accounts, the first frame); the rest.
        Some(checkpoint) => {
            checkpoint();
            machine = Machine::new(block, tx);
            checkpoint();
            let started = machine.run(&mut state, crypto, 0);
            checkpoint();
            let outcome = match started {
                RunOutcome::Paused => machine.run(&mut state, crypto, u64::MAX),
                ended => ended,
            };
            checkpoint();
            outcome
        }
    };
    let mut report = Report {
        steps: machine.steps(),
        ..Report::default()
    };
    match outcome {
        RunOutcome::Done(result) => {
            report.gas_used = result.gas_used;
            match result.status {
                Status::Success => report.status = status::SUCCESS,
                Status::Revert => report.status = status::REVERT,
                Status::Halt(reason) => {
                    report.status = status::HALT;
                    report.detail = reason as u8;
                }
            }
        }
        RunOutcome::Invalid(_) => report.status = status::INVALID,
        RunOutcome::Fatal(_) => report.status = status::FATAL,
        RunOutcome::Paused => report.status = status::PAUSED,
    }
    report
}
