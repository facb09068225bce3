//! The tests' shorthands for client calls: PDAs and instruction builders under short names,
//! decoders that panic on what a test never expects, and receipts read from logs.

use crate::*;
use isthmus_client::interface::account::{self as layout, ReverseEntry, StorageCell};
use isthmus_client::interface::event::{Event, StepProgress};
use isthmus_evm::{ExecutionResult, HostCrypto, B256, U256};
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_instruction_error::InstructionError;

pub use isthmus_client::instructions::{
    budget as budget_ixs, cancel as cancel_ix, crank_blockhashes as crank_ix,
    deposit as deposit_ix, execute_accounts as fixed_accounts, holder_create as holder_create_ix,
    holder_delete as holder_delete_ix, holder_resize as holder_resize_ix,
    holder_write as holder_write_ix, initialize as initialize_ix, link_wallet as link_wallet_ix,
    update_config as update_config_ix, withdraw as withdraw_ix,
};
pub use isthmus_client::interface::account::holder::{
    HEADER as HOLDER_HEADER, WRITE_CHUNK as CHUNK,
};
pub use isthmus_client::interface::account::{
    blockhashes::LEN as BLOCKHASHES_LEN, config::LEN as CONFIG_LEN, config::MAX_OPERATORS,
    fee_market::LEN as FEE_MARKET_LEN, reverse::LEN as REVERSE_LEN, vault::LEN as VAULT_LEN,
};
pub use isthmus_client::interface::event::pause::HOLDER_FULL as PAUSE_HOLDER_FULL;
pub use isthmus_client::logs::program_cu;
pub use isthmus_client::pda::{
    account as account_pda, blockhashes as blockhashes_pda, config as config_pda,
    fee_market as fee_pda, holder as holder_pda, program_data as program_data_address,
    reverse as reverse_pda, vault as vault_pda,
};

pub fn code_pda(address: &[u8; 20]) -> Address {
    pda::code(address).0
}

/// A small slot number as the 32-byte big-endian key of its storage cell.
pub fn slot_key(slot: u64) -> [u8; 32] {
    U256::from(slot).to_be_bytes::<32>()
}

pub fn storage_pda(address: &[u8; 20], slot: u64) -> Address {
    pda::storage(address, &slot_key(slot))
}

pub fn storage_pda_key(address: &[u8; 20], slot: &B256) -> Address {
    pda::storage(address, slot)
}

/// Anchor's 8-byte discriminator, sha256("<namespace>:<name>")[..8] (to forge accounts and
/// events in hostile tests).
pub fn discriminator(namespace: &str, name: &str) -> [u8; 8] {
    use sha2::Digest;
    sha2::Sha256::digest(format!("{namespace}:{name}").as_bytes())[..8]
        .try_into()
        .unwrap()
}

/// The `to` of a raw transaction (an impersonated one's too).
pub fn tx_to(raw: &[u8]) -> Option<[u8; 20]> {
    isthmus_client::interface::transaction::decode(raw, &HostCrypto)
        .ok()
        .and_then(|incoming| incoming.signed.tx.to)
}

/// `execute(raw)` with the fixed accounts (the fee market of the transaction's `to`), then
/// `extra`.
pub fn execute_ix(operator: &Address, raw: &[u8], extra: &[AccountMeta]) -> Instruction {
    instructions::execute(operator, raw, tx_to(raw), extra)
}

/// The transaction's `to` as the old shorthand took it: zero for a creation.
fn to_option(to: &[u8; 20]) -> Option<[u8; 20]> {
    (*to != [0; 20]).then_some(*to)
}

pub fn execute_from_holder_ix(
    operator: &Address,
    holder: &Address,
    to: &[u8; 20],
    extra: &[AccountMeta],
) -> Instruction {
    instructions::execute_from_holder(operator, holder, to_option(to), extra)
}

pub fn step_ix(
    operator: &Address,
    holder: &Address,
    to: &[u8; 20],
    max_steps: u64,
    extra: &[AccountMeta],
) -> Instruction {
    instructions::step(operator, holder, to_option(to), max_steps, extra)
}

/// The receipt in a transaction's logs; panics without one.
pub fn receipt(logs: &[String]) -> Receipt {
    logs::receipt(logs)
        .expect("the receipt decodes")
        .unwrap_or_else(|| panic!("no receipt in\n{}", logs.join("\n")))
}

/// Whether the logs carry a receipt.
pub fn has_receipt(logs: &[String]) -> bool {
    matches!(logs::receipt(logs), Ok(Some(_)))
}

/// The program's events' bytes in the logs.
pub fn events(logs: &[String]) -> Vec<Vec<u8>> {
    logs::event_bytes(logs)
}

/// `StepProgress` as (steps, gas spent, restarts).
pub fn step_progress(logs: &[String]) -> Option<(u64, u64, u32)> {
    logs::step_progress(logs).map(|p: StepProgress| (p.steps, p.gas_spent, p.restarts))
}

/// Why a step paused.
pub fn step_pause(logs: &[String]) -> Option<u8> {
    logs::step_progress(logs).map(|p| p.pause)
}

/// The `Dropped` event's reason, if the logs carry one.
pub fn dropped_reason(logs: &[String]) -> Option<u32> {
    logs::events(logs).ok()?.into_iter().find_map(|e| match e {
        Event::Dropped(d) => Some(d.reason),
        _ => None,
    })
}

/// The heap an executing instruction used; panics without its log line.
pub fn heap_used(logs: &[String]) -> u64 {
    logs::heap_used(logs).expect("a heap line")
}

/// Whether a transaction failed by running out of compute units.
pub fn out_of_compute(failure: &Failure) -> bool {
    failure.out_of_compute()
}

/// A `StorageCell`: (address, slot, bump, generation, value below 2^128).
pub fn decode_storage_cell(data: &[u8]) -> ([u8; 20], [u8; 32], u8, u64, u128) {
    let c = StorageCell::decode(data).expect("a storage cell");
    let value = U256::from_be_bytes(c.value);
    (c.address, c.slot, c.bump, c.generation, value.to::<u128>())
}

/// An `EthCode` account: (address, code).
pub fn decode_code(data: &[u8]) -> ([u8; 20], Vec<u8>) {
    let c = layout::EthCode::decode(data).expect("a code account");
    (c.address, c.code)
}

/// A `ReverseEntry`: (wallet, address, bump).
pub fn decode_reverse(data: &[u8]) -> (Address, [u8; 20], u8) {
    let r = ReverseEntry::decode(data).expect("a reverse entry");
    (Address::new_from_array(r.wallet), r.address, r.bump)
}

/// Panicking readings of a [`Failure`].
pub trait FailureExt {
    /// The custom error code; panics when it failed otherwise.
    fn custom(&self) -> u32;
}

impl FailureExt for Failure {
    fn custom(&self) -> u32 {
        match self.instruction_error() {
            Some(InstructionError::Custom(code)) => *code,
            other => panic!("not a custom error: {other:?}\n{}", self.logs.join("\n")),
        }
    }
}

/// Panicking readings of an [`Emulation`].
pub trait EmulationExt {
    /// The finished result; panics if the transaction was invalid or the run failed.
    fn result(&self) -> &ExecutionResult;
}

impl EmulationExt for Emulation {
    fn result(&self) -> &ExecutionResult {
        self.finished()
            .unwrap_or_else(|| panic!("the off-chain run did not finish: {:?}", self.outcome))
    }
}

/// Runs `raw` off-chain as `operator` would relay it now; panics when it cannot be emulated.
pub fn emulate(source: &dyn AccountSource, operator: &Address, raw: &[u8]) -> Emulation {
    emulate::emulate(source, operator, raw).expect("an emulable transaction")
}

/// Parses hex with or without `0x`.
pub fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim().trim_start_matches("0x");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}
